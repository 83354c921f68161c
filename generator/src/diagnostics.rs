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
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Load => "load",
            Stage::Resolve => "resolve",
            Stage::Emit => "emit",
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
        write!(f, "{kind}: {}: {}", self.pointer, self.message)?;
        if let Some((line, column)) = self.location {
            write!(f, " (line {line}, column {column})")?;
        }
        Ok(())
    }
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
