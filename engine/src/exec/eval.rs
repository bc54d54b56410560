//! Turning terms into values of a receiver's type, and the scalar functions terms may call.

use std::cmp::Ordering;

use super::{Ctx, Engine};
use crate::Error;
use crate::ast::{QualifiedName, Term};
use crate::types::{CqlType, NativeType, Uuid, Value, compare, constant_to_value_at};

/// Days between 0000-01-01-based storage and the epoch: dates are stored with 2^31 at 1970-01-01.
const DATE_EPOCH: i64 = 1 << 31;
const MS_PER_DAY: i64 = 86_400_000;

/// Sorts and deduplicates set elements by the element type's order.
pub(crate) fn normalise_set(elem: &CqlType, mut items: Vec<Value>) -> Vec<Value> {
    items.sort_by(|a, b| compare(elem, a, b));
    items.dedup_by(|a, b| compare(elem, a, b) == Ordering::Equal);
    items
}

/// Sorts map entries by key; a later duplicate key wins.
pub(crate) fn normalise_map(key: &CqlType, items: Vec<(Value, Value)>) -> Vec<(Value, Value)> {
    let mut out: Vec<(Value, Value)> = Vec::new();
    for (k, v) in items {
        match out.binary_search_by(|(e, _)| compare(key, e, &k)) {
            Ok(i) => {
                if let Some(slot) = out.get_mut(i) {
                    slot.1 = v;
                }
            }
            Err(i) => out.insert(i, (k, v)),
        }
    }
    out
}

/// A term as Cassandra prints it in messages, where a cast has no space after its type.
fn cassandra_text(term: &Term) -> String {
    match term {
        Term::TypeHint(hint, inner) => format!("({hint}){}", cassandra_text(inner)),
        other => other.to_string(),
    }
}

fn value_type_name(ty: &CqlType) -> String {
    ty.to_string()
}

/// Whether a value of type `from` may be stored in a receiver of type `to`.
pub(crate) fn assignable(from: &CqlType, to: &CqlType) -> bool {
    let (f, t) = (from.unfrozen(), to.unfrozen());
    if f == t {
        return true;
    }
    matches!(
        (f.native(), t.native()),
        (Some(NativeType::Ascii), Some(NativeType::Text))
            | (Some(NativeType::Timeuuid), Some(NativeType::Uuid))
    )
}

/// Whether a function's result of type `from` may be stored in a receiver of type `to`:
/// Cassandra accepts any result whose bytes are valid for the receiver's type (a bigint
/// as a timestamp and back, an int, bigint or timestamp as a varint, anything as a blob).
pub(super) fn value_compatible(from: &CqlType, to: &CqlType) -> bool {
    if assignable(from, to) {
        return true;
    }
    matches!(
        (from.native(), to.native()),
        (_, Some(NativeType::Blob))
            | (Some(NativeType::Bigint), Some(NativeType::Timestamp))
            | (Some(NativeType::Timestamp), Some(NativeType::Bigint))
            | (
                Some(NativeType::Int | NativeType::Bigint | NativeType::Timestamp),
                Some(NativeType::Varint)
            )
    )
}

/// Converts a function's result to the receiver's type, which [`value_compatible`] allowed.
fn reinterpret(v: Value, to: &CqlType) -> Value {
    match (v, to.native()) {
        (Value::Blob(b), Some(NativeType::Blob)) => Value::Blob(b),
        (v, Some(NativeType::Blob)) => Value::Blob(crate::types::serialize(&v)),
        (Value::Bigint(n), Some(NativeType::Timestamp)) => Value::Timestamp(n),
        (Value::Timestamp(n), Some(NativeType::Bigint)) => Value::Bigint(n),
        (Value::Int(n), Some(NativeType::Varint)) => Value::Varint(n.into()),
        (Value::Bigint(n) | Value::Timestamp(n), Some(NativeType::Varint)) => {
            Value::Varint(n.into())
        }
        (v, _) => coerce(v, to),
    }
}

/// Converts a value to the receiver's representation where the types differ only nominally.
fn coerce(v: Value, to: &CqlType) -> Value {
    match (v, to.native()) {
        (Value::Ascii(s), Some(NativeType::Text)) => Value::Text(s),
        (Value::Timeuuid(u), Some(NativeType::Uuid)) => Value::Uuid(u),
        (v, _) => v,
    }
}

