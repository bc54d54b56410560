//! SELECT: restrictions, selection, aggregation, ordering, limits and paging.

use std::cmp::Ordering;

use super::eval::{function_display, time_function};
use super::paging::{self, PagingState, Position, ReadOrder};
use super::{Ctx, Engine, spec};
use crate::ast::{Operator, Order, Relation, RelationLhs, Select, Selector, Term};
use crate::schema::{Column, ColumnKind, Table, duration_holder, references_duration};
use crate::storage::{Bound, Partition, RingKey, Row, Slice, compare_prefix, ring_key};
use crate::types::{
    Accumulator, AggregateKind, ArithOp, CqlType, NativeType, Value, cast, compare, maybe_quote,
    partition_key_bytes, token,
};
use crate::{Error, Options, Rows};

/// Cassandra's refusal of queries that would filter.
pub(crate) const REQUIRES_ALLOW_FILTERING: &str = "Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Agg {
    Count,
    Min,
    Max,
    Sum,
    Avg,
}

/// A compiled selector.
#[derive(Debug, Clone)]
enum Sel {
    Column(Column),
    /// `WRITETIME`: a bigint, or a list of them for a non-frozen collection or UDT.
    Writetime(Column),
    /// `MAXWRITETIME`: the newest write timestamp of the value's cells.
    MaxWritetime(Column),
    /// `TTL`: an int, or a list of them for a non-frozen collection or UDT.
    Ttl(Column),
    /// `WRITETIME`, `MAXWRITETIME` or `TTL` (the function's name) of one element or
    /// field, or of a slice of elements, with the whole selection when it reaches
    /// deeper (`v[1][2]`, `t.a.b`): that must be present for the element's to show.
    WriteMetaOf(String, Column, Part, Option<Box<Sel>>),
    Token,
    CountStar,
    Agg(Agg, Box<Sel>, CqlType),
    Cast(Box<Sel>, CqlType, NativeType),
    TimeFn(String, Box<Sel>),
    ToJson(Box<Sel>, CqlType),
    Const(Option<Value>),
    Field(Box<Sel>, String),
    /// A map value by key, or a set element if present.
    Element(Box<Sel>, Value, CqlType),
    /// The entries of a map or set whose keys lie between the bounds (inclusive; `None`
    /// is unbounded), with the key type and whether the collection is frozen.
    Slice(Box<Sel>, Option<Value>, Option<Value>, CqlType, bool),
    /// A native scalar function (name in lower case without underscores) of selectors,
    /// with their types.
    Scalar(String, Vec<Sel>, Vec<CqlType>),
    /// `a op b`, with the operands' types.
    Arith(ArithOp, Box<Sel>, NativeType, Box<Sel>, NativeType),
    /// `-s`.
    Negate(Box<Sel>),
}

impl Sel {
    /// Whether the selector aggregates rows: it is, or holds, an aggregate.
    fn is_aggregate(&self) -> bool {
        match self {
            Sel::CountStar | Sel::Agg(..) => true,
            Sel::Cast(inner, ..)
            | Sel::TimeFn(_, inner)
            | Sel::ToJson(inner, _)
            | Sel::Element(inner, ..)
            | Sel::Slice(inner, ..)
            | Sel::Field(inner, _) => inner.is_aggregate(),
            Sel::Scalar(_, args, _) => args.iter().any(Sel::is_aggregate),
            Sel::Arith(_, a, _, b, _) => a.is_aggregate() || b.is_aggregate(),
            Sel::Negate(inner) => inner.is_aggregate(),
            _ => false,
        }
    }

    /// Whether an aggregate sits below the top of the selector, as in `f(max(x))`.
    fn nests_aggregate(&self) -> bool {
        !matches!(self, Sel::CountStar | Sel::Agg(..)) && self.is_aggregate()
    }
}

/// One element of a collection or field of a UDT.
#[derive(Debug, Clone)]
enum Part {
    /// A map key or set element, with the key type.
    Key(Value, CqlType),
    /// A UDT field.
    Field(String),
    /// The map keys or set elements between two inclusive bounds (`None` is unbounded),
    /// with the key type.
    Range(Option<Value>, Option<Value>, CqlType),
}

#[derive(Debug, Clone)]
struct OutCol {
    name: String,
    ty: CqlType,
    sel: Sel,
}

/// A row filter applied after key lookups.
#[derive(Debug, Clone)]
enum Filter {
    Cmp(Column, Operator, Option<Value>),
    In(Column, Vec<Value>),
    Contains(Column, Value),
    ContainsKey(Column, Value),
    Entry(Column, Value, Value),
    /// A multi-column relation on clustering columns left to the row filter: the
    /// columns compared as one tuple, in their types' natural order.
    Tuple(Vec<Column>, Operator, Vec<Vec<Value>>),
}

#[derive(Debug, Default)]
struct Plan {
    keys: Option<Vec<Vec<Value>>>,
    token_start: Option<(i64, bool)>,
    token_end: Option<(i64, bool)>,
    slices: Vec<Slice>,
    filters: Vec<Filter>,
    clustering_restricted: bool,
}

/// One candidate row while reading.
struct View<'a> {
    pk: &'a [Value],
    ck: Option<&'a [Value]>,
    statics: &'a Row,
    row: Option<&'a Row>,
    now: i64,
}

impl View<'_> {
    fn cell(&self, col: &Column) -> Option<&crate::storage::Cell> {
        match col.kind {
            ColumnKind::Static => self.statics.cells.get(&col.name),
            ColumnKind::Regular => self.row.and_then(|r| r.cells.get(&col.name)),
            _ => None,
        }
        .filter(|c| c.is_live(self.now))
    }

    fn value(&self, col: &Column) -> Option<Value> {
        match col.kind {
            ColumnKind::PartitionKey(i) => self.pk.get(i).cloned(),
            ColumnKind::Clustering(i) => self.ck.and_then(|ck| ck.get(i)).cloned(),
            _ => self.cell(col).and_then(|c| c.live_value(self.now)),
        }
    }
}

/// What Cassandra calls the value a collection selection's key is read for:
/// `key(m)` for a map, `value(s)` for a set.
fn element_receiver(name: &str, ty: &CqlType) -> String {
    match ty.unfrozen() {
        CqlType::Map(..) => format!("key({name})"),
        _ => format!("value({name})"),
    }
}

fn term_text(t: &Term) -> String {
    t.to_string()
}

impl Engine {
    pub(super) fn select(
        &mut self,
        s: &Select,
        ctx: &Ctx,
        options: &Options,
    ) -> Result<Rows, Error> {
        let Some(name) = &s.table else { return Err(Error::invalid("SELECT needs a FROM clause")) };
        let ks = self.keyspace_of(name, ctx)?;
        let system = self.system_table(&ks, &name.name.0, ctx)?;
        let schema = match &system {
            Some(t) => t.clone(),
            None => self.schema_of(name, ctx)?,
        };
        let cols = self.compile_selection(s, &schema, ctx)?;
        let plan = self.plan_select(s, &schema, ctx)?;
        if plan.clustering_restricted && selects_only_statics(&cols) {
            return Err(Error::invalid(
                "Cannot restrict clustering columns when selecting only static columns",
            ));
        }
        if s.distinct {
            if s.per_partition_limit.is_some() {
                return Err(Error::invalid(
                    "PER PARTITION LIMIT is not allowed with SELECT DISTINCT queries",
                ));
            }
            check_distinct(s, &schema, &cols, &plan)?;
        }
        if s.per_partition_limit.is_some()
            && s.group_by.is_empty()
            && cols.iter().any(|c| c.sel.is_aggregate())
        {
            return Err(Error::invalid(
                "PER PARTITION LIMIT is not allowed with aggregate queries.",
            ));
        }
        let limit = self.limit_value(s.limit.as_ref(), "LIMIT", ctx)?;
        let ppl = self.limit_value(s.per_partition_limit.as_ref(), "PER PARTITION LIMIT", ctx)?;
        let table: &Table = match &system {
            Some(t) => t,
            None => self.table(name, ctx)?,
        };
        let reversed = order_by(s, table, &plan)?;
        let group_len = group_by(s, table)?;
        if s.distinct && group_len > table.partition_key.len() {
            return Err(Error::invalid(
                "Grouping on clustering columns is not allowed for SELECT DISTINCT queries",
            ));
        }
        run(table, s, &cols, &plan, reversed, group_len, limit, ppl, ctx, options)
    }

    fn limit_value(
        &mut self,
        t: Option<&Term>,
        what: &str,
        ctx: &Ctx,
    ) -> Result<Option<usize>, Error> {
        let Some(t) = t else { return Ok(None) };
        let v = self.eval(
            t,
            &CqlType::Native(NativeType::Int),
            &format!("[{}]", what.to_ascii_lowercase()),
            ctx,
        )?;
        match v {
            Some(Value::Int(n)) if n > 0 => Ok(usize::try_from(n).ok()),
            // Cassandra reads both limits through one method, hence one message.
            Some(Value::Int(_)) => Err(Error::invalid("LIMIT must be strictly positive")),
            _ => {
                Err(Error::invalid(format!("Invalid null value of {}", what.to_ascii_lowercase())))
            }
        }
    }

    fn compile_selection(
        &mut self,
        s: &Select,
        t: &Table,
        ctx: &Ctx,
    ) -> Result<Vec<OutCol>, Error> {
        if s.items.is_empty() {
            return Ok(t
                .select_order()
                .into_iter()
                .map(|c| OutCol {
                    name: c.name.clone(),
                    ty: c.ty.clone(),
                    sel: Sel::Column(c.clone()),
                })
                .collect());
        }
        let mut out = Vec::new();
        for item in &s.items {
            let (name, ty, sel) = self.compile_selector(&item.selector, t, ctx)?;
            let name = item.alias.as_ref().map_or(name, |a| a.0.clone());
            out.push(OutCol { name, ty, sel });
        }
        if s.distinct {
            for c in &out {
                if let Sel::Column(col) = &c.sel
                    && !matches!(col.kind, ColumnKind::PartitionKey(_) | ColumnKind::Static)
                {
                    return Err(Error::invalid(format!(
                        "SELECT DISTINCT queries must only request partition key columns and/or static columns (not {})",
                        maybe_quote(&col.name)
                    )));
                }
            }
        }
        Ok(out)
    }

