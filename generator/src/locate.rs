//! Line and column of JSON pointers in the source text, for diagnostics.
//!
//! `serde_yaml` gives no positions for values, so on the error path the text is read once more
//! with `yaml-rust2`'s event parser (JSON is YAML). Only the pointers the diagnostics name are
//! looked for: they form a tree of wanted paths, and the reader follows it alongside the events,
//! so the work is one pass over the text plus the size of the diagnostics' pointers, and no
//! pointer string is built for the document's own nodes.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::Diagnostic;

/// Fills in `location` for the diagnostics that lack one, with the position of the node their
/// pointer names (or of its nearest ancestor in the text).
pub(crate) fn locate(source: &str, diagnostics: &mut [Diagnostic]) {
    if diagnostics.iter().all(|d| d.location.is_some()) {
        return;
    }
    let mut wanted = Wanted::default();
    let paths: Vec<(usize, Vec<usize>)> = diagnostics
        .iter()
        .enumerate()
        .filter(|(_, d)| d.location.is_none())
        .map(|(index, d)| (index, wanted.add(&d.pointer)))
        .collect();
    let mut locator = Locator { wanted, stack: Vec::new(), done: false };
    if Parser::new_from_str(source).load(&mut locator, false).is_err() {
        return;
    }
    for (index, path) in paths {
        // The deepest node of the pointer (or of its ancestors) that the text has.
        if let Some(found) = path.iter().rev().find_map(|&node| locator.wanted.nodes[node].found) {
            diagnostics[index].location = Some(found);
        }
    }
}

/// The tree of wanted pointers: node 0 is the document (`#`).
struct Wanted {
    nodes: Vec<WantedNode>,
}

#[derive(Default)]
struct WantedNode {
    /// Children by reference token (unescaped: the key as the text has it, or an index).
    children: HashMap<String, usize>,
    /// Line and column (both from 1), once the node is seen; a key's position wins over its value's.
    found: Option<(usize, usize)>,
}

impl Default for Wanted {
    fn default() -> Self {
        Wanted { nodes: vec![WantedNode::default()] }
    }
}

impl Wanted {
    /// Adds a pointer such as `#/components/schemas/A~1B`; returns its nodes from the root on.
    fn add(&mut self, pointer: &str) -> Vec<usize> {
        let mut path = vec![0];
        let Some(rest) = pointer.strip_prefix('#') else { return path };
        let mut node = 0;
        for token in rest.split('/').skip(1) {
            let token = token.replace("~1", "/").replace("~0", "~");
            let next = match self.nodes[node].children.get(&token) {
                Some(&next) => next,
                None => {
                    let next = self.nodes.len();
                    self.nodes.push(WantedNode::default());
                    self.nodes[node].children.insert(token, next);
                    next
                }
            };
            path.push(next);
            node = next;
        }
        path
    }

    fn child(&self, node: Option<usize>, token: &str) -> Option<usize> {
        self.nodes[node?].children.get(token).copied()
    }

    fn record(&mut self, node: Option<usize>, mark: Marker) {
        if let Some(node) = node {
            self.nodes[node].found.get_or_insert((mark.line(), mark.col() + 1));
        }
    }
}

struct Locator {
    wanted: Wanted,
    stack: Vec<Frame>,
    /// Set once the first document is over.
    done: bool,
}

/// An open collection, with the wanted node it is (`None`: nothing wanted at or below it).
enum Frame {
    Map {
        node: Option<usize>,
        /// After a key: the wanted node of its value.
        value: Option<Option<usize>>,
    },
    Seq {
        node: Option<usize>,
        index: usize,
    },
}

impl Locator {
    /// A node starts: its wanted node (recorded), or for a mapping key, the node of its value.
    fn start(&mut self, key_text: Option<&str>, mark: Marker) -> Option<usize> {
        let wanted = &self.wanted;
        let (node, is_key) = match self.stack.last_mut() {
            None => (Some(0), false),
            Some(Frame::Map { node, value }) => match value.take() {
                Some(value_node) => (value_node, false),
                None => {
                    // A key: the value that follows is the child it names (a non-scalar key names
                    // nothing).
                    let child = key_text.and_then(|key| wanted.child(*node, key));
                    *value = Some(child);
                    (child, true)
                }
            },
            Some(Frame::Seq { node, index }) => {
                let child = match *node {
                    Some(n) if !wanted.nodes[n].children.is_empty() => wanted.child(Some(n), &index.to_string()),
                    _ => None,
                };
                *index += 1;
                (child, false)
            }
        };
        self.wanted.record(node, mark);
        // A key is no collection of the wanted tree.
        if is_key {
            None
        } else {
            node
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
                self.start(Some(&value), mark);
            }
            Event::Alias(_) => {
                self.start(None, mark);
            }
            Event::MappingStart(..) => {
                let node = self.start(None, mark);
                self.stack.push(Frame::Map { node, value: None });
            }
            Event::SequenceStart(..) => {
                let node = self.start(None, mark);
                self.stack.push(Frame::Seq { node, index: 0 });
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

    #[test]
    fn keys_that_are_collections_name_nothing() {
        // A complex key (`? [a]`) and its value neither match nor shift what follows.
        let yaml = "a:\n  ? [x]\n  : 1\n  b: 2\n";
        let mut diagnostics = vec![Diagnostic::error("#/a/b", "x"), Diagnostic::error("#", "root")];
        locate(yaml, &mut diagnostics);
        assert_eq!(diagnostics[0].location, Some((4, 3)));
        assert_eq!(diagnostics[1].location.map(|(line, _)| line), Some(1));
    }
}
