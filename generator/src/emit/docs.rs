//! Doc comments: spec text made safe for rustdoc (no accidental doctests, links or HTML; the
//! HTML tags some documents write are read as Markdown first, by `html`).
//!
//! Two layers: the Markdown layer here (prose escaped, code spans and fences kept, document
//! values shown as code spans with [`code`]), and the character layer, [`sanitize_docs`], run on
//! every doc attribute of every generated file just before pretty-printing, so no document text
//! reaches a doc comment with a character rustc or clippy refuses there (a bare CR, a line break
//! inside one line, control characters, bidirectional overrides, tabs).

use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::VisitMut;

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
        let examples: Vec<String> = docs.examples.iter().map(|e| code(e)).collect();
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

/// Any document text (a name, a value, a path) as one inline code span that shows it as it is:
/// fenced with more backticks than it holds in a row (CommonMark), padded where it starts or
/// ends with a backtick, line breaks shown as `\n`-style escapes, characters that have no
/// place in a doc comment shown as `\u{..}`.
pub(crate) fn code(text: &str) -> String {
    let mut shown = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        match c {
            '\n' => shown.push_str("\\n"),
            '\r' => shown.push_str("\\r"),
            '\t' => shown.push_str("\\t"),
            c if !allowed_in_docs(c) => shown.push_str(&c.escape_unicode().to_string()),
            c => shown.push(c),
        }
    }
    if shown.is_empty() {
        return "`\"\"`".to_owned();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in shown.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if shown.starts_with('`') || shown.ends_with('`') || shown.trim().is_empty() { " " } else { "" };
    format!("{fence}{pad}{shown}{pad}{fence}")
}

/// A URL as an autolink (`<https://...>`) when it can be one, else as code.
pub(crate) fn url(url: &str) -> String {
    let linkable = (url.starts_with("https://") || url.starts_with("http://"))
        && !url.chars().any(|c| c.is_whitespace() || !allowed_in_docs(c) || matches!(c, '<' | '>' | '`' | '\\'));
    if linkable {
        format!("<{url}>")
    } else {
        code(url)
    }
}

/// Text for one line outside Markdown (a manifest's description, which cargo also hands to
/// rustc as an environment variable, where a NUL cannot be): whitespace runs, line breaks
/// included, become one space; other control characters are shown as `\u{..}`.
pub(crate) fn plain(text: &str) -> String {
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    words.chars().map(|c| if c.is_control() { c.escape_unicode().to_string() } else { c.to_string() }).collect()
}

/// Whether a character may stand in a doc comment as it is: not a control character (line
/// breaks and tabs included: a doc line is one line), not a line or paragraph separator, not a
/// bidirectional control (rustc refuses those in comments), not a byte order mark.
pub(crate) fn allowed_in_docs(c: char) -> bool {
    !(c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{feff}')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c))
}

/// One doc line made safe at the character level: tabs become spaces, every other character
/// that may not stand in a doc comment is shown as `\u{..}`.
pub(crate) fn safe_line(line: &str) -> String {
    if line.chars().all(|c| allowed_in_docs(c) && c != '\t') {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        match c {
            '\t' => out.push_str("    "),
            c if allowed_in_docs(c) => out.push(c),
            c => out.push_str(&c.escape_unicode().to_string()),
        }
    }
    out
}

/// Runs [`safe_line`] over the text of every `#[doc = "..."]` attribute in a file (the
/// character layer: whatever the emitters wrote, no doc comment can break the crate).
pub(crate) fn sanitize_docs(file: &mut syn::File) {
    struct Sanitizer;
    impl VisitMut for Sanitizer {
        fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
            if !attr.path().is_ident("doc") {
                return;
            }
            if let syn::Meta::NameValue(meta) = &mut attr.meta {
                if let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) = &mut meta.value {
                    let value = text.value();
                    let safe: Vec<String> = value.split('\n').map(safe_line).collect();
                    let safe = safe.join(" ");
                    if safe != value {
                        *text = syn::LitStr::new(&safe, text.span());
                    }
                }
            }
        }
    }
    Sanitizer.visit_file_mut(file);
}