    fn compile_selector(
        &mut self,
        sel: &Selector,
        t: &Table,
        ctx: &Ctx,
    ) -> Result<(String, CqlType, Sel), Error> {
        let bigint = CqlType::Native(NativeType::Bigint);
        Ok(match sel {
            Selector::Column(c) => {
                let col = t.existing_column(&c.0)?.clone();
                (col.name.clone(), col.ty.clone(), Sel::Column(col))
            }
            Selector::CountStar => ("count".into(), bigint, Sel::CountStar),
            Selector::Term(term @ Term::TypeHint(hint, _)) => {
                let ty = self.hint_type(hint, &t.keyspace)?;
                let v = self.eval(term, &ty, &term_text(term), ctx)?;
                (term_text(term), ty, Sel::Const(v))
            }
            Selector::Term(term) => {
                let ty = literal_type(term).ok_or_else(|| {
                    Error::invalid(format!("Cannot infer type for term {term} in selection clause (try using a cast to force a type)"))
                })?;
                let v = self.eval(term, &ty, &term_text(term), ctx)?;
                (term_text(term), ty, Sel::Const(v))
            }
            Selector::Binary(a, op, b) => self.compile_operation(a, *op, b, t, ctx)?,
            Selector::Paren(inner) => {
                let (n, ty, s) = self.compile_selector(inner, t, ctx)?;
                (format!("({n})"), ty, s)
            }
            Selector::Hint(hint, inner) => {
                // A hinted collection is frozen, as Cassandra freezes the hinted type.
                let hinted = match self.hint_type(hint, &t.keyspace)? {
                    c if c.is_collection() => CqlType::Frozen(Box::new(c)),
                    other => other,
                };
                let (n, ty, s) = self.compile_selector(inner, t, ctx)?;
                let name = format!("({hint}){n}");
                // A hint on a selector names a type; it converts nothing.
                if !super::eval::value_compatible(&ty, &hinted) {
                    return Err(Error::invalid(format!(
                        "Cannot assign value {name} to {name} of type {hinted}"
                    )));
                }
                (name, hinted, s)
            }
            Selector::Negate(inner) => {
                let (n, ty, s) = self.compile_operand(inner, t, ctx)?;
                let Some(nt) = ty.native().filter(|n| {
                    crate::types::is_numeric_type(&CqlType::Native(*n))
                        || *n == NativeType::Duration
                }) else {
                    // Unary minus is Cassandra's `_negate` function, overloaded per type.
                    return Err(Error::invalid(
                        "Invalid call to function system._negate, none of its type signatures match",
                    ));
                };
                // A counter negates to a bigint, as Cassandra's negation has no counter overload.
                let rty = if nt == NativeType::Counter { NativeType::Bigint } else { nt };
                (format!("-{n}"), CqlType::Native(rty), Sel::Negate(Box::new(s)))
            }
            Selector::Cast(inner, to) => {
                let (n, ty, s) = self.compile_selector(inner, t, ctx)?;
                if !crate::types::can_cast(&ty, *to) {
                    return Err(Error::invalid(format!("{n} cannot be cast to {to}")));
                }
                // Cassandra drops a cast to the value's own type, name included.
                if ty.native() == Some(*to) {
                    return Ok((n, ty, s));
                }
                (
                    format!("cast({n} as {to})"),
                    CqlType::Native(*to),
                    Sel::Cast(Box::new(s), ty, *to),
                )
            }
            Selector::Field(inner, f) => {
                let (n, ty, s) = self.compile_selector(inner, t, ctx)?;
                let CqlType::Udt(u) = ty.unfrozen() else {
                    return Err(Error::invalid(format!(
                        "Invalid field selection: {n} of type {ty} is not a user type"
                    )));
                };
                let Some((_, fty)) = u.fields.iter().find(|(name, _)| name == &f.0) else {
                    return Err(Error::invalid(format!(
                        "{} of type {} has no field {}",
                        n, ty, f.0
                    )));
                };
                (format!("{n}.{}", f), fty.clone(), Sel::Field(Box::new(s), f.0.clone()))
            }
            Selector::Element(inner, key) => {
                let (n, ty, sel) = self.compile_selector(inner, t, ctx)?;
                let (kt, rty) = match ty.unfrozen() {
                    CqlType::Map(k, v) => ((**k).clone(), (**v).clone()),
                    CqlType::Set(e) => ((**e).clone(), (**e).clone()),
                    CqlType::List(_) => {
                        return Err(Error::invalid(format!(
                            "Element selection is only allowed on sets and maps, but {n} is a list"
                        )));
                    }
                    _ => {
                        return Err(Error::invalid(format!(
                            "Invalid element selection: {n} is of type {ty} is not a collection"
                        )));
                    }
                };
                let k = self.eval(key, &kt, &element_receiver(&n, &ty), ctx)?;
                let Some(k) = k else {
                    return Err(Error::invalid(format!(
                        "Invalid null value for element selection on {n}"
                    )));
                };
                (format!("{n}[{key}]"), rty, Sel::Element(Box::new(sel), k, kt))
            }
            Selector::Slice(inner, from, to) => {
                let (n, ty, sel) = self.compile_selector(inner, t, ctx)?;
                let kt = match ty.unfrozen() {
                    CqlType::Map(k, _) => (**k).clone(),
                    CqlType::Set(e) => (**e).clone(),
                    CqlType::List(_) => {
                        return Err(Error::invalid(format!(
                            "Slice selection is only allowed on sets and maps, but {n} is a list"
                        )));
                    }
                    _ => {
                        return Err(Error::invalid(format!(
                            "Invalid slice selection: {n} of type {ty} is not a collection"
                        )));
                    }
                };
                let receiver = element_receiver(&n, &ty);
                let mut bound = |term: &Option<Box<Term>>| -> Result<Option<Value>, Error> {
                    let Some(term) = term else { return Ok(None) };
                    match self.eval(term, &kt, &receiver, ctx)? {
                        Some(v) => Ok(Some(v)),
                        None => Err(Error::invalid(format!(
                            "Invalid null value for slice selection on {n}"
                        ))),
                    }
                };
                let (lo, hi) = (bound(from)?, bound(to)?);
                let show =
                    |b: &Option<Box<Term>>| b.as_ref().map_or(String::new(), |t| t.to_string());
                let name = format!("{n}[{}..{}]", show(from), show(to));
                let frozen = matches!(ty, CqlType::Frozen(_));
                (name, ty.clone(), Sel::Slice(Box::new(sel), lo, hi, kt, frozen))
            }
            Selector::Function(name, args) => {
                let fname = name.name.0.to_ascii_lowercase();
                let display = function_display(name);
                let column_arg = |args: &[Selector]| -> Result<Column, Error> {
                    match args {
                        [Selector::Column(c)] => Ok(t.existing_column(&c.0)?.clone()),
                        _ => Err(Error::invalid(format!("Invalid arguments for {fname}"))),
                    }
                };
                match fname.as_str() {
                    "writetime" | "maxwritetime" | "ttl" => {
                        if let [arg] = args.as_slice()
                            && let Some((c, first)) = write_meta_base(arg)
                        {
                            return self.compile_element_write_meta(
                                &fname,
                                c,
                                (first, arg),
                                t,
                                ctx,
                            );
                        }
                        let col = column_arg(args)?;
                        if col.kind.is_primary_key() {
                            return Err(Error::invalid(format!(
                                "Cannot use selection function {fname} on PRIMARY KEY part {}",
                                col.name
                            )));
                        }
                        // Cassandra 5.0 gives a non-frozen collection or UDT one
                        // timestamp per element (field), as a list.
                        let multi = crate::schema::is_multi_cell(&col.ty);
                        let int = CqlType::Native(NativeType::Int);
                        let label = format!("{fname}({})", maybe_quote(&col.name));
                        let list = |t: CqlType| {
                            if multi { CqlType::List(Box::new(t)) } else { t }
                        };
                        match fname.as_str() {
                            "writetime" => (label, list(bigint), Sel::Writetime(col)),
                            "maxwritetime" => (label, bigint, Sel::MaxWritetime(col)),
                            _ => (label, list(int), Sel::Ttl(col)),
                        }
                    }
                    "token" => {
                        let names: Vec<String> = args
                            .iter()
                            .map(|a| match a {
                                Selector::Column(c) => c.0.clone(),
                                _ => String::new(),
                            })
                            .collect();
                        if names.len() != t.partition_key.len() {
                            return Err(Error::invalid(format!(
                                "Invalid number of arguments in call to function system.token: {} required but {} provided",
                                t.partition_key.len(),
                                args.len()
                            )));
                        }
                        // Each argument is resolved and typed against its key column.
                        for (i, (name, key)) in names.iter().zip(t.partition_key.iter()).enumerate()
                        {
                            if name.is_empty() || name == key {
                                continue;
                            }
                            let arg = t.existing_column(name)?;
                            let key_ty = t.column(key).map(|c| c.ty.clone());
                            if let Some(key_ty) = key_ty
                                && arg.ty != key_ty
                            {
                                return Err(Error::invalid(format!(
                                    "Type error: {} cannot be passed as argument {i} of function system.token of type {key_ty}",
                                    maybe_quote(name)
                                )));
                            }
                        }
                        if names != *t.partition_key {
                            return Err(Error::invalid(format!(
                                "The token function arguments must be in the partition key order: {}",
                                t.partition_key
                                    .iter()
                                    .map(|n| maybe_quote(n))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )));
                        }
                        let label = format!(
                            "{display}({})",
                            names.iter().map(|n| maybe_quote(n)).collect::<Vec<_>>().join(", ")
                        );
                        (label, bigint, Sel::Token)
                    }
                    "count" | "min" | "max" | "sum" | "avg" => {
                        let [arg] = args.as_slice() else {
                            return Err(Error::invalid(format!(
                                "Invalid number of arguments in call to function {display}: 1 required but {} provided",
                                args.len()
                            )));
                        };
                        let (n, ty, inner) = self.compile_selector(arg, t, ctx)?;
                        if inner.is_aggregate() {
                            return Err(Error::invalid(
                                "aggregate functions cannot be used as arguments of aggregate functions",
                            ));
                        }
                        let agg = match fname.as_str() {
                            "count" => Agg::Count,
                            "min" => Agg::Min,
                            "max" => Agg::Max,
                            "sum" => Agg::Sum,
                            _ => Agg::Avg,
                        };
                        if matches!(agg, Agg::Sum | Agg::Avg) && !crate::types::is_numeric_type(&ty)
                        {
                            return Err(Error::invalid(format!(
                                "Invalid call to function {display}, none of its type signatures match (known type signatures: {display} : (tinyint) -> tinyint, {display} : (smallint) -> smallint, {display} : (int) -> int, {display} : (bigint) -> bigint, {display} : (float) -> float, {display} : (double) -> double, {display} : (decimal) -> decimal, {display} : (varint) -> varint, {display} : (counter) -> counter)"
                            )));
                        }
                        let rty = match agg {
                            Agg::Count => bigint,
                            // Only native types have their own min and max; any other
                            // value is compared and returned as its serialized blob.
                            Agg::Min | Agg::Max if !matches!(ty.unfrozen(), CqlType::Native(_)) => {
                                CqlType::Native(NativeType::Blob)
                            }
                            _ => ty.clone(),
                        };
                        (format!("{display}({n})"), rty, Sel::Agg(agg, Box::new(inner), ty))
                    }
                    "fromjson" | "from_json" => {
                        return Err(Error::invalid(
                            "fromJson() cannot be used in the selection clause of a SELECT statement",
                        ));
                    }
                    "tojson" | "to_json" => {
                        let [arg] = args.as_slice() else {
                            return Err(Error::invalid(format!(
                                "toJson() only accepts one argument (got {})",
                                args.len()
                            )));
                        };
                        let (n, ty, inner) = self.compile_selector(arg, t, ctx)?;
                        (
                            format!("{display}({n})"),
                            CqlType::Native(NativeType::Text),
                            Sel::ToJson(Box::new(inner), ty),
                        )
                    }
                    "totimestamp" | "todate" | "tounixtimestamp" | "dateof" | "unixtimestampof"
                    | "mintimeuuid" | "maxtimeuuid"
                        // A literal has no type of its own: the one signature of
                        // min/maxTimeuuid reads it as a timestamp, as terms do.
                        if !(matches!(fname.as_str(), "mintimeuuid" | "maxtimeuuid")
                            && args.iter().all(|a| matches!(a, Selector::Term(_)))) =>
                    {
                        let [arg] = args.as_slice() else {
                            return Err(Error::invalid(format!(
                                "Invalid number of arguments in call to function {display}: 1 required but {} provided",
                                args.len()
                            )));
                        };
                        let (n, arg_ty, inner) = self.compile_selector(arg, t, ctx)?;
                        if matches!(fname.as_str(), "mintimeuuid" | "maxtimeuuid")
                            && arg_ty.native() != Some(NativeType::Timestamp)
                        {
                            return Err(Error::invalid(format!(
                                "Type error: {n} cannot be passed as argument 0 of function {display} of type timestamp"
                            )));
                        }
                        let rty = match fname.as_str() {
                            "totimestamp" | "dateof" => NativeType::Timestamp,
                            "todate" => NativeType::Date,
                            "tounixtimestamp" | "unixtimestampof" => NativeType::Bigint,
                            _ => NativeType::Timeuuid,
                        };
                        (
                            format!("{display}({n})"),
                            CqlType::Native(rty),
                            Sel::TimeFn(fname.clone(), Box::new(inner)),
                        )
                    }
                    _ => {
                        // Functions of no column argument evaluate once, like terms.
                        let term_args: Option<Vec<Term>> = args
                            .iter()
                            .map(|a| match a {
                                Selector::Term(t) => Some(t.clone()),
                                _ => None,
                            })
                            .collect();
                        let native = name.keyspace.as_ref().is_none_or(|k| k.0 == "system")
                            && crate::types::is_native_scalar(&fname.replace('_', ""));
                        if !native {
                            // The selection clause names the function as written.
                            return Err(Error::invalid(format!("Unknown function '{name}'")));
                        }
                        // The vector functions type their literals from each other.
                        let similarity = fname.replace('_', "").starts_with("similarity");
                        let (Some(term_args), false) = (term_args, similarity) else {
                            return self.compile_scalar(&display, args, t, ctx);
                        };
                        let (v, ty) = self.eval_function(name, &term_args, ctx)?;
                        let label = format!(
                            "{display}({})",
                            term_args.iter().map(term_text).collect::<Vec<_>>().join(", ")
                        );
                        (label, ty, Sel::Const(v))
                    }
                }
            }
        })
    }

    /// `a op b` in a selection, typed as Cassandra's operation functions are: each
    /// operand by its own type (a literal integer as an int, or the smallest of bigint
    /// and varint that holds it; a literal float as a double), the result by the wider.
    fn compile_operation(
        &mut self,
        a: &Selector,
        op: char,
        b: &Selector,
        t: &Table,
        ctx: &Ctx,
    ) -> Result<(String, CqlType, Sel), Error> {
        let arith = ArithOp::from_symbol(op);
        let (an, aty, asel) = self.compile_operand(a, t, ctx)?;
        let (bn, bty, bsel) = self.compile_operand(b, t, ctx)?;
        let name = format!("{an} {op} {bn}");
        let rty = match (aty.native(), bty.native()) {
            (Some(l), Some(r)) => {
                crate::types::arithmetic_result_type(arith, l, r).map(|rt| (l, r, rt))
            }
            _ => None,
        };
        let Some((l, r, rty)) = rty else {
            return Err(Error::invalid(format!(
                "the '{op}' operation is not supported between {an} and {bn}"
            )));
        };
        Ok((name, CqlType::Native(rty), Sel::Arith(arith, Box::new(asel), l, Box::new(bsel), r)))
    }

    /// One side of an operation; literals take the type Cassandra prefers for them.
    fn compile_operand(
        &mut self,
        sel: &Selector,
        t: &Table,
        ctx: &Ctx,
    ) -> Result<(String, CqlType, Sel), Error> {
        use crate::types::Constant;
        let Selector::Term(term) = sel else { return self.compile_selector(sel, t, ctx) };
        let ty = match term {
            Term::Constant(Constant::Integer(digits)) => {
                let n: Option<i128> = digits.parse().ok();
                CqlType::Native(match n {
                    Some(n) if i32::try_from(n).is_ok() => NativeType::Int,
                    Some(n) if i64::try_from(n).is_ok() => NativeType::Bigint,
                    _ => NativeType::Varint,
                })
            }
            Term::TypeHint(hint, _) => self.hint_type(hint, &t.keyspace)?,
            _ => return self.compile_selector(sel, t, ctx),
        };
        let v = self.eval(term, &ty, &term_text(term), ctx)?;
        Ok((term_text(term), ty, Sel::Const(v)))
    }

