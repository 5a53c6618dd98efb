//! A CSV export with one row per ticket, read through a mapping: which column holds
//! what, how dates are written, and what each status and priority becomes. Jira's
//! export is the built-in mapping (`assets/import/jira.toml`); a file of the same shape
//! maps any other tool.

use super::{ImportError, Imported, Parsed, RowProblem};
use crate::domain::ticket::{ResolutionCode, TicketTransition};
use crate::domain::{
    Level, Priority, Ticket, TicketKey, TicketKind, TicketState, Timestamp, sanitize_line,
    sanitize_text,
};
use chrono::{NaiveDateTime, TimeZone};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;

pub const JIRA: &str = include_str!("../../assets/import/jira.toml");

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// The name re-imports are matched under.
    pub source: String,
    /// A chrono format, like `%d/%b/%y %I:%M %p`.
    pub date_format: String,
    #[serde(default)]
    pub missing: Vec<String>,
    pub columns: Columns,
    /// Source status (lower case) → `new`, `triaged`, `in_progress`, `pending`,
    /// `resolved` or `closed`.
    pub states: BTreeMap<String, TicketState>,
    /// Source priority (lower case) → `P1`..`P5`.
    #[serde(default)]
    pub priorities: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    pub external_id: String,
    pub title: String,
    pub state: String,
    pub opened_at: String,
    pub description: Option<String>,
    pub priority: Option<String>,
    pub updated_at: Option<String>,
    pub resolved_at: Option<String>,
    pub assignee: Option<String>,
    pub requester: Option<String>,
    pub category: Option<String>,
    pub group: Option<String>,
    pub service: Option<String>,
    /// The requester's satisfaction rating, 1 to 5 (an empty cell: not rated).
    pub csat: Option<String>,
    /// What they said with it.
    pub csat_comment: Option<String>,
}

impl Mapping {
    pub fn from_toml(text: &str) -> Result<Mapping, String> {
        let m: Mapping = toml::from_str(text).map_err(|e| e.to_string())?;
        for (from, to) in &m.priorities {
            to.parse::<Priority>()
                .map_err(|_| format!("priorities: '{from}' = '{to}' is not P1..P5"))?;
        }
        Ok(m)
    }

    pub fn jira() -> Mapping {
        Mapping::from_toml(JIRA).unwrap_or_else(|e| panic!("the shipped Jira mapping: {e}"))
    }
}

pub fn parse(
    input: impl Read,
    mapping: &Mapping,
    tz: chrono_tz::Tz,
) -> Result<Parsed, ImportError> {
    let (mut reader, header) = super::csv_reader(input)?;
    let position = |name: &str| header.position(name);
    let c = &mapping.columns;
    let wanted: Vec<(&'static str, &String, bool)> = [
        ("external_id", Some(&c.external_id), true),
        ("title", Some(&c.title), true),
        ("state", Some(&c.state), true),
        ("opened_at", Some(&c.opened_at), true),
        ("description", c.description.as_ref(), false),
        ("priority", c.priority.as_ref(), false),
        ("updated_at", c.updated_at.as_ref(), false),
        ("resolved_at", c.resolved_at.as_ref(), false),
        ("assignee", c.assignee.as_ref(), false),
        ("requester", c.requester.as_ref(), false),
        ("category", c.category.as_ref(), false),
        ("group", c.group.as_ref(), false),
        ("service", c.service.as_ref(), false),
        ("csat", c.csat.as_ref(), false),
        ("csat_comment", c.csat_comment.as_ref(), false),
    ]
    .into_iter()
    .filter_map(|(field, column, required)| column.map(|col| (field, col, required)))
    .collect();
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|(_, col, required)| *required && position(col).is_none())
        .map(|(_, col, _)| col.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(ImportError(format!(
            "not a {} export: missing columns {}",
            mapping.source,
            missing.join(", ")
        )));
    }
    let index: HashMap<&'static str, usize> = wanted
        .iter()
        .filter_map(|(field, col, _)| position(col).map(|i| (*field, i)))
        .collect();

    let mut parsed = Parsed::default();
    let mut seen = std::collections::HashSet::new();
    super::each_record(&mut reader, &mut parsed, |record, line, parsed| {
        let fields = Fields {
            record,
            index: &index,
            missing: &mapping.missing,
        };
        match row(&fields, mapping, tz) {
            Ok(imported) if !seen.insert(imported.external_id.clone()) => {
                parsed.problems.push(RowProblem {
                    line,
                    message: format!("{} appears twice; the first is kept", imported.external_id),
                });
            }
            Ok(imported) => parsed.records.push(imported),
            Err(message) => parsed.problems.push(RowProblem { line, message }),
        }
    });
    Ok(parsed)
}