/// Multi-line spec text → doc lines: known HTML tags read as Markdown ([`super::html`]),
/// indentation removed (no accidental code blocks), code fences marked `text` (no doctests),
/// brackets and angle brackets escaped, bare URLs made links.
pub(crate) fn text(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    // Every kind of line break is one: CRLF, a lone CR, NEL, the Unicode line and paragraph
    // separators.
    let source = source.replace("\r\n", "\n").replace(['\r', '\u{85}', '\u{2028}', '\u{2029}'], "\n");
    // The HTML some documents write (`<p>`, `<code>`, `<a href>`) as Markdown.
    let source = super::html::to_markdown(&source);
    // The list items the previous line belongs to, innermost last: how far the document indents
    // each one's marker, and the column its text starts at in the docs. An item indented
    // further than the one before is nested in it, written at that item's text column (so
    // never an indented code block); wrapped lines keep the innermost item's column
    // (Markdown's continuation, which clippy wants written out).
    let mut items: Vec<(usize, usize)> = Vec::new();
    for raw in source.trim().lines() {
        let line = raw.trim();
        if is_fence(line) {
            out.push(if in_fence { "```".to_owned() } else { "```text".to_owned() });
            in_fence = !in_fence;
            items.clear();
            continue;
        }
        if in_fence {
            out.push(raw.trim_end().replace('\t', "    "));
        } else if line.is_empty() {
            items.clear();
            out.push(String::new());
        } else if let Some(width) = list_marker_width(line) {
            let indent = raw.len() - raw.trim_start().len();
            while items.last().is_some_and(|(marker, _)| *marker >= indent) {
                items.pop();
            }
            let column = items.last().map_or(0, |(_, column)| *column);
            items.push((indent, column + width));
            out.push(format!("{}{}", " ".repeat(column), list_item(line)));
        } else if let Some((_, column)) = items.last() {
            out.push(format!("{}{}", " ".repeat(*column), inline(line)));
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

/// Whether a (trimmed) line opens or closes a fenced block: three backticks or tildes, where a
/// backtick fence's info string holds no backtick (CommonMark: "```a`b``` text" is a code span
/// on a line of prose, not a fence).
pub(crate) fn is_fence(line: &str) -> bool {
    line.starts_with("~~~") || (line.starts_with("```") && !line.trim_start_matches('`').contains('`'))
}

/// The width of a Markdown list item's marker with its space (`- `, `* `, `+ `, `1. `, `12) `; a
/// tab after the marker is one too).
fn list_marker_width(line: &str) -> Option<usize> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let marker = match digits {
        0 if line.starts_with(['-', '*', '+']) => 1,
        1..10 if line[digits..].starts_with(['.', ')']) => digits + 1,
        _ => return None,
    };
    line[marker..].starts_with([' ', '\t']).then_some(marker + 1)
}

/// A list item's line: its markers (a nested list's too) each followed by one space, then its
/// text made safe. More spaces after a marker would make the item an indented code block, a
/// doctest.
fn list_item(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(width) = list_marker_width(rest) {
        out.push_str(&rest[..width - 1]);
        out.push(' ');
        rest = rest[width..].trim_start();
    }
    out.push_str(&inline(rest));
    out
}

/// Text on one line (for list items and one-line docs), made safe like [`inline`].
pub(crate) fn one_line(text: &str) -> String {
    inline(&super::html::to_markdown(text).split_whitespace().collect::<Vec<_>>().join(" "))
}

/// One line of prose, made safe: code spans kept (a run of backticks up to the next run of the
/// same length, as CommonMark reads them), Markdown links to absolute URLs kept (their labels
/// made safe the same way, code spans included; an image made a link to it), links to relative
/// targets as their labels, everything else escaped, lone backticks included.
pub(crate) fn inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(start) = rest.find(['`', '[']) {
        escape_prose(&rest[..start], &mut out);
        if rest[start..].starts_with('[') {
            // `![alt](..)` is an image: never one in the docs (a document's remote image would be
            // fetched by every reader), a link to it or its text instead.
            let image = out.ends_with('!');
            if image {
                out.pop();
            }
            match markdown_link(&rest[start..]) {
                // `[https://x](https://x)`: the URL, as an autolink.
                Some((label, Some(url), len)) if label.trim() == url => {
                    out.push('<');
                    out.push_str(url);
                    out.push('>');
                    rest = &rest[start + len..];
                }
                Some((label, Some(url), len)) => {
                    if image {
                        out.push_str("\\!");
                    }
                    out.push('[');
                    out.push_str(&inline(label));
                    out.push_str("](");
                    out.push_str(url);
                    out.push(')');
                    rest = &rest[start + len..];
                }
                // `[label](/docs/x)`, `[label](#anchor)`: no base to resolve the target against,
                // so the label.
                Some((label, None, len)) => {
                    out.push_str(&inline(label));
                    rest = &rest[start + len..];
                }
                None => {
                    if image {
                        out.push('!');
                    }
                    out.push_str("\\[");
                    rest = &rest[start + 1..];
                }
            }
            continue;
        }
        let run = rest[start..].bytes().take_while(|b| *b == b'`').count();
        let after = &rest[start + run..];
        match closing_run(after, run) {
            Some(end) => {
                out.push_str(&rest[start..start + run + end + run]);
                rest = &after[end + run..];
            }
            None => {
                out.push_str(&"\\`".repeat(run));
                rest = after;
            }
        }
    }
    escape_prose(rest, &mut out);
    out
}

/// Where a run of exactly `run` backticks starts in `text`, if one does.
fn closing_run(text: &str, run: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let len = bytes[i..].iter().take_while(|b| **b == b'`').count();
            if len == run {
                return Some(i);
            }
            i += len;
        } else {
            i += 1;
        }
    }
    None
}

