//! Line and column of JSON pointers in the source text, for diagnostics.
//!
//! `serde_yaml` gives no positions for values, so on the error path the text is read once more
//! with `yaml-rust2`'s event parser (JSON is YAML). Only the pointers the diagnostics name are
//! looked for: they form a tree of wanted paths, and the reader follows it alongside the events,
//! so the work is one pass over the text plus the size of the diagnostics' pointers, and no
//! pointer string is built for the document's own nodes. A JSON text is read with `serde_json`
//! instead (see [`json`]), as YAML's scanner would hold most of it as tokens at once.

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
    let wanted = match json::locate(source, wanted) {
        Ok(wanted) => wanted,
        Err(wanted) => {
            let mut locator = Locator { wanted, stack: Vec::new(), done: false };
            if Parser::new_from_str(source).load(&mut locator, false).is_err() {
                return;
            }
            locator.wanted
        }
    };
    for (index, path) in paths {
        // The deepest node of the pointer (or of its ancestors) that the text has.
        if let Some(found) = path.iter().rev().find_map(|&node| wanted.nodes[node].found) {
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

/// JSON text, read with `serde_json` rather than `yaml-rust2`: YAML's scanner holds every token
/// of a flow collection until it ends (the collection could be a key), which for a JSON document
/// is most of it at once (tens of bytes per byte of text). Here each wanted collection's entries
/// are read as raw values, slices of the text, and only wanted ones are read further; positions
/// are the slices' offsets, turned into lines and columns in one pass at the end, counted as
/// `yaml-rust2` counts them (lines from 1, columns in characters from 1, a key's position being
/// its opening quote).
mod json {
    use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
    use serde_json::value::RawValue;

    use super::Wanted;

    /// Fills in `wanted`'s positions from `source`, or gives it back untouched when `source` is
    /// no JSON text (or has a lone carriage return, which YAML counts as a line break).
    pub(super) fn locate(source: &str, mut wanted: Wanted) -> Result<Wanted, Wanted> {
        let Some(root) = json_root(source) else { return Err(wanted) };
        if source.as_bytes().windows(2).any(|pair| pair[0] == b'\r' && pair[1] != b'\n') || source.ends_with('\r') {
            return Err(wanted);
        }
        // (offset in the text, wanted node), in the order they are met: a node's first wins.
        let mut seen: Vec<(usize, usize)> = Vec::new();
        walk(source, root, 0, &wanted, &mut seen);
        let mut first = vec![false; wanted.nodes.len()];
        seen.retain(|(_, node)| !std::mem::replace(&mut first[*node], true));
        seen.sort_unstable();
        let (mut line, mut column, mut at) = (1, 1, 0);
        for (offset, node) in seen {
            for c in source[at..offset].chars() {
                if c == '\n' {
                    line += 1;
                    column = 1;
                } else {
                    column += 1;
                }
            }
            at = offset;
            wanted.nodes[node].found.get_or_insert((line, column));
        }
        Ok(wanted)
    }

    fn json_root(source: &str) -> Option<&RawValue> {
        // Only a mapping or a sequence is worth it (and is what a document is).
        if !source.trim_start().starts_with(['{', '[']) {
            return None;
        }
        serde_json::from_str::<&RawValue>(source).ok()
    }

    fn offset(source: &str, value: &RawValue) -> usize {
        value.get().as_ptr() as usize - source.as_ptr() as usize
    }

    /// Records `value` as `node`, and goes into its wanted children.
    fn walk(source: &str, value: &RawValue, node: usize, wanted: &Wanted, seen: &mut Vec<(usize, usize)>) {
        seen.push((offset(source, value), node));
        if wanted.nodes[node].children.is_empty() {
            return;
        }
        let text = value.get();
        if text.starts_with('{') {
            let Ok(Entries(entries)) = serde_json::from_str::<Entries<'_>>(text) else { return };
            for (key, value) in entries {
                if let Some(child) = wanted.child(Some(node), &key) {
                    let at = offset(source, value);
                    if let Some(key_at) = key_offset(&source[..at]) {
                        seen.push((key_at, child));
                    }
                    walk(source, value, child, wanted, seen);
                }
            }
        } else if text.starts_with('[') {
            let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(text) else { return };
            for (index, value) in items.into_iter().enumerate() {
                if let Some(child) = wanted.child(Some(node), &index.to_string()) {
                    walk(source, value, child, wanted, seen);
                }
            }
        }
    }

    /// The offset of the opening quote of the key before a value that starts where `before` ends
    /// (`"key" : ` then the value).
    fn key_offset(before: &str) -> Option<usize> {
        let bytes = before.as_bytes();
        let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        let mut end = bytes.len() - bytes.iter().rev().take_while(|b| is_space(b)).count();
        if end == 0 || bytes[end - 1] != b':' {
            return None;
        }
        end -= 1;
        end -= bytes[..end].iter().rev().take_while(|b| is_space(b)).count();
        if end == 0 || bytes[end - 1] != b'"' {
            return None;
        }
        // The closing quote is at `end - 1`: the opening one is the first quote before it that no
        // odd run of backslashes escapes.
        let mut at = end - 1;
        while at > 0 {
            at -= 1;
            if bytes[at] == b'"' && bytes[..at].iter().rev().take_while(|b| **b == b'\\').count() % 2 == 0 {
                return Some(at);
            }
        }
        None
    }

    /// A JSON object's entries in the text's order, values raw.
    struct Entries<'a>(Vec<(String, &'a RawValue)>);

    impl<'de> Deserialize<'de> for Entries<'de> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct EntriesVisitor;
            impl<'de> Visitor<'de> for EntriesVisitor {
                type Value = Entries<'de>;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                    let mut entries = Vec::new();
                    while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                        entries.push(entry);
                    }
                    Ok(Entries(entries))
                }
            }
            deserializer.deserialize_map(EntriesVisitor)
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

    /// Every node of every fixture, as pretty and as compact JSON text (and keys that need
    /// escapes, non-ASCII text, CRLF line ends): the JSON reader places each where `yaml-rust2`
    /// does.
    #[test]
    fn json_text_is_placed_as_yaml_places_it() {
        fn pointers(value: &serde_json::Value, pointer: String, out: &mut Vec<String>) {
            match value {
                serde_json::Value::Object(map) => {
                    for (key, value) in map {
                        pointers(value, format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1")), out);
                    }
                }
                serde_json::Value::Array(items) => {
                    for (index, value) in items.iter().enumerate() {
                        pointers(value, format!("{pointer}/{index}"), out);
                    }
                }
                _ => {}
            }
            out.push(pointer);
        }
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let mut values: Vec<serde_json::Value> = vec![serde_json::json!({
            "a\"b\\": {"ü/é~": [1, {"x": "y\\\""}, []], "": {}},
            "list": [[1, 2], {"k": null}],
        })];
        for entry in std::fs::read_dir(fixtures).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                if let Ok(value) = crate::load::parse(&std::fs::read_to_string(&path).unwrap()) {
                    values.push(value);
                }
            }
        }
        let mut compared = 0;
        for value in &values {
            let mut all = Vec::new();
            pointers(value, "#".to_owned(), &mut all);
            all.push("#/nowhere/0".to_owned());
            let pretty = serde_json::to_string_pretty(value).unwrap();
            for text in [pretty.clone(), serde_json::to_string(value).unwrap(), pretty.replace('\n', "\r\n")] {
                let mut from_json = Wanted::default();
                let json_paths: Vec<Vec<usize>> = all.iter().map(|p| from_json.add(p)).collect();
                let Ok(from_json) = json::locate(&text, from_json) else { panic!("not read as JSON: {text}") };
                let mut yaml = Wanted::default();
                let yaml_paths: Vec<Vec<usize>> = all.iter().map(|p| yaml.add(p)).collect();
                let mut locator = Locator { wanted: yaml, stack: Vec::new(), done: false };
                Parser::new_from_str(&text).load(&mut locator, false).unwrap();
                for ((pointer, a), b) in all.iter().zip(&json_paths).zip(&yaml_paths) {
                    let found = |wanted: &Wanted, path: &[usize]| path.iter().map(|&n| wanted.nodes[n].found).collect::<Vec<_>>();
                    assert_eq!(found(&from_json, a), found(&locator.wanted, b), "{pointer} in {text}");
                    compared += 1;
                }
            }
        }
        assert!(compared > 5_000, "only {compared} pointers compared");
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
