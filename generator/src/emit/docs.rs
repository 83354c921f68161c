//! Doc comments: spec text made safe for rustdoc (no accidental doctests, links or HTML).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Docs;

/// `#[doc = "..."]` attributes, one per line.
pub(crate) fn attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! { #( #[doc = #lines] )* }
}

/// The doc lines of a type, field or parameter; `fallback` is used when the document says nothing.
pub(crate) fn lines(docs: &Docs, fallback: &str) -> Vec<String> {
    let mut paragraphs: Vec<Vec<String>> = Vec::new();
    if let Some(title) = &docs.title {
        paragraphs.push(text(title));
    }
    if let Some(description) = &docs.description {
        let description = text(description);
        if !description.is_empty() {
            paragraphs.push(description);
        }
    }
    // An empty or blank title says nothing either.
    paragraphs.retain(|p| p.iter().any(|line| !line.trim().is_empty()));
    if paragraphs.is_empty() {
        paragraphs.push(vec![fallback.to_owned()]);
    }
    if !docs.facts.is_empty() {
        paragraphs.push(docs.facts.iter().map(|fact| format!("- {}", inline(fact))).collect());
    }
    if !docs.examples.is_empty() {
        let examples: Vec<String> = docs.examples.iter().filter_map(|e| code_span(e)).collect();
        if !examples.is_empty() {
            let label = if examples.len() == 1 { "Example" } else { "Examples" };
            paragraphs.push(vec![format!("{label}: {}", examples.join(", "))]);
        }
    }
    join(paragraphs)
}

/// Joins paragraphs with blank lines.
pub(crate) fn join(paragraphs: Vec<Vec<String>>) -> Vec<String> {
    let mut out = Vec::new();
    for mut paragraph in paragraphs {
        while paragraph.last().is_some_and(String::is_empty) {
            paragraph.pop();
        }
        let leading = paragraph.iter().take_while(|l| l.is_empty()).count();
        paragraph.drain(..leading);
        if paragraph.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(paragraph);
    }
    out
}

/// `code` as an inline code span, if it can be one.
pub(crate) fn code_span(code: &str) -> Option<String> {
    if code.contains('`') || code.contains('\n') {
        None
    } else {
        Some(format!("`{code}`"))
    }
}

/// Multi-line spec text → doc lines: indentation removed (no accidental code blocks), code fences
/// marked `text` (no doctests), brackets and angle brackets escaped, bare URLs made links.
pub(crate) fn text(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    // The content indent of the list item the previous line belongs to: its wrapped lines keep
    // that indent (Markdown's continuation, which clippy wants written out).
    let mut list_indent: Option<usize> = None;
    for raw in source.trim().lines() {
        let line = raw.trim();
        if line.starts_with("```") || line.starts_with("~~~") {
            out.push(if in_fence { "```".to_owned() } else { "```text".to_owned() });
            in_fence = !in_fence;
            list_indent = None;
            continue;
        }
        if in_fence {
            out.push(raw.trim_end().replace('\t', "    "));
        } else if line.is_empty() {
            list_indent = None;
            out.push(String::new());
        } else if let Some(width) = list_marker_width(line) {
            list_indent = Some(width);
            out.push(inline(line));
        } else if let Some(width) = list_indent {
            out.push(format!("{}{}", " ".repeat(width), inline(line)));
        } else {
            out.push(inline(line));
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    // Collapse runs of blank lines.
    out.dedup_by(|a, b| a.is_empty() && b.is_empty());
    out
}

/// The width of a Markdown list item's marker with its space (`- `, `* `, `+ `, `1. `, `12) `).
fn list_marker_width(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && digits < 10 && (rest.starts_with(". ") || rest.starts_with(") "))).then_some(digits + 2)
}

/// Text on one line (for list items and one-line docs), made safe like [`inline`].
pub(crate) fn one_line(text: &str) -> String {
    inline(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// One line of prose, made safe: code spans kept, everything else escaped.
pub(crate) fn inline(line: &str) -> String {
    let parts: Vec<&str> = line.split('`').collect();
    let balanced = parts.len() % 2 == 1;
    let mut out = String::with_capacity(line.len() + 8);
    for (index, part) in parts.iter().enumerate() {
        let is_code = balanced && index % 2 == 1;
        if index > 0 {
            out.push_str(if balanced { "`" } else { "\\`" });
        }
        if is_code {
            out.push_str(part);
        } else {
            escape_prose(part, &mut out);
        }
    }
    out
}

fn escape_prose(text: &str, out: &mut String) {
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(start) = ["https://", "http://"].iter().filter_map(|scheme| rest.find(scheme)).min() {
            escape_chars(&rest[..start], out);
            let url_len = rest[start..]
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')' | ']'))
                .unwrap_or(rest.len() - start);
            let mut url = &rest[start..start + url_len];
            // Trailing punctuation belongs to the sentence.
            while url.ends_with(['.', ',', ';', ':', '!', '?']) {
                url = &url[..url.len() - 1];
            }
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[start + url.len()..];
        } else {
            escape_chars(rest, out);
            break;
        }
    }
}

fn escape_chars(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_made_safe() {
        assert_eq!(inline("see [docs] and Vec<T>"), "see \\[docs\\] and Vec&lt;T&gt;");
        assert_eq!(inline("read https://polar.sh/docs."), "read <https://polar.sh/docs>.");
        assert_eq!(inline("keep `a[0] < b` as code"), "keep `a[0] < b` as code");
        assert_eq!(inline("one ` backtick"), "one \\` backtick");
    }

    #[test]
    fn blocks_never_become_doctests() {
        let lines = text("Intro\n\n    indented code\n```\nlet x = 1;\n```");
        assert_eq!(lines, ["Intro", "", "indented code", "```text", "let x = 1;", "```"]);
    }

    #[test]
    fn wrapped_list_items_keep_their_indent() {
        let lines = text("Two:\n* the first, long\n  enough to wrap\n1. numbered\n   wrapped\n\nafter");
        assert_eq!(lines, ["Two:", "* the first, long", "  enough to wrap", "1. numbered", "   wrapped", "", "after"]);
    }
}