/// Prose without code spans or `[`: bare URLs made autolinks, everything else escaped (no
/// intra-doc link, no HTML).
fn escape_prose(text: &str, out: &mut String) {
    let mut at = 0;
    while let Some(url_at) = next_url(text, at) {
        escape_chars(&text[at..url_at], out);
        let url = url_len(&text[url_at..]);
        let mut url = &text[url_at..url_at + url];
        // Trailing punctuation belongs to the sentence.
        while url.ends_with(['.', ',', ';', ':', '!', '?']) {
            url = &url[..url.len() - 1];
        }
        out.push('<');
        out.push_str(url);
        out.push('>');
        at = url_at + url.len();
    }
    escape_chars(&text[at..], out);
}

/// Where the next `https://` or `http://` starts in `text` at or after `from`: one pass over
/// the text (looking for each scheme on its own would go to the end for the one the text does
/// not hold, on every URL of a line).
fn next_url(text: &str, from: usize) -> Option<usize> {
    text[from..]
        .match_indices("http")
        .map(|(at, _)| from + at)
        .find(|at| text[*at..].starts_with("https://") || text[*at..].starts_with("http://"))
}

/// How long the URL `text` starts with is: up to a space, a character no doc may hold, one that
/// ends it in prose, or a `)` that closes no `(` of the URL (CommonMark reads a link's target
/// so: `[x](https://a.io/(b)` is no link, and rustdoc takes `[x]` for an intra-doc link;
/// `https://a.io/Foo_(bar)` keeps its `)`).
fn url_len(text: &str) -> usize {
    let mut open = 0usize;
    text.find(|c: char| match c {
        '(' => {
            open += 1;
            false
        }
        ')' if open > 0 => {
            open -= 1;
            false
        }
        _ => c.is_whitespace() || !allowed_in_docs(c) || matches!(c, '<' | '>' | '"' | '`' | ')' | ']' | '[' | '\\'),
    })
    .unwrap_or(text.len())
}

