//! The HTML some documents write their descriptions in (Stripe's `<p>`, `<code>`, `<a href>`),
//! as the Markdown rustdoc reads, before [`docs::text`](super::docs::text) makes the text safe.
//!
//! Only a known set of tags is read: paragraphs, headings and line breaks, lists, tables, code,
//! emphasis, links, and `<span>` (no meaning in Markdown: its text is kept).
//! Any other `<...>` (`<currency>`, `Vec<T>`) stays text, which the docs layer escapes, and so
//! does everything inside code spans and fenced blocks. No HTML reaches a doc comment.

use std::borrow::Cow;

/// How far past a `<` a tag this module reads may end: a tag is short, an `<a href>` a URL long.
const MAX_TAG: usize = 2048;

/// `text` with its known HTML tags turned into Markdown; `text` itself when it has no `<`.
pub(crate) fn to_markdown(text: &str) -> Cow<'_, str> {
    if !text.contains('<') {
        return Cow::Borrowed(text);
    }
    let mut converter = Converter::default();
    let mut in_fence = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            converter.out.push_str(line);
        } else if in_fence {
            converter.out.push_str(line);
        } else {
            converter.line(line);
        }
    }
    let mut out = converter.out;
    out.truncate(out.trim_end().len());
    Cow::Owned(out)
}

#[derive(Default)]
struct Converter {
    out: String,
    /// The open lists, innermost last: `true` for an ordered one.
    lists: Vec<bool>,
    /// The open links' targets, innermost last (`None`: a target that is not an absolute URL).
    links: Vec<Option<String>>,
    /// No `</code>` follows on this line: a later `<code>` need not look for one again.
    no_code_close: bool,
    /// The table being read (one at a time: a table in a table stays text).
    table: Option<Table>,
}

/// A table being read into a Markdown table: each row's cells, read into `out` then taken back
/// out of it, each on one line.
#[derive(Default)]
struct Table {
    /// Where the open row starts in `out`.
    row: Option<usize>,
    /// Where the open cell starts in `out`.
    cell: Option<usize>,
    cells: Vec<String>,
    rows: usize,
    /// Where the table's last row (or the paragraph break before it) ends in `out`: blank text
    /// between rows is dropped.
    end: usize,
}

impl Converter {
    fn line(&mut self, line: &str) {
        self.no_code_close = false;
        let mut at = 0;
        // Where the next `>` is (searched once for every `<` it closes: linear in the line).
        let mut next_gt: Option<usize> = None;
        while let Some(found) = line[at..].find(['<', '`']) {
            self.out.push_str(&line[at..at + found]);
            at += found;
            let rest = &line[at..];
            if rest.starts_with('`') {
                // A code span, kept as it is (up to a run of backticks as long).
                let run = rest.bytes().take_while(|b| *b == b'`').count();
                let close = rest[run..].find(&rest[..run]).map_or(run, |end| run + end + run);
                self.out.push_str(&rest[..close]);
                at += close;
                continue;
            }
            if next_gt.is_none_or(|gt| gt < at) {
                next_gt = line[at..].find('>').map(|gt| at + gt).or(Some(usize::MAX));
            }
            let len = next_gt.filter(|gt| *gt != usize::MAX).and_then(|gt| self.tag(rest, gt - at));
            match len {
                Some(len) => at += len,
                None => {
                    self.out.push('<');
                    at += 1;
                }
            }
        }
        self.out.push_str(&line[at..]);
    }