    /// `WRITETIME(m['k'])`, `TTL(u.f)`, ...: one timestamp (or TTL) of one element of a
    /// map or set, or one field of a UDT, as Cassandra 5.0 selects them.
    fn compile_element_write_meta(
        &mut self,
        fname: &str,
        column: &crate::ast::Ident,
        (first, whole): (&Selector, &Selector),
        t: &Table,
        ctx: &Ctx,
    ) -> Result<(String, CqlType, Sel), Error> {
        let col = t.existing_column(&column.0)?.clone();
        if col.kind.is_primary_key() {
            return Err(Error::invalid(format!(
                "Cannot use selection function {fname} on PRIMARY KEY part {}",
                col.name
            )));
        }
        let (mut n, _, sel) = self.compile_selector(first, t, ctx)?;
        let direct = matches!(
            first,
            Selector::Element(inner, _) | Selector::Field(inner, _) | Selector::Slice(inner, _, _)
                if matches!(inner.as_ref(), Selector::Column(_))
        );
        let deeper = if direct && std::ptr::eq(first, whole) {
            None
        } else {
            let (whole_name, _, whole_sel) = self.compile_selector(whole, t, ctx)?;
            n = whole_name;
            Some(Box::new(whole_sel))
        };
        let part = match sel {
            Sel::Element(_, key, kt) => Part::Key(key, kt),
            Sel::Field(_, f) => Part::Field(f),
            Sel::Slice(_, lo, hi, kt, _) => Part::Range(lo, hi, kt),
            _ => return Err(Error::invalid(format!("Invalid arguments for {fname}"))),
        };
        let mut ty =
            CqlType::Native(if fname == "ttl" { NativeType::Int } else { NativeType::Bigint });
        // A slice of a non-frozen collection has one timestamp (TTL) per element, as the
        // whole collection does; a frozen one is a single cell.
        if matches!(part, Part::Range(..))
            && fname != "maxwritetime"
            && crate::schema::is_multi_cell(&col.ty)
        {
            ty = CqlType::List(Box::new(ty));
        }
        Ok((format!("{fname}({n})"), ty, Sel::WriteMetaOf(fname.to_string(), col, part, deeper)))
    }

    /// A native scalar function applied to selectors that read the row.
    fn compile_scalar(
        &mut self,
        display: &str,
        args: &[Selector],
        t: &Table,
        ctx: &Ctx,
    ) -> Result<(String, CqlType, Sel), Error> {
        let lower = display.rsplit('.').next().unwrap_or(display).replace('_', "");
        let mut names = Vec::new();
        let mut types = Vec::new();
        let mut sels = Vec::new();
        if lower.starts_with("similarity") && args.len() == 2 {
            return self.compile_similarity(display, &lower, args, t, ctx);
        }
        for a in args {
            let (n, ty, sel) = match (a, types.first()) {
                // `mask_replace`'s replacement is read as the masked value's type.
                (Selector::Term(term), Some(first)) if lower == "maskreplace" => {
                    let first: CqlType = Clone::clone(first);
                    let v = self.eval(term, &first, &term_text(term), ctx)?;
                    (term_text(term), first, Sel::Const(v))
                }
                // `floor`'s starting time is read as a timestamp, or a date for a date.
                (Selector::Term(term), Some(first)) if lower == "floor" && names.len() == 2 => {
                    let date = first.native() == Some(NativeType::Date);
                    let ty = CqlType::Native(if date {
                        NativeType::Date
                    } else {
                        NativeType::Timestamp
                    });
                    let v = self.eval(term, &ty, &term_text(term), ctx)?;
                    (term_text(term), ty, Sel::Const(v))
                }
                _ => self.compile_selector(a, t, ctx)?,
            };
            names.push(n);
            types.push(ty);
            sels.push(sel);
        }
        let Some(rty) = crate::types::scalar_result_type(&lower, &types) else {
            let shown: Vec<(String, CqlType)> =
                names.iter().cloned().zip(types.iter().cloned()).collect();
            return Err(crate::types::scalar_call_error(display, &shown));
        };
        Ok((format!("{display}({})", names.join(", ")), rty, Sel::Scalar(lower, sels, types)))
    }

    /// A vector similarity function: a literal argument takes its type from the other
    /// argument (a list literal is a float vector of its own length, a null the other's
    /// type), as Cassandra's vector functions infer them.
    fn compile_similarity(
        &mut self,
        display: &str,
        lower: &str,
        args: &[Selector],
        t: &Table,
        ctx: &Ctx,
    ) -> Result<(String, CqlType, Sel), Error> {
        let mut compiled: Vec<Option<(String, CqlType, Sel)>> = Vec::new();
        for a in args {
            compiled.push(match a {
                Selector::Term(Term::TypeHint(hint, _)) => {
                    let (n, ty, sel) = self.compile_selector(a, t, ctx)?;
                    // A hinted collection literal is a frozen value.
                    let ty = match self.hint_type(hint, &t.keyspace)? {
                        c if c.is_collection() => CqlType::Frozen(Box::new(c)),
                        _ => ty,
                    };
                    Some((n, ty, sel))
                }
                Selector::Term(_) => None,
                _ => Some(self.compile_selector(a, t, ctx)?),
            });
        }
        let known: Option<CqlType> = compiled.iter().flatten().map(|(_, ty, _)| ty.clone()).next();
        let float = Box::new(CqlType::Native(NativeType::Float));
        let mut out = Vec::new();
        for (i, (a, c)) in args.iter().zip(compiled).enumerate() {
            if let Some(c) = c {
                out.push(c);
                continue;
            }
            let Selector::Term(term) = a else { continue };
            let ty = match term {
                Term::Null => match &known {
                    Some(k) => k.clone(),
                    None => {
                        return Err(Error::invalid(format!(
                            "Cannot infer type of argument NULL in call to function {display}"
                        )));
                    }
                },
                Term::List(items) => CqlType::Vector(float.clone(), items.len()),
                _ => match literal_type(term) {
                    Some(ty) => ty,
                    None => known.clone().unwrap_or(CqlType::Vector(float.clone(), 0)),
                },
            };
            let text = term_text(term);
            let v = self.eval(term, &ty, &text, ctx).map_err(|_| {
                Error::invalid(format!(
                    "Type error: {text} cannot be passed as argument {i} of function {display} of type {ty}"
                ))
            })?;
            out.push((text, ty, Sel::Const(v)));
        }
        let names: Vec<String> = out.iter().map(|(n, _, _)| n.clone()).collect();
        let types: Vec<CqlType> = out.iter().map(|(_, ty, _)| ty.clone()).collect();
        let Some(rty) = crate::types::scalar_result_type(lower, &types) else {
            let shown: Vec<(String, CqlType)> = names.iter().cloned().zip(types).collect();
            return Err(crate::types::scalar_call_error(display, &shown));
        };
        let sels = out.into_iter().map(|(_, _, s)| s).collect();
        Ok((
            format!("{display}({})", names.join(", ")),
            rty,
            Sel::Scalar(lower.to_string(), sels, types),
        ))
    }

