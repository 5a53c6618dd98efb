//! Ringing the terminal for a page: the bell, and a desktop notification through the
//! terminal (OSC 9, which iTerm2, kitty, WezTerm and Windows Terminal show; OSC 777,
//! which VTE terminals and foot show). Terminals that know neither ignore them, and
//! through SSH they reach the terminal at the far end.

use std::io::Write;

/// The bytes written for a page titled `text`; its control characters are already
/// gone, and `;` (the sequences' separator) becomes `,`.
pub fn sequence(text: &str) -> String {
    let text: String = crate::domain::sanitize_line(text)
        .chars()
        .map(|c| if c == ';' { ',' } else { c })
        .take(200)
        .collect();
    format!("\u{7}\u{1b}]9;{text}\u{7}\u{1b}]777;notify;watchfloor page;{text}\u{7}")
}

pub fn ring(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout();
    out.write_all(sequence(text).as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hostile_title_cannot_end_the_sequence_early() {
        let s = sequence("SEV1 INC-1: x\u{7}\u{1b}]52;c;ZXZpbA==\u{7}; y");
        // One bell, then exactly two sequences, each ended by its own BEL.
        assert_eq!(s.matches('\u{1b}').count(), 2);
        assert_eq!(s.matches('\u{7}').count(), 3);
        assert!(s.contains("]9;SEV1 INC-1: x"));
        assert!(!s.contains("; y"));
    }
}
