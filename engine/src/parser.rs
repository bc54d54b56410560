//! A hand-written recursive-descent parser for CQL, reporting errors the way Cassandra's
//! ANTLR parser words them (`line 1:7 mismatched input 'x' expecting K_FROM (...)`).

use crate::Error;
use crate::ast::*;
use crate::lexer::{Tok, Token, tokenize};
use crate::types::{Constant, NativeType, is_reserved_keyword_any_case};

/// Parses exactly one statement (an optional trailing `;` aside).
pub fn parse_statement(src: &str) -> Result<Statement, Error> {
    parse_with_markers(src).map(|(stmt, _)| stmt)
}

/// Parses one statement and returns it with its bind markers in order (`None` for `?`,
/// the name for `:name`).
pub(crate) fn parse_with_markers(src: &str) -> Result<(Statement, Vec<Option<Ident>>), Error> {
    // cqlsh sends a statement without its closing `;`, and Cassandra's error snippets
    // are cut from the text it receives.
    let src = src.trim_end().trim_end_matches(';').trim_end();
    let mut p = Parser::new(src)?;
    let stmt = p.statement()?;
    while p.eat_punct(";") {}
    if !p.at_eof() {
        return Err(p.mismatched("EOF"));
    }
    Ok((stmt, p.markers))
}

/// Parses a script of `;`-separated statements, returning each with its source text.
pub fn parse_script(src: &str) -> Result<Vec<(Statement, String)>, Error> {
    let mut p = Parser::new(src)?;
    let mut out = Vec::new();
    loop {
        while p.eat_punct(";") {}
        if p.at_eof() {
            return Ok(out);
        }
        let start = p.current().start;
        // Each statement of a script numbers its own markers from zero.
        p.markers.clear();
        let stmt = p.statement()?;
        let end = p.prev_end();
        out.push((stmt, src.get(start..end).unwrap_or("").to_string()));
        if !p.at_eof() && !p.eat_punct(";") {
            return Err(p.mismatched("';'"));
        }
    }
}

/// Splits a script into statement texts at top-level `;` (those inside a BATCH belong
/// to it), without parsing them, so one bad statement does not hide the others. Text
/// that does not even lex is returned whole.
pub fn split_statements(src: &str) -> Vec<String> {
    let Ok(tokens) = tokenize(src) else { return vec![src.trim().to_string()] };
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut in_batch = false;
    let mut prev_word: Option<String> = None;
    for t in &tokens {
        match &t.tok {
            Tok::Hidden => continue,
            Tok::Eof => break,
            Tok::Punct(";") if !in_batch => {
                if let Some(s) = start.take() {
                    out.push(src.get(s..t.start).unwrap_or("").trim().to_string());
                }
                prev_word = None;
                continue;
            }
            Tok::Ident(w) => {
                let lower = w.to_ascii_lowercase();
                if lower == "batch" {
                    match prev_word.as_deref() {
                        Some("begin" | "unlogged" | "counter") => in_batch = true,
                        Some("apply") => in_batch = false,
                        _ => {}
                    }
                }
                prev_word = Some(lower);
            }
            _ => prev_word = None,
        }
        if start.is_none() {
            start = Some(t.start);
        }
    }
    if let Some(s) = start {
        out.push(src.get(s..).unwrap_or("").trim().to_string());
    }
    out
}

/// Deepest nesting of terms and types accepted, so hostile input cannot overflow the stack.
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    /// Indices of the non-hidden tokens (the last is EOF).
    sig: Vec<usize>,
    pos: usize,
    depth: usize,
    /// The bind markers met so far in the current statement, in order, with their names.
    markers: Vec<Option<Ident>>,
}