    fn plan_select(&mut self, s: &Select, t: &Table, ctx: &Ctx) -> Result<Plan, Error> {
        let mut plan = Plan::default();
        let n_pk = t.partition_key.len();
        let n_ck = t.clustering.len();
        let mut pk_eq: Vec<Option<Vec<Value>>> = vec![None; n_pk];
        let mut pk_other = false;
        let mut pk_ops: Vec<Vec<Operator>> = vec![Vec::new(); n_pk];
        let mut ck_single: Vec<Vec<(Operator, Vec<Value>)>> = vec![Vec::new(); n_ck];
        let mut multi: Vec<MultiRelation> = Vec::new();
        let mut regular: Vec<Filter> = Vec::new();
        // Restrictions outside the primary key: (column, served by an index, a CONTAINS,
        // CONTAINS KEY or map entry).
        let mut non_pk: Vec<(String, bool, bool)> = Vec::new();
        // CONTAINS on clustering columns: (column, served by an index).
        let mut ck_contains: Vec<(String, bool)> = Vec::new();
        let mut null_value: Option<String> = None;
        // Clustering restrictions in the order written: (first column, last column, a slice).
        let mut ck_added: Vec<(usize, usize, bool)> = Vec::new();
        let allow = s.allow_filtering;
        let mut token_eq = false;
        for r in &s.relations {
            match r {
                Relation::IsNotNull(c) => {
                    return Err(Error::invalid(format!(
                        "Unsupported restriction: {} IS NOT NULL",
                        maybe_quote(&c.0)
                    )));
                }
                Relation::Compare(RelationLhs::Token(cols), op, term) => {
                    let names: Vec<&String> = cols.iter().map(|c| &c.0).collect();
                    for c in &names {
                        t.existing_column(c)?;
                    }
                    if names.len() != n_pk
                        || names.iter().zip(t.partition_key.iter()).any(|(a, b)| *a != b)
                    {
                        // Checked in Cassandra's order: all components, no duplicates,
                        // nothing else, then the order.
                        if !t.partition_key.iter().all(|k| names.contains(&k)) {
                            return Err(Error::invalid(
                                "The token() function must be applied to all partition key components or none of them",
                            ));
                        }
                        if names
                            .iter()
                            .enumerate()
                            .any(|(i, n)| names.iter().take(i).any(|m| m == n))
                        {
                            return Err(Error::invalid(
                                "The token() function contains duplicate partition key components",
                            ));
                        }
                        if names.iter().any(|n| !t.partition_key.contains(n)) {
                            return Err(Error::invalid(
                                "The token() function must contains only partition key components",
                            ));
                        }
                        return Err(Error::invalid(format!(
                            "The token function arguments must be in the partition key order: {}",
                            t.partition_key
                                .iter()
                                .map(|n| maybe_quote(n))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )));
                    }
                    let tok = self.token_value(term, t, ctx)?;
                    // Merged as Cassandra merges token restrictions: an equality takes
                    // nothing else, and each bound is given once.
                    let pk_names = || t.partition_key.join(", ");
                    if token_eq {
                        return Err(Error::invalid(format!(
                            "{} cannot be restricted by more than one relation if it includes an Equal",
                            pk_names()
                        )));
                    }
                    let bound_taken = |start: bool| {
                        let (taken, name) = if start {
                            (plan.token_start.is_some(), "start")
                        } else {
                            (plan.token_end.is_some(), "end")
                        };
                        if taken {
                            Err(Error::invalid(format!(
                                "More than one restriction was found for the {name} bound on {}",
                                pk_names()
                            )))
                        } else {
                            Ok(())
                        }
                    };
                    match op {
                        Operator::Gt | Operator::Gte => bound_taken(true)?,
                        Operator::Lt | Operator::Lte => bound_taken(false)?,
                        _ => {}
                    }
                    match op {
                        Operator::Gt => plan.token_start = Some((tok, false)),
                        Operator::Gte => plan.token_start = Some((tok, true)),
                        Operator::Lt => plan.token_end = Some((tok, false)),
                        Operator::Lte => plan.token_end = Some((tok, true)),
                        Operator::Eq => {
                            if plan.token_start.is_some() || plan.token_end.is_some() {
                                return Err(Error::invalid(format!(
                                    "Columns \"{}\" cannot be restricted by both an equality and an inequality relation",
                                    pk_names()
                                )));
                            }
                            token_eq = true;
                            plan.token_start = Some((tok, true));
                            plan.token_end = Some((tok, true));
                        }
                        Operator::Neq => {
                            return Err(Error::invalid(format!(
                                "Unsupported \"!=\" relation: {r}"
                            )));
                        }
                        _ => {
                            return Err(Error::invalid(format!(
                                "Unsupported operator {op} on token()"
                            )));
                        }
                    }
                }
                Relation::Compare(RelationLhs::Columns(cols), ..)
                | Relation::In(RelationLhs::Columns(cols), _) => {
                    let (op, terms) = match r {
                        Relation::In(_, ts) => (Operator::In, ts.clone()),
                        _ => (*op_of(r), vec![term_of(r).cloned().unwrap_or(Term::Null)]),
                    };
                    if op == Operator::Neq {
                        return Err(Error::invalid(format!("Unsupported \"!=\" relation: {r}")));
                    }
                    let mut columns = Vec::new();
                    let mut first = 0;
                    for (i, c) in cols.iter().enumerate() {
                        let col = t.existing_column(&c.0)?.clone();
                        let ColumnKind::Clustering(pos) = col.kind else {
                            return Err(Error::invalid(format!(
                                "Multi-column relations can only be applied to clustering columns but was applied to: {}",
                                col.name
                            )));
                        };
                        if i == 0 {
                            first = pos;
                        }
                        // The columns follow each other in the primary key, from any one.
                        if pos != first + i {
                            return Err(Error::invalid(format!(
                                "Clustering columns must appear in the PRIMARY KEY order in multi-column relations: {r}"
                            )));
                        }
                        columns.push(col);
                    }
                    let mut tuples = Vec::new();
                    for term in &terms {
                        let Term::Tuple(items) = term else {
                            return Err(Error::invalid(format!(
                                "Expected a tuple of values for multi-column relation, got {term}"
                            )));
                        };
                        if items.len() != columns.len() {
                            return Err(Error::invalid(format!(
                                "Expected {} elements in value tuple, but got {}: {}",
                                columns.len(),
                                items.len(),
                                term
                            )));
                        }
                        let mut vals = Vec::new();
                        for (c, item) in columns.iter().zip(items) {
                            match self.eval(item, &c.ty, &c.name, ctx)? {
                                Some(v) => vals.push(v),
                                None => {
                                    return Err(Error::invalid(format!(
                                        "Invalid null value in condition for column {}",
                                        c.name
                                    )));
                                }
                            }
                        }
                        tuples.push(vals);
                    }
                    if !matches!(
                        op,
                        Operator::Eq
                            | Operator::In
                            | Operator::Gt
                            | Operator::Gte
                            | Operator::Lt
                            | Operator::Lte
                    ) {
                        return Err(Error::invalid(format!(
                            "Unsupported operator {op} in multi-column relation"
                        )));
                    }
                    let width = columns.len();
                    let slice = !matches!(op, Operator::Eq | Operator::In);
                    if width == 1 {
                        // `(c) = (v)` is `c = v`.
                        let name = columns.first().map(|c| c.name.clone()).unwrap_or_default();
                        check_multi_overlap(&multi, &ck_single, first, 1, op, t)?;
                        if let Some(slot) = ck_single.get_mut(first) {
                            let prev: Vec<Operator> = slot.iter().map(|(o, _)| *o).collect();
                            check_merge(&prev, op, &name)?;
                            let vals = tuples.iter().filter_map(|v| v.first().cloned()).collect();
                            slot.push((op, vals));
                        }
                    } else {
                        check_multi_overlap(&multi, &ck_single, first, width, op, t)?;
                        multi.push((first, width, op, tuples));
                    }
                    if !allow {
                        check_clustering_order(&ck_added, first, slice, t)?;
                    }
                    ck_added.push((first, (first + width).saturating_sub(1), slice));
                }
                Relation::Compare(lhs, ..) | Relation::In(lhs, _) => {
                    let op = *op_of(r);
                    let terms: Vec<Term> = match r {
                        Relation::In(_, ts) => ts.clone(),
                        Relation::Compare(_, _, t) => vec![t.clone()],
                        Relation::IsNotNull(_) => Vec::new(),
                    };
                    let (name, key_term) = match lhs {
                        RelationLhs::Column(c) => (c.0.clone(), None),
                        RelationLhs::Element(c, k) => (c.0.clone(), Some(k.clone())),
                        _ => continue,
                    };
                    let col = t.existing_column(&name)?.clone();
                    if op == Operator::Neq {
                        return Err(Error::invalid(format!("Unsupported \"!=\" relation: {r}")));
                    }
                    // Durations have no order, so no slice may compare one, however nested.
                    if matches!(op, Operator::Gt | Operator::Gte | Operator::Lt | Operator::Lte)
                        && references_duration(&col.ty)
                    {
                        let what = duration_holder(&col.ty);
                        return Err(Error::invalid(format!(
                            "Slice restrictions are not supported on {what}"
                        )));
                    }
                    // A non-frozen UDT is stored field by field and cannot be compared.
                    if let CqlType::Udt(u) = &col.ty
                        && !matches!(op, Operator::Contains | Operator::ContainsKey)
                    {
                        return Err(Error::invalid(format!(
                            "Non-frozen UDT column '{}' ({}.{}) cannot be restricted by any relation",
                            col.name,
                            maybe_quote(&u.keyspace),
                            maybe_quote(&u.name)
                        )));
                    }
                    if op == Operator::Like {
                        return Err(Error::invalid(format!(
                            "LIKE restriction is only supported on properly indexed columns. {r} is not valid."
                        )));
                    }
                    // A non-frozen collection is compared element by element, never whole.
                    if key_term.is_none()
                        && matches!(col.ty, CqlType::List(_) | CqlType::Set(_) | CqlType::Map(..))
                        && !matches!(op, Operator::Contains | Operator::ContainsKey)
                    {
                        return Err(Error::invalid(format!(
                            "Collection column '{}' ({}) cannot be restricted by a '{}' relation",
                            col.name, col.ty, op
                        )));
                    }
                    // The type values are read as.
                    let vty = match (op, col.ty.unfrozen(), &key_term) {
                        (_, CqlType::Map(kt, vt), Some(k)) => {
                            if matches!(col.ty, CqlType::Frozen(_)) {
                                return Err(Error::invalid(format!(
                                    "Map-entry equality predicates on frozen map column {} are not supported",
                                    col.name
                                )));
                            }
                            let key = self.eval(k, kt, &format!("key({})", col.name), ctx)?;
                            let Some(key) = key else {
                                return Err(Error::invalid(format!(
                                    "Unsupported null map key for column {}",
                                    col.name
                                )));
                            };
                            let v = self.eval(
                                terms.first().unwrap_or(&Term::Null),
                                vt,
                                &format!("value({})", col.name),
                                ctx,
                            )?;
                            let Some(v) = v else {
                                return Err(Error::invalid(format!(
                                    "Unsupported null map value for column {}",
                                    col.name
                                )));
                            };
                            if op != Operator::Eq {
                                return Err(Error::invalid(format!(
                                    "Unsupported operator {op} on map element"
                                )));
                            }
                            let indexed =
                                self.has_index(t, &col.name, crate::ast::IndexKind::Entries);
                            non_pk.push((col.name.clone(), indexed, true));
                            regular.push(Filter::Entry(col.clone(), key, v));
                            continue;
                        }
                        (_, _, Some(_)) => {
                            return Err(Error::invalid(format!(
                                "Element access on non-map column {} is not supported in WHERE",
                                col.name
                            )));
                        }
                        (Operator::Contains, ty, _) => match ty {
                            CqlType::List(e) | CqlType::Set(e) => (**e).clone(),
                            CqlType::Map(_, v) => (**v).clone(),
                            _ => {
                                return Err(Error::invalid(format!(
                                    "Cannot use CONTAINS on non-collection column {}",
                                    maybe_quote(&col.name)
                                )));
                            }
                        },
                        (Operator::ContainsKey, ty, _) => match ty {
                            CqlType::Map(k, _) => (**k).clone(),
                            _ => {
                                return Err(Error::invalid(format!(
                                    "Cannot use CONTAINS KEY on non-map column {}",
                                    maybe_quote(&col.name)
                                )));
                            }
                        },
                        _ => col.ty.clone(),
                    };
                    let mut vals = Vec::new();
                    for term in &terms {
                        vals.push(self.eval(term, &vty, &col.name, ctx)?);
                    }
                    // Cassandra's row filter refuses a null value of a CONTAINS or of a
                    // relation on a non-key column rather than matching nothing, once the
                    // query is otherwise valid.
                    let filters_by_value = matches!(op, Operator::Contains | Operator::ContainsKey)
                        || matches!(col.kind, ColumnKind::Static | ColumnKind::Regular);
                    if filters_by_value
                        && op != Operator::In
                        && vals.iter().any(Option::is_none)
                        && null_value.is_none()
                    {
                        null_value = Some(col.name.clone());
                    }
                    let non_null = || -> Result<Vec<Value>, Error> {
                        vals.iter()
                            .map(|v| {
                                v.clone().ok_or_else(|| {
                                    Error::invalid(format!(
                                        "Invalid null value in condition for column {}",
                                        maybe_quote(&col.name)
                                    ))
                                })
                            })
                            .collect()
                    };
                    match col.kind {
                        ColumnKind::PartitionKey(i) => match op {
                            Operator::Eq | Operator::In => {
                                if let Some(prev) = pk_ops.get_mut(i) {
                                    check_merge(prev, op, &col.name)?;
                                    prev.push(op);
                                }
                                let v = non_null()?;
                                if let Some(slot) = pk_eq.get_mut(i) {
                                    *slot = Some(v);
                                }
                            }
                            _ => {
                                // A slice on a key column filters partitions: allowed
                                // only with ALLOW FILTERING (checked below).
                                if let Some(prev) = pk_ops.get_mut(i) {
                                    check_merge(prev, op, &col.name)?;
                                    prev.push(op);
                                }
                                pk_other = true;
                                regular.push(filter_for(&col, op, vals.clone()));
                            }
                        },
                        ColumnKind::Clustering(i) => {
                            if matches!(op, Operator::Contains | Operator::ContainsKey) {
                                let kind = if op == Operator::Contains {
                                    crate::ast::IndexKind::Values
                                } else {
                                    crate::ast::IndexKind::Keys
                                };
                                let indexed = self.has_index(t, &col.name, kind);
                                if !allow && !indexed {
                                    check_clustering_order(&ck_added, i, false, t)?;
                                }
                                ck_added.push((i, i, false));
                                // A slice on an earlier clustering column is reported first.
                                let after_slice = ck_single
                                    .iter()
                                    .take(i)
                                    .zip(t.clustering.iter())
                                    .find(|(rs, _)| {
                                        rs.iter()
                                            .any(|(o, _)| !matches!(o, Operator::Eq | Operator::In))
                                    });
                                if let (false, Some((_, (prev, _)))) = (allow, after_slice) {
                                    return Err(Error::invalid(format!(
                                        "Clustering column \"{}\" cannot be restricted (preceding column \"{prev}\" is restricted by a non-EQ relation)",
                                        col.name
                                    )));
                                }
                                if !allow && !indexed {
                                    return Err(Error::invalid(
                                        "Clustering columns can only be restricted with CONTAINS with a secondary index or filtering",
                                    ));
                                }
                                ck_contains.push((col.name.clone(), indexed));
                                regular.push(filter_for(&col, op, vals.clone()));
                                continue;
                            }
                            check_multi_overlap(&multi, &ck_single, i, 1, op, t)?;
                            if let Some(slot) = ck_single.get_mut(i) {
                                let prev: Vec<Operator> = slot.iter().map(|(o, _)| *o).collect();
                                check_merge(&prev, op, &col.name)?;
                            }
                            let slice = !matches!(op, Operator::Eq | Operator::In);
                            let indexed = op == Operator::Eq && self.serves_eq(t, &col.name);
                            if !allow && !indexed {
                                check_clustering_order(&ck_added, i, slice, t)?;
                            }
                            ck_added.push((i, i, slice));
                            let v = non_null()?;
                            if let Some(slot) = ck_single.get_mut(i) {
                                slot.push((op, v));
                            }
                        }
                        ColumnKind::Static | ColumnKind::Regular => {
                            if op == Operator::In {
                                // No index serves IN: it is only ever filtered.
                                non_null()?;
                            }
                            let indexed = match op {
                                Operator::Contains => {
                                    self.has_index(t, &col.name, crate::ast::IndexKind::Values)
                                }
                                Operator::ContainsKey => {
                                    self.has_index(t, &col.name, crate::ast::IndexKind::Keys)
                                }
                                Operator::Eq => self.serves_eq(t, &col.name),
                                _ => false,
                            };
                            let contains = matches!(op, Operator::Contains | Operator::ContainsKey);
                            non_pk.push((col.name.clone(), indexed, contains));
                            regular.push(filter_for(&col, op, vals.clone()));
                        }
                    }
                }
            }
        }
        // A multi-column relation covers the first clustering columns; single-column
        // relations may only follow it.
        // Whether the query needs filtering follows Cassandra's StatementRestrictions:
        // an index serves a query if it serves any one of its restrictions (an EQ, or
        // CONTAINS / CONTAINS KEY / map entry on a matching collection index); partition
        // key, clustering and other restrictions are then weighed in that order, and more
        // than one restriction left to the index and the row filter needs ALLOW FILTERING.
        let pk_served = pk_ops
            .iter()
            .zip(t.partition_key.iter())
            .any(|(ops, n)| ops.as_slice() == [Operator::Eq] && self.serves_eq(t, n));
        let ck_served = ck_single.iter().zip(t.clustering.iter()).any(|(rs, (n, _))| {
            rs.iter().any(|(op, _)| *op == Operator::Eq) && self.serves_eq(t, n)
        }) || ck_contains.iter().any(|(_, indexed)| *indexed);
        let served = pk_served || ck_served || non_pk.iter().any(|(_, indexed, _)| *indexed);
        let mut uses_index = false;
        let mut pk_unserved = false;
        let mut filtered = 0usize;
        // Partition key.
        let pk_all = pk_eq.iter().all(Option::is_some);
        let pk_any = pk_eq.iter().any(Option::is_some);
        let token = plan.token_start.is_some() || plan.token_end.is_some();
        if !pk_any && !pk_other && !token {
            uses_index = served;
        }
        if pk_all && !pk_other {
            let keys = super::dml::cartesian(&pk_eq)?;
            for k in &keys {
                super::dml::check_key(k)?;
            }
            plan.keys = Some(keys);
        } else if pk_any || pk_other {
            // A partly restricted key is filtered, or served by an index; Cassandra
            // reports misplaced clustering restrictions before this.
            pk_unserved = !allow && !served;
            uses_index = served;
            filtered += pk_ops.iter().filter(|ops| !ops.is_empty()).count();
            for (i, vals) in pk_eq.iter().enumerate() {
                if let (Some(vals), Some(col)) =
                    (vals, t.partition_key.get(i).and_then(|n| t.column(n)))
                {
                    regular.push(Filter::In(col.clone(), vals.clone()));
                }
            }
        }
        // Clustering columns.
        let types = t.clustering_types();
        let mut prefixes: Vec<Vec<Value>> = vec![Vec::new()];
        let mut bounds: (Option<Bound>, Option<Bound>) = (None, None);
        let mut stopped: Option<(usize, bool)> = None; // (column, after a slice)
        let mut ck_gap = !ck_contains.is_empty();
        let mut i = 0;
        while i < n_ck {
            let rs = ck_single.get(i).map(Vec::as_slice).unwrap_or(&[]);
            let starting: Vec<&(usize, usize, Operator, Vec<Vec<Value>>)> =
                multi.iter().filter(|m| m.0 == i).collect();
            let width = starting.iter().map(|m| m.1).max().unwrap_or(1);
            if starting.is_empty() && rs.is_empty() {
                if stopped.is_none() {
                    stopped = Some((i, false));
                }
                i += 1;
                continue;
            }
            plan.clustering_restricted = true;
            if let Some((at, after_slice)) = stopped {
                let name = t.clustering.get(i).map(|(n, _)| n.clone()).unwrap_or_default();
                let prev = t.clustering.get(at).map(|(n, _)| n.clone()).unwrap_or_default();
                ck_gap = true;
                if !allow && !served {
                    if after_slice {
                        return Err(Error::invalid(format!(
                            "Clustering column \"{name}\" cannot be restricted (preceding column \"{prev}\" is restricted by a non-EQ relation)"
                        )));
                    }
                    return Err(Error::invalid(format!(
                        "PRIMARY KEY column \"{name}\" cannot be restricted as preceding column \"{prev}\" is not restricted"
                    )));
                }
                let cols: Vec<Column> = t
                    .clustering
                    .iter()
                    .skip(i)
                    .take(width)
                    .filter_map(|(n, _)| t.column(n).cloned())
                    .collect();
                // Cassandra's row filter takes a multi-column equality column by column
                // but neither a multi-column slice nor IN.
                for (_, n, op, tuples) in &starting {
                    match op {
                        Operator::Eq => {}
                        Operator::In => {
                            return Err(Error::invalid(
                                "IN restrictions are not supported on indexed columns",
                            ));
                        }
                        _ => {
                            return Err(Error::invalid(
                                "Multi-column slice restrictions cannot be used for filtering.",
                            ));
                        }
                    }
                    let cols = cols.iter().take(*n).cloned().collect();
                    regular.push(Filter::Tuple(cols, *op, tuples.clone()));
                }
                if let Some(col) = cols.first() {
                    for (op, v) in rs {
                        regular.push(filter_for(col, *op, v.iter().cloned().map(Some).collect()));
                    }
                }
                i += width;
                continue;
            }
            // The values an equality or IN fixes at this column: one tuple per value.
            let fixed: Option<Vec<Vec<Value>>> = starting
                .iter()
                .find(|m| matches!(m.2, Operator::Eq | Operator::In))
                .map(|m| m.3.clone())
                .or_else(|| {
                    rs.iter()
                        .find(|(op, _)| matches!(op, Operator::Eq | Operator::In))
                        .map(|(_, vals)| vals.iter().map(|v| vec![v.clone()]).collect())
                });
            if let Some(tuples) = fixed {
                if prefixes.len().saturating_mul(tuples.len()) > super::dml::MAX_IN_KEYS {
                    return Err(Error::LimitExceeded(format!(
                        "The IN restrictions of this statement select more than {} keys; narrow them down",
                        super::dml::MAX_IN_KEYS
                    )));
                }
                let mut next = Vec::new();
                for p in &prefixes {
                    for tuple in &tuples {
                        let mut q = p.clone();
                        q.extend(tuple.iter().cloned());
                        next.push(q);
                    }
                }
                prefixes = next;
                i += if starting.is_empty() { 1 } else { width };
                continue;
            }
            let slices = starting
                .iter()
                .filter_map(|(_, _, op, tuples)| Some((*op, tuples.first()?.clone())))
                .chain(rs.iter().filter_map(|(op, v)| Some((*op, vec![v.first()?.clone()]))));
            for (op, values) in slices {
                let b = Bound { values, inclusive: matches!(op, Operator::Gte | Operator::Lte) };
                if matches!(op, Operator::Gt | Operator::Gte) {
                    bounds.0 = Some(b);
                } else {
                    bounds.1 = Some(b);
                }
            }
            stopped = Some((i, true));
            i += width;
        }
        if pk_unserved {
            return Err(Error::invalid(REQUIRES_ALLOW_FILTERING));
        }
        if plan.clustering_restricted {
            plan.slices = prefixes
                .into_iter()
                .map(|prefix| Slice { prefix, start: bounds.0.clone(), end: bounds.1.clone() })
                .collect();
        }
        let _ = &types;
        let key_range = plan.keys.is_none();
        let mut ck_columns: Vec<&str> = ck_single
            .iter()
            .zip(t.clustering.iter())
            .filter(|(rs, _)| !rs.is_empty())
            .map(|(_, (n, _))| n.as_str())
            .chain(ck_contains.iter().map(|(n, _)| n.as_str()))
            .collect();
        ck_columns.sort_unstable();
        ck_columns.dedup();
        let ck_restricted = ck_columns.len() + multi.iter().map(|(_, n, ..)| *n).sum::<usize>();
        if (key_range && ck_served) || (ck_gap && served) {
            uses_index = true;
        }
        if uses_index || ck_gap {
            filtered += ck_restricted;
        }
        if !non_pk.is_empty() {
            if !served && !allow {
                return Err(Error::invalid(REQUIRES_ALLOW_FILTERING));
            }
            uses_index |= served;
            let mut columns: Vec<&str> = non_pk.iter().map(|(n, ..)| n.as_str()).collect();
            columns.sort_unstable();
            columns.dedup();
            filtered += columns.len();
        }
        let contains = non_pk.iter().filter(|(_, _, c)| *c).count();
        if !allow
            && (key_range || uses_index)
            && (filtered > 1 || (filtered == 0 && ck_restricted > 0) || contains > 1)
        {
            return Err(Error::invalid(REQUIRES_ALLOW_FILTERING));
        }
        if let Some(name) = null_value {
            return Err(Error::invalid(format!("Unsupported null value for column {name}")));
        }
        plan.filters = regular;
        Ok(plan)
    }