    /// Reads the tag `text` starts with (its `>` at `end`), writing its Markdown: its length,
    /// `None` for a tag this module does not read.
    fn tag(&mut self, text: &str, end: usize) -> Option<usize> {
        if end > MAX_TAG {
            return None;
        }
        let inner = &text[1..end];
        let (closing, inner) = match inner.strip_prefix('/') {
            Some(inner) => (true, inner),
            None => (false, inner),
        };
        let name_len = inner.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(inner.len());
        let (name, attributes) = inner.split_at(name_len);
        // `<br/>`, `<a href="..">`: a name, then nothing, a `/` or attributes after a space (an
        // opening tag's; only `<a>`'s `href` is read).
        let well_formed = attributes.is_empty()
            || attributes == "/"
            || (!closing && attributes.starts_with(char::is_whitespace) && !attributes.contains('<'));
        if name.is_empty() || !well_formed {
            return None;
        }
        let attributes = attributes.trim().trim_end_matches('/');
        match (name.to_ascii_lowercase().as_str(), closing) {
            ("p" | "div", _) => self.paragraph(),
            ("br", false) => self.out.push('\n'),
            ("strong" | "b", _) => self.out.push_str("**"),
            ("em" | "i", _) => self.out.push('*'),
            ("ul", false) => self.open_list(false),
            ("ol", false) => self.open_list(true),
            ("ul" | "ol", true) => {
                self.lists.pop();
                if self.lists.is_empty() {
                    self.paragraph();
                }
            }
            ("li", false) => {
                let depth = self.lists.len().saturating_sub(1);
                let marker = if self.lists.last() == Some(&true) { "1. " } else { "- " };
                if !self.out.is_empty() && !self.out.ends_with('\n') {
                    self.out.push('\n');
                }
                self.out.push_str(&"  ".repeat(depth));
                self.out.push_str(marker);
            }
            ("li", true) => {}
            ("a", false) => {
                let url = href(attributes);
                if url.is_some() {
                    self.out.push('[');
                }
                self.links.push(url);
            }
            ("a", true) => {
                if let Some(Some(url)) = self.links.pop() {
                    self.out.push_str("](");
                    self.out.push_str(&url);
                    self.out.push(')');
                }
            }
            ("code", false) => return self.code(text, end + 1),
            ("span", _) => {}
            (heading @ ("h1" | "h2" | "h3" | "h4" | "h5" | "h6"), closing) => {
                self.paragraph();
                if !closing {
                    let level = usize::from(heading.as_bytes()[1] - b'0');
                    self.out.push_str(&"#".repeat(level));
                    self.out.push(' ');
                }
            }
            ("table", false) if self.table.is_none() => {
                self.paragraph();
                self.table = Some(Table { end: self.out.len(), ..Table::default() });
            }
            ("table", true) if self.table.is_some() => {
                self.end_row();
                self.drop_blank_since_row();
                self.table = None;
                self.paragraph();
            }
            ("thead" | "tbody" | "tfoot", _) if self.table.is_some() => {}
            ("tr", false) if self.table.is_some() => {
                self.end_row();
                self.drop_blank_since_row();
                let start = self.out.len();
                self.table.as_mut()?.row = Some(start);
            }
            ("tr", true) if self.table.is_some() => self.end_row(),
            ("td" | "th", false) if self.table.as_ref().is_some_and(|t| t.row.is_some()) => {
                self.end_cell();
                let start = self.out.len();
                self.table.as_mut()?.cell = Some(start);
            }
            ("td" | "th", true) if self.table.is_some() => self.end_cell(),
            _ => return None,
        }
        Some(end + 1)
    }

    /// `<code>...</code>` as a code span of the text between, its entities decoded.
    fn code(&mut self, text: &str, open: usize) -> Option<usize> {
        if self.no_code_close {
            return None;
        }
        let Some(close) = find_ignore_case(&text[open..], "</code>") else {
            self.no_code_close = true;
            return None;
        };
        let content = decode_entities(&text[open..open + close]);
        self.out.push_str(&super::docs::code(&content));
        Some(open + close + "</code>".len())
    }

    /// Takes the open cell's text out of `out`, on one line (a `|` in it written `&#124;`).
    fn end_cell(&mut self) {
        let Some(table) = self.table.as_mut() else { return };
        let Some(start) = table.cell.take() else { return };
        let text = self.out[start..].split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "&#124;");
        self.out.truncate(start);
        table.cells.push(text);
    }

    /// Writes the open row as a Markdown table's row (the first one followed by the header's
    /// delimiter row).
    fn end_row(&mut self) {
        self.end_cell();
        let Some(table) = self.table.as_mut() else { return };
        let Some(start) = table.row.take() else { return };
        self.out.truncate(start);
        let cells = std::mem::take(&mut table.cells);
        if cells.is_empty() {
            return;
        }
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.out.push_str(&format!("| {} |\n", cells.join(" | ")));
        if table.rows == 0 {
            self.out.push('|');
            self.out.push_str(&"---|".repeat(cells.len()));
            self.out.push('\n');
        }
        table.rows += 1;
        table.end = self.out.len();
    }

    /// Drops what the table holds since its last row when it is blank (the line breaks between
    /// `<tr>`s).
    fn drop_blank_since_row(&mut self) {
        let Some(table) = self.table.as_ref() else { return };
        if table.row.is_none() && self.out.len() >= table.end && self.out[table.end..].trim().is_empty() {
            self.out.truncate(table.end);
        }
    }

    fn paragraph(&mut self) {
        let trailing = self.out.len() - self.out.trim_end_matches([' ', '\n']).len();
        self.out.truncate(self.out.len() - trailing);
        if !self.out.is_empty() {
            self.out.push_str("\n\n");
        }
    }

    fn open_list(&mut self, ordered: bool) {
        if self.lists.is_empty() {
            self.paragraph();
        }
        self.lists.push(ordered);
    }
}

