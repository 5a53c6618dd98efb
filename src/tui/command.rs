//! The `:` command line: what a typed line means, and how a half-typed one completes.
//! Every action of the keymap is a command by its name (`:declare`, `:escalate`), beside
//! the words below; `[aliases]` in the config name whole lines.

use super::pane::Pane;
use crate::config::action::Action;
use crate::domain::RecordKey;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Jump(RecordKey),
    Pane(Pane),
    Help,
    /// The recent messages in full, however long.
    Messages,
    Refresh,
    Quit,
    /// The ticket list as shown (view, filter, sort) to a CSV file.
    ExportCsv,
    /// The change calendar (changes and freezes) to an iCalendar file.
    ExportIcs,
    View(String),
    Theme(String),
    /// `mute NAME [FOR] [REASON…]`: an alert name muted for a while (an hour unless
    /// said: 30m, 2h).
    Mute {
        name: String,
        minutes: i64,
        reason: String,
    },
    /// What the key bound to it would do, where the console is.
    Action(Action),
}

/// The command words with an argument, and those without, as completion offers them.
const WORDS: &[&str] = &[
    "help",
    "messages",
    "quit",
    "refresh",
    "export csv",
    "export ics",
    "view ",
    "theme ",
    "mute ",
];

/// Replaces a leading alias (the first word) by what it stands for.
pub fn expand_alias(line: &str, aliases: &BTreeMap<String, String>) -> String {
    let text = line.trim();
    let (first, rest) = text.split_once(' ').unwrap_or((text, ""));
    match aliases.get(first) {
        Some(expansion) if rest.is_empty() => expansion.clone(),
        Some(expansion) => format!("{expansion} {rest}"),
        None => text.to_string(),
    }
}

pub fn parse_command(line: &str) -> Result<Command, String> {
    let text = line.trim();
    let lower = text.to_ascii_lowercase();
    match lower.as_str() {
        "" => {
            return Err(
                "type a record key (TKT-1042), a pane, an action (declare), view NAME or theme NAME; tab completes"
                    .into(),
            );
        }
        "q" | "quit" => return Ok(Command::Quit),
        "help" | "?" => return Ok(Command::Help),
        "messages" | "msg" => return Ok(Command::Messages),
        "refresh" | "reload" => return Ok(Command::Refresh),
        "export csv" | "export" => return Ok(Command::ExportCsv),
        "export ics" => return Ok(Command::ExportIcs),
        "theme" => return Err("theme NAME: which theme? (tab lists them)".into()),
        "view" => return Err("view NAME: which view? (tab lists them)".into()),
        _ => {}
    }
    if let Some(name) = text.strip_prefix("view ") {
        return Ok(Command::View(name.trim().to_string()));
    }
    if let Some(rest) = text.strip_prefix("mute ") {
        let mut words = rest.split_whitespace();
        let name = words
            .next()
            .ok_or("mute NAME [FOR] [REASON]: which alert name?")?;
        let mut minutes = 60;
        let mut reason: Vec<&str> = Vec::new();
        for (i, word) in words.enumerate() {
            match crate::domain::heartbeat::parse_interval(word) {
                Ok(seconds) if i == 0 => minutes = seconds / 60,
                _ => reason.push(word),
            }
        }
        return Ok(Command::Mute {
            name: name.to_string(),
            minutes,
            reason: reason.join(" "),
        });
    }
    if let Some(name) = text.strip_prefix("theme ") {
        return Ok(Command::Theme(name.trim().to_string()));
    }
    if let Ok(action) = lower.replace(' ', "_").parse::<Action>() {
        return Ok(Command::Action(action));
    }
    if text.contains('-') {
        return text
            .parse::<RecordKey>()
            .map(Command::Jump)
            .map_err(|e| e.to_string());
    }
    Pane::by_prefix(text).map(Command::Pane).ok_or_else(|| {
        format!(
            "unknown command '{text}' (a key like TKT-1042, a pane, an action like declare, view NAME, theme NAME; tab completes)"
        )
    })
}

/// What the line could become: whole lines, sorted, for what has been typed so far.
/// `views` and `themes` complete the argument of `view ` and `theme `.
pub fn completions(
    line: &str,
    views: &[String],
    themes: &[String],
    aliases: &BTreeMap<String, String>,
) -> Vec<String> {
    let typed = line.trim_start().to_ascii_lowercase();
    let with_argument = |word: &str, names: &[String]| -> Option<Vec<String>> {
        let rest = typed.strip_prefix(word)?;
        Some(
            names
                .iter()
                .filter(|n| n.to_ascii_lowercase().starts_with(rest))
                .map(|n| format!("{word}{n}"))
                .collect(),
        )
    };
    if let Some(found) = with_argument("view ", views) {
        return found;
    }
    if let Some(found) = with_argument("theme ", themes) {
        return found;
    }
    let mut found: Vec<String> = WORDS
        .iter()
        .map(|w| w.to_string())
        .chain(Action::ALL.iter().map(|a| a.as_str().to_string()))
        .chain(Pane::ALL.iter().map(|p| p.as_str().to_string()))
        .chain(aliases.keys().cloned())
        .filter(|candidate| candidate.starts_with(&typed))
        .collect();
    found.sort();
    found.dedup();
    found
}

