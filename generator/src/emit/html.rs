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

/// How deep a nested list is indented at most.
const MAX_LIST_DEPTH: usize = 8;

/// `text` with its known HTML tags turned into Markdown; `text` itself when it has no `<`.
pub(crate) fn to_markdown(text: &str) -> Cow<'_, str> {
    if !text.contains('<') {
        return Cow::Borrowed(text);
    }
    let mut converter = Converter::default();
    let mut in_fence = false;
    for line in text.split_inclusive('\n') {
        if super::docs::is_fence(line.trim()) {
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
    /// The open lists, innermost last: whether each is ordered, and whether it has had an item.
    lists: Vec<(bool, bool)>,
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
            let len = tag_end(rest).and_then(|end| self.tag(rest, end));
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
                let (ordered, had_item) = self.lists.last_mut().map_or((false, false), |(ordered, had_item)| (*ordered, std::mem::replace(had_item, true)));
                let marker = if ordered { "1. " } else { "- " };
                // The next item on the next line: the whitespace the document has between its
                // items (`</li>\n  <li>`) is no blank line (a loose list); only a top-level list's
                // first item has a blank line before it.
                let first = !self.lists.is_empty() && !had_item && depth == 0;
                self.out.truncate(self.out.trim_end_matches([' ', '\t', '\n']).len());
                if !self.out.is_empty() {
                    self.out.push_str(if first { "\n\n" } else { "\n" });
                }
                // Indented as deep as lists are written by hand (a document nesting thousands
                // of lists would otherwise give output quadratic in its size).
                self.out.push_str(&"  ".repeat(depth.min(MAX_LIST_DEPTH)));
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
        if !self.lists.is_empty() {
            // Inside a list item (`<li><p>..</p></li>`): a line break, as a blank line would end
            // the item; none right after the item's marker.
            let line = &self.out[self.out.rfind('\n').map_or(0, |at| at + 1)..];
            if matches!(line.trim(), "-" | "1.") {
                return;
            }
            self.out.truncate(self.out.trim_end_matches([' ', '\t', '\n']).len());
            if !self.out.is_empty() {
                self.out.push('\n');
            }
            return;
        }
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
        self.lists.push((ordered, false));
    }
}

/// Where the tag `text` starts with ends: its `>` outside quoted attribute values, before any
/// other `<` and within [`MAX_TAG`]. Each scan stops at the next `<`, so the scans of a line
/// read it once.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote = None;
    for (i, b) in text.bytes().enumerate().skip(1).take(MAX_TAG) {
        match (quote, b) {
            (_, b'<' | b'\n') => return None,
            (None, b'>') => return Some(i),
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), b) if b == q => quote = None,
            _ => {}
        }
    }
    None
}

/// An `<a>` tag's `href`, when it is an absolute `http(s)` URL: its attributes read as HTML
/// writes them (`name="value"`, `name='value'`, `name=value`, `name`, spaces around `=`), its
/// entities decoded, and what cannot stand in a Markdown link's target percent-encoded.
fn href(mut attributes: &str) -> Option<String> {
    loop {
        attributes = attributes.trim_start();
        let name_len = attributes.find(|c: char| c.is_whitespace() || c == '=').unwrap_or(attributes.len());
        if name_len == 0 {
            return None;
        }
        let name = &attributes[..name_len];
        attributes = attributes[name_len..].trim_start();
        let mut value = None;
        if let Some(rest) = attributes.strip_prefix('=') {
            let rest = rest.trim_start();
            let (text, len) = match rest.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let end = rest[1..].find(quote)?;
                    (&rest[1..=end], end + 2)
                }
                _ => {
                    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                    (&rest[..end], end)
                }
            };
            value = Some(text);
            attributes = &rest[len..];
        }
        if name.eq_ignore_ascii_case("href") {
            let url = decode_entities(value?.trim());
            return (url.starts_with("https://") || url.starts_with("http://")).then(|| link_target(&url));
        }
    }
}

