//! The one sanitiser for text that came from outside (other users, imports, alerts):
//! escape sequences and control characters are removed before anything is drawn or
//! printed, so a hostile payload cannot move the cursor, retitle the terminal, or hide
//! text with bidirectional overrides.

/// For multi-line fields (descriptions, timeline text): keeps line breaks, turns tabs
/// into a space, removes everything else that is not printable.
pub fn sanitize_text(input: &str) -> String {
    clean(input, true)
}

/// For one-line cells (titles, names, keys): line breaks and tabs become spaces too.
pub fn sanitize_line(input: &str) -> String {
    clean(input, false)
}

fn clean(input: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape_sequence(&mut chars),
            // The 8-bit forms of CSI and of the string sequences (DCS, SOS, OSC, PM, APC).
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push(if keep_newlines { '\n' } else { ' ' });
                }
            }
            // LINE and PARAGRAPH SEPARATOR break lines in some renderers: lines here.
            '\n' | '\u{2028}' | '\u{2029}' => out.push(if keep_newlines { '\n' } else { ' ' }),
            '\t' => out.push(' '),
            c if is_invisible_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

fn is_invisible_control(c: char) -> bool {
    c.is_control() // C0, DEL and C1 (U+0080–U+009F)
        // Bidirectional embeddings, overrides, isolates and marks.
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
        // Invisible format characters that hide or split text: zero-width space, the
        // word joiner and invisible operators, the Mongolian vowel separator, the BOM.
        // (Zero-width joiners stay: emoji and several scripts need them.)
        || matches!(c, '\u{200b}' | '\u{2060}'..='\u{2064}' | '\u{180e}' | '\u{feff}')
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Consumes what follows an ESC: a CSI sequence up to its final byte, a string sequence
/// (OSC, DCS, SOS, PM, APC) up to BEL or ST, or the one character of a short escape.
fn skip_escape_sequence(chars: &mut Chars<'_>) {
    match chars.next() {
        Some('[') => skip_csi(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string(chars),
        _ => {}
    }
}

/// The parameters and final byte of a control sequence.
fn skip_csi(chars: &mut Chars<'_>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

/// The body of a string sequence, up to BEL or ST (ESC \ or its 8-bit form).
fn skip_string(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        if c == '\u{7}' || c == '\u{9c}' {
            break;
        }
        if c == '\u{1b}' {
            if chars.peek() == Some(&'\\') {
                chars.next();
            }
            break;
        }
    }
}

/// A cell for a file a spreadsheet may open (CSV, tab-separated): a cell that starts
/// like a formula (`= + - @`, a tab or a carriage return) gets a leading `'`, so it is
/// read as text and never run (OWASP's advice on CSV injection). Apply after
/// `sanitize_line`.
pub fn spreadsheet_cell(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// Outside text made safe to write into a Markdown document: raw HTML shows as text
/// (`<` and `>` become entities, so no `<script>` or `onerror=` reaches a renderer), a
/// line cannot open a heading of its own (a leading `#` is escaped, so no fake
/// "## Lessons"), and a link keeps its text but loses its target unless it goes to
/// http(s), mailto or a place in the document. Apply after `sanitize_text`.
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let indent = line.len() - line.trim_start().len();
        out.push_str(&line[..indent]);
        let rest = &line[indent..];
        if rest.starts_with('#') {
            out.push('\\');
        }
        for (i, c) in rest.char_indices() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                ']' if rest[i + 1..].starts_with('(') && !safe_link(&rest[i + 2..]) => {
                    out.push_str("]\\");
                }
                _ => out.push(c),
            }
        }
    }
    out
}

/// Whether a Markdown link target (the text after `(`) is one a reader may follow.
fn safe_link(target: &str) -> bool {
    let target = target.trim_start().to_ascii_lowercase();
    ["http://", "https://", "mailto:", "#"]
        .iter()
        .any(|scheme| target.starts_with(scheme))
}

