//! Line and column of JSON pointers in the source text, for diagnostics.
//!
//! `serde_yaml` gives no positions for values, so on the error path the text is read once more
//! with `yaml-rust2`'s event parser (JSON is YAML), recording where every node starts.

use std::collections::BTreeMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::{pointer_push, Diagnostic};

/// Fills in `location` for the diagnostics that lack one, with the position of the node their
/// pointer names (or of its nearest ancestor in the text).
pub(crate) fn locate(source: &str, diagnostics: &mut [Diagnostic]) {
    if diagnostics.iter().all(|d| d.location.is_some()) {
        return;
    }
    let mut locator = Locator::default();
    if Parser::new_from_str(source).load(&mut locator, false).is_err() {
        return;
    }
    for diagnostic in diagnostics.iter_mut().filter(|d| d.location.is_none()) {
        let mut pointer = diagnostic.pointer.as_str();
        loop {
            if let Some(&(line, column)) = locator.found.get(pointer) {
                diagnostic.location = Some((line, column));
                break;
            }
            match pointer.rfind('/') {
                Some(cut) => pointer = &pointer[..cut],
                None => break,
            }
        }
    }
}

#[derive(Default)]
struct Locator {
    stack: Vec<Frame>,
    /// Pointer → (line, column), both from 1; a key's position wins over its value's.
    found: BTreeMap<String, (usize, usize)>,
    /// Set once the first document is over.
    done: bool,
}

enum Frame {
    Map { pointer: String, key: Option<String> },
    Seq { pointer: String, index: usize },
}

impl Locator {
    fn record(&mut self, pointer: String, mark: Marker) {
        self.found.entry(pointer).or_insert((mark.line(), mark.col() + 1));
    }

    /// The pointer of the value node starting now.
    fn value_pointer(&mut self) -> String {
        match self.stack.last_mut() {
            None => "#".to_owned(),
            Some(Frame::Map { pointer, key }) => pointer_push(pointer, &key.take().unwrap_or_default()),
            Some(Frame::Seq { pointer, index }) => {
                let child = pointer_push(pointer, &index.to_string());
                *index += 1;
                child
            }
        }
    }
}

impl MarkedEventReceiver for Locator {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.done {
            return;
        }
        match event {
            Event::Scalar(value, ..) => {
                if let Some(Frame::Map { pointer, key: key @ None }) = self.stack.last_mut() {
                    let child = pointer_push(pointer, &value);
                    *key = Some(value);
                    self.record(child, mark);
                } else {
                    let pointer = self.value_pointer();
                    self.record(pointer, mark);
                }
            }
            Event::Alias(_) => {
                let pointer = self.value_pointer();
                self.record(pointer, mark);
            }
            Event::MappingStart(..) => {
                let pointer = self.value_pointer();
                self.record(pointer.clone(), mark);
                self.stack.push(Frame::Map { pointer, key: None });
            }
            Event::SequenceStart(..) => {
                let pointer = self.value_pointer();
                self.record(pointer.clone(), mark);
                self.stack.push(Frame::Seq { pointer, index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::DocumentEnd => self.done = true,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_get_lines_and_columns() {
        let yaml = "openapi: 3.1.0\ncomponents:\n  schemas:\n    A/B:\n      type: [string, 7]\n";
        let mut diagnostics = vec![
            Diagnostic::error("#/components/schemas/A~1B/type/1", "x"),
            Diagnostic::error("#/components/schemas/A~1B/nowhere", "y"),
        ];
        locate(yaml, &mut diagnostics);
        assert_eq!(diagnostics[0].location, Some((5, 22)));
        assert_eq!(diagnostics[1].location, Some((4, 5)));
        let json = "{\n  \"paths\": {\n    \"/a\": {\"get\": 1}\n  }\n}";
        let mut diagnostics = vec![Diagnostic::error("#/paths/~1a/get", "z")];
        locate(json, &mut diagnostics);
        assert_eq!(diagnostics[0].location, Some((3, 12)));
    }
}