    fn has_index(&self, t: &Table, col: &str, kind: crate::ast::IndexKind) -> bool {
        t.indexes.iter().any(|i| i.column == col && i.kind == kind)
    }

    /// Whether an index serves `col = value`: a plain index, or a full one on a frozen
    /// collection.
    fn serves_eq(&self, t: &Table, col: &str) -> bool {
        self.has_index(t, col, crate::ast::IndexKind::Simple)
            || self.has_index(t, col, crate::ast::IndexKind::Full)
    }

    fn token_value(&mut self, term: &Term, t: &Table, ctx: &Ctx) -> Result<i64, Error> {
        if let Term::Function(name, args) = term
            && name.name.0.eq_ignore_ascii_case("token")
        {
            if args.len() != t.partition_key.len() {
                return Err(Error::invalid(format!(
                    "Invalid number of arguments in call to function system.token: {} required but {} provided",
                    t.partition_key.len(),
                    args.len()
                )));
            }
            let mut vals = Vec::new();
            for (arg, ty) in args.iter().zip(t.partition_key_types()) {
                match self.eval(arg, &ty, "partition key", ctx)? {
                    Some(v) => vals.push(v),
                    None => {
                        return Err(Error::invalid("Invalid null value for partition key part"));
                    }
                }
            }
            let refs: Vec<&Value> = vals.iter().collect();
            return Ok(token(&partition_key_bytes(&refs)));
        }
        match self.eval(term, &CqlType::Native(NativeType::Bigint), "partition key token", ctx)? {
            Some(Value::Bigint(n)) => Ok(n),
            _ => Err(Error::invalid("Invalid null token value")),
        }
    }
}

/// Cassandra merges the relations on one key column in the order they are written, and
/// the first decides what may follow it: nothing after `=` or `IN`, and after a slice
/// only the slice's other bound.
fn check_merge(prev: &[Operator], op: Operator, name: &str) -> Result<(), Error> {
    let is_start = |o: &Operator| matches!(o, Operator::Gt | Operator::Gte);
    let is_slice =
        |o: &Operator| matches!(o, Operator::Gt | Operator::Gte | Operator::Lt | Operator::Lte);
    // CONTAINS and CONTAINS KEY (on a frozen collection in the key) merge with each other.
    let is_contains = |o: &Operator| matches!(o, Operator::Contains | Operator::ContainsKey);
    if is_contains(&op) {
        return Ok(());
    }
    let prev: Vec<Operator> = prev.iter().copied().filter(|o| !is_contains(o)).collect();
    match prev.first() {
        None => Ok(()),
        Some(Operator::Eq) => Err(Error::invalid(format!(
            "{} cannot be restricted by more than one relation if it includes an Equal",
            maybe_quote(name)
        ))),
        Some(Operator::In) => Err(Error::invalid(format!(
            "{} cannot be restricted by more than one relation if it includes a IN",
            maybe_quote(name)
        ))),
        Some(_) if !is_slice(&op) => Err(Error::invalid(format!(
            "Column \"{name}\" cannot be restricted by both an equality and an inequality relation"
        ))),
        Some(_) if prev.iter().any(|p| is_start(p) == is_start(&op)) => {
            let side = if is_start(&op) { "start" } else { "end" };
            Err(Error::invalid(format!(
                "More than one restriction was found for the {side} bound on {name}"
            )))
        }
        Some(_) => Ok(()),
    }
}

/// A multi-column relation on clustering columns: its first column, its width, its
/// operator and its tuples.
type MultiRelation = (usize, usize, Operator, Vec<Vec<Value>>);

/// Cassandra merges a relation with those on the clustering columns it shares with it:
/// two slices must start on the same column and bound different ends, and a
/// multi-column equality shares its columns with nothing.
fn check_multi_overlap(
    multi: &[MultiRelation],
    single: &[Vec<(Operator, Vec<Value>)>],
    first: usize,
    width: usize,
    op: Operator,
    t: &Table,
) -> Result<(), Error> {
    let is_slice =
        |o: Operator| matches!(o, Operator::Gt | Operator::Gte | Operator::Lt | Operator::Lte);
    let is_start = |o: Operator| matches!(o, Operator::Gt | Operator::Gte);
    let name = |i: usize| t.clustering.get(i).map(|(n, _)| n.clone()).unwrap_or_default();
    let mut others: Vec<(usize, Operator)> = multi
        .iter()
        .filter(|(f, w, ..)| first < f + w && *f < first + width)
        .map(|(f, _, o, _)| (*f, *o))
        .collect();
    if width > 1 {
        for (k, rs) in single.iter().enumerate().skip(first).take(width) {
            others.extend(rs.iter().map(|(o, _)| (k, *o)));
        }
    }
    for (other_first, other_op) in others {
        if !(is_slice(op) && is_slice(other_op)) {
            return Err(Error::invalid(
                "Mixing single column relations and multi column relations on clustering columns is not allowed",
            ));
        }
        if other_first != first {
            return Err(Error::invalid(format!(
                "Column \"{}\" cannot be restricted by two inequalities not starting with the same column",
                name(first.max(other_first))
            )));
        }
        if is_start(op) == is_start(other_op) {
            let side = if is_start(op) { "start" } else { "end" };
            return Err(Error::invalid(format!(
                "More than one restriction was found for the {side} bound on {}",
                name(first)
            )));
        }
    }
    Ok(())
}

/// Cassandra checks each clustering restriction against the one written before it on the
/// highest column: nothing may follow a slice, and a slice may not come before it.
fn check_clustering_order(
    added: &[(usize, usize, bool)],
    first: usize,
    slice: bool,
    t: &Table,
) -> Result<(), Error> {
    let name = |i: usize| t.clustering.get(i).map(|(n, _)| n.clone()).unwrap_or_default();
    let Some(&(last_first, _, last_slice)) = added.iter().max_by_key(|(_, last, _)| *last) else {
        return Ok(());
    };
    if last_slice && first > last_first {
        return Err(Error::invalid(format!(
            "Clustering column \"{}\" cannot be restricted (preceding column \"{}\" is restricted by a non-EQ relation)",
            name(first),
            name(last_first)
        )));
    }
    if slice && first < last_first {
        return Err(Error::invalid(format!(
            "PRIMARY KEY column \"{}\" cannot be restricted (preceding column \"{}\" is restricted by a non-EQ relation)",
            name(first + 1),
            name(first)
        )));
    }
    Ok(())
}

fn op_of(r: &Relation) -> &Operator {
    match r {
        Relation::Compare(_, op, _) => op,
        _ => &Operator::In,
    }
}

fn term_of(r: &Relation) -> Option<&Term> {
    match r {
        Relation::Compare(_, _, t) => Some(t),
        _ => None,
    }
}

fn filter_for(col: &Column, op: Operator, vals: Vec<Option<Value>>) -> Filter {
    let first = vals.first().cloned().flatten();
    match op {
        Operator::In => Filter::In(col.clone(), vals.into_iter().flatten().collect()),
        Operator::Contains => Filter::Contains(col.clone(), first.unwrap_or(Value::Boolean(false))),
        Operator::ContainsKey => {
            Filter::ContainsKey(col.clone(), first.unwrap_or(Value::Boolean(false)))
        }
        op => Filter::Cmp(col.clone(), op, first),
    }
}