/// Checks a bound value against its receiver's type, as the server checks the bytes a
/// driver sends: natives by their type (with the nominal widenings a driver may rely on),
/// anything else by serializing it and reading it back as the receiver's type.
pub(super) fn bound_value(v: &Value, ty: &CqlType, receiver: &str) -> Result<Value, Error> {
    let target = ty.unfrozen();
    if let (Some(have), Some(want)) = (v.native_type(), target.native()) {
        if have == want {
            return Ok(v.clone());
        }
        let same = (want == NativeType::Counter && have == NativeType::Bigint)
            || assignable(&CqlType::Native(have), target);
        return if same {
            Ok(match (v, want) {
                (Value::Bigint(n), NativeType::Counter) => Value::Counter(*n),
                _ => coerce(v.clone(), target),
            })
        } else {
            Err(Error::invalid(format!(
                "Invalid value for {receiver}: expected {want}, got {have}",
                want = want.name(),
                have = have.name()
            )))
        };
    }
    crate::types::deserialize(target, &crate::types::serialize(v)).map_err(|e| {
        Error::invalid(format!("Invalid value for {receiver} of type {target}: {}", e.message()))
    })
}

impl Engine {
    /// Evaluates `term` as a value for `receiver` of type `ty`; `None` is null.
    pub(crate) fn eval(
        &mut self,
        term: &Term,
        ty: &CqlType,
        receiver: &str,
        ctx: &Ctx,
    ) -> Result<Option<Value>, Error> {
        let target = ty.unfrozen();
        match term {
            Term::Constant(c) => {
                Ok(Some(constant_to_value_at(c, ty, receiver, Some(ctx.now_ms()))?))
            }
            // Cassandra refuses a null literal for a counter when preparing the statement.
            Term::Null if matches!(target, CqlType::Native(NativeType::Counter)) => {
                Err(Error::invalid("Invalid null value for counter increment/decrement"))
            }
            Term::Null => Ok(None),
            Term::BindMarker(i, _) => match ctx.binds.get(*i) {
                None => Err(Error::invalid(super::BIND_COUNT_MISMATCH)),
                Some(None) => Ok(None),
                Some(Some(v)) => bound_value(v, ty, receiver).map(Some),
            },
            Term::List(items) => match target {
                CqlType::List(elem) => {
                    self.check_elements("list", items, elem, receiver)?;
                    let vals = self.eval_elements(items, elem, receiver, ctx)?;
                    Ok(Some(Value::List(vals)))
                }
                CqlType::Vector(elem, n) => {
                    if items.len() != *n {
                        return Err(Error::invalid(format!(
                            "Invalid vector literal for {receiver} of type {ty}; expected {n} elements, but given {}",
                            items.len()
                        )));
                    }
                    self.check_elements("vector", items, elem, receiver)?;
                    let vals = self.eval_elements(items, elem, receiver, ctx)?;
                    Ok(Some(Value::Vector(vals)))
                }
                _ => Err(Error::invalid(format!(
                    "Invalid list literal for {receiver} of type {}",
                    value_type_name(ty)
                ))),
            },
            Term::Set(items) => match target {
                CqlType::Set(elem) => {
                    self.check_elements("set", items, elem, receiver)?;
                    let vals = self.eval_elements(items, elem, receiver, ctx)?;
                    Ok(Some(Value::Set(normalise_set(elem, vals))))
                }
                _ => Err(Error::invalid(format!(
                    "Invalid set literal for {receiver} of type {}",
                    value_type_name(ty)
                ))),
            },
            Term::Map(pairs) => match target {
                CqlType::Map(kt, vt) => {
                    for (k, v) in pairs {
                        for (what, term, ty) in [("key", k, kt), ("value", v, vt)] {
                            if !self.may_assign(term, ty) {
                                return Err(Error::invalid(format!(
                                    "Invalid map literal for {receiver}: {what} {} is not of type {ty}",
                                    cassandra_text(term)
                                )));
                            }
                        }
                    }
                    let mut out = Vec::new();
                    for (k, v) in pairs {
                        let k = self.eval(k, kt, receiver, ctx)?;
                        let v = self.eval(v, vt, receiver, ctx)?;
                        match (k, v) {
                            (Some(k), Some(v)) => out.push((k, v)),
                            _ => {
                                return Err(Error::invalid(
                                    "null is not supported inside collections",
                                ));
                            }
                        }
                    }
                    Ok(Some(Value::Map(normalise_map(kt, out))))
                }
                CqlType::Set(_) if pairs.is_empty() => Ok(Some(Value::Set(Vec::new()))),
                _ => Err(Error::invalid(format!(
                    "Invalid map literal for {receiver} of type {}",
                    value_type_name(ty)
                ))),
            },
            Term::Tuple(items) => match target {
                CqlType::Tuple(types) => {
                    if items.len() > types.len() {
                        return Err(Error::invalid(format!(
                            "Invalid tuple literal for {receiver}: too many elements. Type {} expects {} but got {}",
                            value_type_name(ty),
                            types.len(),
                            items.len()
                        )));
                    }
                    if let Some((i, (t, _))) = types
                        .iter()
                        .zip(items)
                        .enumerate()
                        .find(|(_, (t, item))| !self.may_assign(item, t))
                    {
                        return Err(Error::invalid(format!(
                            "Invalid tuple literal for {receiver}: component {i} is not of type {t}"
                        )));
                    }
                    let mut out = Vec::new();
                    for (i, t) in types.iter().enumerate() {
                        match items.get(i) {
                            Some(term) => out.push(self.eval(term, t, receiver, ctx)?),
                            None => out.push(None),
                        }
                    }
                    Ok(Some(Value::Tuple(out)))
                }
                _ => Err(Error::invalid(format!(
                    "Invalid tuple type literal for {receiver} of type {}",
                    value_type_name(ty)
                ))),
            },
            Term::Udt(fields) => match target {
                CqlType::Udt(udt) => {
                    // Cassandra checks the known fields' values, in the type's order,
                    // before it looks for unknown fields.
                    for (f, fty) in &udt.fields {
                        if let Some((_, t)) = fields.iter().find(|(n, _)| &n.0 == f)
                            && !self.may_assign(t, fty)
                        {
                            return Err(Error::invalid(format!(
                                "Invalid user type literal for {receiver}: field {f} is not of type {fty}"
                            )));
                        }
                    }
                    for (name, _) in fields {
                        if !udt.fields.iter().any(|(f, _)| f == &name.0) {
                            return Err(Error::invalid(format!(
                                "Unknown field '{}' in value of user defined type {}",
                                name.0, udt.name
                            )));
                        }
                    }
                    let mut out = Vec::new();
                    for (f, fty) in &udt.fields {
                        let v = match fields.iter().find(|(n, _)| &n.0 == f) {
                            Some((_, t)) => self.eval(t, fty, &format!("{receiver}.{f}"), ctx)?,
                            None => None,
                        };
                        out.push((f.clone(), v));
                    }
                    Ok(Some(Value::Udt(out)))
                }
                _ => Err(Error::invalid(format!(
                    "Invalid user type literal for {receiver} of type {}",
                    value_type_name(ty)
                ))),
            },
            Term::TypeHint(hint, inner) => {
                let ks = match target {
                    CqlType::Udt(u) => u.keyspace.clone(),
                    _ => String::new(),
                };
                let hinted = self.hint_type(hint, &ks)?;
                if !assignable(&hinted, ty) {
                    return Err(Error::invalid(format!(
                        "Cannot assign value {term} to {receiver} of type {}",
                        value_type_name(ty)
                    )));
                }
                let v = self.eval(inner, &hinted, receiver, ctx)?;
                Ok(v.map(|v| coerce(v, ty)))
            }
            Term::Function(name, args)
                if (name.name.0.eq_ignore_ascii_case("fromjson")
                    || name.name.0.eq_ignore_ascii_case("from_json"))
                    && name.keyspace.as_ref().is_none_or(|k| k.0 == "system") =>
            {
                let [arg] = args.as_slice() else {
                    return Err(Error::invalid(format!(
                        "Invalid number of arguments in call to function system.fromjson: 1 required but {} provided",
                        args.len()
                    )));
                };
                let text =
                    match self.eval(arg, &CqlType::Native(NativeType::Text), receiver, ctx)? {
                        Some(Value::Text(s)) => s,
                        _ => return Ok(None),
                    };
                let json = crate::types::parse_json(&text)?;
                crate::types::from_json_object(&json, ty).map_err(Error::invalid)
            }
            Term::Function(name, args) => {
                let (v, rty) = self.eval_function(name, args, ctx)?;
                if !value_compatible(&rty, ty) {
                    return Err(Error::invalid(format!(
                        "Type error: cannot assign result of function {} (type {}) to {receiver} (type {})",
                        function_display(name),
                        rty,
                        ty
                    )));
                }
                Ok(v.map(|v| reinterpret(v, ty)))
            }
            Term::Negate(inner) => {
                let v = self.eval(inner, ty, receiver, ctx)?;
                match v {
                    None => Ok(None),
                    Some(v) => crate::types::negate(&v).map(Some).ok_or_else(|| {
                        Error::invalid(format!(
                            "Invalid operation: -{inner} for {receiver} of type {ty}"
                        ))
                    }),
                }
            }
            Term::Binary(a, op, b) => self.eval_arithmetic(a, *op, b, ty, receiver, ctx),
        }
    }

