//! Text shaping shared by the adapters (CLI tables and TUI cells): measured in terminal
//! columns, so wide characters line up.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Cuts `text` to at most `max` columns, marking a cut with `…`.
pub fn truncate(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// As many whole items as fit in `max` columns, joined by `sep`, and `+N` for the
/// ones left out: a list is never cut in the middle of a name or a key.
pub fn fit_list(items: &[String], sep: &str, max: usize) -> String {
    let mut out = String::new();
    for (n, item) in items.iter().enumerate() {
        let rest = items.len() - n - 1;
        let reserve = if rest > 0 {
            format!(" +{rest}").width()
        } else {
            0
        };
        let joined = if out.is_empty() {
            item.clone()
        } else {
            format!("{out}{sep}{item}")
        };
        if joined.width() + reserve > max {
            let left = items.len() - n;
            return if out.is_empty() {
                format!("+{left}")
            } else {
                format!("{out} +{left}")
            };
        }
        out = joined;
    }
    out
}

/// A stored name (`in_progress`, `rolled_back`, `no_fault_found`) as people read it:
/// `in progress`. The CLI keeps the stored names, which its options take.
pub fn words(name: &str) -> String {
    name.replace('_', " ")
}

/// `text` broken at spaces into lines of at most `max` columns; a word longer than a
/// line is cut where it must be. An empty text is one empty line.
pub fn wrap_words(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let joined = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if joined.width() <= max {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut rest = word.to_string();
        while rest.width() > max {
            let mut cut = String::new();
            for c in rest.chars() {
                if (cut.clone() + &c.to_string()).width() > max {
                    break;
                }
                cut.push(c);
            }
            rest = rest[cut.len()..].to_string();
            lines.push(cut);
        }
        line = rest;
    }
    lines.push(line);
    lines
}

/// Keeps the end of `text` (the useful part of a path), marking a cut with `…`.
pub fn truncate_start(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_string();
    }
    let reversed: String = text.chars().rev().collect();
    let cut = truncate(&reversed, max);
    let mut kept: Vec<char> = cut.chars().collect();
    kept.pop();
    let mut out = String::from("…");
    out.extend(kept.into_iter().rev());
    out
}

/// A signed span of seconds, short: `45m`, `2h13m`, `3d4h`, `-35m`.
pub fn short_duration(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.abs();
    let body = match s {
        s if s < 3_600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h{:02}m", s / 3_600, (s % 3_600) / 60),
        s => format!("{}d{}h", s / 86_400, (s % 86_400) / 3_600),
    };
    format!("{sign}{body}")
}

pub fn width(text: &str) -> usize {
    text.width()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_wrap_at_spaces_and_long_ones_are_cut() {
        assert_eq!(
            wrap_words("fail over to the standby", 10),
            ["fail over", "to the", "standby"]
        );
        assert_eq!(wrap_words("abcdefghijkl", 5), ["abcde", "fghij", "kl"]);
        assert_eq!(wrap_words("", 5), [""]);
    }

    #[test]
    fn a_fitted_list_keeps_whole_items_and_counts_the_rest() {
        let keys: Vec<String> = ["TKT-3985", "TKT-3986", "TKT-3987", "TKT-3990"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            fit_list(&keys, " ", 80),
            "TKT-3985 TKT-3986 TKT-3987 TKT-3990"
        );
        assert_eq!(fit_list(&keys, " ", 30), "TKT-3985 TKT-3986 TKT-3987 +1");
        assert_eq!(fit_list(&keys, " ", 20), "TKT-3985 TKT-3986 +2");
        assert_eq!(fit_list(&keys, " ", 5), "+4");
    }

    #[test]
    fn truncation_counts_columns_not_bytes() {
        assert_eq!(truncate("abcdef", 6), "abcdef");
        assert_eq!(truncate("abcdefg", 6), "abcde…");
        assert_eq!(truncate("日本語テキスト", 7), "日本語…");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn durations_are_short_and_signed() {
        assert_eq!(short_duration(59), "0m");
        assert_eq!(short_duration(45 * 60), "45m");
        assert_eq!(short_duration(2 * 3_600 + 13 * 60), "2h13m");
        assert_eq!(short_duration(3 * 86_400 + 4 * 3_600 + 59), "3d4h");
        assert_eq!(short_duration(-35 * 60), "-35m");
    }

    #[test]
    fn start_truncation_keeps_the_end() {
        let cut = truncate_start("/very/long/path/to/watchfloor.db", 16);
        assert_eq!(cut, "…o/watchfloor.db");
        assert_eq!(width(&cut), 16);
        assert_eq!(truncate_start("short", 16), "short");
    }
}