/// The type a literal selector has on its own.
pub(crate) fn literal_type(t: &Term) -> Option<CqlType> {
    use crate::types::Constant;
    Some(CqlType::Native(match t {
        Term::Constant(Constant::String(_)) => NativeType::Text,
        Term::Constant(Constant::Integer(_)) => NativeType::Int,
        Term::Constant(
            Constant::Float(_) | Constant::NaN | Constant::Infinity | Constant::NegInfinity,
        ) => NativeType::Double,
        Term::Constant(Constant::Boolean(_)) => NativeType::Boolean,
        Term::Constant(Constant::Uuid(_)) => NativeType::Uuid,
        Term::Constant(Constant::Hex(_)) => NativeType::Blob,
        Term::Constant(Constant::Duration(_)) => NativeType::Duration,
        _ => return None,
    }))
}

/// The column under an element, field or slice selection (`m[1]`, `v[1][2]`, `t.a.b`)
/// and the selection made on it at its own level, whose timestamp `WRITETIME` and `TTL`
/// read. A slice keeps the collection's level, so an element or slice taken from a
/// slice of the column (`v[0..2][1]`) is still of the column's elements.
fn write_meta_base(s: &Selector) -> Option<(&crate::ast::Ident, &Selector)> {
    match s {
        Selector::Element(inner, _) | Selector::Field(inner, _) | Selector::Slice(inner, _, _) => {
            match inner.as_ref() {
                Selector::Column(c) => Some((c, s)),
                Selector::Slice(base, _, _) if !matches!(s, Selector::Field(..)) => {
                    match base.as_ref() {
                        Selector::Column(c) => Some((c, s)),
                        _ => write_meta_base(inner),
                    }
                }
                deeper => write_meta_base(deeper),
            }
        }
        _ => None,
    }
}

/// Whether the selection reads static columns and nothing but them and the partition key
/// (Cassandra's `containsOnlyStaticColumns`).
fn selects_only_statics(cols: &[OutCol]) -> bool {
    fn columns<'a>(sel: &'a Sel, out: &mut Vec<&'a Column>) {
        match sel {
            Sel::Column(c)
            | Sel::Writetime(c)
            | Sel::MaxWritetime(c)
            | Sel::Ttl(c)
            | Sel::WriteMetaOf(_, c, _, _) => out.push(c),
            Sel::Agg(_, s, _)
            | Sel::Element(s, ..)
            | Sel::Slice(s, ..)
            | Sel::Cast(s, ..)
            | Sel::TimeFn(_, s)
            | Sel::ToJson(s, _)
            | Sel::Field(s, _) => columns(s, out),
            Sel::Scalar(_, args, _) => args.iter().for_each(|s| columns(s, out)),
            Sel::Arith(_, a, _, b, _) => {
                columns(a, out);
                columns(b, out);
            }
            Sel::Negate(s) => columns(s, out),
            Sel::CountStar | Sel::Token | Sel::Const(_) => {}
        }
    }
    let mut used = Vec::new();
    for c in cols {
        columns(&c.sel, &mut used);
    }
    used.iter().any(|c| c.kind == ColumnKind::Static)
        && used.iter().all(|c| matches!(c.kind, ColumnKind::Static | ColumnKind::PartitionKey(_)))
}

/// The restrictions SELECT DISTINCT accepts, and the partition key it must select when
/// it reads a range of partitions.
fn check_distinct(s: &Select, t: &Table, cols: &[OutCol], plan: &Plan) -> Result<(), Error> {
    let restricts = |r: &Relation| -> Vec<String> {
        match r {
            Relation::Compare(RelationLhs::Column(c) | RelationLhs::Element(c, _), ..)
            | Relation::In(RelationLhs::Column(c) | RelationLhs::Element(c, _), _)
            | Relation::IsNotNull(c) => vec![c.0.clone()],
            Relation::Compare(RelationLhs::Columns(cs), ..)
            | Relation::In(RelationLhs::Columns(cs), _) => cs.iter().map(|c| c.0.clone()).collect(),
            _ => Vec::new(),
        }
    };
    for r in &s.relations {
        for name in restricts(r) {
            if t.column(&name)
                .is_some_and(|c| matches!(c.kind, ColumnKind::Clustering(_) | ColumnKind::Regular))
            {
                return Err(Error::invalid(
                    "SELECT DISTINCT with WHERE clause only supports restriction by partition key and/or static columns.",
                ));
            }
        }
    }
    if plan.keys.is_some() {
        return Ok(());
    }
    for pk in t.partition_key.iter() {
        if !cols.iter().any(|c| matches!(&c.sel, Sel::Column(col) if &col.name == pk)) {
            return Err(Error::invalid(format!(
                "SELECT DISTINCT queries must request all the partition key columns (missing {})",
                pk
            )));
        }
    }
    Ok(())
}