/// Text for HTML and XML: `& < > " '` escaped (the text already made safe).
pub fn html_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_text_shows_html_as_text_and_keeps_only_safe_links() {
        let hostile = "see <script>fetch('x')</script>\n<img src=x onerror=alert(1)>\n## Lessons\n  # also\n[runbook](javascript:alert(1)) and [docs](https://example.org/a) and [top](#summary)";
        let safe = markdown_text(hostile);
        assert!(!safe.contains('<') && !safe.contains('>'), "{safe}");
        assert!(safe.contains("&lt;script&gt;"), "{safe}");
        assert!(safe.contains("\n\\## Lessons\n  \\# also\n"), "{safe}");
        assert!(safe.contains("[runbook]\\(javascript:"), "{safe}");
        assert!(safe.contains("[docs](https://example.org/a)"), "{safe}");
        assert!(safe.contains("[top](#summary)"), "{safe}");
        assert_eq!(markdown_text("plain *words* stay"), "plain *words* stay");
    }

    #[test]
    fn invisible_format_characters_are_removed_and_separators_break_lines() {
        let hidden = "ad\u{200b}min\u{2060} pass\u{feff}word \u{061c}x\u{180e}";
        assert_eq!(sanitize_line(hidden), "admin password x");
        assert_eq!(
            sanitize_text("one\u{2028}two\u{2029}three"),
            "one\ntwo\nthree"
        );
        assert_eq!(sanitize_line("one\u{2028}two"), "one two");
        // A family emoji keeps its joiners.
        assert_eq!(
            sanitize_line("👨\u{200d}👩\u{200d}👧"),
            "👨\u{200d}👩\u{200d}👧"
        );
    }

    #[test]
    fn cells_that_start_like_formulas_are_kept_as_text() {
        for formula in [
            "=HYPERLINK(\"http://evil\",\"x\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(spreadsheet_cell(formula), format!("'{formula}"));
        }
        for plain in ["VPN down", "TKT-4", "", "3h12m", "a=b"] {
            assert_eq!(spreadsheet_cell(plain), plain);
        }
    }

    #[test]
    fn plain_text_passes_unchanged() {
        let s = "Disk full on db-07 — ünïcödé, 日本語, emoji 🔥";
        assert_eq!(sanitize_line(s), s);
        assert_eq!(sanitize_text("line one\nline two"), "line one\nline two");
    }

    #[test]
    fn eight_bit_control_sequences_are_removed_whole() {
        assert_eq!(sanitize_line("\u{9b}31mred"), "red");
        assert_eq!(sanitize_line("a\u{9d}52;c;ZXZpbA==\u{9c}b"), "ab");
        assert_eq!(sanitize_line("a\u{9d}8;;http://x\u{7}b"), "ab");
    }

    #[test]
    fn csi_sequences_are_removed_whole() {
        assert_eq!(sanitize_line("\u{1b}[31mred\u{1b}[0m text"), "red text");
        assert_eq!(sanitize_line("a\u{1b}[2J\u{1b}[Hb"), "ab");
        assert_eq!(sanitize_line("x\u{1b}[?1049hy"), "xy");
    }

    #[test]
    fn osc_title_and_hyperlink_sequences_are_removed() {
        assert_eq!(sanitize_line("\u{1b}]0;pwned\u{7}ok"), "ok");
        assert_eq!(
            sanitize_line("\u{1b}]8;;http://evil\u{1b}\\click\u{1b}]8;;\u{1b}\\"),
            "click"
        );
        assert_eq!(sanitize_line("\u{1b}Pq#0;2;0;0;0\u{1b}\\after"), "after");
    }

    #[test]
    fn controls_c1_and_bidi_overrides_are_dropped() {
        assert_eq!(sanitize_line("a\u{7}b\u{8}c\u{0}d\u{7f}e"), "abcde");
        assert_eq!(
            sanitize_line("a\u{9b}31mb"),
            "ab",
            "an 8-bit CSI goes whole"
        );
        assert_eq!(sanitize_line("admin\u{202e}txt.exe"), "admintxt.exe");
    }

    #[test]
    fn line_breaks_depend_on_the_field() {
        assert_eq!(
            sanitize_line("one\r\ntwo\nthree\tfour"),
            "one two three four"
        );
        assert_eq!(sanitize_text("one\r\ntwo\rthree"), "one\ntwo\nthree");
    }

    #[test]
    fn a_truncated_escape_at_the_end_is_dropped_quietly() {
        assert_eq!(sanitize_line("tail\u{1b}"), "tail");
        assert_eq!(sanitize_line("tail\u{1b}[12"), "tail");
        assert_eq!(sanitize_line("tail\u{1b}]0;unterminated"), "tail");
    }
}