    /// `a op b` for a receiver of type `ty`: operands read as the receiver's type (a
    /// duration on the right of a timestamp or date), computed with Cassandra's rules.
    fn eval_arithmetic(
        &mut self,
        a: &Term,
        op: char,
        b: &Term,
        ty: &CqlType,
        receiver: &str,
        ctx: &Ctx,
    ) -> Result<Option<Value>, Error> {
        use crate::types::{ArithOp, arithmetic};
        let Some(nt) = ty.native() else {
            return Err(Error::invalid(format!(
                "Invalid arithmetic operation on {receiver} of type {ty}"
            )));
        };
        let arith = ArithOp::from_symbol(op);
        let right_ty = match nt {
            NativeType::Timestamp | NativeType::Date => NativeType::Duration,
            other => other,
        };
        let l = self.eval(a, ty, receiver, ctx)?;
        let r = self.eval(b, &CqlType::Native(right_ty), receiver, ctx)?;
        match (l, r) {
            (Some(l), Some(r)) => Ok(Some(arithmetic(arith, nt, &l, right_ty, &r)?)),
            _ => Ok(None),
        }
    }

    /// Whether `term` could be a value of type `ty`, judged from its form alone as
    /// Cassandra's assignment test does before a literal's elements are read: constants
    /// by their kind, casts by their type, nested literals by their shape. Terms whose
    /// type shows only once evaluated pass, and are checked then.
    fn may_assign(&self, term: &Term, ty: &CqlType) -> bool {
        let target = ty.unfrozen();
        match term {
            Term::Constant(c) => match target {
                CqlType::Native(NativeType::Counter) => c.assignable_to(NativeType::Bigint),
                CqlType::Native(nt) => c.assignable_to(*nt),
                CqlType::List(_) | CqlType::Set(_) | CqlType::Map(..) | CqlType::Udt(_) => false,
                // A string may spell a tuple or a vector.
                _ => true,
            },
            Term::TypeHint(hint, _) => {
                let ks = match target {
                    CqlType::Udt(u) => u.keyspace.as_str(),
                    _ => "",
                };
                self.hint_type(hint, ks).map_or(true, |hinted| value_compatible(&hinted, ty))
            }
            Term::List(items) => match target {
                CqlType::List(elem) | CqlType::Vector(elem, _) => {
                    items.iter().all(|t| self.may_assign(t, elem))
                }
                _ => false,
            },
            Term::Set(items) => match target {
                CqlType::Set(elem) => items.iter().all(|t| self.may_assign(t, elem)),
                CqlType::Map(..) => items.is_empty(),
                _ => false,
            },
            Term::Map(pairs) => match target {
                CqlType::Map(kt, vt) => {
                    pairs.iter().all(|(k, v)| self.may_assign(k, kt) && self.may_assign(v, vt))
                }
                CqlType::Set(_) => pairs.is_empty(),
                _ => false,
            },
            Term::Tuple(items) => match target {
                CqlType::Tuple(types) => {
                    items.len() <= types.len()
                        && types.iter().zip(items).all(|(t, item)| self.may_assign(item, t))
                }
                _ => false,
            },
            Term::Udt(fields) => match target {
                CqlType::Udt(u) => u.fields.iter().all(|(f, fty)| {
                    fields
                        .iter()
                        .find(|(n, _)| &n.0 == f)
                        .is_none_or(|(_, t)| self.may_assign(t, fty))
                }),
                _ => false,
            },
            Term::Null
            | Term::BindMarker(..)
            | Term::Function(..)
            | Term::Negate(_)
            | Term::Binary(..) => true,
        }
    }

