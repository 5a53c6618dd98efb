//! The `:` command line: what a typed line means.

use super::pane::Pane;
use crate::domain::RecordKey;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Jump(RecordKey),
    Pane(Pane),
    Help,
    Refresh,
    Quit,
    /// The ticket list as shown (view, filter, sort) to a CSV file.
    ExportCsv,
}

pub fn parse_command(line: &str) -> Result<Command, String> {
    let text = line.trim();
    match text.to_ascii_lowercase().as_str() {
        "" => return Err("type a record key (TKT-1042), a pane name, help or quit".into()),
        "q" | "quit" => return Ok(Command::Quit),
        "help" | "?" => return Ok(Command::Help),
        "refresh" | "reload" => return Ok(Command::Refresh),
        "export csv" | "export" => return Ok(Command::ExportCsv),
        _ => {}
    }
    if text.contains('-') {
        return text
            .parse::<RecordKey>()
            .map(Command::Jump)
            .map_err(|e| e.to_string());
    }
    Pane::by_prefix(text).map(Command::Pane).ok_or_else(|| {
        format!("unknown command '{text}' (try a key like TKT-1042, a pane name, help or quit)")
    })
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
        assert_eq!(parse_command("met"), Ok(Command::Pane(Pane::Metrics)));
        assert_eq!(parse_command("q"), Ok(Command::Quit));
        assert_eq!(parse_command("help"), Ok(Command::Help));
        assert_eq!(parse_command("Export CSV"), Ok(Command::ExportCsv));
    }

    #[test]
    fn nonsense_gets_a_useful_error() {
        assert!(
            parse_command("frobnicate")
                .unwrap_err()
                .contains("unknown command 'frobnicate'")
        );
        assert!(
            parse_command("XYZ-1")
                .unwrap_err()
                .contains("unknown prefix")
        );
        assert!(parse_command("").is_err());
    }
}