/// One row's values by field, missing ones as `None`.
struct Fields<'a> {
    record: &'a csv::StringRecord,
    index: &'a HashMap<&'static str, usize>,
    missing: &'a [String],
}

impl<'a> Fields<'a> {
    fn get(&self, field: &str) -> Option<&'a str> {
        self.index
            .get(field)
            .and_then(|i| self.record.get(*i))
            .map(str::trim)
            .filter(|v| !v.is_empty() && !self.missing.iter().any(|m| m == v))
    }
}

fn row(fields: &Fields<'_>, mapping: &Mapping, tz: chrono_tz::Tz) -> Result<Imported, String> {
    let get = |field: &str| fields.get(field);
    let date = |field: &str| -> Result<Option<Timestamp>, String> {
        get(field)
            .map(|v| {
                NaiveDateTime::parse_from_str(v, &mapping.date_format)
                    .ok()
                    .and_then(|n| tz.from_local_datetime(&n).earliest())
                    .map(|t| t.with_timezone(&chrono::Utc))
                    .ok_or_else(|| {
                        format!(
                            "{field}: '{v}' does not match the date format {}",
                            mapping.date_format
                        )
                    })
            })
            .transpose()
    };
    let external_id = get("external_id").ok_or("no id")?.to_string();
    let status = get("state").ok_or("no state")?;
    let state = *mapping
        .states
        .get(&status.to_lowercase())
        .ok_or_else(|| format!("status '{status}' is not in the mapping's [states]"))?;
    let opened_at = date("opened_at")?.ok_or("no opened date")?;
    let priority = match get("priority") {
        Some(p) => mapping
            .priorities
            .get(&p.to_lowercase())
            .and_then(|p| p.parse::<Priority>().ok())
            .ok_or_else(|| format!("priority '{p}' is not in the mapping's [priorities]"))?,
        None => Priority::new(3).map_err(|e| e.to_string())?,
    };
    let title = sanitize_line(get("title").ok_or("no title")?)
        .trim()
        .to_string();
    let mut ticket = Ticket::opened(
        TicketKind::Incident,
        title,
        Level::MEDIUM,
        Level::MEDIUM,
        priority,
        opened_at,
    );
    let name = |field: &str| get(field).map(|v| sanitize_line(v).trim().to_string());
    ticket.description = get("description").map(sanitize_text).unwrap_or_default();
    ticket.state = state;
    ticket.category = name("category");
    ticket.group = name("group");
    ticket.service = name("service");
    ticket.assignee = name("assignee").map(|a| super::servicenow::login(&a));
    ticket.requester = name("requester");
    ticket.updated_at = date("updated_at")?.unwrap_or(opened_at).max(opened_at);
    if state != TicketState::New {
        ticket.first_response_at = Some(ticket.updated_at);
    }
    if matches!(state, TicketState::Resolved | TicketState::Closed) {
        let resolved = date("resolved_at")?
            .unwrap_or(ticket.updated_at)
            .max(opened_at);
        ticket.resolved_at = Some(resolved);
        ticket.resolution_code = Some(ResolutionCode::Fixed);
        if state == TicketState::Closed {
            ticket.closed_at = Some(ticket.updated_at.max(resolved));
        }
        ticket.csat = get("csat")
            .filter(|v| !v.trim().is_empty())
            .map(|v| {
                v.trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| crate::domain::csat::check_rating(*n).is_ok())
                    .ok_or_else(|| format!("csat: '{v}' is not a rating from 1 to 5"))
            })
            .transpose()?;
    }
    let mut transitions = vec![TicketTransition {
        ticket: TicketKey(0),
        at: opened_at,
        from: None,
        to: TicketState::New,
        actor: mapping.source.clone(),
    }];
    if state != TicketState::New {
        transitions.push(TicketTransition {
            ticket: TicketKey(0),
            at: ticket.resolved_at.unwrap_or(ticket.updated_at),
            from: Some(TicketState::New),
            to: state,
            actor: mapping.source.clone(),
        });
    }
    let csat_comment = match ticket.csat {
        Some(_) => get("csat_comment")
            .map(|c| {
                sanitize_text(c)
                    .trim()
                    .chars()
                    .take(crate::domain::csat::MAX_COMMENT)
                    .collect()
            })
            .unwrap_or_default(),
        None => String::new(),
    };
    Ok(Imported {
        external_id,
        ticket,
        transitions,
        reassignments: Vec::new(),
        csat_comment,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPORT: &str = "Summary,Issue key,Issue Type,Status,Priority,Assignee,Reporter,Created,Updated,Resolved,Description,Component/s
\"VPN drops, every hour\",OPS-1,Bug,Done,High,Ana Ruiz,Bo Li,12/Mar/24 3:04 PM,13/Mar/24 9:00 AM,13/Mar/24 8:30 AM,\"Line one
line two\",network
Printer,OPS-2,Task,In Progress,Medium,,Bo Li,14/Mar/24 10:00 AM,14/Mar/24 11:00 AM,,,
Broken,OPS-3,Task,Exploded,Medium,,Bo Li,14/Mar/24 10:00 AM,,,,
Late,OPS-4,Task,To Do,Medium,,Bo Li,2024-03-14,,,,
Printer again,OPS-2,Task,Open,Low,,Bo Li,15/Mar/24 10:00 AM,,,,
";

    #[test]
    fn a_jira_export_maps_states_priorities_and_dates() {
        let parsed = parse(EXPORT.as_bytes(), &Mapping::jira(), chrono_tz::UTC).unwrap();
        assert_eq!(parsed.rows, 5);
        assert_eq!(parsed.records.len(), 2);
        let vpn = &parsed.records[0].ticket;
        assert_eq!(vpn.title, "VPN drops, every hour");
        assert_eq!((vpn.state, vpn.priority.get()), (TicketState::Closed, 2));
        assert_eq!(vpn.assignee.as_deref(), Some("ana-ruiz"));
        assert_eq!(vpn.group.as_deref(), Some("network"));
        assert_eq!(vpn.opened_at.to_rfc3339(), "2024-03-12T15:04:00+00:00");
        assert_eq!(
            vpn.resolved_at.unwrap().to_rfc3339(),
            "2024-03-13T08:30:00+00:00"
        );
        assert_eq!(vpn.description, "Line one\nline two");
        let problems: Vec<(u64, &str)> = parsed
            .problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(
            problems,
            [
                (5, "status 'Exploded' is not in the mapping's [states]"),
                (
                    6,
                    "opened_at: '2024-03-14' does not match the date format %d/%b/%y %I:%M %p"
                ),
                (7, "OPS-2 appears twice; the first is kept"),
            ]
        );
    }

    #[test]
    fn a_mapping_file_is_checked_when_read() {
        let bad = JIRA.replace("\"highest\" = \"P1\"", "\"highest\" = \"P0\"");
        assert_eq!(
            Mapping::from_toml(&bad).unwrap_err(),
            "priorities: 'highest' = 'P0' is not P1..P5"
        );
        let err = Mapping::from_toml("source = \"x\"").unwrap_err();
        assert!(err.contains("missing field"), "{err}");
    }
}