/// Whether `word` cannot be an unquoted identifier: the rule of
/// [`crate::types::maybe_quote`] applied to the lower-cased word, checked without
/// allocating since it runs on every identifier of every statement.
fn is_reserved(word: &str) -> bool {
    let plain = word.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !is_reserved_keyword_any_case(word);
    !plain
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Result<Self, Error> {
        let tokens = tokenize(src)?;
        let sig = tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.tok != Tok::Hidden)
            .map(|(i, _)| i)
            .collect();
        Ok(Parser { src, tokens, sig, pos: 0, depth: 0, markers: Vec::new() })
    }

    fn token_at(&self, ahead: usize) -> &Token {
        let idx = self.sig.get(self.pos + ahead).or(self.sig.last()).copied().unwrap_or(0);
        // `tokenize` always ends with EOF, so the list is never empty.
        &self.tokens[idx.min(self.tokens.len().saturating_sub(1))]
    }

    fn current(&self) -> &Token {
        self.token_at(0)
    }

    fn prev_end(&self) -> usize {
        if self.pos == 0 {
            return 0;
        }
        self.sig.get(self.pos - 1).and_then(|&i| self.tokens.get(i)).map_or(0, |t| t.end)
    }

    fn peek(&self, ahead: usize) -> &Tok {
        &self.token_at(ahead).tok
    }

    fn at_eof(&self) -> bool {
        matches!(self.peek(0), Tok::Eof)
    }

    fn advance(&mut self) {
        if !self.at_eof() {
            self.pos += 1;
        }
    }

    fn is_kw_at(&self, ahead: usize, kw: &str) -> bool {
        matches!(self.peek(ahead), Tok::Ident(w) if w.eq_ignore_ascii_case(kw))
    }

    fn is_kw(&self, kw: &str) -> bool {
        self.is_kw_at(0, kw)
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.is_kw(kw) {
            self.advance();
            true
        } else {
            false
        }
    }

    fn expect_kw(&mut self, kw: &str) -> Result<(), Error> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            Err(self.mismatched(&format!("K_{}", kw.to_ascii_uppercase())))
        }
    }

    fn is_punct_at(&self, ahead: usize, p: &str) -> bool {
        matches!(self.peek(ahead), Tok::Punct(q) if *q == p)
    }

    fn is_punct(&self, p: &str) -> bool {
        self.is_punct_at(0, p)
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        if self.is_punct(p) {
            self.advance();
            true
        } else {
            false
        }
    }

    fn expect_punct(&mut self, p: &str) -> Result<(), Error> {
        if self.eat_punct(p) { Ok(()) } else { Err(self.mismatched(&format!("'{p}'"))) }
    }

    // ---- errors ----

    /// Cassandra's query snippet: the text from ten tokens (hidden ones included) before
    /// the offending token to two after it, the offending token in brackets, and `...`
    /// where the query goes on (always when the snippet reaches the end of input).
    fn snippet(&self) -> String {
        self.snippet_at(self.pos)
    }

    fn snippet_at(&self, pos: usize) -> String {
        let last = self.tokens.len().saturating_sub(1);
        let offending_idx = self.sig.get(pos).copied().unwrap_or(last);
        let from = offending_idx.saturating_sub(10);
        let to = (offending_idx + 2).min(last);
        let (Some(from_t), Some(to_t), Some(off_t)) =
            (self.tokens.get(from), self.tokens.get(to), self.tokens.get(offending_idx))
        else {
            return String::new();
        };
        let to_is_eof = to_t.tok == Tok::Eof;
        let end = if to_is_eof { self.src.len() } else { to_t.end };
        let mut s = String::from(" (");
        if from_t.start > 0 {
            s.push_str("...");
        }
        let piece = |a: usize, b: usize| self.src.get(a..b).unwrap_or("").replace('\n', "");
        if off_t.tok == Tok::Eof {
            s.push_str(&piece(from_t.start, end));
        } else {
            s.push_str(&piece(from_t.start, off_t.start));
            s.push('[');
            s.push_str(&piece(off_t.start, off_t.end));
            s.push(']');
            s.push_str(&piece(off_t.end, end));
        }
        if to_is_eof || end < self.src.len() {
            s.push_str("...");
        }
        s.push(')');
        s
    }

    fn position(&self) -> String {
        let t = self.current();
        format!("line {}:{}", t.line, t.col)
    }

    fn mismatched(&self, expecting: &str) -> Error {
        let t = self.current();
        Error::syntax(format!(
            "{} mismatched input '{}' expecting {expecting}{}",
            self.position(),
            t.display(self.src),
            self.snippet()
        ))
    }

    fn no_viable(&self) -> Error {
        let t = self.current();
        Error::syntax(format!(
            "{} no viable alternative at input '{}'{}",
            self.position(),
            t.display(self.src),
            self.snippet()
        ))
    }

    /// "no viable alternative" for a choice that began at `start`: ANTLR names the token
    /// where prediction failed but highlights where the choice began.
    fn no_viable_from(&self, start: usize) -> Error {
        let t = self.current();
        Error::syntax(format!(
            "{} no viable alternative at input '{}'{}",
            self.position(),
            t.display(self.src),
            self.snippet_at(start)
        ))
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Error::syntax(format!(
                "{} the statement nests deeper than {MAX_DEPTH} levels",
                self.position()
            )));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    // ---- identifiers ----

    fn is_ident_at(&self, ahead: usize) -> bool {
        match self.peek(ahead) {
            Tok::Ident(w) => !is_reserved(w),
            Tok::QuotedIdent(_) => true,
            _ => false,
        }
    }

    fn ident(&mut self) -> Result<Ident, Error> {
        let id = match self.peek(0) {
            Tok::Ident(w) if !is_reserved(w) => Ident(w.to_ascii_lowercase()),
            Tok::QuotedIdent(w) => {
                if w.is_empty() {
                    return Err(self.no_viable());
                }
                Ident(w.clone())
            }
            // Every identifier rule of Cassandra's grammar has several alternatives, so a
            // reserved word fails the choice rather than one expected token.
            _ => return Err(self.no_viable()),
        };
        self.advance();
        Ok(id)
    }

    /// A keyspace's name, where Cassandra's grammar singles out a bind marker.
    fn keyspace_name(&mut self) -> Result<Ident, Error> {
        if self.is_punct("?") {
            return Err(Error::syntax("Bind variables cannot be used for keyspace names"));
        }
        self.ident()
    }

    fn qualified(&mut self) -> Result<QualifiedName, Error> {
        let first = self.ident()?;
        if self.eat_punct(".") {
            let name = self.ident()?;
            Ok(QualifiedName { keyspace: Some(first), name })
        } else {
            Ok(QualifiedName { keyspace: None, name: first })
        }
    }

    fn ident_list(&mut self) -> Result<Vec<Ident>, Error> {
        let mut out = vec![self.ident()?];
        while self.eat_punct(",") {
            out.push(self.ident()?);
        }
        Ok(out)
    }

    fn if_not_exists(&mut self) -> Result<bool, Error> {
        if self.is_kw("if") {
            self.advance();
            self.expect_kw("not")?;
            self.expect_kw("exists")?;
            return Ok(true);
        }
        Ok(false)
    }

    fn if_exists(&mut self) -> Result<bool, Error> {
        if self.is_kw("if") && self.is_kw_at(1, "exists") {
            self.advance();
            self.advance();
            return Ok(true);
        }
        Ok(false)
    }

    // ---- statements ----

    fn statement(&mut self) -> Result<Statement, Error> {
        let Tok::Ident(word) = self.peek(0).clone() else { return Err(self.no_viable()) };
        match word.to_ascii_lowercase().as_str() {
            "select" => Ok(Statement::Select(Box::new(self.select()?))),
            "insert" => self.insert(),
            "update" => self.update(),
            "delete" => self.delete(),
            "begin" => self.batch(),
            "use" => {
                self.advance();
                Ok(Statement::Use(self.keyspace_name()?))
            }
            "truncate" => {
                self.advance();
                if !self.eat_kw("table") {
                    self.eat_kw("columnfamily");
                }
                Ok(Statement::Truncate(self.qualified()?))
            }
            "create" => self.create(),
            "alter" => self.alter(),
            "drop" => self.drop(),
            "grant" | "revoke" => self.unsupported("roles and permissions"),
            "list" if self.is_ident_like_at(1) => self.unsupported("roles and permissions"),
            "describe" | "desc" => self.describe(),
            _ => Err(self.no_viable()),
        }
    }

    /// `DESCRIBE`, with Cassandra's grammar: the keyword forms first, then a bare
    /// `[ks.]name`, then an optional `WITH INTERNALS`.
    fn describe(&mut self) -> Result<Statement, Error> {
        self.advance();
        let word = match self.peek(0) {
            Tok::Ident(w) => w.to_ascii_lowercase(),
            Tok::QuotedIdent(_) => String::new(),
            _ => return Err(self.no_viable()),
        };
        let name_follows = |p: &Self| p.is_ident_at(1);
        let target = match word.as_str() {
            "cluster" => {
                self.advance();
                DescribeTarget::Cluster
            }
            "schema" => {
                self.advance();
                DescribeTarget::Schema(false)
            }
            "full" => {
                self.advance();
                self.expect_kw("schema")?;
                DescribeTarget::Schema(true)
            }
            "keyspaces" => {
                self.advance();
                DescribeTarget::Keyspaces
            }
            "only" | "keyspace" => {
                let only = self.eat_kw("only");
                self.expect_kw("keyspace")?;
                let ks = if self.is_ident_at(0) { Some(self.ident()?) } else { None };
                DescribeTarget::Keyspace(only, ks)
            }
            "tables" | "columnfamilies" => {
                self.advance();
                DescribeTarget::Tables
            }
            "table" | "columnfamily" if name_follows(self) => {
                self.advance();
                DescribeTarget::Table(self.qualified()?)
            }
            "index" if name_follows(self) => {
                self.advance();
                DescribeTarget::Index(self.qualified()?)
            }
            "materialized" if self.is_kw_at(1, "view") => {
                self.advance();
                self.advance();
                DescribeTarget::MaterializedView(self.qualified()?)
            }
            "types" => {
                self.advance();
                DescribeTarget::Types
            }
            "type" if name_follows(self) => {
                self.advance();
                DescribeTarget::Type(self.qualified()?)
            }
            "functions" => {
                self.advance();
                DescribeTarget::Functions
            }
            "function" if name_follows(self) => {
                self.advance();
                DescribeTarget::Function(self.qualified()?)
            }
            "aggregates" => {
                self.advance();
                DescribeTarget::Aggregates
            }
            "aggregate" if name_follows(self) => {
                self.advance();
                DescribeTarget::Aggregate(self.qualified()?)
            }
            "table" | "columnfamily" | "index" | "type" | "function" | "aggregate" => {
                self.advance();
                return Err(self.no_viable());
            }
            _ => DescribeTarget::Generic(self.qualified()?),
        };
        let internals = if self.is_kw("with") {
            self.advance();
            self.expect_kw("internals")?;
            true
        } else {
            false
        };
        Ok(Statement::Describe(Describe { target, internals }))
    }

    fn is_ident_like_at(&self, ahead: usize) -> bool {
        matches!(self.peek(ahead), Tok::Ident(_))
    }

    /// Consumes the rest of a recognised but unimplemented statement.
    fn unsupported(&mut self, feature: &str) -> Result<Statement, Error> {
        let start = self.current().start;
        let mut depth = 0usize;
        while !self.at_eof() {
            if self.is_punct(";") && depth == 0 {
                break;
            }
            // Function bodies are $$ strings; BEGIN/END pairs do not occur outside them.
            if self.is_punct("(") {
                depth += 1;
            } else if self.is_punct(")") {
                depth = depth.saturating_sub(1);
            }
            self.advance();
        }
        let text = self.src.get(start..self.prev_end()).unwrap_or("").to_string();
        Ok(Statement::Unsupported { feature: feature.to_string(), text })
    }

    /// `CREATE`/`ALTER`/`DROP` `ROLE`/`USER`, at `ROLE` or `USER`. Roles are not
    /// implemented, but Cassandra's grammar refuses some of these statements before any
    /// role is looked at, and so does the engine.
    fn roles(&mut self) -> Result<Statement, Error> {
        let mut ahead = 1;
        while self.is_kw_at(ahead, "if")
            || self.is_kw_at(ahead, "not")
            || self.is_kw_at(ahead, "exists")
        {
            ahead += 1;
        }
        if self.is_kw("user") && matches!(self.peek(ahead), Tok::QuotedIdent(_)) {
            return Err(Error::syntax(
                "Quoted strings are are not supported for user names and USER is deprecated, please use ROLE",
            ));
        }
        while !matches!(self.peek(ahead), Tok::Eof) && !self.is_punct_at(ahead, ";") {
            // Custom options are a map literal and nothing else.
            if self.is_kw_at(ahead, "options")
                && self.is_punct_at(ahead + 1, "=")
                && !self.is_punct_at(ahead + 2, "{")
            {
                for _ in 0..ahead + 2 {
                    self.advance();
                }
                return Err(self.mismatched("'{'"));
            }
            ahead += 1;
        }
        self.unsupported("roles and permissions")
    }

    fn create(&mut self) -> Result<Statement, Error> {
        self.advance();
        let Tok::Ident(word) = self.peek(0).clone() else { return Err(self.no_viable()) };
        match word.to_ascii_lowercase().as_str() {
            "keyspace" | "schema" => {
                self.advance();
                let if_not_exists = self.if_not_exists()?;
                let name = self.keyspace_name()?;
                self.expect_kw("with")?;
                let options = self.properties()?;
                Ok(Statement::CreateKeyspace { if_not_exists, name, options })
            }
            "table" | "columnfamily" => {
                self.advance();
                self.create_table()
            }
            "type" => {
                self.advance();
                let if_not_exists = self.if_not_exists()?;
                let name = self.qualified()?;
                self.expect_punct("(")?;
                let mut fields = Vec::new();
                loop {
                    let f = self.ident()?;
                    let t = self.type_syntax()?;
                    fields.push((f, t));
                    // Cassandra's grammar lets the field list end with a comma.
                    if !self.eat_punct(",") || self.is_punct(")") {
                        break;
                    }
                }
                self.expect_punct(")")?;
                Ok(Statement::CreateType { if_not_exists, name, fields })
            }
            "index" | "custom" => self.create_index(),
            "function" | "or" => self.unsupported("user-defined functions"),
            "aggregate" => self.unsupported("user-defined aggregates"),
            "materialized" => self.unsupported("materialized views"),
            "role" | "user" => self.roles(),
            "trigger" => self.unsupported("triggers"),
            _ => Err(self.no_viable()),
        }
    }

    fn create_table(&mut self) -> Result<Statement, Error> {
        let if_not_exists = self.if_not_exists()?;
        let name = self.qualified()?;
        self.expect_punct("(")?;
        let mut columns = Vec::new();
        let mut primary_key = None;
        loop {
            if self.is_kw("primary") {
                self.advance();
                self.expect_kw("key")?;
                self.expect_punct("(")?;
                let partition = if self.eat_punct("(") {
                    let ids = self.ident_list()?;
                    self.expect_punct(")")?;
                    ids
                } else {
                    vec![self.ident()?]
                };
                let mut clustering = Vec::new();
                while self.eat_punct(",") {
                    clustering.push(self.ident()?);
                }
                self.expect_punct(")")?;
                primary_key = Some((partition, clustering));
            } else {
                columns.push(self.column_def(true)?);
            }
            if !self.eat_punct(",") {
                break;
            }
            if self.is_punct(")") {
                break;
            }
        }
        self.expect_punct(")")?;
        let mut ct = CreateTable {
            if_not_exists,
            name,
            columns,
            primary_key,
            clustering_order: Vec::new(),
            compact_storage: false,
            options: Vec::new(),
        };
        if self.eat_kw("with") {
            loop {
                if self.is_kw("compact") {
                    self.advance();
                    self.expect_kw("storage")?;
                    ct.compact_storage = true;
                } else if self.is_kw("clustering") {
                    self.advance();
                    self.expect_kw("order")?;
                    self.expect_kw("by")?;
                    self.expect_punct("(")?;
                    loop {
                        let c = self.ident()?;
                        let o = if self.eat_kw("desc") {
                            Order::Desc
                        } else {
                            self.eat_kw("asc");
                            Order::Asc
                        };
                        ct.clustering_order.push((c, o));
                        if !self.eat_punct(",") {
                            break;
                        }
                    }
                    self.expect_punct(")")?;
                } else {
                    ct.options.push(self.property()?);
                }
                if !self.eat_kw("and") {
                    break;
                }
            }
        }
        Ok(Statement::CreateTable(ct))
    }

    fn column_def(&mut self, allow_pk: bool) -> Result<ColumnDef, Error> {
        let name = self.ident()?;
        let ty = self.type_syntax()?;
        let is_static = self.eat_kw("static");
        let mut primary_key = false;
        if allow_pk && self.is_kw("primary") {
            self.advance();
            self.expect_kw("key")?;
            primary_key = true;
        }
        Ok(ColumnDef { name, ty, is_static, primary_key })
    }

    fn create_index(&mut self) -> Result<Statement, Error> {
        let custom = self.eat_kw("custom");
        self.expect_kw("index")?;
        let if_not_exists = self.if_not_exists()?;
        let name = if self.is_kw("on") { None } else { Some(self.ident()?) };
        self.expect_kw("on")?;
        let table = self.qualified()?;
        self.expect_punct("(")?;
        let kind = [
            ("keys", IndexKind::Keys),
            ("values", IndexKind::Values),
            ("entries", IndexKind::Entries),
            ("full", IndexKind::Full),
        ]
        .into_iter()
        .find(|(kw, _)| self.is_kw(kw) && self.is_punct_at(1, "("))
        .map(|(_, k)| k);
        let target = if let Some(kind) = kind {
            self.advance();
            self.advance();
            let c = self.ident()?;
            self.expect_punct(")")?;
            (kind, c)
        } else {
            (IndexKind::Simple, self.ident()?)
        };
        self.expect_punct(")")?;
        let class = if self.eat_kw("using") {
            match self.peek(0).clone() {
                Tok::Str(s) => {
                    self.advance();
                    Some(s)
                }
                _ => return Err(self.mismatched("STRING_LITERAL")),
            }
        } else {
            None
        };
        if custom && class.is_none() {
            return Err(self.mismatched("K_USING"));
        }
        let options = if self.eat_kw("with") { self.properties()? } else { Vec::new() };
        Ok(Statement::CreateIndex { if_not_exists, name, table, target, custom: class, options })
    }

    fn alter(&mut self) -> Result<Statement, Error> {
        self.advance();
        let Tok::Ident(word) = self.peek(0).clone() else { return Err(self.no_viable()) };
        match word.to_ascii_lowercase().as_str() {
            "keyspace" | "schema" => {
                self.advance();
                let if_exists = self.if_exists()?;
                let name = self.keyspace_name()?;
                self.expect_kw("with")?;
                let options = self.properties()?;
                Ok(Statement::AlterKeyspace { if_exists, name, options })
            }
            "table" | "columnfamily" => {
                self.advance();
                let if_exists = self.if_exists()?;
                let name = self.qualified()?;
                let action = self.alter_table_action()?;
                Ok(Statement::AlterTable { if_exists, name, action })
            }
            "type" => {
                self.advance();
                let if_exists = self.if_exists()?;
                let name = self.qualified()?;
                let action = if self.eat_kw("add") {
                    let ine = self.if_not_exists()?;
                    let f = self.ident()?;
                    AlterTypeAction::Add(ine, f, self.type_syntax()?)
                } else if self.eat_kw("rename") {
                    let ie = self.if_exists()?;
                    AlterTypeAction::Rename(ie, self.renames()?)
                } else if self.eat_kw("alter") {
                    let f = self.ident()?;
                    self.expect_kw("type")?;
                    AlterTypeAction::AlterType(f, self.type_syntax()?)
                } else {
                    return Err(self.no_viable());
                };
                Ok(Statement::AlterType { if_exists, name, action })
            }
            "materialized" => self.unsupported("materialized views"),
            "role" | "user" => self.roles(),
            _ => Err(self.no_viable()),
        }
    }

    fn renames(&mut self) -> Result<Vec<(Ident, Ident)>, Error> {
        let mut out = Vec::new();
        loop {
            let a = self.ident()?;
            self.expect_kw("to")?;
            out.push((a, self.ident()?));
            if !self.eat_kw("and") {
                return Ok(out);
            }
        }
    }

    fn alter_table_action(&mut self) -> Result<AlterTableAction, Error> {
        if self.eat_kw("add") {
            let ine = self.if_not_exists()?;
            let mut cols = Vec::new();
            if self.eat_punct("(") {
                loop {
                    cols.push(self.column_def(false)?);
                    if !self.eat_punct(",") {
                        break;
                    }
                }
                self.expect_punct(")")?;
            } else {
                cols.push(self.column_def(false)?);
            }
            return Ok(AlterTableAction::Add(ine, cols));
        }
        if self.eat_kw("drop") {
            let ie = self.if_exists()?;
            let cols = if self.eat_punct("(") {
                let ids = self.ident_list()?;
                self.expect_punct(")")?;
                ids
            } else {
                vec![self.ident()?]
            };
            let mut ts = None;
            if self.eat_kw("using") {
                self.expect_kw("timestamp")?;
                let Tok::Integer(n) = self.peek(0).clone() else {
                    return Err(self.mismatched("INTEGER"));
                };
                // Cassandra reads the literal as a long and fails the statement otherwise.
                let n = n.parse::<i64>().map_err(|_| {
                    Error::syntax(format!("Invalid integer literal for USING TIMESTAMP: {n}"))
                })?;
                self.advance();
                ts = Some(n);
            }
            return Ok(AlterTableAction::Drop(ie, cols, ts));
        }
        if self.eat_kw("rename") {
            let ie = self.if_exists()?;
            return Ok(AlterTableAction::Rename(ie, self.renames()?));
        }
        if self.eat_kw("alter") {
            let c = self.ident()?;
            self.expect_kw("type")?;
            return Ok(AlterTableAction::AlterType(c, self.type_syntax()?));
        }
        if self.eat_kw("with") {
            return Ok(AlterTableAction::With(self.properties()?));
        }
        Err(self.no_viable())
    }

    fn drop(&mut self) -> Result<Statement, Error> {
        self.advance();
        let Tok::Ident(word) = self.peek(0).clone() else { return Err(self.no_viable()) };
        match word.to_ascii_lowercase().as_str() {
            "keyspace" | "schema" => {
                self.advance();
                let if_exists = self.if_exists()?;
                Ok(Statement::DropKeyspace { if_exists, name: self.keyspace_name()? })
            }
            "table" | "columnfamily" => {
                self.advance();
                let if_exists = self.if_exists()?;
                Ok(Statement::DropTable { if_exists, name: self.qualified()? })
            }
            "type" => {
                self.advance();
                let if_exists = self.if_exists()?;
                Ok(Statement::DropType { if_exists, name: self.qualified()? })
            }
            "index" => {
                self.advance();
                let if_exists = self.if_exists()?;
                Ok(Statement::DropIndex { if_exists, name: self.qualified()? })
            }
            "function" => self.unsupported("user-defined functions"),
            "aggregate" => self.unsupported("user-defined aggregates"),
            "materialized" => self.unsupported("materialized views"),
            "role" | "user" => self.roles(),
            "trigger" => self.unsupported("triggers"),
            _ => Err(self.no_viable()),
        }
    }

    fn properties(&mut self) -> Result<Vec<Property>, Error> {
        let mut out = vec![self.property()?];
        while self.eat_kw("and") {
            out.push(self.property()?);
        }
        Ok(out)
    }

    fn property(&mut self) -> Result<Property, Error> {
        let name = self.ident()?;
        self.expect_punct("=")?;
        // Cassandra takes an unreserved keyword, such as a type name, as a property's value
        // and keeps its text, so an unknown property named with one fails on its name.
        if let Tok::Ident(w) = self.peek(0)
            && !self.is_punct_at(1, "(")
            && !self.is_punct_at(1, "<")
            && NativeType::from_name(&w.to_ascii_lowercase()).is_some()
        {
            let value = Term::Constant(Constant::String(w.to_ascii_lowercase()));
            self.advance();
            return Ok(Property { name, value });
        }
        let value = self.term()?;
        if let Term::Map(pairs) = &value {
            let raw = |t: &Term| match t {
                Term::Constant(Constant::String(s)) => s.clone(),
                other => other.to_string(),
            };
            for (i, (k, _)) in pairs.iter().enumerate() {
                let key = raw(k);
                if pairs.iter().take(i).any(|(o, _)| raw(o) == key) {
                    return Err(Error::syntax(format!("Multiple definition for property {key}")));
                }
            }
        }
        Ok(Property { name, value })
    }

    // ---- types ----

    fn type_syntax(&mut self) -> Result<TypeSyntax, Error> {
        self.enter()?;
        let t = self.type_inner();
        self.leave();
        t
    }

    fn type_inner(&mut self) -> Result<TypeSyntax, Error> {
        if let Tok::Str(s) = self.peek(0).clone() {
            self.advance();
            return Ok(TypeSyntax::Custom(s));
        }
        if let Tok::Ident(w) = self.peek(0).clone() {
            let lower = w.to_ascii_lowercase();
            let generic = self.is_punct_at(1, "<");
            match lower.as_str() {
                "list" | "set" | "frozen" if generic => {
                    self.advance();
                    self.advance();
                    let inner = Box::new(self.type_syntax()?);
                    self.expect_punct(">")?;
                    if lower == "frozen"
                        && matches!(*inner, TypeSyntax::Native(_) | TypeSyntax::Custom(_))
                    {
                        return Err(Error::syntax(format!(
                            "frozen<> is only allowed on collections, tuples, and user-defined types (got {inner})"
                        )));
                    }
                    return Ok(match lower.as_str() {
                        "list" => TypeSyntax::List(inner),
                        "set" => TypeSyntax::Set(inner),
                        _ => TypeSyntax::Frozen(inner),
                    });
                }
                "map" if generic => {
                    self.advance();
                    self.advance();
                    let k = self.type_syntax()?;
                    self.expect_punct(",")?;
                    let v = self.type_syntax()?;
                    self.expect_punct(">")?;
                    return Ok(TypeSyntax::Map(Box::new(k), Box::new(v)));
                }
                "tuple" if generic => {
                    self.advance();
                    self.advance();
                    let mut ts = vec![self.type_syntax()?];
                    while self.eat_punct(",") {
                        ts.push(self.type_syntax()?);
                    }
                    self.expect_punct(">")?;
                    return Ok(TypeSyntax::Tuple(ts));
                }
                "vector" if generic => {
                    self.advance();
                    self.advance();
                    let t = self.type_syntax()?;
                    self.expect_punct(",")?;
                    let n = match self.peek(0) {
                        Tok::Integer(n) => n.parse::<usize>().ok(),
                        _ => None,
                    };
                    let Some(n) = n else { return Err(self.mismatched("INTEGER")) };
                    self.advance();
                    self.expect_punct(">")?;
                    return Ok(TypeSyntax::Vector(Box::new(t), n));
                }
                _ => {}
            }
            if let Some(n) = NativeType::from_name(&lower)
                && !self.is_punct_at(1, ".")
            {
                self.advance();
                return Ok(TypeSyntax::Native(n));
            }
        }
        if self.is_ident_at(0) {
            return Ok(TypeSyntax::Udt(self.qualified()?));
        }
        Err(self.no_viable())
    }

    // ---- terms ----

    fn is_term_start_at(&self, ahead: usize) -> bool {
        match self.peek(ahead) {
            Tok::Str(_)
            | Tok::Integer(_)
            | Tok::Float(_)
            | Tok::Uuid(_)
            | Tok::Hex(_)
            | Tok::Duration(_) => true,
            Tok::Punct(p) => matches!(*p, "[" | "{" | "(" | "?" | ":" | "-"),
            Tok::Ident(w) => {
                let lower = w.to_ascii_lowercase();
                matches!(lower.as_str(), "true" | "false" | "null" | "nan" | "infinity")
                    || self.is_punct_at(ahead + 1, "(")
                    || (self.is_punct_at(ahead + 1, ".") && self.is_punct_at(ahead + 3, "("))
            }
            Tok::QuotedIdent(_) => {
                self.is_punct_at(ahead + 1, "(")
                    || (self.is_punct_at(ahead + 1, ".") && self.is_punct_at(ahead + 3, "("))
            }
            _ => false,
        }
    }

    fn term(&mut self) -> Result<Term, Error> {
        self.enter()?;
        let t = self.additive();
        self.leave();
        t
    }

    fn additive(&mut self) -> Result<Term, Error> {
        // `c = t + c` in UPDATE: a bare column after the operator is not ours.
        self.binary_chain(
            &[("+", '+'), ("-", '-')],
            Self::multiplicative,
            term_follows,
            |a, op, b| Term::Binary(Box::new(a), op, Box::new(b)),
        )
    }

    fn multiplicative(&mut self) -> Result<Term, Error> {
        self.binary_chain(
            &[("*", '*'), ("/", '/'), ("%", '%')],
            Self::unary,
            term_follows,
            |a, op, b| Term::Binary(Box::new(a), op, Box::new(b)),
        )
    }

    fn unary(&mut self) -> Result<Term, Error> {
        if self.is_punct("-") {
            match self.peek(1).clone() {
                Tok::Integer(s) => {
                    self.advance();
                    self.advance();
                    return Ok(Term::Constant(Constant::Integer(format!("-{s}"))));
                }
                Tok::Float(s) => {
                    self.advance();
                    self.advance();
                    return Ok(Term::Constant(Constant::Float(format!("-{s}"))));
                }
                Tok::Duration(s) => {
                    self.advance();
                    self.advance();
                    return Ok(Term::Constant(Constant::Duration(format!("-{s}"))));
                }
                Tok::Ident(w) if w.eq_ignore_ascii_case("infinity") => {
                    self.advance();
                    self.advance();
                    return Ok(Term::Constant(Constant::NegInfinity));
                }
                Tok::Ident(w) if w.eq_ignore_ascii_case("nan") => {
                    self.advance();
                    self.advance();
                    return Ok(Term::Constant(Constant::NaN));
                }
                _ => {
                    self.advance();
                    self.enter()?;
                    let inner = self.unary();
                    self.leave();
                    return Ok(Term::Negate(Box::new(inner?)));
                }
            }
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Term, Error> {
        let tok = self.peek(0).clone();
        let constant = match tok.clone() {
            Tok::Str(s) => Some(Constant::String(s)),
            Tok::Integer(s) => Some(Constant::Integer(s)),
            Tok::Float(s) => Some(Constant::Float(s)),
            Tok::Uuid(s) => Some(Constant::Uuid(s)),
            Tok::Hex(s) => Some(Constant::Hex(s)),
            Tok::Duration(s) => Some(Constant::Duration(s)),
            _ => None,
        };
        if let Some(c) = constant {
            self.advance();
            return Ok(Term::Constant(c));
        }
        match &tok {
            Tok::Ident(w) if !self.is_punct_at(1, "(") => {
                let c = match w.to_ascii_lowercase().as_str() {
                    "true" => Some(Term::Constant(Constant::Boolean(true))),
                    "false" => Some(Term::Constant(Constant::Boolean(false))),
                    "null" => Some(Term::Null),
                    "nan" => Some(Term::Constant(Constant::NaN)),
                    "infinity" => Some(Term::Constant(Constant::Infinity)),
                    _ => None,
                };
                if let Some(c) = c {
                    self.advance();
                    return Ok(c);
                }
            }
            _ => {}
        }
        if self.eat_punct("?") {
            self.markers.push(None);
            return Ok(Term::BindMarker(self.markers.len() - 1, None));
        }
        if self.eat_punct(":") {
            let name = self.ident()?;
            self.markers.push(Some(name.clone()));
            return Ok(Term::BindMarker(self.markers.len() - 1, Some(name)));
        }
        if self.eat_punct("[") {
            let items = self.term_list("]")?;
            return Ok(Term::List(items));
        }
        if self.eat_punct("{") {
            return self.brace_literal();
        }
        if self.is_punct("(") {
            if self.looks_like_type_hint() {
                self.advance();
                let t = self.type_syntax()?;
                self.expect_punct(")")?;
                let term = self.unary()?;
                return Ok(Term::TypeHint(t, Box::new(term)));
            }
            self.advance();
            // A tuple literal has at least one component.
            if self.is_punct(")") {
                return Err(self.no_viable());
            }
            let items = self.term_list(")")?;
            // Parentheses around one operation group it (`1 * (1 + 1)`); around
            // anything else they make a tuple.
            if let [item @ (Term::Binary(..) | Term::Negate(_))] = items.as_slice() {
                return Ok(item.clone());
            }
            return Ok(Term::Tuple(items));
        }
        // CAST is a selector only: in a term ANTLR has no alternative at its `(`.
        if matches!(self.peek(0), Tok::Ident(w) if w.eq_ignore_ascii_case("cast"))
            && self.is_punct_at(1, "(")
        {
            let start = self.pos;
            self.advance();
            return Err(self.no_viable_from(start));
        }
        if self.is_term_start_at(0) {
            let name = self.function_name()?;
            self.expect_punct("(")?;
            let args = self.term_list(")")?;
            return Ok(Term::Function(name, args));
        }
        // A bare or double-quoted name could only start a function call: ANTLR fails on
        // the token after it and highlights the name (`"abc"` where 'abc' was meant).
        if matches!(self.peek(0), Tok::Ident(_) | Tok::QuotedIdent(_)) && !self.is_punct_at(1, ".")
        {
            let start = self.pos;
            self.advance();
            return Err(self.no_viable_from(start));
        }
        Err(self.no_viable())
    }

    fn function_name(&mut self) -> Result<QualifiedName, Error> {
        // Function names may be keywords such as `token`; take the word as is.
        let word = |p: &Self| match p.peek(0) {
            Tok::Ident(w) => Some(Ident(w.to_ascii_lowercase())),
            Tok::QuotedIdent(w) => Some(Ident(w.clone())),
            _ => None,
        };
        let Some(first) = word(self) else { return Err(self.no_viable()) };
        self.advance();
        if self.eat_punct(".") {
            let Some(name) = word(self) else { return Err(self.no_viable()) };
            self.advance();
            return Ok(QualifiedName { keyspace: Some(first), name });
        }
        Ok(QualifiedName { keyspace: None, name: first })
    }

    fn looks_like_type_hint(&self) -> bool {
        let Tok::Ident(w) = self.peek(1) else { return false };
        let lower = w.to_ascii_lowercase();
        if matches!(lower.as_str(), "list" | "set" | "map" | "frozen" | "tuple" | "vector") {
            return self.is_punct_at(2, "<");
        }
        NativeType::from_name(&lower).is_some() && self.is_punct_at(2, ")")
    }

    fn term_list(&mut self, close: &str) -> Result<Vec<Term>, Error> {
        let mut items = Vec::new();
        if self.eat_punct(close) {
            return Ok(items);
        }
        loop {
            items.push(self.term()?);
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct(close)?;
        Ok(items)
    }

    fn brace_literal(&mut self) -> Result<Term, Error> {
        if self.eat_punct("}") {
            return Ok(Term::Map(Vec::new()));
        }
        // `true` and `false` are boolean constants, not field names (the grammar's field
        // identifiers exclude them), so `{true: 1}` is a map literal.
        let boolean = matches!(self.peek(0), Tok::Ident(w)
            if w.eq_ignore_ascii_case("true") || w.eq_ignore_ascii_case("false"));
        if !boolean && self.is_ident_at(0) && self.is_punct_at(1, ":") {
            let mut fields = Vec::new();
            loop {
                let f = self.ident()?;
                self.expect_punct(":")?;
                fields.push((f, self.term()?));
                if !self.eat_punct(",") {
                    break;
                }
            }
            self.expect_punct("}")?;
            return Ok(Term::Udt(fields));
        }
        let first = self.term()?;
        if self.eat_punct(":") {
            let mut pairs = vec![(first, self.term()?)];
            while self.eat_punct(",") {
                let k = self.term()?;
                self.expect_punct(":")?;
                pairs.push((k, self.term()?));
            }
            self.expect_punct("}")?;
            return Ok(Term::Map(pairs));
        }
        let mut items = vec![first];
        while self.eat_punct(",") {
            items.push(self.term()?);
        }
        self.expect_punct("}")?;
        Ok(Term::Set(items))
    }

    // ---- DML ----

    fn using(&mut self, allow_ttl: bool) -> Result<Using, Error> {
        let mut using = Using::default();
        if !self.eat_kw("using") {
            return Ok(using);
        }
        loop {
            if allow_ttl && self.eat_kw("ttl") {
                using.ttl = Some(self.term()?);
            } else if self.eat_kw("timestamp") {
                using.timestamp = Some(self.term()?);
            } else {
                return Err(self.no_viable());
            }
            if !self.eat_kw("and") {
                return Ok(using);
            }
        }
    }

    fn insert(&mut self) -> Result<Statement, Error> {
        self.advance();
        self.expect_kw("into")?;
        let table_start = self.pos;
        let table = self.qualified()?;
        if !self.is_kw("json") && !self.is_punct("(") {
            return Err(self.no_viable_from(table_start));
        }
        let values = if self.eat_kw("json") {
            let t = self.term()?;
            let mut unset = false;
            if self.eat_kw("default") {
                if self.eat_kw("unset") {
                    unset = true;
                } else if !self.eat_kw("null") {
                    return Err(self.no_viable());
                }
            }
            InsertValues::Json(t, unset)
        } else {
            self.expect_punct("(")?;
            let cols = self.ident_list()?;
            self.expect_punct(")")?;
            self.expect_kw("values")?;
            self.expect_punct("(")?;
            let terms = self.term_list(")")?;
            InsertValues::Values(cols, terms)
        };
        let if_not_exists = self.if_not_exists()?;
        let using = self.using(true)?;
        Ok(Statement::Insert { table, values, if_not_exists, using })
    }

    fn update(&mut self) -> Result<Statement, Error> {
        self.advance();
        let table = self.qualified()?;
        let using = self.using(true)?;
        self.expect_kw("set")?;
        let mut assignments = vec![self.assignment()?];
        while self.eat_punct(",") {
            assignments.push(self.assignment()?);
        }
        self.expect_kw("where")?;
        let relations = self.relations()?;
        let conditions = self.conditions()?;
        Ok(Statement::Update { table, using, assignments, relations, conditions })
    }

    fn assignment(&mut self) -> Result<Assignment, Error> {
        let col = self.ident()?;
        if self.eat_punct("[") {
            let k = self.term()?;
            self.expect_punct("]")?;
            self.expect_punct("=")?;
            return Ok(Assignment::SetElement(col, k, self.term()?));
        }
        if self.eat_punct(".") {
            let field = self.ident()?;
            self.expect_punct("=")?;
            return Ok(Assignment::SetField(col, field, self.term()?));
        }
        if self.eat_punct("+=") {
            return Ok(Assignment::Add(col, self.term()?));
        }
        if self.eat_punct("-=") {
            return Ok(Assignment::Subtract(col, self.term()?));
        }
        self.expect_punct("=")?;
        if self.is_ident_at(0) && !self.is_term_start_at(0) {
            let other = self.ident()?;
            if other != col {
                return Err(Error::invalid(
                    "Only expressions of the form X = X +<value> are supported.",
                ));
            }
            if self.eat_punct("+") {
                return Ok(Assignment::Add(col, self.term()?));
            }
            if self.eat_punct("-") {
                return Ok(Assignment::Subtract(col, self.term()?));
            }
            return Err(self.mismatched("'+'"));
        }
        let t = self.term()?;
        if self.is_punct("+") && self.is_ident_at(1) {
            self.advance();
            let other = self.ident()?;
            if other != col {
                return Err(Error::invalid(
                    "Only expressions of the form X = <value> + X are supported.",
                ));
            }
            return Ok(Assignment::Prepend(col, t));
        }
        Ok(Assignment::Set(col, t))
    }

    fn delete(&mut self) -> Result<Statement, Error> {
        self.advance();
        let mut targets = Vec::new();
        if !self.is_kw("from") {
            loop {
                let c = self.ident()?;
                if self.eat_punct("[") {
                    let k = self.term()?;
                    self.expect_punct("]")?;
                    targets.push(DeleteTarget::Element(c, k));
                } else if self.eat_punct(".") {
                    targets.push(DeleteTarget::Field(c, self.ident()?));
                } else {
                    targets.push(DeleteTarget::Column(c));
                }
                if !self.eat_punct(",") {
                    break;
                }
            }
        }
        self.expect_kw("from")?;
        let table = self.qualified()?;
        let using = self.using(false)?;
        self.expect_kw("where")?;
        let relations = self.relations()?;
        let conditions = self.conditions()?;
        Ok(Statement::Delete { targets, table, using, relations, conditions })
    }

    fn conditions(&mut self) -> Result<Conditions, Error> {
        if !self.eat_kw("if") {
            return Ok(Conditions::None);
        }
        if self.eat_kw("exists") {
            return Ok(Conditions::Exists);
        }
        let mut out = Vec::new();
        loop {
            let c = self.ident()?;
            let lhs = if self.eat_punct("[") {
                let k = self.term()?;
                self.expect_punct("]")?;
                ConditionLhs::Element(c, k)
            } else if self.eat_punct(".") {
                ConditionLhs::Field(c, self.ident()?)
            } else {
                ConditionLhs::Column(c)
            };
            // Cassandra's grammar gives an element or field only comparisons and IN.
            if !matches!(lhs, ConditionLhs::Column(_))
                && matches!(self.peek(0), Tok::Ident(w)
                    if w.eq_ignore_ascii_case("contains") || w.eq_ignore_ascii_case("like"))
            {
                return Err(self.no_viable());
            }
            let op = self.operator()?;
            let value = if op == Operator::In {
                self.expect_punct("(")?;
                Term::Tuple(self.term_list(")")?)
            } else {
                self.term()?
            };
            out.push(Condition { lhs, op, value });
            if !self.eat_kw("and") {
                return Ok(Conditions::Columns(out));
            }
        }
    }

    fn operator(&mut self) -> Result<Operator, Error> {
        let op = match self.peek(0) {
            Tok::Punct("=") => Operator::Eq,
            Tok::Punct("<") => Operator::Lt,
            Tok::Punct("<=") => Operator::Lte,
            Tok::Punct(">") => Operator::Gt,
            Tok::Punct(">=") => Operator::Gte,
            Tok::Punct("!=") => Operator::Neq,
            Tok::Ident(w) if w.eq_ignore_ascii_case("in") => Operator::In,
            Tok::Ident(w) if w.eq_ignore_ascii_case("like") => Operator::Like,
            Tok::Ident(w) if w.eq_ignore_ascii_case("contains") => {
                self.advance();
                if self.eat_kw("key") {
                    return Ok(Operator::ContainsKey);
                }
                return Ok(Operator::Contains);
            }
            _ => return Err(self.no_viable()),
        };
        self.advance();
        Ok(op)
    }

    fn relations(&mut self) -> Result<Vec<Relation>, Error> {
        let mut out = vec![self.relation()?];
        while self.eat_kw("and") {
            out.push(self.relation()?);
        }
        Ok(out)
    }

    fn relation(&mut self) -> Result<Relation, Error> {
        let lhs = if self.is_kw("token") && self.is_punct_at(1, "(") {
            self.advance();
            self.advance();
            let cols = self.ident_list()?;
            self.expect_punct(")")?;
            RelationLhs::Token(cols)
        } else if self.eat_punct("(") {
            let cols = self.ident_list()?;
            self.expect_punct(")")?;
            RelationLhs::Columns(cols)
        } else {
            let c = self.ident()?;
            if self.is_kw("is") {
                self.advance();
                self.expect_kw("not")?;
                self.expect_kw("null")?;
                return Ok(Relation::IsNotNull(c));
            }
            if self.eat_punct("[") {
                let k = self.term()?;
                self.expect_punct("]")?;
                RelationLhs::Element(c, k)
            } else {
                RelationLhs::Column(c)
            }
        };
        // Cassandra's grammar compares token() with the six comparison operators only.
        if matches!(lhs, RelationLhs::Token(_))
            && (self.is_kw("in") || self.is_kw("contains") || self.is_kw("like"))
        {
            return Err(self.no_viable());
        }
        let op = self.operator()?;
        if op == Operator::In {
            if self.is_punct("?") || self.is_punct(":") {
                return Ok(Relation::Compare(lhs, op, self.term()?));
            }
            self.expect_punct("(")?;
            let items = self.term_list(")")?;
            return Ok(Relation::In(lhs, items));
        }
        Ok(Relation::Compare(lhs, op, self.term()?))
    }

    fn batch(&mut self) -> Result<Statement, Error> {
        self.advance();
        let kind = if self.eat_kw("unlogged") {
            BatchKind::Unlogged
        } else if self.eat_kw("counter") {
            BatchKind::Counter
        } else {
            BatchKind::Logged
        };
        self.expect_kw("batch")?;
        let using = self.using(false)?;
        let mut statements = Vec::new();
        loop {
            while self.eat_punct(";") {}
            if self.is_kw("apply") {
                break;
            }
            let s = if self.is_kw("insert") {
                self.insert()?
            } else if self.is_kw("update") {
                self.update()?
            } else if self.is_kw("delete") {
                self.delete()?
            } else {
                return Err(self.mismatched("K_APPLY"));
            };
            statements.push(s);
        }
        self.expect_kw("apply")?;
        self.expect_kw("batch")?;
        Ok(Statement::Batch { kind, using, statements })
    }

    // ---- SELECT ----

    fn select(&mut self) -> Result<Select, Error> {
        self.advance();
        let mut s = Select::default();
        let selector_follows = |p: &Self| !(p.is_kw_at(1, "from") || p.is_punct_at(1, ","));
        if self.is_kw("json") && selector_follows(self) {
            self.advance();
            s.json = true;
        }
        if self.is_kw("distinct") && selector_follows(self) {
            self.advance();
            s.distinct = true;
        }
        if !self.eat_punct("*") {
            loop {
                let selector = self.selector()?;
                let alias = if self.eat_kw("as") { Some(self.ident()?) } else { None };
                s.items.push(SelectItem { selector, alias });
                if !self.eat_punct(",") {
                    break;
                }
            }
        }
        self.expect_kw("from")?;
        s.table = Some(self.qualified()?);
        if self.eat_kw("where") {
            s.relations = self.relations()?;
        }
        if self.is_kw("group") {
            self.advance();
            self.expect_kw("by")?;
            s.group_by = self.ident_list()?;
        }
        if self.is_kw("order") {
            self.advance();
            self.expect_kw("by")?;
            loop {
                let c = self.ident()?;
                let o = if self.eat_kw("desc") {
                    Order::Desc
                } else {
                    self.eat_kw("asc");
                    Order::Asc
                };
                s.order_by.push((c, o));
                if !self.eat_punct(",") {
                    break;
                }
            }
        }
        if self.is_kw("per") {
            self.advance();
            self.expect_kw("partition")?;
            self.expect_kw("limit")?;
            s.per_partition_limit = Some(self.term()?);
        }
        if self.eat_kw("limit") {
            s.limit = Some(self.term()?);
        }
        if self.is_kw("allow") {
            self.advance();
            self.expect_kw("filtering")?;
            s.allow_filtering = true;
        }
        Ok(s)
    }

    fn selector(&mut self) -> Result<Selector, Error> {
        self.enter()?;
        let s = self.selector_sum();
        self.leave();
        s
    }

    fn selector_sum(&mut self) -> Result<Selector, Error> {
        self.binary_chain(
            &[("+", '+'), ("-", '-')],
            Self::selector_product,
            |_| true,
            |a, op, b| Selector::Binary(Box::new(a), op, Box::new(b)),
        )
    }

    fn selector_product(&mut self) -> Result<Selector, Error> {
        self.binary_chain(
            &[("*", '*'), ("/", '/'), ("%", '%')],
            Self::selector_unary,
            |_| true,
            |a, op, b| Selector::Binary(Box::new(a), op, Box::new(b)),
        )
    }

    /// A left-associative chain `operand (op operand)*` of the operators `ops` (their
    /// tokens and symbols), while `follows` says the token after an operator still belongs
    /// to the chain. Each operator deepens the tree that is later walked recursively, so it
    /// counts toward the nesting limit.
    fn binary_chain<T>(
        &mut self,
        ops: &[(&str, char)],
        operand: fn(&mut Self) -> Result<T, Error>,
        follows: fn(&Self) -> bool,
        combine: fn(T, char, T) -> T,
    ) -> Result<T, Error> {
        let mut lhs = operand(self)?;
        let mut depth = 0;
        let result = loop {
            let found =
                ops.iter().find(|(tok, _)| matches!(self.peek(0), Tok::Punct(p) if p == tok));
            let Some((_, op)) = found.copied() else { break Ok(lhs) };
            if !follows(self) {
                break Ok(lhs);
            }
            if let Err(e) = self.enter() {
                break Err(e);
            }
            depth += 1;
            self.advance();
            match operand(self) {
                Ok(rhs) => lhs = combine(lhs, op, rhs),
                Err(e) => break Err(e),
            }
        };
        for _ in 0..depth {
            self.leave();
        }
        result
    }

    /// `(s)` around a selector that reads the row, such as `(c - b) / a`. Parentheses
    /// around literals only are left to the term grammar (tuples, grouped operations).
    fn parenthesized_selector(&mut self) -> Option<Selector> {
        if !self.is_punct("(") {
            return None;
        }
        let (pos, depth, markers) = (self.pos, self.depth, self.markers.len());
        self.advance();
        match self.selector() {
            Ok(inner) if !matches!(inner, Selector::Term(_)) && self.eat_punct(")") => {
                Some(Selector::Paren(Box::new(inner)))
            }
            _ => {
                self.pos = pos;
                self.depth = depth;
                self.markers.truncate(markers);
                None
            }
        }
    }

    fn selector_unary(&mut self) -> Result<Selector, Error> {
        // A minus before a number is part of the literal (`-1`), as in terms.
        let literal = match self.peek(1) {
            Tok::Integer(_) | Tok::Float(_) | Tok::Duration(_) => true,
            Tok::Ident(w) => w.eq_ignore_ascii_case("infinity") || w.eq_ignore_ascii_case("nan"),
            _ => false,
        };
        if self.is_punct("-") && !literal {
            self.advance();
            self.enter()?;
            let inner = self.selector_unary();
            self.leave();
            return Ok(Selector::Negate(Box::new(inner?)));
        }
        self.selector_inner()
    }

    fn selector_inner(&mut self) -> Result<Selector, Error> {
        let mut sel = if self.is_kw("count")
            && self.is_punct_at(1, "(")
            && (self.is_punct_at(2, "*") || matches!(self.peek(2), Tok::Integer(n) if n == "1"))
            && self.is_punct_at(3, ")")
        {
            for _ in 0..4 {
                self.advance();
            }
            Selector::CountStar
        } else if self.is_kw("cast") && self.is_punct_at(1, "(") {
            self.advance();
            self.advance();
            let inner = self.selector()?;
            self.expect_kw("as")?;
            let ty = match self.peek(0) {
                Tok::Ident(w) => NativeType::from_name(w),
                _ => None,
            };
            let Some(ty) = ty else { return Err(self.no_viable()) };
            self.advance();
            self.expect_punct(")")?;
            Selector::Cast(Box::new(inner), ty)
        } else if matches!(self.peek(0), Tok::Ident(_) | Tok::QuotedIdent(_))
            && (self.is_punct_at(1, "(") || (self.is_punct_at(1, ".") && self.is_punct_at(3, "(")))
        {
            let name = self.function_name()?;
            self.expect_punct("(")?;
            let mut args = Vec::new();
            if !self.eat_punct(")") {
                loop {
                    args.push(self.selector()?);
                    if !self.eat_punct(",") {
                        break;
                    }
                }
                self.expect_punct(")")?;
            }
            Selector::Function(name, args)
        } else if self.is_ident_at(0) && !self.is_term_start_at(0) {
            Selector::Column(self.ident()?)
        } else if self.is_punct("(") && self.looks_like_type_hint() {
            self.advance();
            let ty = self.type_syntax()?;
            self.expect_punct(")")?;
            match self.selector_unary()? {
                Selector::Term(term) => Selector::Term(Term::TypeHint(ty, Box::new(term))),
                inner => Selector::Hint(ty, Box::new(inner)),
            }
        } else if let Some(grouped) = self.parenthesized_selector() {
            grouped
        } else {
            // Operators are the selector's, so that `1 + 2 * a` groups as written.
            Selector::Term(self.unary()?)
        };
        loop {
            if self.is_punct(".") && self.is_ident_at(1) {
                self.advance();
                sel = Selector::Field(Box::new(sel), self.ident()?);
            } else if self.eat_punct("[") {
                let from = if self.is_punct("..") { None } else { Some(Box::new(self.term()?)) };
                if self.eat_punct("..") {
                    // `[..]` has no bound at all, which Cassandra's grammar refuses.
                    let to = if self.is_punct("]") && from.is_some() {
                        None
                    } else {
                        Some(Box::new(self.term()?))
                    };
                    self.expect_punct("]")?;
                    sel = Selector::Slice(Box::new(sel), from, to);
                } else {
                    self.expect_punct("]")?;
                    let Some(k) = from else { return Err(self.no_viable()) };
                    sel = Selector::Element(Box::new(sel), k);
                }
            } else {
                return Ok(sel);
            }
        }
    }
}

/// Whether the token after a term's operator starts a term, so the operator is the term's.
fn term_follows(p: &Parser) -> bool {
    p.is_term_start_at(1)
}

#[cfg(test)]
mod tests;
