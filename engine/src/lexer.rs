//! CQL's tokens, with the line and column of each (lines from 1, columns from 0, as
//! Cassandra's ANTLR-generated lexer counts them).

use crate::Error;

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// An unquoted identifier or keyword, as written.
    Ident(String),
    /// A `"quoted"` identifier, unescaped.
    QuotedIdent(String),
    /// A `'string'` or `$$string$$`, unescaped.
    Str(String),
    /// Digits, possibly signed by the parser later.
    Integer(String),
    /// A floating-point literal.
    Float(String),
    /// An unquoted UUID.
    Uuid(String),
    /// A blob literal: the hex digits after `0x`.
    Hex(String),
    /// A duration literal such as `1h30m` or `P1D`.
    Duration(String),
    /// Punctuation and operators.
    Punct(&'static str),
    /// Whitespace or a comment: kept so error snippets count tokens as Cassandra does.
    Hidden,
    /// The end of the input.
    Eof,
}

/// A token and where it starts and ends in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub tok: Tok,
    /// 1-based line.
    pub line: usize,
    /// 0-based column in characters.
    pub col: usize,
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
}

impl Token {
    /// The token's text as written in `src`.
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        if matches!(self.tok, Tok::Eof) {
            return "<EOF>";
        }
        src.get(self.start..self.end).unwrap_or("")
    }

    /// The token as ANTLR names it in an error: strings and quoted names by their
    /// content, since Cassandra's lexer replaces their text with it.
    pub fn display<'a>(&'a self, src: &'a str) -> &'a str {
        match &self.tok {
            Tok::Str(s) => s,
            // `""` is a token of its own (EMPTY_QUOTED_NAME) that keeps its text.
            Tok::QuotedIdent(s) if !s.is_empty() => s,
            _ => self.text(src),
        }
    }
}

const PUNCTS: &[&str] = &[
    "<=", ">=", "!=", "+=", "-=", "..", "(", ")", ",", ";", ".", "*", "=", "<", ">", "[", "]", "{",
    "}", ":", "?", "+", "-", "/", "%", "&",
];

struct Lexer<'a> {
    src: &'a str,
    /// Byte offset of the cursor; always on a character boundary.
    pos: usize,
    line: usize,
    col: usize,
}

impl<'a> Lexer<'a> {
    /// The input from the cursor on; slicing rather than collecting characters keeps
    /// tokenising free of per-character allocation.
    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn peek(&self, ahead: usize) -> Option<char> {
        self.rest().chars().nth(ahead)
    }

    fn offset(&self) -> usize {
        self.pos
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.col = 0;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn error_here(&self, msg: &str) -> Error {
        Error::syntax(format!("line {}:{} {msg}", self.line, self.col))
    }

    /// Word characters are ASCII, so the count is both in characters and in bytes.
    fn word_len(&self) -> usize {
        self.rest().bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count()
    }

    /// The next `n` characters (fewer at the end of the input).
    fn text_ahead(&self, n: usize) -> &'a str {
        let rest = self.rest();
        let end = rest.char_indices().nth(n).map_or(rest.len(), |(i, _)| i);
        rest.get(..end).unwrap_or("")
    }