/// The longest beginning all the candidates share.
pub fn common_prefix(candidates: &[String]) -> String {
    let Some(first) = candidates.first() else {
        return String::new();
    };
    let mut end = first.len();
    for other in &candidates[1..] {
        end = first
            .char_indices()
            .zip(other.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(end);
    }
    first[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RecordKind;

    #[test]
    fn keys_panes_and_words_are_understood() {
        assert_eq!(
            parse_command(" tkt-1042 "),
            Ok(Command::Jump(RecordKey::new(RecordKind::Ticket, 1042)))
        );
        assert_eq!(
            parse_command("INC-3"),
            Ok(Command::Jump(RecordKey::new(RecordKind::Incident, 3)))
        );
        assert_eq!(parse_command("changes"), Ok(Command::Pane(Pane::Changes)));
        assert_eq!(
            parse_command("mute NodeDown 30m rack 4 is being recabled"),
            Ok(Command::Mute {
                name: "NodeDown".into(),
                minutes: 30,
                reason: "rack 4 is being recabled".into()
            })
        );
        assert_eq!(
            parse_command("mute DiskFull"),
            Ok(Command::Mute {
                name: "DiskFull".into(),
                minutes: 60,
                reason: String::new()
            })
        );
        assert_eq!(parse_command("met"), Ok(Command::Pane(Pane::Metrics)));
        assert_eq!(parse_command("q"), Ok(Command::Quit));
        assert_eq!(parse_command("help"), Ok(Command::Help));
        assert_eq!(parse_command("Export CSV"), Ok(Command::ExportCsv));
        assert_eq!(parse_command("export ics"), Ok(Command::ExportIcs));
    }

    #[test]
    fn actions_views_and_themes_by_name() {
        assert_eq!(
            parse_command("declare"),
            Ok(Command::Action(Action::Declare))
        );
        assert_eq!(
            parse_command("escalate"),
            Ok(Command::Action(Action::Escalate))
        );
        assert_eq!(
            parse_command("new ticket"),
            Ok(Command::Action(Action::NewTicket))
        );
        assert_eq!(
            parse_command("view breached"),
            Ok(Command::View("breached".into()))
        );
        assert_eq!(
            parse_command("theme high-contrast"),
            Ok(Command::Theme("high-contrast".into()))
        );
    }

    #[test]
    fn an_alias_stands_for_its_line_and_keeps_what_follows() {
        let aliases = BTreeMap::from([
            ("br".to_string(), "view breached".to_string()),
            ("t".to_string(), "theme".to_string()),
        ]);
        assert_eq!(expand_alias("br", &aliases), "view breached");
        assert_eq!(expand_alias("t light", &aliases), "theme light");
        assert_eq!(expand_alias("declare", &aliases), "declare");
    }

    #[test]
    fn completion_offers_words_actions_panes_views_and_themes() {
        let views = vec!["all_open".to_string(), "breached".to_string()];
        let themes = vec!["default".to_string(), "high-contrast".to_string()];
        let none = BTreeMap::new();
        assert_eq!(completions("decl", &views, &themes, &none), ["declare"]);
        assert_eq!(
            completions("esc", &views, &themes, &none),
            ["escalate", "escalate_next"]
        );
        assert_eq!(
            completions("view b", &views, &themes, &none),
            ["view breached"]
        );
        assert_eq!(
            completions("theme h", &views, &themes, &none),
            ["theme high-contrast"]
        );
        assert_eq!(
            completions("export ", &views, &themes, &none),
            ["export csv", "export ics"]
        );
        assert_eq!(
            completions("exp", &views, &themes, &none),
            ["export csv", "export ics", "export_review"]
        );
        assert!(completions("zzz", &views, &themes, &none).is_empty());
        assert_eq!(
            common_prefix(&["escalate".into(), "escalate_next".into()]),
            "escalate"
        );
        assert_eq!(
            common_prefix(&["export csv".into(), "export ics".into()]),
            "export "
        );
    }

    #[test]
    fn nonsense_gets_a_useful_error() {
        assert!(
            parse_command("frobnicate")
                .unwrap_err()
                .contains("unknown command 'frobnicate'")
        );
        assert_eq!(
            parse_command("theme").unwrap_err(),
            "theme NAME: which theme? (tab lists them)"
        );
        assert!(
            parse_command("XYZ-1")
                .unwrap_err()
                .contains("unknown prefix")
        );
        assert!(parse_command("").is_err());
    }
}
