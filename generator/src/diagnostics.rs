//! Problems found in a document: where (a JSON pointer), what, and how bad.

use std::fmt;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Generation goes on; the output is correct but may be less precise than the document.
    Warning,
    /// Generation stops at the end of the stage that found it.
    Error,
}

/// The pipeline stage that reported a problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// Parsing YAML/JSON, checking the version, lowering 3.1 and reading the OpenAPI structure.
    Load,
    /// Turning the document into the intermediate representation.
    Resolve,
    /// Turning the intermediate representation into Rust source.
    Emit,
    /// Checking the settings against the document (a renamed or replaced type that does not
    /// exist, a derive that is not a path); the pointer names the setting, such as
    /// `types.rename.FileRead`.
    Settings,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Load => "load",
            Stage::Resolve => "resolve",
            Stage::Emit => "emit",
            Stage::Settings => "settings",
        })
    }
}

/// One problem, located by a JSON pointer into the document.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// Where it is: a JSON pointer fragment such as `#/components/schemas/FileRead`.
    pub pointer: String,
    /// Line and column (both from 1) in the source text, where the parser gave one.
    pub location: Option<(usize, usize)>,
    /// What is wrong, without a trailing period.
    pub message: String,
}

impl Diagnostic {
    /// An error at `pointer`.
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, pointer: pointer.into(), location: None, message: message.into() }
    }

    /// A warning at `pointer`.
    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, pointer: pointer.into(), location: None, message: message.into() }
    }

    /// The same diagnostic with a line and column attached.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.location = Some((line, column));
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{kind}: {}: {}", printable(&self.pointer), printable(&self.message))?;
        if let Some((line, column)) = self.location {
            write!(f, " (line {line}, column {column})")?;
        }
        Ok(())
    }
}

/// Text from the document as it may be printed on a terminal: control characters (line breaks
/// included) and bidirectional controls are shown as `\u{..}` escapes.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars().map(|c| if hidden(c) { c.escape_unicode().to_string() } else { c.to_string() }).collect::<String>().into()
}

/// Generation failed: every error a stage found (from [`generate`](crate::generate): in document
/// order, each with its line and column where the text has one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The stage that failed.
    pub stage: Stage,
    /// The errors (and any warnings found before them).
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    /// An error of one diagnostic.
    pub fn single(stage: Stage, diagnostic: Diagnostic) -> Self {
        Error { stage, diagnostics: vec![diagnostic] }
    }

    /// The diagnostics that are errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.errors().count();
        let plural = if count == 1 { "" } else { "s" };
        write!(f, "{} stage failed with {count} error{plural}", self.stage)?;
        for diagnostic in &self.diagnostics {
            write!(f, "\n  {diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Collects the problems of one stage, then turns them into a result.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub(crate) fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Diagnostic::error(pointer, message));
    }

    pub(crate) fn warning(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Diagnostic::warning(pointer, message));
    }

    pub(crate) fn has_error_at(&self, pointer: &str) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error && d.pointer == pointer)
    }

    pub(crate) fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }

    /// The diagnostics gathered, in the order they were reported.
    pub(crate) fn into_items(self) -> Vec<Diagnostic> {
        self.items
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// `Ok(warnings)` when there is no error, else the stage's [`Error`].
    pub(crate) fn finish(self, stage: Stage) -> Result<Vec<Diagnostic>, Error> {
        if self.has_errors() {
            Err(Error { stage, diagnostics: self.items })
        } else {
            Ok(self.items)
        }
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub fn pointer_push(pointer: &str, token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{escaped}")
}

/// A JSON pointer built one reference token at a time: pushing costs the token, not the path
/// (the parent is shared), so the resolve stage can carry the pointer of every node it visits,
/// however deep and however long the keys, and renders one only for a diagnostic.
#[derive(Clone)]
pub struct Pointer(std::sync::Arc<PointerNode>);

struct PointerNode {
    parent: Option<Pointer>,
    /// This node's reference token, escaped (`~0`, `~1`); `#` for the root.
    token: String,
    depth: usize,
}

impl Pointer {
    /// The pointer of the whole document, `#`.
    pub fn root() -> Self {
        Pointer(std::sync::Arc::new(PointerNode { parent: None, token: "#".to_owned(), depth: 0 }))
    }

    /// A pointer from its text, such as `#/components/schemas/A~1B` (tokens stay as written).
    pub fn parse(text: &str) -> Self {
        let mut tokens = text.split('/');
        let first = tokens.next().unwrap_or("#");
        let mut pointer = Pointer(std::sync::Arc::new(PointerNode { parent: None, token: first.to_owned(), depth: 0 }));
        for token in tokens {
            pointer = pointer.child(token.to_owned());
        }
        pointer
    }

    /// The pointer one reference token deeper; `token` is escaped here (RFC 6901).
    pub fn push(&self, token: &str) -> Self {
        let escaped = if token.contains(['~', '/']) { token.replace('~', "~0").replace('/', "~1") } else { token.to_owned() };
        self.child(escaped)
    }

    fn child(&self, token: String) -> Self {
        Pointer(std::sync::Arc::new(PointerNode { parent: Some(self.clone()), token, depth: self.0.depth + 1 }))
    }

    /// The parent pointer (the root's is itself).
    pub fn parent(&self) -> Self {
        self.0.parent.clone().unwrap_or_else(|| self.clone())
    }
}

impl Default for Pointer {
    fn default() -> Self {
        Pointer::root()
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut tokens = Vec::with_capacity(self.0.depth + 1);
        let mut node = Some(self);
        while let Some(pointer) = node {
            tokens.push(pointer.0.token.as_str());
            node = pointer.0.parent.as_ref();
        }
        for (index, token) in tokens.iter().rev().enumerate() {
            if index > 0 {
                f.write_str("/")?;
            }
            f.write_str(token)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_string())
    }
}

impl PartialEq for Pointer {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0) || self.to_string() == other.to_string()
    }
}

impl Eq for Pointer {}

impl From<&Pointer> for String {
    fn from(pointer: &Pointer) -> String {
        pointer.to_string()
    }
}

impl From<Pointer> for String {
    fn from(pointer: Pointer) -> String {
        pointer.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_render_as_pushed() {
        let schemas = Pointer::parse("#/components/schemas");
        let a = schemas.push("A/B").push("properties").push("x~y");
        assert_eq!(a.to_string(), "#/components/schemas/A~1B/properties/x~0y");
        assert_eq!(a.parent().to_string(), "#/components/schemas/A~1B/properties");
        assert_eq!(Pointer::root().to_string(), "#");
        assert_eq!(Pointer::parse("#/a~1b").push("0"), Pointer::root().push("a/b").push("0"));
    }
}
