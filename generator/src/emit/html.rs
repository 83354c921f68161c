//! The HTML some documents write their descriptions in (Stripe's `<p>`, `<code>`, `<a href>`),
//! as the Markdown rustdoc reads, before [`docs::text`](super::docs::text) makes the text safe.
//!
//! Only a known set of tags is read: paragraphs and line breaks, lists, code, emphasis and links.
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
    /// The open lists, innermost last: `true` for an ordered one.
    lists: Vec<bool>,
    /// The open links' targets, innermost last (`None`: a target that is not an absolute URL).
    links: Vec<Option<String>>,
    /// No `</code>` follows on this line: a later `<code>` need not look for one again.
    no_code_close: bool,
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