/// A URL as a Markdown link's target: spaces, what no doc may hold (control and bidirectional
/// characters: [`allowed_in_docs`](super::docs::allowed_in_docs)), `<>"\``, brackets, and
/// (where they are not balanced) parentheses percent-encoded.
fn link_target(url: &str) -> String {
    let balanced = url.chars().try_fold(0usize, |open, c| match c {
        '(' => Some(open + 1),
        ')' => open.checked_sub(1),
        _ => Some(open),
    }) == Some(0);
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        let encode = c.is_whitespace()
            || !super::docs::allowed_in_docs(c)
            || matches!(c, '<' | '>' | '"' | '`' | '[' | ']' | '\\')
            || (!balanced && matches!(c, '(' | ')'));
        if encode {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
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
        // An entity's `;` is within a few bytes (looking further, to the next `;` of the text,
        // would read the rest of it for every `&`).
        let entity = rest.bytes().skip(1).take(9).position(|b| b == b';').map(|end| &rest[1..=end]);
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
    fn a_link_keeps_its_whole_target() {
        // A `>` in a quoted value ended the tag; a `)` or a space in the URL ended the link
        // early (a link to another page), another attribute's text could be taken for `href`.
        assert_eq!(to_markdown("<a href=\"https://x.io/a>b\" title=\"x>y\">gt</a>"), "[gt](https://x.io/a%3Eb)");
        assert_eq!(to_markdown("<a href=\"https://x.io/a)b\">p</a> <a href='https://x.io/a b'>s</a>"), "[p](https://x.io/a%29b) [s](https://x.io/a%20b)");
        assert_eq!(to_markdown("<a href=\"https://x.io/Foo_(bar)\">w</a> <a HREF = https://x.io/[x]>b</a>"), "[w](https://x.io/Foo_(bar)) [b](https://x.io/%5Bx%5D)");
        assert_eq!(to_markdown("<a title=\"href=https://evil.io\" href=\"/docs\">rel</a> <a data-href=\"https://evil.io\">d</a>"), "rel d");
        assert_eq!(to_markdown("<a href=\"https://x.io/\u{202e}&lt;\">bidi</a>"), "[bidi](https://x.io/%E2%80%AE%3C)");
        assert_eq!(to_markdown("<p title=\"a<b\">x</p> <p title='it\"s'>y</p>"), "<p title=\"a<b\">x\n\ny");
    }

    #[test]
    fn entities_are_decoded_in_linear_time() {
        assert_eq!(to_markdown("<code>&lt;&#x3c;&#60;&amp;lt;&bogus;&#0;&#1114112;&</code>"), "`<<<&lt;&bogus;\\u{0}&#1114112;&`");
        let text = format!("<code>{}</code>", "&".repeat(400_000));
        let started = std::time::Instant::now();
        let out = to_markdown(&text);
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "took {:?}", started.elapsed());
        assert_eq!(out.len(), 400_002);
    }

    #[test]
    fn paragraphs_and_whitespace_in_lists_keep_items_whole() {
        // `<li><p>a</p></li>` gave an empty bullet and a paragraph after it; the line break
        // and spaces between items a blank line (a loose list).
        assert_eq!(to_markdown("<ul><li><p>a</p></li><li><p>b</p><p>c</p></li></ul>after"), "- a\n- b\nc\n\nafter");
        assert_eq!(to_markdown("Steps:\n<ol>\n  <li>one</li>\n  <li>two\n    <ul>\n      <li>deep</li>\n    </ul>\n  </li>\n</ol>"), "Steps:\n\n1. one\n1. two\n  - deep");
        assert_eq!(super::super::docs::text("<ul><li><p>a</p></li><li>b<p>c</p></li></ul>"), ["- a", "- b", "  c"]);
    }

    #[test]
    fn deep_lists_are_indented_at_most_so_deep() {
        // Every item was indented as deep as its list: 20,000 lists gave 800 MB.
        let text = "<ul>".repeat(20_000) + &"<li>x".repeat(20_000);
        let out = to_markdown(&text);
        assert!(out.len() < 20 * 20_000, "{} bytes", out.len());
        assert!(out.ends_with("\n                - x"), "{:?}", &out[out.len() - 40..]);
    }

    #[test]
    fn tags_that_never_close_stay_text() {
        let text = "<a".repeat(20_000) + &"<code>".repeat(20_000) + "<p";
        assert!(to_markdown(&text) == text, "a tag that never closes was read");
    }
}