    /// Refuses a `kind` literal (list, set or vector) with an element that cannot be
    /// of type `elem`, before any element is read, as Cassandra does.
    fn check_elements(
        &self,
        kind: &str,
        items: &[Term],
        elem: &CqlType,
        receiver: &str,
    ) -> Result<(), Error> {
        match items.iter().find(|t| !self.may_assign(t, elem)) {
            Some(bad) => Err(Error::invalid(format!(
                "Invalid {kind} literal for {receiver}: value {} is not of type {elem}",
                cassandra_text(bad)
            ))),
            None => Ok(()),
        }
    }

    pub(super) fn hint_type(
        &self,
        hint: &crate::ast::TypeSyntax,
        ks: &str,
    ) -> Result<CqlType, Error> {
        let keyspace = self.keyspaces.get(ks).cloned().unwrap_or_else(|| crate::schema::Keyspace {
            name: ks.to_string(),
            replication: Default::default(),
            durable_writes: true,
            tables: Default::default(),
            types: Default::default(),
        });
        crate::schema::resolve_type(hint, &keyspace)
    }

    fn eval_elements(
        &mut self,
        items: &[Term],
        elem: &CqlType,
        receiver: &str,
        ctx: &Ctx,
    ) -> Result<Vec<Value>, Error> {
        let mut out = Vec::new();
        for t in items {
            match self.eval(t, elem, receiver, ctx)? {
                Some(v) => out.push(v),
                None => return Err(Error::invalid("null is not supported inside collections")),
            }
        }
        Ok(out)
    }