/// An `<a>` tag's `href`, when it is an absolute `http(s)` URL.
fn href(attributes: &str) -> Option<String> {
    let at = find_ignore_case(attributes, "href=")?;
    let value = &attributes[at + "href=".len()..];
    let url = match value.chars().next()? {
        quote @ ('"' | '\'') => value[1..].split(quote).next()?,
        _ => value.split_whitespace().next()?,
    };
    let url = decode_entities(url);
    (url.starts_with("https://") || url.starts_with("http://")).then_some(url)
}

fn find_ignore_case(text: &str, needle: &str) -> Option<usize> {
    text.as_bytes().windows(needle.len()).position(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The few named entities HTML text uses, and numeric ones.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let entity = rest[1..].find(';').filter(|end| *end <= 8).map(|end| &rest[1..=end]);
        let decoded = entity.and_then(|entity| match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        });
        match (entity, decoded) {
            (Some(entity), Some(c)) => {
                out.push(c);
                rest = &rest[entity.len() + 2..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::to_markdown;

    #[test]
    fn paragraphs_code_and_links_become_markdown() {
        assert_eq!(
            to_markdown("<p>Returns a list of your <code>customer</code>s.</p><p>See <a href=\"https://stripe.com/docs\">the docs</a>.</p>"),
            "Returns a list of your `customer`s.\n\nSee [the docs](https://stripe.com/docs)."
        );
        assert_eq!(to_markdown("<p>One<br>two <strong>bold</strong> <em>it</em></p>"), "One\ntwo **bold** *it*");
        assert_eq!(to_markdown("A <a href=\"/docs/api\">relative</a> link"), "A relative link");
        assert_eq!(to_markdown("<code>&lt;T&gt; `x`</code>"), "`` <T> `x` ``");
        assert_eq!(to_markdown("<code>open\n<code>b</code>"), "<code>open\n`b`");
    }

    #[test]
    fn tables_become_markdown_tables() {
        let html = "Networks:\n<table>\n<tbody>\n<tr>\n<td>\n<b>Network</b>\n</td>\n<td>Endpoint</td>\n</tr>\n<tr><td>Cardano\nmainnet</td>\n<td><code>https://x.io/v0</code></td></tr>\n<tr><td>a | b</td></tr>\n</tbody>\n</table>\nAfter.";
        assert_eq!(
            to_markdown(html),
            "Networks:\n\n| **Network** | Endpoint |\n|---|---|\n| Cardano mainnet | `https://x.io/v0` |\n| a &#124; b |\n\n\nAfter."
        );
        // A table in a table, and cells outside any table, stay text.
        assert_eq!(to_markdown("<td>x</td>"), "<td>x</td>");
        assert_eq!(to_markdown("<table><tr><td><table>x</td></tr></table>"), "| <table>x |\n|---|");
    }

    #[test]
    fn spans_and_headings() {
        assert_eq!(to_markdown("<span class=\"hosted\">Hosted</span> only"), "Hosted only");
        assert_eq!(to_markdown("Intro<h3>Errors</h3>Text"), "Intro\n\n### Errors\n\nText");
    }

    #[test]
    fn lists_become_markdown_lists() {
        assert_eq!(to_markdown("Either:<ul><li>one</li><li>two</li></ul>Done."), "Either:\n\n- one\n- two\n\nDone.");
        assert_eq!(to_markdown("<ol><li>a<ul><li>b</li></ul></li></ol>"), "1. a\n  - b");
    }

    #[test]
    fn other_text_is_left_as_it_is() {
        for text in ["Vec<T>", "amount in <currency>", "a < b > c", "`<p>` stays", "<p/x>", "<a<code>", "<code>unclosed", "no tags"] {
            assert_eq!(to_markdown(text), text);
        }
        assert_eq!(to_markdown("<p class=\"x\">attributes ignored</p>"), "attributes ignored");
        assert_eq!(to_markdown("```html\n<p>x</p>\n```\n<p>y</p>"), "```html\n<p>x</p>\n```\n\ny");
    }

    #[test]
    fn tags_that_never_close_stay_text() {
        let text = "<a".repeat(20_000) + &"<code>".repeat(20_000) + "<p";
        assert!(to_markdown(&text) == text, "a tag that never closes was read");
    }
}