/// `[label](target)` at the start of `text`: its label, its target when that is an absolute URL
/// (`None` for a relative one, which would resolve against the docs, not the API's) and its
/// length. A label has no brackets outside its code spans (`` [`id`](https://..) ``), and a link
/// to an absolute URL no URL in its label but its own. The label is read up to the next `[` or
/// `]` outside code spans, so each `[` of a line reads on to the next one at most.
fn markdown_link(text: &str) -> Option<(&str, Option<&str>, usize)> {
    let bytes = text.as_bytes();
    let mut end = 1;
    loop {
        match bytes.get(end)? {
            b']' => break,
            b'[' => return None,
            b'`' => {
                let run = bytes[end..].iter().take_while(|b| **b == b'`').count();
                end += run + closing_run(&text[end + run..], run)? + run;
            }
            _ => end += 1,
        }
    }
    let label = &text[1..end];
    let after = text[end..].strip_prefix("](")?;
    let target = &after[..url_len(after)];
    if label.trim().is_empty() || target.is_empty() || !after[target.len()..].starts_with(')') {
        return None;
    }
    let len = end + 2 + target.len() + 1;
    if !(target.starts_with("https://") || target.starts_with("http://")) {
        return Some((label, None, len));
    }
    // A URL in the label would be a bare one inside the link, unless it is the link's own.
    (!label.contains("://") || label.trim() == target).then_some((label, Some(target), len))
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
        assert_eq!(inline("a ``x ` y`` b ` c"), "a ``x ` y`` b \\` c");
        assert_eq!(inline("```"), "\\`\\`\\`");
    }

    #[test]
    fn nested_lists_stay_nested() {
        // An item indented under another one is nested at that item's text column, however the
        // document indents it (the lines were all put at the left: one flat list).
        assert_eq!(
            text("- two\n  1. nested a\n     wrapped\n  1. nested b\n          - deeper\n- three\n        - under three"),
            ["- two", "  1. nested a", "     wrapped", "  1. nested b", "     - deeper", "- three", "  - under three"]
        );
        assert_eq!(text("<ol><li>a<ul><li>b</li></ul></li><li>c</li></ol>"), ["1. a", "   - b", "1. c"]);
    }

    #[test]
    fn a_list_item_is_never_an_indented_code_block() {
        // Five spaces or tabs after a marker make the item's text an indented code block (a
        // doctest); also when the list is written in HTML.
        assert_eq!(text("-     let x = 1;\n1.\t\tfn f() {}\n* -      nested\n+"), ["- let x = 1;", "1. fn f() {}", "* - nested", "  +"]);
        assert_eq!(text("<ul><li>    indented code?</li></ul>"), ["- indented code?"]);
    }

    #[test]
    fn a_code_span_at_the_start_of_a_line_is_no_fence() {
        // Backticks in a backtick fence's info string make it a code span (CommonMark); the
        // text after it was lost.
        assert_eq!(text("```a`b``` and more\nnext"), ["```a`b``` and more", "next"]);
        assert_eq!(text("<code>a`b</code> kept"), ["``a`b`` kept"]);
        assert_eq!(text("<code>x``y</code> kept"), ["```x``y``` kept"]);
        assert_eq!(text("``` js\n<p>x</p>\n```"), ["```text", "<p>x</p>", "```"]);
    }

    #[test]
    fn many_urls_on_a_line_take_linear_time() {
        // Looking for `http://` on its own went to the end of a line of `https://` URLs for
        // each of them.
        let line = "https://x.io/ ".repeat(40_000);
        let started = std::time::Instant::now();
        let out = inline(&line);
        assert!(started.elapsed() < std::time::Duration::from_secs(3), "took {:?}", started.elapsed());
        assert_eq!(out.matches("<https://x.io/>").count(), 40_000);
    }

    #[test]
    fn links_to_absolute_urls_are_kept() {
        assert_eq!(inline("see [the docs](https://polar.sh/docs) now"), "see [the docs](https://polar.sh/docs) now");
        assert_eq!(inline("[a <b>](http://x.io/a_b?c=d)."), "[a &lt;b&gt;](http://x.io/a_b?c=d).");
        assert_eq!(inline("[relative](/docs) [empty]() [x](https://a b)"), "relative \\[empty\\]() \\[x\\](<https://a> b)");
        // A relative or anchor target has no base here: the label.
        assert_eq!(inline("see [file upload](#create_file), [`id`](/docs/id)."), "see file upload, `id`.");
        // An image never: a link to it, or its text.
        assert_eq!(inline("![badge](https://img.io/b.svg) ![alt](./x.png) ![](https://t.io/p.gif) wow!"), "\\![badge](https://img.io/b.svg) alt !\\[\\](<https://t.io/p.gif>) wow!");
        assert_eq!(inline("[[nested](https://a.io)]"), "\\[[nested](https://a.io)\\]");
        assert_eq!(inline("[https://a.io](https://a.io)"), "<https://a.io>");
        assert_eq!(inline("[see https://a.io](https://b.io)"), "\\[see <https://a.io>\\](<https://b.io>)");
        // A label's code spans (Stripe's `` [`default_tax_rates`](https://..) ``) and emphasis.
        assert_eq!(inline("the [`id`](https://a.io/x) and [**b** `c]`](https://a.io) ok"), "the [`id`](https://a.io/x) and [**b** `c]`](https://a.io) ok");
        // Code spans bind tighter than links (CommonMark): this one runs from `open to a`.
        assert_eq!(inline("[`open](https://a.io) [a`](https://a.io)`"), "\\[`open](https://a.io) [a`\\](<https://a.io>)\\`");
        // A target's parentheses balanced, as CommonMark wants them (`[x]` alone would be an
        // intra-doc link rustdoc cannot resolve).
        assert_eq!(inline("[x](https://a.io/(b) [y](https://a.io/a_(b)_c)"), "\\[x\\](<https://a.io/(b)> [y](https://a.io/a_(b)_c)");
        assert_eq!(inline("https://a.io/Foo_(bar) (see https://a.io/q)."), "<https://a.io/Foo_(bar)> (see <https://a.io/q>).");
    }

    #[test]
    fn any_text_is_one_code_span() {
        assert_eq!(code("plain"), "`plain`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(code("one\rtwo\nthree"), "`one\\rtwo\\nthree`");
        assert_eq!(code("\u{202e}\u{1}"), "`\\u{202e}\\u{1}`");
        assert_eq!(code(""), "`\"\"`");
    }

    #[test]
    fn characters_are_made_safe() {
        assert_eq!(safe_line("a\tb\rc\u{0}d\u{2066}e"), "a    b\\u{d}c\\u{0}d\\u{2066}e");
        assert_eq!(text("one\rtwo\u{2028}three"), ["one", "two", "three"]);
        let mut file: syn::File = syn::parse_quote! {
            #[doc = " bare\rCR\nand a newline"]
            pub struct A;
        };
        sanitize_docs(&mut file);
        let printed = prettyplease::unparse(&file);
        assert!(printed.contains("/// bare\\u{d}CR and a newline"), "{printed}");
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