    /// Consumes the next `n` characters and returns them.
    fn take(&mut self, n: usize) -> &'a str {
        let start = self.pos;
        for _ in 0..n {
            if self.bump().is_none() {
                break;
            }
        }
        self.src.get(start..self.pos).unwrap_or("")
    }

    /// Reads one token; the caller records its position.
    fn next(&mut self) -> Result<Tok, Error> {
        let Some(c) = self.peek(0) else { return Ok(Tok::Eof) };
        if c.is_whitespace() {
            while self.peek(0).is_some_and(char::is_whitespace) {
                self.bump();
            }
            return Ok(Tok::Hidden);
        }
        if (c == '-' && self.peek(1) == Some('-')) || (c == '/' && self.peek(1) == Some('/')) {
            while self.peek(0).is_some_and(|c| c != '\n') {
                self.bump();
            }
            return Ok(Tok::Hidden);
        }
        if c == '/' && self.peek(1) == Some('*') {
            self.bump();
            self.bump();
            loop {
                match self.peek(0) {
                    None => return Err(self.error_here("mismatched input '<EOF>' expecting '*/'")),
                    Some('*') if self.peek(1) == Some('/') => {
                        self.bump();
                        self.bump();
                        return Ok(Tok::Hidden);
                    }
                    Some(_) => {
                        self.bump();
                    }
                }
            }
        }
        if c == '\'' || c == '"' {
            self.bump();
            // Copied a run at a time: only a doubled quote breaks the run.
            let mut s = String::new();
            let mut run = self.pos;
            loop {
                let at = self.pos;
                match self.bump() {
                    None => {
                        return Err(self
                            .error_here(&format!("mismatched character '<EOF>' expecting '{c}'")));
                    }
                    Some(d) if d == c => {
                        s.push_str(self.src.get(run..at).unwrap_or(""));
                        if self.peek(0) == Some(c) {
                            self.bump();
                            s.push(c);
                            run = self.pos;
                        } else {
                            break;
                        }
                    }
                    Some(_) => {}
                }
            }
            return Ok(if c == '\'' { Tok::Str(s) } else { Tok::QuotedIdent(s) });
        }
        if c == '$' && self.peek(1) == Some('$') {
            self.bump();
            self.bump();
            let body = self.pos;
            loop {
                let at = self.pos;
                match self.bump() {
                    None => {
                        return Err(self.error_here("mismatched character '<EOF>' expecting '$'"));
                    }
                    Some('$') if self.peek(0) == Some('$') => {
                        self.bump();
                        return Ok(Tok::Str(self.src.get(body..at).unwrap_or("").to_string()));
                    }
                    Some(_) => {}
                }
            }
        }
        if c == '$' {
            // Only a string starts with `$`, so ANTLR commits to one and fails on the
            // character where the second `$` should be.
            self.bump();
            let found = match self.peek(0) {
                None => "<EOF>".to_string(),
                Some('\n') => "\\n".to_string(),
                Some('\r') => "\\r".to_string(),
                Some('\t') => "\\t".to_string(),
                Some(other) => other.to_string(),
            };
            return Err(self.error_here(&format!("mismatched character '{found}' expecting '$'")));
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            return Ok(self.word());
        }
        for p in PUNCTS {
            if self.rest().starts_with(p) {
                self.take(p.len());
                return Ok(Tok::Punct(p));
            }
        }
        Err(self.error_here(&format!("token recognition error at: '{c}'")))
    }

    fn word(&mut self) -> Tok {
        // A UUID may start with a letter or digit; check its fixed shape first.
        let uuid = self.text_ahead(36);
        if is_uuid(uuid)
            && !self.peek(36).is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            self.take(36);
            return Tok::Uuid(uuid.to_string());
        }
        // ISO 8601's alternative duration form holds dashes and colons, as Cassandra's
        // DURATION token allows.
        let iso = self.text_ahead(20);
        if is_iso_alternative(iso)
            && !self.peek(20).is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.take(20);
            return Tok::Duration(iso.to_string());
        }
        let mut n = self.word_len();
        // `µs` is a duration unit, so a word of digits may run through it; `n` counts
        // characters from here on.
        let digits = self.peek(0).is_some_and(|c| c.is_ascii_digit());
        while digits
            && (self.text_ahead(n + 2).ends_with("µs") || self.text_ahead(n + 2).ends_with("µS"))
        {
            n += 2;
            let rest = self.rest();
            let from = rest.char_indices().nth(n).map_or(rest.len(), |(i, _)| i);
            n += rest
                .get(from..)
                .unwrap_or("")
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
        }
        let word = self.text_ahead(n);
        let first = word.chars().next().unwrap_or('_');
        if first.is_ascii_digit() {
            let lower = word.to_ascii_lowercase();
            if let Some(hex) = lower.strip_prefix("0x")
                && hex.chars().all(|c| c.is_ascii_hexdigit())
            {
                self.take(n);
                return Tok::Hex(hex.to_string());
            }
            if word.chars().all(|c| c.is_ascii_digit()) {
                self.take(n);
                // A fraction or exponent makes it a float.
                // `1..3` is a range between integers, not the float `1.`.
                // `3.E10` is a float too: Cassandra's FLOAT allows an exponent right
                // after the dot.
                let exponent_after_dot = self.peek(1).is_some_and(|c| c == 'e' || c == 'E')
                    && match self.peek(2) {
                        Some('+' | '-') => self.peek(3).is_some_and(|d| d.is_ascii_digit()),
                        d => d.is_some_and(|d| d.is_ascii_digit()),
                    };
                if self.peek(0) == Some('.')
                    && (exponent_after_dot
                        || self.peek(1).is_none_or(|c| !c.is_alphabetic() && c != '.'))
                {
                    let mut s = word.to_string();
                    s.push('.');
                    self.bump();
                    let m = self.word_len();
                    let frac = self.text_ahead(m);
                    if let Some(exp) = self.exponent(frac) {
                        s.push_str(exp);
                    } else {
                        let k = frac.bytes().take_while(u8::is_ascii_digit).count();
                        s.push_str(self.take(k));
                    }
                    return Tok::Float(s);
                }
                return Tok::Integer(word.to_string());
            }
            if let Some(exp) = self.exponent(word) {
                return Tok::Float(exp.to_string());
            }
            if is_duration(&lower) {
                self.take(n);
                return Tok::Duration(word.to_string());
            }
            // Digits followed by letters that form nothing: lex the digits alone, as
            // ANTLR does, and let the parser complain about what follows.
            let k = word.bytes().take_while(u8::is_ascii_digit).count();
            return Tok::Integer(self.take(k).to_string());
        }
        // Lower-casing allocates, so only words that could be a duration pay for it.
        if word.starts_with(['p', 'P']) && is_iso_duration(&word.to_ascii_lowercase()) {
            self.take(n);
            return Tok::Duration(word.to_string());
        }
        self.take(n);
        Tok::Ident(word.to_string())
    }

    /// If `word` (already at the cursor) is `digits e [+-] digits`, consumes it and
    /// returns the text.
    fn exponent(&mut self, word: &str) -> Option<&'a str> {
        let lower = word.to_ascii_lowercase();
        let epos = lower.find('e')?;
        let (mantissa, rest) = lower.split_at(epos);
        if !mantissa.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let after = rest.get(1..).unwrap_or("");
        if after.is_empty() {
            // `1e+5` / `1e-5`: the sign splits the word.
            let sign = self.peek(word.chars().count())?;
            if sign != '+' && sign != '-' {
                return None;
            }
            let mut k = word.chars().count() + 1;
            let first_digit = k;
            while self.peek(k).is_some_and(|d| d.is_ascii_digit()) {
                k += 1;
            }
            if k == first_digit || self.peek(k).is_some_and(|c| c.is_ascii_alphanumeric()) {
                return None;
            }
            return Some(self.take(k));
        }
        if after.chars().all(|c| c.is_ascii_digit()) {
            return Some(self.take(word.chars().count()));
        }
        None
    }
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) { c == '-' } else { c.is_ascii_hexdigit() }
        })
}