    /// Evaluates a scalar function call in a term, returning its value and type.
    pub(crate) fn eval_function(
        &mut self,
        name: &QualifiedName,
        args: &[Term],
        ctx: &Ctx,
    ) -> Result<(Option<Value>, CqlType), Error> {
        if let Some(ks) = &name.keyspace
            && ks.0 != "system"
        {
            return Err(Error::invalid(format!("Unknown function {name}")));
        }
        let fname = name.name.0.to_ascii_lowercase();
        // toJson() needs its argument's type, which only a selection knows.
        if fname == "tojson" || fname == "to_json" {
            return Err(Error::invalid("toJson() may only be used within the selection clause"));
        }
        let n = |t: NativeType| CqlType::Native(t);
        let arity = |want: usize| -> Result<(), Error> {
            if args.len() == want {
                Ok(())
            } else {
                Err(Error::invalid(format!(
                    "Invalid number of arguments in call to function {}: {want} required but {} provided",
                    function_display(name),
                    args.len()
                )))
            }
        };
        match fname.as_str() {
            "now" | "currenttimeuuid" => {
                arity(0)?;
                Ok((
                    Some(Value::Timeuuid(self.timeuuids.next(ctx.now_us))),
                    n(NativeType::Timeuuid),
                ))
            }
            "uuid" => {
                arity(0)?;
                Ok((Some(Value::Uuid(self.rng.uuid_v4())), n(NativeType::Uuid)))
            }
            "currenttimestamp" => {
                arity(0)?;
                Ok((Some(Value::Timestamp(ctx.now_ms())), n(NativeType::Timestamp)))
            }
            "currentdate" => {
                arity(0)?;
                Ok((Some(date_of_ms(ctx.now_ms())), n(NativeType::Date)))
            }
            "currenttime" => {
                arity(0)?;
                let ns = ctx.now_us.rem_euclid(86_400_000_000) * 1000;
                Ok((Some(Value::Time(ns)), n(NativeType::Time)))
            }
            "totimestamp" | "todate" | "tounixtimestamp" | "mintimeuuid" | "maxtimeuuid" => {
                arity(1)?;
                let params: &[NativeType] = match fname.as_str() {
                    "mintimeuuid" | "maxtimeuuid" => &[NativeType::Timestamp],
                    _ => &[NativeType::Timeuuid, NativeType::Timestamp, NativeType::Date],
                };
                let (arg, aty) = self.eval_untyped(args, params, ctx)?;
                let Some(arg) = arg else { return Ok((None, result_type(&fname))) };
                let _ = aty;
                Ok((Some(time_function(&fname, &arg)?), result_type(&fname)))
            }
            _ => {
                if let Some(rest) = fname.strip_suffix("asblob")
                    && let Some(nt) = NativeType::from_name(rest)
                {
                    arity(1)?;
                    let (v, _) = self.eval_untyped(args, &[nt], ctx)?;
                    let bytes = v.map(|v| crate::types::serialize(&v));
                    return Ok((bytes.map(Value::Blob), n(NativeType::Blob)));
                }
                if let Some(rest) = fname.strip_prefix("blobas")
                    && let Some(nt) = NativeType::from_name(rest)
                {
                    arity(1)?;
                    let (v, _) = self.eval_untyped(args, &[NativeType::Blob], ctx)?;
                    let out = match v {
                        Some(Value::Blob(b)) => crate::types::blob_as(nt, &b)?,
                        _ => None,
                    };
                    return Ok((out, n(nt)));
                }
                self.eval_native_call(name, args, ctx)
            }
        }
    }