/// Whether rows are read in reverse clustering order, after checking ORDER BY. A
/// clustering column may be left out of ORDER BY when `=` pins it.
fn order_by(s: &Select, t: &Table, plan: &Plan) -> Result<bool, Error> {
    if s.order_by.is_empty() {
        return Ok(false);
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut ordering: Vec<(&Column, Order)> = Vec::new();
    for (c, o) in &s.order_by {
        let col = t.existing_column(&c.0)?;
        // A column ordered twice is one ordering, as Cassandra keys them by column.
        if !seen.contains(&col.name.as_str()) {
            seen.push(&col.name);
            ordering.push((col, *o));
        }
    }
    if plan.keys.is_none() {
        return Err(Error::invalid(
            "ORDER BY is only supported when the partition key is restricted by an EQ or an IN.",
        ));
    }
    let pinned = |name: &str| pinned_by_eq(s, name);
    let mut expected = 0usize;
    let mut reversed = None;
    for (col, o) in ordering {
        let ColumnKind::Clustering(pos) = col.kind else {
            return Err(Error::invalid(format!(
                "Order by is currently only supported on the clustered columns of the PRIMARY KEY, got {}",
                col.name
            )));
        };
        while expected != pos {
            let name = t.clustering.get(expected).map_or("", |(n, _)| n.as_str());
            if expected > pos || !pinned(name) {
                return Err(Error::invalid(
                    "Order by currently only supports the ordering of columns following their declared order in the PRIMARY KEY",
                ));
            }
            expected += 1;
        }
        expected += 1;
        let declared = t.clustering.get(pos).map_or(Order::Asc, |(_, o)| *o);
        let rev = o != declared;
        match reversed {
            None => reversed = Some(rev),
            Some(r) if r != rev => return Err(Error::invalid("Unsupported order by relation")),
            _ => {}
        }
    }
    Ok(reversed.unwrap_or(false))
}

/// Whether `=` pins the column to one value.
fn pinned_by_eq(s: &Select, name: &str) -> bool {
    s.relations.iter().any(|r| match r {
        Relation::Compare(RelationLhs::Column(c), Operator::Eq, _) => c.0 == name,
        Relation::Compare(RelationLhs::Columns(cs), Operator::Eq, _) => {
            cs.iter().any(|c| c.0 == name)
        }
        _ => false,
    })
}

/// How many primary-key columns GROUP BY groups on, after checking it as Cassandra does:
/// key columns in declared order, where columns pinned by `=` may be skipped.
fn group_by(s: &Select, t: &Table) -> Result<usize, Error> {
    if s.group_by.is_empty() {
        return Ok(0);
    }
    let key: Vec<&String> =
        t.partition_key.iter().chain(t.clustering.iter().map(|(n, _)| n)).collect();
    let out_of_order = || {
        Error::invalid(
            "Group by currently only support groups of columns following their declared order in the PRIMARY KEY",
        )
    };
    let mut next = 0usize;
    for c in &s.group_by {
        let col = t.existing_column(&c.0)?;
        if !col.kind.is_primary_key() {
            return Err(Error::invalid(format!(
                "Group by is currently only supported on the columns of the PRIMARY KEY, got {}",
                col.name
            )));
        }
        loop {
            let Some(k) = key.get(next) else { return Err(out_of_order()) };
            next += 1;
            if **k == col.name {
                break;
            }
            if !pinned_by_eq(s, k) {
                return Err(out_of_order());
            }
        }
    }
    if next < t.partition_key.len() {
        return Err(Error::invalid(
            "Group by is not supported on only a part of the partition key",
        ));
    }
    Ok(next)
}

fn passes(filters: &[Filter], v: &View<'_>) -> bool {
    filters.iter().all(|f| match f {
        Filter::Cmp(col, op, want) => {
            let (Some(have), Some(want)) = (v.value(col), want) else { return false };
            let o = compare(&col.ty, &have, want);
            match op {
                Operator::Eq => o == Ordering::Equal,
                Operator::Lt => o == Ordering::Less,
                Operator::Lte => o != Ordering::Greater,
                Operator::Gt => o == Ordering::Greater,
                Operator::Gte => o != Ordering::Less,
                _ => false,
            }
        }
        Filter::In(col, vals) => v
            .value(col)
            .is_some_and(|have| vals.iter().any(|w| compare(&col.ty, &have, w) == Ordering::Equal)),
        Filter::Contains(col, want) => match (v.value(col), col.ty.unfrozen()) {
            (Some(Value::List(items)), CqlType::List(e))
            | (Some(Value::Set(items)), CqlType::Set(e)) => {
                items.iter().any(|x| compare(e, x, want) == Ordering::Equal)
            }
            (Some(Value::Map(entries)), CqlType::Map(_, vt)) => {
                entries.iter().any(|(_, x)| compare(vt, x, want) == Ordering::Equal)
            }
            _ => false,
        },
        Filter::ContainsKey(col, want) => match (v.value(col), col.ty.unfrozen()) {
            (Some(Value::Map(entries)), CqlType::Map(kt, _)) => {
                entries.iter().any(|(k, _)| compare(kt, k, want) == Ordering::Equal)
            }
            _ => false,
        },
        Filter::Tuple(cols, op, tuples) => {
            let Some(have) = cols.iter().map(|c| v.value(c)).collect::<Option<Vec<Value>>>() else {
                return false;
            };
            let cmp = |want: &Vec<Value>| {
                cols.iter()
                    .zip(have.iter().zip(want))
                    .map(|(c, (h, w))| compare(&c.ty, h, w))
                    .find(|o| *o != Ordering::Equal)
                    .unwrap_or(Ordering::Equal)
            };
            match op {
                Operator::Eq | Operator::In => tuples.iter().any(|w| cmp(w) == Ordering::Equal),
                Operator::Lt => tuples.first().is_some_and(|w| cmp(w) == Ordering::Less),
                Operator::Lte => tuples.first().is_some_and(|w| cmp(w) != Ordering::Greater),
                Operator::Gt => tuples.first().is_some_and(|w| cmp(w) == Ordering::Greater),
                Operator::Gte => tuples.first().is_some_and(|w| cmp(w) != Ordering::Less),
                _ => false,
            }
        }
        Filter::Entry(col, key, want) => match (v.value(col), col.ty.unfrozen()) {
            (Some(Value::Map(entries)), CqlType::Map(kt, vt)) => entries.iter().any(|(k, x)| {
                compare(kt, k, key) == Ordering::Equal && compare(vt, x, want) == Ordering::Equal
            }),
            _ => false,
        },
    })
}

/// One output row before aggregation: the view's values per selector, plus its group key.
type Produced = (Vec<Value>, Vec<Option<Value>>, Vec<Value>, Position);

/// A GROUP BY group: its key, its members' values and where its last member sits.
type Group = (Vec<Value>, Vec<Vec<Option<Value>>>, Position);

#[allow(clippy::too_many_arguments, reason = "one call site passes the compiled query parts")]
fn run(
    t: &Table,
    s: &Select,
    cols: &[OutCol],
    plan: &Plan,
    reversed: bool,
    group_len: usize,
    limit: Option<usize>,
    ppl: Option<usize>,
    ctx: &Ctx,
    options: &Options,
) -> Result<Rows, Error> {
    let now = ctx.now_secs();
    let types = t.clustering_types();
    let aggregate = cols.iter().any(|c| c.sel.is_aggregate());
    if !aggregate && cols.iter().any(|c| matches!(c.sel, Sel::Agg(..))) {
        return Err(Error::invalid("aggregate misuse"));
    }
    // A token range narrows named partitions too, as Cassandra intersects the two.
    let in_token_range = |tok: i64| {
        plan.token_start.is_none_or(|(s, inc)| if inc { tok >= s } else { tok > s })
            && plan.token_end.is_none_or(|(e, inc)| if inc { tok <= e } else { tok < e })
    };
    // Gather the partitions to read: key order for IN, token order for scans.
    let mut parts: Vec<(&RingKey, &Partition)> = Vec::new();
    // For IN, the serialized keys in reading order: paging ranks partitions by them.
    let mut key_order: Option<Vec<Vec<u8>>> = None;
    match &plan.keys {
        Some(keys) => {
            let mut wanted: Vec<(&[Value], Vec<u8>)> = Vec::new();
            for k in keys {
                let refs: Vec<&Value> = k.iter().collect();
                let bytes = partition_key_bytes(&refs);
                if !wanted.iter().any(|(_, b)| *b == bytes) {
                    wanted.push((k, bytes));
                }
            }
            // Cassandra collects the keys of an IN in a set ordered by the key type's
            // comparator (not by token), and reads the partitions in that order.
            let pk_types = t.partition_key_types();
            wanted.sort_by(|(a, _), (b, _)| {
                a.iter()
                    .zip(b.iter())
                    .zip(&pk_types)
                    .map(|((x, y), ty)| compare(ty, x, y))
                    .find(|o| *o != Ordering::Equal)
                    .unwrap_or(Ordering::Equal)
            });
            for (_, bytes) in &wanted {
                if let Some(found) = t.data.get_key_value(&ring_key(bytes))
                    && in_token_range(found.0.token)
                {
                    parts.push(found);
                }
            }
            key_order = Some(wanted.into_iter().map(|(_, b)| b).collect());
        }
        None => {
            for (key, p) in t.data.iter() {
                if in_token_range(key.token) {
                    parts.push((key, p));
                }
            }
        }
    }
    let mut produced: Vec<Produced> = Vec::new();
    let wants_regular = cols.iter().any(|c| selects_non_static(&c.sel));
    for (pkey, p) in parts {
        let mut in_partition = 0usize;
        let mut last_group: Option<Vec<Value>> = None;
        if s.distinct {
            if !p.is_live(now) {
                continue;
            }
            let v = View { pk: &p.key, ck: None, statics: &p.static_row, row: None, now };
            if !passes(&plan.filters, &v) {
                continue;
            }
            produced.push(produce(cols, &v, group_len, pkey)?);
            continue;
        }
        let mut any_live_row = false;
        // Narrowing to the slices' rows is only safe when the clustering columns are
        // restricted: otherwise a live row outside them still decides `static_only`.
        let candidates = if plan.clustering_restricted && !plan.slices.is_empty() {
            p.rows().get(p.candidate_rows(&types, &plan.slices)).unwrap_or(&[])
        } else {
            p.rows()
        };
        let rows: Box<dyn Iterator<Item = &(crate::storage::ClusteringKey, Row)>> =
            if reversed { Box::new(candidates.iter().rev()) } else { Box::new(candidates.iter()) };
        for (ck, row) in rows {
            if !row.is_live(now) {
                continue;
            }
            any_live_row = true;
            // Restricted clustering columns with no slice left (`IN ()`) match no row.
            if plan.clustering_restricted && !plan.slices.iter().any(|sl| sl.contains(&types, ck)) {
                continue;
            }
            let v = View { pk: &p.key, ck: Some(ck), statics: &p.static_row, row: Some(row), now };
            if !passes(&plan.filters, &v) {
                continue;
            }
            if group_len == 0 {
                if ppl.is_some_and(|l| in_partition >= l) {
                    break;
                }
                in_partition += 1;
                produced.push(produce(cols, &v, group_len, pkey)?);
                continue;
            }
            // With GROUP BY, PER PARTITION LIMIT counts the partition's groups.
            let out = produce(cols, &v, group_len, pkey)?;
            if last_group.as_ref().is_none_or(|k| !key_equal(t, k, &out.2)) {
                if ppl.is_some_and(|l| in_partition >= l) {
                    break;
                }
                in_partition += 1;
                last_group = Some(out.2.clone());
            }
            produced.push(out);
        }
        let static_only = !any_live_row && p.static_row.is_live(now) && !plan.clustering_restricted;
        if static_only {
            let v = View { pk: &p.key, ck: None, statics: &p.static_row, row: None, now };
            if passes(&plan.filters, &v) && (wants_regular || !t.clustering.is_empty()) {
                produced.push(produce(cols, &v, group_len, pkey)?);
            }
        }
    }
    // ORDER BY across several partitions sorts the merged rows.
    let merged = !s.order_by.is_empty() && plan.keys.as_ref().is_some_and(|k| k.len() > 1);
    if merged {
        // A partition with only static values has null clustering values, which
        // Cassandra sorts first in ascending order and last in descending order.
        let ascending = s.order_by.first().is_none_or(|(_, o)| *o == crate::ast::Order::Asc);
        // Groups are formed within each partition before the merge, so a group sorts
        // as its first row.
        let mut keyed: Vec<(Vec<Value>, Produced)> = Vec::with_capacity(produced.len());
        for row in produced {
            let rep = match keyed.last() {
                Some((rep, prev)) if group_len > 0 && key_equal(t, &prev.2, &row.2) => rep.clone(),
                _ => row.0.clone(),
            };
            keyed.push((rep, row));
        }
        keyed.sort_by(|(a, _), (b, _)| match (a.is_empty(), b.is_empty()) {
            (true, false) => {
                if ascending {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            (false, true) => {
                if ascending {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            _ => {
                let o = compare_prefix(&types, a, b);
                if reversed { o.reverse() } else { o }
            }
        });
        produced = keyed.into_iter().map(|(_, row)| row).collect();
        if group_len > 0 {
            // Groups were merged by where their first row sorts, so that is where a page
            // of groups ends and the next resumes: every member takes its first row's
            // position, and a page never splits a group or repeats one.
            let mut first: Option<(Vec<Value>, Position)> = None;
            for row in &mut produced {
                match &first {
                    Some((key, pos)) if key_equal(t, key, &row.2) => row.3 = pos.clone(),
                    _ => first = Some((row.2.clone(), row.3.clone())),
                }
            }
        }
    }
    // A paging state resumes strictly after the last row of the previous page.
    let resume = match &options.paging_state {
        None => None,
        Some(state) => Some(paging::decode(t, state)?),
    };
    if let Some(state) = &resume {
        let nulls_first = s.order_by.first().is_none_or(|(_, o)| *o == crate::ast::Order::Asc);
        let order = ReadOrder {
            clustering: &types,
            reversed,
            keys: key_order.as_deref(),
            merged,
            nulls_first,
        };
        produced.retain(|(.., pos)| order.is_after(pos, &state.last));
    }
    let mut rows: Vec<(Vec<Option<Value>>, Position)> = Vec::new();
    if aggregate || group_len > 0 {
        let mut groups: Vec<Group> = Vec::new();
        for (_, vals, key, pos) in produced {
            match groups.last_mut() {
                Some((k, members, last)) if group_len > 0 && key_equal(t, k, &key) => {
                    members.push(vals);
                    *last = pos;
                }
                Some((_, members, last)) if group_len == 0 => {
                    members.push(vals);
                    *last = pos;
                }
                _ => groups.push((key, vec![vals], pos)),
            }
        }
        if groups.is_empty() && group_len == 0 {
            let nowhere = Position { token: i64::MIN, key: Vec::new(), clustering: None };
            groups.push((Vec::new(), Vec::new(), nowhere));
        }
        for (_, members, last) in groups {
            rows.push((aggregate_row(cols, &members)?, last));
        }
    } else {
        rows = produced.into_iter().map(|(_, v, _, pos)| (v, pos)).collect();
    }
    // LIMIT counts the rows of every page together.
    let returned = resume.as_ref().map_or(0, |r| r.returned);
    let remaining =
        limit.map(|l| (l as u64).saturating_sub(returned).try_into().unwrap_or(usize::MAX));
    if let Some(l) = remaining {
        rows.truncate(l);
    }
    // Cassandra hands out a state whenever a page is full, even if nothing follows,
    // unless the LIMIT is reached; an aggregate without GROUP BY is one page.
    let mut paging_state = None;
    if let Some(size) = options.page_size.filter(|s| *s > 0)
        && (group_len > 0 || !aggregate)
    {
        rows.truncate(size);
        let total = returned.saturating_add(rows.len() as u64);
        let limit_reached = remaining.is_some_and(|l| rows.len() >= l);
        if rows.len() == size
            && !limit_reached
            && let Some((_, last)) = rows.last()
        {
            paging_state =
                Some(paging::encode(t, &PagingState { last: last.clone(), returned: total }));
        }
    }
    let mut rows: Vec<Vec<Option<Value>>> = rows.into_iter().map(|(v, _)| v).collect();
    let mut columns: Vec<crate::ColumnSpec> =
        cols.iter().map(|c| spec(&t.keyspace, &t.name, &c.name, c.ty.clone())).collect();
    if s.json {
        let json_rows = rows
            .iter()
            .map(|r| {
                let entries: Vec<(&str, &CqlType, Option<&Value>)> =
                    cols.iter().zip(r).map(|(c, v)| (c.name.as_str(), &c.ty, v.as_ref())).collect();
                vec![Some(Value::Text(crate::types::json_row(&entries).into()))]
            })
            .collect();
        rows = json_rows;
        columns = vec![spec(&t.keyspace, &t.name, "[json]", CqlType::Native(NativeType::Text))];
    }
    Ok(Rows { columns: columns.into(), rows, paging_state })
}

fn key_equal(t: &Table, a: &[Value], b: &[Value]) -> bool {
    let types: Vec<CqlType> = t
        .partition_key
        .iter()
        .chain(t.clustering.iter().map(|(n, _)| n))
        .filter_map(|n| t.column(n))
        .map(|c| c.ty.clone())
        .collect();
    a.len() == b.len()
        && a.iter().zip(b).zip(&types).all(|((x, y), ty)| compare(ty, x, y) == Ordering::Equal)
}

fn selects_non_static(sel: &Sel) -> bool {
    match sel {
        Sel::Column(c)
        | Sel::Writetime(c)
        | Sel::MaxWritetime(c)
        | Sel::Ttl(c)
        | Sel::WriteMetaOf(_, c, _, _) => {
            matches!(c.kind, ColumnKind::Regular | ColumnKind::Clustering(_))
        }
        Sel::Agg(_, s, _)
        | Sel::Element(s, ..)
        | Sel::Slice(s, ..)
        | Sel::Cast(s, ..)
        | Sel::TimeFn(_, s)
        | Sel::ToJson(s, _)
        | Sel::Field(s, _) => selects_non_static(s),
        Sel::Scalar(_, args, _) => args.iter().any(selects_non_static),
        Sel::Arith(_, a, _, b, _) => selects_non_static(a) || selects_non_static(b),
        Sel::Negate(s) => selects_non_static(s),
        Sel::CountStar => true,
        Sel::Token | Sel::Const(_) => false,
    }
}

fn produce(
    cols: &[OutCol],
    v: &View<'_>,
    group_len: usize,
    RingKey { token: tok, bytes }: &RingKey,
) -> Result<Produced, Error> {
    let mut vals = Vec::new();
    for c in cols {
        if c.sel.nests_aggregate() {
            // The row's part in an expression over aggregates, finished per group.
            let mut parts = Vec::new();
            nested_parts(&c.sel, v, &mut parts)?;
            vals.push(Some(Value::Tuple(parts)));
        } else {
            vals.push(eval_sel(&c.sel, v)?);
        }
    }
    let ck = v.ck.map(<[Value]>::to_vec).unwrap_or_default();
    let mut key: Vec<Value> = v.pk.to_vec();
    key.extend(ck.iter().cloned());
    key.truncate(group_len);
    let pos =
        Position { token: *tok, key: bytes.to_vec(), clustering: v.ck.map(<[Value]>::to_vec) };
    Ok((ck, vals, key, pos))
}

/// Row values for aggregate selectors are carried as the per-row inner value; this
/// evaluates non-aggregate selectors fully and aggregate ones to their input.
fn eval_sel(sel: &Sel, v: &View<'_>) -> Result<Option<Value>, Error> {
    Ok(match sel {
        Sel::Column(c) => v.value(c),
        Sel::Writetime(c) | Sel::MaxWritetime(c) | Sel::Ttl(c) => write_metadata(sel, c, v),
        Sel::WriteMetaOf(name, c, part, deeper) => {
            if let Some(deeper) = deeper {
                // An empty slice selects nothing, even of a frozen collection.
                let empty_slice = |x: &Value| {
                    matches!(deeper.as_ref(), Sel::Slice(..))
                        && (matches!(x, Value::Map(m) if m.is_empty())
                            || matches!(x, Value::Set(s) if s.is_empty()))
                };
                match eval_sel(deeper, v)? {
                    None => return Ok(None),
                    Some(x) if empty_slice(&x) => return Ok(None),
                    Some(_) => {}
                }
            }
            element_write_metadata(name, c, part, v)
        }
        Sel::Token => {
            let refs: Vec<&Value> = v.pk.iter().collect();
            Some(Value::Bigint(token(&partition_key_bytes(&refs))))
        }
        Sel::CountStar => Some(Value::Bigint(1)),
        Sel::Agg(_, inner, _) => eval_sel(inner, v)?,
        Sel::Cast(inner, from, to) => match eval_sel(inner, v)? {
            Some(x) => Some(cast(&x, from, *to)?),
            None => None,
        },
        Sel::TimeFn(name, inner) => match eval_sel(inner, v)? {
            Some(x) => Some(time_function(name, &x)?),
            None => None,
        },
        Sel::ToJson(inner, ty) => {
            let x = eval_sel(inner, v)?;
            Some(Value::Text(match x {
                Some(x) => crate::types::to_json(&x, ty).into(),
                None => "null".into(),
            }))
        }
        Sel::Const(c) => c.clone(),
        Sel::Scalar(name, args, types) => {
            let mut values = Vec::with_capacity(args.len());
            for (a, ty) in args.iter().zip(types) {
                values.push((ty.clone(), eval_sel(a, v)?));
            }
            crate::types::call_pure(name, &values).transpose()?.flatten()
        }
        Sel::Arith(op, a, at, b, bt) => operate(*op, eval_sel(a, v)?, *at, eval_sel(b, v)?, *bt)?,
        Sel::Negate(inner) => negate_value(eval_sel(inner, v)?)?,
        Sel::Element(inner, key, kt) => match eval_sel(inner, v)? {
            Some(Value::Map(entries)) => entries
                .into_iter()
                .find(|(k, _)| compare(kt, k, key) == Ordering::Equal)
                .map(|(_, x)| x),
            Some(Value::Set(items)) => {
                items.into_iter().find(|x| compare(kt, x, key) == Ordering::Equal)
            }
            _ => None,
        },
        Sel::Slice(inner, lo, hi, kt, frozen) => {
            let within = |k: &Value| {
                lo.as_ref().is_none_or(|lo| compare(kt, k, lo) != Ordering::Less)
                    && hi.as_ref().is_none_or(|hi| compare(kt, k, hi) != Ordering::Greater)
            };
            let sliced = match eval_sel(inner, v)? {
                Some(Value::Map(entries)) => {
                    Value::Map(entries.into_iter().filter(|(k, _)| within(k)).collect())
                }
                Some(Value::Set(items)) => Value::Set(items.into_iter().filter(within).collect()),
                _ => return Ok(None),
            };
            // An empty slice of a non-frozen collection is null, since such a collection
            // cannot be empty; a frozen one can, and stays so.
            let empty = matches!(&sliced, Value::Map(m) if m.is_empty())
                || matches!(&sliced, Value::Set(s) if s.is_empty());
            if empty && !frozen { None } else { Some(sliced) }
        }
        Sel::Field(inner, f) => match eval_sel(inner, v)? {
            Some(Value::Udt(fields)) => {
                fields.into_iter().find(|(n, _)| n == f).and_then(|(_, x)| x)
            }
            _ => None,
        },
    })
}

/// `WRITETIME`, `MAXWRITETIME` or `TTL` of a column in the row: of its one cell, or of
/// each live element (field) of a non-frozen collection (UDT), as Cassandra 5.0 lists
/// them; an element without a TTL, or a field without a value, is a null in the list.
fn write_metadata(sel: &Sel, c: &Column, v: &View<'_>) -> Option<Value> {
    let cell = v.cell(c)?;
    let remaining =
        |e: Option<i64>| e.map(|e| Value::Int(i32::try_from(e - v.now).unwrap_or(i32::MAX)));
    if !crate::schema::is_multi_cell(&c.ty) {
        return match sel {
            Sel::Ttl(_) => remaining(cell.expires),
            _ => Some(Value::Bigint(cell.ts)),
        };
    }
    let (value, mut metas) = cell.live_parts(v.now)?;
    if cell.elements.is_none() {
        // A value kept without element bookkeeping: every element shares the cell's.
        let shared =
            crate::storage::ElementMeta { ts: cell.ts, ttl: cell.ttl, expires: cell.expires };
        metas = match &value {
            Value::List(items) | Value::Set(items) => vec![Some(shared); items.len()],
            Value::Map(entries) => vec![Some(shared); entries.len()],
            Value::Udt(fields) => fields.iter().map(|(_, f)| f.as_ref().map(|_| shared)).collect(),
            _ => Vec::new(),
        };
    }
    let items: Vec<Value> = match sel {
        Sel::MaxWritetime(_) => {
            return metas.iter().flatten().map(|m| m.ts).max().map(Value::Bigint);
        }
        Sel::Ttl(_) => metas
            .iter()
            .map(|m| m.and_then(|m| remaining(m.expires)).unwrap_or(Value::Null))
            .collect(),
        _ => metas.iter().map(|m| m.map_or(Value::Null, |m| Value::Bigint(m.ts))).collect(),
    };
    Some(Value::List(items))
}

/// `WRITETIME`, `MAXWRITETIME` or `TTL` of one element or field of a column: the
/// element's own in a non-frozen collection or UDT, the cell's in a frozen one; null
/// when the element is not there.
fn element_write_metadata(name: &str, c: &Column, part: &Part, v: &View<'_>) -> Option<Value> {
    let cell = v.cell(c)?;
    if let Part::Range(lo, hi, kt) = part {
        return range_write_metadata(name, c, (lo.as_ref(), hi.as_ref(), kt), cell, v);
    }
    let (value, metas) = cell.live_parts(v.now)?;
    let index = match (part, &value) {
        (Part::Key(k, kt), Value::Map(entries)) => {
            entries.iter().position(|(x, _)| compare(kt, x, k) == Ordering::Equal)
        }
        (Part::Key(k, kt), Value::Set(items)) => {
            items.iter().position(|x| compare(kt, x, k) == Ordering::Equal)
        }
        (Part::Field(f), Value::Udt(fields)) => {
            fields.iter().position(|(n, x)| n == f && x.is_some())
        }
        _ => None,
    }?;
    let (ts, expires) = match metas.get(index) {
        Some(m) => {
            let m = (*m)?;
            (m.ts, m.expires)
        }
        // A frozen value (or one kept without element bookkeeping) is one cell.
        None => (cell.ts, cell.expires),
    };
    if name == "ttl" {
        expires.map(|e| Value::Int(i32::try_from(e - v.now).unwrap_or(i32::MAX)))
    } else {
        Some(Value::Bigint(ts))
    }
}

/// `WRITETIME`, `MAXWRITETIME` or `TTL` of the elements of a map or set between two
/// bounds: for a non-frozen collection a list with one entry per element in range (the
/// newest timestamp for `MAXWRITETIME`), for a frozen one the cell's own; null when no
/// element lies in range.
fn range_write_metadata(
    name: &str,
    c: &Column,
    (lo, hi, kt): (Option<&Value>, Option<&Value>, &CqlType),
    cell: &crate::storage::Cell,
    v: &View<'_>,
) -> Option<Value> {
    let (value, mut metas) = cell.live_parts(v.now)?;
    let keys: Vec<&Value> = match &value {
        Value::Map(entries) => entries.iter().map(|(k, _)| k).collect(),
        Value::Set(items) => items.iter().collect(),
        _ => return None,
    };
    if metas.len() != keys.len() {
        // A frozen value (or one kept without element bookkeeping) is one cell.
        let shared =
            crate::storage::ElementMeta { ts: cell.ts, ttl: cell.ttl, expires: cell.expires };
        metas = vec![Some(shared); keys.len()];
    }
    let within = |k: &Value| {
        lo.is_none_or(|lo| compare(kt, k, lo) != Ordering::Less)
            && hi.is_none_or(|hi| compare(kt, k, hi) != Ordering::Greater)
    };
    let in_range: Vec<Option<crate::storage::ElementMeta>> =
        keys.iter().zip(metas).filter(|(k, _)| within(k)).map(|(_, m)| m).collect();
    if in_range.is_empty() {
        return None;
    }
    let remaining =
        |e: Option<i64>| e.map(|e| Value::Int(i32::try_from(e - v.now).unwrap_or(i32::MAX)));
    if !crate::schema::is_multi_cell(&c.ty) {
        return if name == "ttl" { remaining(cell.expires) } else { Some(Value::Bigint(cell.ts)) };
    }
    match name {
        "maxwritetime" => in_range.iter().flatten().map(|m| m.ts).max().map(Value::Bigint),
        "ttl" => Some(Value::List(
            in_range
                .iter()
                .map(|m| m.and_then(|m| remaining(m.expires)).unwrap_or(Value::Null))
                .collect(),
        )),
        _ => Some(Value::List(
            in_range.iter().map(|m| m.map_or(Value::Null, |m| Value::Bigint(m.ts))).collect(),
        )),
    }
}

fn aggregate_row(
    cols: &[OutCol],
    members: &[Vec<Option<Value>>],
) -> Result<Vec<Option<Value>>, Error> {
    let mut out = Vec::new();
    for (i, c) in cols.iter().enumerate() {
        let inputs = members.iter().map(|m| m.get(i).cloned().flatten());
        out.push(match &c.sel {
            Sel::CountStar => Some(Value::Bigint(i64::try_from(members.len()).unwrap_or(i64::MAX))),
            Sel::Agg(agg, _, ty) => aggregate(*agg, ty, inputs.flatten().collect())?,
            sel if sel.nests_aggregate() => {
                let parts: Vec<Vec<Option<Value>>> = inputs
                    .map(|x| match x {
                        Some(Value::Tuple(parts)) => parts,
                        _ => Vec::new(),
                    })
                    .collect();
                finish_nested(sel, &parts, &mut 0)?
            }
            _ => members.first().and_then(|m| m.get(i).cloned().flatten()),
        });
    }
    Ok(out)
}

/// For one row of a selector with an aggregate below its top: the input of each
/// aggregate and the value of each aggregate-free branch, in the order
/// [`finish_nested`] reads them.
fn nested_parts(sel: &Sel, v: &View<'_>, out: &mut Vec<Option<Value>>) -> Result<(), Error> {
    match sel {
        _ if !sel.is_aggregate() => out.push(eval_sel(sel, v)?),
        Sel::Agg(_, inner, _) => out.push(eval_sel(inner, v)?),
        Sel::Cast(inner, ..)
        | Sel::TimeFn(_, inner)
        | Sel::ToJson(inner, _)
        | Sel::Element(inner, ..)
        | Sel::Slice(inner, ..)
        | Sel::Field(inner, _) => nested_parts(inner, v, out)?,
        Sel::Scalar(_, args, _) => {
            for a in args {
                nested_parts(a, v, out)?;
            }
        }
        Sel::Arith(_, a, _, b, _) => {
            nested_parts(a, v, out)?;
            nested_parts(b, v, out)?;
        }
        Sel::Negate(inner) => nested_parts(inner, v, out)?,
        _ => out.push(None),
    }
    Ok(())
}

/// Finishes a selector with an aggregate below its top over a group: aggregates its
/// members' inputs, takes aggregate-free branches from the first member (as Cassandra
/// does for plain columns beside aggregates), and applies the functions above them.
fn finish_nested(
    sel: &Sel,
    members: &[Vec<Option<Value>>],
    pos: &mut usize,
) -> Result<Option<Value>, Error> {
    let mut next = || {
        let i = *pos;
        *pos += 1;
        i
    };
    Ok(match sel {
        _ if !sel.is_aggregate() => {
            let i = next();
            members.first().and_then(|m| m.get(i).cloned().flatten())
        }
        Sel::CountStar => {
            next();
            Some(Value::Bigint(i64::try_from(members.len()).unwrap_or(i64::MAX)))
        }
        Sel::Agg(agg, _, ty) => {
            let i = next();
            aggregate(
                *agg,
                ty,
                members.iter().filter_map(|m| m.get(i).cloned().flatten()).collect(),
            )?
        }
        Sel::Cast(inner, from, to) => match finish_nested(inner, members, pos)? {
            Some(x) => Some(cast(&x, from, *to)?),
            None => None,
        },
        Sel::TimeFn(name, inner) => match finish_nested(inner, members, pos)? {
            Some(x) => Some(time_function(name, &x)?),
            None => None,
        },
        Sel::ToJson(inner, ty) => Some(Value::Text(match finish_nested(inner, members, pos)? {
            Some(x) => crate::types::to_json(&x, ty).into(),
            None => "null".into(),
        })),
        Sel::Scalar(name, args, types) => {
            let mut values = Vec::with_capacity(args.len());
            for (a, ty) in args.iter().zip(types) {
                values.push((ty.clone(), finish_nested(a, members, pos)?));
            }
            crate::types::call_pure(name, &values).transpose()?.flatten()
        }
        Sel::Arith(op, a, at, b, bt) => {
            let l = finish_nested(a, members, pos)?;
            operate(*op, l, *at, finish_nested(b, members, pos)?, *bt)?
        }
        Sel::Negate(inner) => negate_value(finish_nested(inner, members, pos)?)?,
        // Element, slice and field selection need a collection or UDT, which no
        // aggregate returns (min and max of those return blobs).
        _ => None,
    })
}

/// `a op b` on two evaluated operands; null if either is.
fn operate(
    op: ArithOp,
    a: Option<Value>,
    at: NativeType,
    b: Option<Value>,
    bt: NativeType,
) -> Result<Option<Value>, Error> {
    match (a, b) {
        (Some(a), Some(b)) => crate::types::arithmetic(op, at, &a, bt, &b).map(Some),
        _ => Ok(None),
    }
}

fn negate_value(v: Option<Value>) -> Result<Option<Value>, Error> {
    match v {
        // Compilation only lets numbers and durations through.
        Some(x) => crate::types::negate(&x)
            .map(Some)
            .ok_or_else(|| Error::invalid("Invalid operand for unary minus")),
        None => Ok(None),
    }
}

fn aggregate(agg: Agg, ty: &CqlType, vals: Vec<Value>) -> Result<Option<Value>, Error> {
    if matches!(agg, Agg::Min | Agg::Max) && !matches!(ty.unfrozen(), CqlType::Native(_)) {
        let blobs = vals.iter().map(|v| Value::Blob(crate::types::serialize(v))).collect();
        return aggregate(agg, &CqlType::Native(NativeType::Blob), blobs);
    }
    let kind = match agg {
        Agg::Count => AggregateKind::Count,
        Agg::Min => AggregateKind::Min,
        Agg::Max => AggregateKind::Max,
        Agg::Sum => AggregateKind::Sum,
        Agg::Avg => AggregateKind::Avg,
    };
    let mut acc = Accumulator::new(kind, ty.clone());
    for v in &vals {
        acc.add(Some(v));
    }
    Ok(acc.finish())
}

#[cfg(test)]
mod tests;