/// `1h30m`, `2d`, `5ms`, `10us`: digit groups each followed by a unit.
fn is_duration(s: &str) -> bool {
    let mut rest = s;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = rest.get(digits..).unwrap_or("");
        let unit = ["mo", "ms", "us", "µs", "ns", "y", "w", "d", "h", "m", "s"]
            .into_iter()
            .find(|u| rest.starts_with(u));
        let Some(unit) = unit else { return false };
        rest = rest.get(unit.len()..).unwrap_or("");
    }
    true
}

/// `P0001-02-03T04:05:06`, ISO 8601's alternative duration form.
fn is_iso_alternative(s: &str) -> bool {
    let shape = b"Pdddd-dd-ddTdd:dd:dd";
    s.len() == shape.len()
        && s.bytes().zip(shape).all(|(c, p)| if *p == b'd' { c.is_ascii_digit() } else { c == *p })
}

/// ISO 8601 durations of the forms Cassandra accepts without a dash (`P1Y2M3DT4H5M6S`,
/// `P2W`).
fn is_iso_duration(s: &str) -> bool {
    let Some(body) = s.strip_prefix('p') else { return false };
    if body.is_empty() {
        return false;
    }
    let (date, time) = match body.split_once('t') {
        Some((d, t)) => (d, Some(t)),
        None => (body, None),
    };
    let groups = |part: &str, units: &str| -> bool {
        let mut rest = part;
        let mut last = 0;
        while !rest.is_empty() {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            if digits == 0 {
                return false;
            }
            rest = rest.get(digits..).unwrap_or("");
            let Some(u) = rest.chars().next() else { return false };
            let Some(idx) = units.find(u) else { return false };
            if idx < last {
                return false;
            }
            last = idx + 1;
            rest = rest.get(1..).unwrap_or("");
        }
        true
    };
    if date.is_empty() && time.is_none() {
        return false;
    }
    if time.is_some_and(str::is_empty) {
        return false;
    }
    groups(date, "ymwd") && time.is_none_or(|t| groups(t, "hms"))
}

/// Splits `src` into tokens, whitespace and comments included as [`Tok::Hidden`], ending
/// with [`Tok::Eof`].
pub fn tokenize(src: &str) -> Result<Vec<Token>, Error> {
    let mut lx = Lexer { src, pos: 0, line: 1, col: 0 };
    let mut out = Vec::new();
    loop {
        let (line, col, start) = (lx.line, lx.col, lx.offset());
        let tok = lx.next()?;
        let end = lx.offset();
        let eof = tok == Tok::Eof;
        out.push(Token { tok, line, col, start, end });
        if eof {
            return Ok(out);
        }
    }
}