    /// Any other native scalar function of literal arguments: each argument has its
    /// literal's own type (or its inner call's result type).
    fn eval_native_call(
        &mut self,
        name: &QualifiedName,
        args: &[Term],
        ctx: &Ctx,
    ) -> Result<(Option<Value>, CqlType), Error> {
        let display = function_display(name);
        let mut typed = Vec::new();
        for a in args {
            let (v, ty) = match a {
                Term::Function(f, inner) => self.eval_function(f, inner, ctx)?,
                _ => {
                    let Some(ty) = super::select::literal_type(a) else {
                        return Err(Error::invalid(format!(
                            "Cannot infer type for term {a} in selection clause (try using a cast to force a type)"
                        )));
                    };
                    (self.eval(a, &ty, &a.to_string(), ctx)?, ty)
                }
            };
            typed.push((ty, v));
        }
        let types: Vec<CqlType> = typed.iter().map(|(t, _)| t.clone()).collect();
        let fail = || {
            let shown: Vec<(String, CqlType)> =
                args.iter().zip(&types).map(|(a, t)| (a.to_string(), t.clone())).collect();
            crate::types::scalar_call_error(&display, &shown)
        };
        let Some(rty) = crate::types::scalar_result_type(&name.name.0, &types) else {
            return Err(fail());
        };
        let mut fctx = crate::types::FunctionContext {
            now_micros: ctx.now_us,
            timeuuids: &mut self.timeuuids,
            rng: &mut self.rng,
        };
        match crate::types::call_scalar(&name.name.0, &typed, &mut fctx) {
            Some(r) => Ok((r?, rty)),
            None => Err(fail()),
        }
    }

    /// Evaluates a single function argument whose type is one of `params` (tried in order).
    fn eval_untyped(
        &mut self,
        args: &[Term],
        params: &[NativeType],
        ctx: &Ctx,
    ) -> Result<(Option<Value>, CqlType), Error> {
        let Some(arg) = args.first() else { return Ok((None, CqlType::Native(NativeType::Blob))) };
        if let Term::Function(name, inner) = arg {
            let (v, t) = self.eval_function(name, inner, ctx)?;
            return Ok((v, t));
        }
        let mut last = None;
        for p in params {
            let ty = CqlType::Native(*p);
            match self.eval(arg, &ty, "argument", ctx) {
                Ok(v) => return Ok((v, ty)),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| Error::invalid("invalid function argument")))
    }
}

fn result_type(fname: &str) -> CqlType {
    CqlType::Native(match fname {
        "totimestamp" => NativeType::Timestamp,
        "todate" => NativeType::Date,
        "tounixtimestamp" => NativeType::Bigint,
        _ => NativeType::Timeuuid,
    })
}

/// The date holding the instant `ms`.
pub(crate) fn date_of_ms(ms: i64) -> Value {
    let days = ms.div_euclid(MS_PER_DAY) + DATE_EPOCH;
    Value::Date(u32::try_from(days).unwrap_or(0))
}

/// Applies one of the time conversion functions to a value.
pub(crate) fn time_function(fname: &str, arg: &Value) -> Result<Value, Error> {
    let ms = match arg {
        Value::Timeuuid(u) | Value::Uuid(u) => u.unix_millis(),
        Value::Timestamp(ms) => *ms,
        Value::Date(d) => (i64::from(*d) - DATE_EPOCH) * MS_PER_DAY,
        _ => return Err(Error::invalid(format!("Invalid argument for function {fname}"))),
    };
    Ok(match fname {
        "totimestamp" | "dateof" => Value::Timestamp(ms),
        "todate" => date_of_ms(ms),
        "tounixtimestamp" | "unixtimestampof" => Value::Bigint(ms),
        "mintimeuuid" => Value::Timeuuid(Uuid::min_timeuuid(ms)),
        _ => Value::Timeuuid(Uuid::max_timeuuid(ms)),
    })
}

/// How Cassandra names a function in messages and column headers (`system.now`).
pub(crate) fn function_display(name: &QualifiedName) -> String {
    match &name.keyspace {
        Some(ks) => format!("{}.{}", ks.0, name.name.0.to_ascii_lowercase()),
        None => format!("system.{}", name.name.0.to_ascii_lowercase()),
    }
}
