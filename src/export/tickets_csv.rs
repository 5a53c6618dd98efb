//! A ticket list as CSV, the columns the queue shows: what `ticket list --csv` prints and
//! the console's `:export csv` writes. Quoted where needed, text sanitised.

use crate::config::Config;
use crate::domain::{Ticket, Timestamp, sanitize_line, spreadsheet_cell};
use crate::views::sla_badge::SlaBadge;

const HEADER: [&str; 12] = [
    "key",
    "priority",
    "state",
    "sla",
    "sla_left",
    "title",
    "service",
    "group",
    "assignee",
    "opened_at",
    "updated_at",
    "reopened",
];

pub fn write(tickets: &[Ticket], now: Timestamp, config: &Config) -> Result<String, String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(HEADER).map_err(|e| e.to_string())?;
    let text = |v: &Option<String>| v.as_deref().map(sanitize_line).unwrap_or_default();
    for t in tickets {
        let badge = SlaBadge::of(t, now, config);
        let row = [
            t.key.to_string(),
            t.priority.to_string(),
            t.state.to_string(),
            badge.level().to_string(),
            badge.text(),
            sanitize_line(&t.title),
            text(&t.service),
            text(&t.group),
            text(&t.assignee),
            t.opened_at.to_rfc3339(),
            t.updated_at.to_rfc3339(),
            t.reopen_count.to_string(),
        ];
        // A spreadsheet opens this file: a cell that starts like a formula stays text.
        out.write_record(row.iter().map(|cell| spreadsheet_cell(cell)))
            .map_err(|e| e.to_string())?;
    }
    let bytes = out.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::fixtures::utc;
    use crate::domain::{Level, Priority, TicketKind};

    #[test]
    fn fields_with_commas_quotes_and_escapes_are_quoted_and_cleaned() {
        let at = utc("2026-11-20 09:00");
        let mut t = Ticket::opened(
            TicketKind::Incident,
            "VPN \"flaky\", again\u{1b}[2J".into(),
            Level::MEDIUM,
            Level::MEDIUM,
            Priority::new(3).unwrap(),
            at,
        );
        t.key = crate::domain::TicketKey(7);
        let text = write(&[t], at, &Config::default()).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(
                "key,priority,state,sla,sla_left,title,service,group,assignee,opened_at,updated_at,reopened"
            )
        );
        let row = lines.next().unwrap();
        assert!(row.starts_with("TKT-7,P3,new,"), "{row}");
        assert!(row.contains(",\"VPN \"\"flaky\"\", again\","), "{row}");
    }
}
