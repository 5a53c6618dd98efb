//! A ServiceNow incident audit export: one row per update of an incident (the UCI
//! "incident management process enriched event log" is one). Rows are grouped by
//! `number` and ordered by `sys_mod_count`; the last is the incident as it ended, and
//! the sequence gives its state history and reassignments. `?` means missing; dates
//! are day first without zero padding. A row that cannot be read is reported with its
//! line and left out.

use super::dates::day_first;
use super::{ImportError, Imported, Parsed, Reassignment, RowProblem};
use crate::domain::ticket::{ResolutionCode, TicketTransition};
use crate::domain::{Level, Priority, Ticket, TicketKey, TicketKind, TicketState, Timestamp};
use std::collections::HashMap;
use std::io::Read;

/// The columns read; the others are ignored.
const COLUMNS: [&str; 20] = [
    "number",
    "incident_state",
    "reassignment_count",
    "reopen_count",
    "sys_mod_count",
    "made_sla",
    "caller_id",
    "opened_by",
    "opened_at",
    "sys_updated_by",
    "sys_updated_at",
    "contact_type",
    "location",
    "category",
    "subcategory",
    "u_symptom",
    "cmdb_ci",
    "impact",
    "urgency",
    "priority",
];
const OPTIONAL: [&str; 5] = [
    "assignment_group",
    "assigned_to",
    "closed_code",
    "resolved_at",
    "closed_at",
];

/// One readable row.
#[derive(Debug, Clone)]
struct Row {
    line: u64,
    mod_count: i64,
    state: TicketState,
    updated_at: Timestamp,
    updated_by: String,
    fields: HashMap<&'static str, String>,
}

impl Row {
    /// The value, `None` when empty or `?`.
    fn get(&self, column: &str) -> Option<&str> {
        self.fields
            .get(column)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty() && *v != "?")
    }
}

fn state(text: &str) -> Result<TicketState, String> {
    Ok(match text.trim() {
        "New" => TicketState::New,
        "Active" => TicketState::InProgress,
        "Awaiting User Info" | "Awaiting Problem" | "Awaiting Vendor" | "Awaiting Evidence" => {
            TicketState::Pending
        }
        "Resolved" => TicketState::Resolved,
        "Closed" => TicketState::Closed,
        other => return Err(format!("unknown incident_state '{other}'")),
    })
}

/// `2 - Medium` → 2.
fn leading_number(text: &str) -> Option<i64> {
    text.split(" - ").next()?.trim().parse().ok()
}

/// The login an anonymised name becomes: `Resolver 17` → `resolver-17`.
pub fn login(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
        .to_lowercase()
}

fn read_row(
    record: &csv::StringRecord,
    line: u64,
    index: &HashMap<&'static str, usize>,
    tz: chrono_tz::Tz,
) -> Result<Row, String> {
    let fields: HashMap<&'static str, String> = index
        .iter()
        .filter_map(|(name, i)| record.get(*i).map(|v| (*name, v.to_string())))
        .collect();
    if fields.len() < COLUMNS.len() {
        return Err(format!(
            "{} fields where {} columns are named",
            record.len(),
            index.len()
        ));
    }
    let value = |name: &str| fields.get(name).map(|v| v.trim()).unwrap_or("");
    if matches!(value("number"), "" | "?") {
        return Err("no number".into());
    }
    Ok(Row {
        line,
        mod_count: value("sys_mod_count")
            .parse()
            .map_err(|_| format!("sys_mod_count '{}' is not a number", value("sys_mod_count")))?,
        state: state(value("incident_state"))?,
        updated_at: day_first(value("sys_updated_at"), tz)
            .map_err(|e| format!("sys_updated_at: {e}"))?,
        updated_by: value("sys_updated_by").to_string(),
        fields,
    })
}

/// Reads a whole export. Fails only when the file is not CSV with the needed columns.
pub fn parse(input: impl Read, tz: chrono_tz::Tz) -> Result<Parsed, ImportError> {
    let (mut reader, header) = super::csv_reader(input)?;
    let position = |name: &str| header.position(name);
    let missing: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| position(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(ImportError(format!(
            "not a ServiceNow incident export: missing columns {}",
            missing.join(", ")
        )));
    }
    let index: HashMap<&'static str, usize> = COLUMNS
        .iter()
        .chain(OPTIONAL.iter())
        .filter_map(|c| position(c).map(|i| (*c, i)))
        .collect();

    let mut parsed = Parsed::default();
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<Row>> = HashMap::new();
    super::each_record(
        &mut reader,
        &mut parsed,
        |record, line, parsed| match read_row(record, line, &index, tz) {
            Ok(row) => {
                let number = row.fields["number"].trim().to_string();
                groups
                    .entry(number.clone())
                    .or_insert_with(|| {
                        order.push(number);
                        Vec::new()
                    })
                    .push(row);
            }
            Err(message) => parsed.problems.push(RowProblem { line, message }),
        },
    );
    for number in order {
        let mut rows = groups.remove(&number).unwrap_or_default();
        // A tie in sys_mod_count (it happens) is broken by time, so the history runs
        // forward; then by the line.
        rows.sort_by_key(|r| (r.mod_count, r.updated_at, r.line));
        match incident(&number, &rows, tz) {
            Ok(imported) => parsed.records.push(imported),
            Err(message) => parsed.problems.push(RowProblem {
                line: rows.first().map(|r| r.line).unwrap_or(0),
                message: format!("{number}: {message}"),
            }),
        }
    }
    Ok(parsed)
}

/// One incident from its rows, oldest update first.
fn incident(number: &str, rows: &[Row], tz: chrono_tz::Tz) -> Result<Imported, String> {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Err("no rows".into());
    };
    let date = |row: &Row, column: &str| -> Result<Option<Timestamp>, String> {
        row.get(column)
            .map(|v| day_first(v, tz).map_err(|e| format!("{column}: {e}")))
            .transpose()
    };
    let opened_at = date(last, "opened_at")?.ok_or("no opened_at")?;
    let level = |column: &str| {
        last.get(column)
            .and_then(leading_number)
            .and_then(|n| Level::new(n).ok())
            .unwrap_or(Level::MEDIUM)
    };
    let (impact, urgency) = (level("impact"), level("urgency"));
    let priority = last
        .get("priority")
        .and_then(leading_number)
        .and_then(|n| Priority::new(n).ok())
        .unwrap_or(Priority::new(3).unwrap_or(Priority::P5));
    let words: Vec<&str> = ["u_symptom", "category", "subcategory"]
        .iter()
        .filter_map(|c| last.get(c))
        .collect();
    let title = if words.is_empty() {
        format!("{number} (imported)")
    } else {
        format!("{number}: {}", words.join(" · "))
    };
    let mut ticket = Ticket::opened(
        TicketKind::Incident,
        title,
        impact,
        urgency,
        priority,
        opened_at,
    );
    ticket.state = last.state;
    let mut description = format!("Imported from ServiceNow {number}.\n");
    for (label, column) in [
        ("caller", "caller_id"),
        ("contact", "contact_type"),
        ("location", "location"),
        ("configuration item", "cmdb_ci"),
        ("closed code", "closed_code"),
        ("made SLA", "made_sla"),
    ] {
        if let Some(v) = last.get(column) {
            description.push_str(&format!("{label}: {v}\n"));
        }
    }
    ticket.description = crate::domain::sanitize_text(&description);
    let name = |v: &str| crate::domain::sanitize_line(v).trim().to_string();
    ticket.category = last.get("category").map(name);
    // The last group the history names: a closing row often leaves it unknown (`?`).
    ticket.group = rows
        .iter()
        .rev()
        .find_map(|r| r.get("assignment_group"))
        .map(name);
    ticket.assignee = last.get("assigned_to").map(|v| login(&name(v)));
    ticket.requester = last.get("caller_id").map(name);
    ticket.updated_at = last.updated_at.max(opened_at);
    ticket.reassignment_count = last
        .get("reassignment_count")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    ticket.reopen_count = last
        .get("reopen_count")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    ticket.first_response_at = rows
        .iter()
        .find(|r| r.state != TicketState::New)
        .map(|r| r.updated_at.max(opened_at));
    if matches!(ticket.state, TicketState::Resolved | TicketState::Closed) {
        // Where the export does not say (`?`), the history does: the last move to
        // Resolved, so the column and the recorded history agree.
        let mut state = TicketState::New;
        let mut last_resolved = None;
        for r in rows {
            if r.state != state && r.state == TicketState::Resolved {
                last_resolved = Some(r.updated_at.max(opened_at));
            }
            state = r.state;
        }
        ticket.resolved_at = Some(
            date(last, "resolved_at")?
                .or(last_resolved)
                .unwrap_or(ticket.updated_at),
        );
        ticket.resolution_code = Some(ResolutionCode::Fixed);
        ticket.resolution_note = last.get("closed_code").map(|c| format!("closed code {c}"));
        ticket.first_contact = ticket.reassignment_count == 0;
    }
    if ticket.state == TicketState::Closed {
        ticket.closed_at = Some(date(last, "closed_at")?.unwrap_or(ticket.updated_at));
    }
    if ticket.state == TicketState::Pending {
        ticket.pending_reason = last.get("incident_state").map(str::to_string);
    }

    let actor = |r: &Row| {
        let who = name(&r.updated_by);
        if who.is_empty() {
            "servicenow".to_string()
        } else {
            who
        }
    };
    let mut transitions = vec![TicketTransition {
        ticket: TicketKey(0),
        at: opened_at,
        from: None,
        to: TicketState::New,
        actor: first
            .get("opened_by")
            .map(name)
            .unwrap_or_else(|| "servicenow".into()),
    }];
    let mut reassignments = Vec::new();
    let mut state = TicketState::New;
    let mut group: Option<String> = None;
    for r in rows {
        if r.state != state {
            transitions.push(TicketTransition {
                ticket: TicketKey(0),
                at: r.updated_at.max(opened_at),
                from: Some(state),
                to: r.state,
                actor: actor(r),
            });
            state = r.state;
        }
        let now_group = r.get("assignment_group").map(name);
        if now_group.is_some() && now_group != group {
            if group.is_some() {
                reassignments.push(Reassignment {
                    at: r.updated_at.max(opened_at),
                    from_group: group.clone(),
                    to_group: now_group.clone(),
                    actor: actor(r),
                });
            }
            group = now_group;
        }
    }
    Ok(Imported {
        external_id: number.to_string(),
        ticket,
        transitions,
        reassignments,
        csat_comment: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,caller_id,opened_by,opened_at,sys_created_by,sys_created_at,sys_updated_by,sys_updated_at,contact_type,location,category,subcategory,u_symptom,cmdb_ci,impact,urgency,priority,assignment_group,assigned_to,knowledge,u_priority_confirmation,notify,problem_id,rfc,vendor,caused_by,closed_code,resolved_by,resolved_at,closed_at";

    fn row(
        number: &str,
        state: &str,
        mods: u32,
        updated: &str,
        group: &str,
        reassigned: u32,
        reopened: u32,
    ) -> String {
        format!(
            "{number},{state},true,{reassigned},{reopened},{mods},true,Caller 1,Opened by  8,29/2/2016 01:16,Created by 6,29/2/2016 01:23,Updated by {mods},{updated},Phone,Location 1,Category 55,Subcategory 170,Symptom 72,?,1 - High,2 - Medium,2 - High,{group},Resolver 3,true,false,Do Not Notify,?,?,?,?,code 5,Resolved by 1,1/3/2016 10:00,5/3/2016 12:00"
        )
    }

    #[test]
    fn a_tie_in_sys_mod_count_is_broken_by_time() {
        let csv = [
            HEADER.to_string(),
            row("INC7", "New", 0, "29/2/2016 01:23", "Group 1", 0, 0),
            row("INC7", "Closed", 1, "5/3/2016 12:00", "Group 1", 0, 0),
            row("INC7", "Resolved", 1, "1/3/2016 08:42", "Group 1", 0, 0),
        ]
        .join("\n");
        let parsed = parse(csv.as_bytes(), chrono_tz::UTC).unwrap();
        let r = &parsed.records[0];
        assert_eq!(
            r.ticket.state,
            TicketState::Closed,
            "the later row is the end"
        );
        assert!(
            r.transitions.windows(2).all(|w| w[0].at <= w[1].at),
            "forward in time: {:?}",
            r.transitions
        );
    }

    #[test]
    fn a_group_left_unknown_on_the_last_row_is_the_last_one_named() {
        let csv = [
            HEADER.to_string(),
            row("INC8", "New", 0, "29/2/2016 01:23", "Group 4", 0, 0),
            row("INC8", "Resolved", 1, "1/3/2016 08:42", "Group 7", 1, 0),
            row("INC8", "Closed", 2, "5/3/2016 12:00", "?", 1, 0),
        ]
        .join("\n");
        let parsed = parse(csv.as_bytes(), chrono_tz::UTC).unwrap();
        assert_eq!(parsed.records[0].ticket.group.as_deref(), Some("Group 7"));
    }

    #[test]
    fn an_unknown_resolved_at_is_the_last_move_to_resolved_in_the_history() {
        let unknown =
            |line: String| line.replace("1/3/2016 10:00,5/3/2016 12:00", "?,5/3/2016 12:00");
        let csv = [
            HEADER.to_string(),
            unknown(row("INC9", "New", 0, "29/2/2016 01:23", "Group 1", 0, 0)),
            unknown(row(
                "INC9",
                "Resolved",
                1,
                "1/3/2016 08:42",
                "Group 1",
                0,
                0,
            )),
            unknown(row(
                "INC9",
                "Resolved",
                2,
                "2/3/2016 09:00",
                "Group 1",
                0,
                0,
            )),
            unknown(row("INC9", "Closed", 3, "5/3/2016 12:00", "Group 1", 0, 0)),
        ]
        .join("\n");
        let parsed = parse(csv.as_bytes(), chrono_tz::UTC).unwrap();
        let t = &parsed.records[0].ticket;
        assert_eq!(
            t.resolved_at.map(|d| d.to_rfc3339()),
            Some("2016-03-01T08:42:00+00:00".into()),
            "not the closing time"
        );
    }

    #[test]
    fn rows_are_grouped_ordered_and_replayed_into_history() {
        // Out of order on purpose: sys_mod_count decides.
        let csv = [
            HEADER.to_string(),
            row("INC1", "Active", 1, "29/2/2016 02:00", "Group 1", 0, 0),
            row("INC1", "New", 0, "29/2/2016 01:23", "Group 1", 0, 0),
            row("INC1", "Resolved", 3, "1/3/2016 10:00", "Group 2", 1, 0),
            row("INC1", "Active", 4, "2/3/2016 09:00", "Group 2", 1, 1),
            row("INC1", "Closed", 5, "5/3/2016 12:00", "Group 2", 1, 1),
            row("INC2", "-100", 0, "29/2/2016 01:23", "Group 1", 0, 0),
            row("INC2", "New", 1, "31/2/2016 01:23", "Group 1", 0, 0),
            "INC3,New,true".to_string(),
            row(
                "INC4",
                "Awaiting User Info",
                0,
                "29/2/2016 03:00",
                "?",
                0,
                0,
            ),
        ]
        .join("\n");
        let parsed = parse(csv.as_bytes(), chrono_tz::UTC).unwrap();
        assert_eq!(parsed.rows, 9);
        let problems: Vec<(u64, &str)> = parsed
            .problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(problems[0], (7, "unknown incident_state '-100'"));
        assert_eq!(problems[1].0, 8);
        assert!(
            problems[1]
                .1
                .starts_with("sys_updated_at: '31/2/2016 01:23' is not a date")
        );
        assert_eq!(problems[2], (9, "3 fields where 25 columns are named"));
        assert_eq!(
            parsed.records.len(),
            2,
            "INC2 and INC3 have no readable row"
        );

        let inc1 = &parsed.records[0];
        let t = &inc1.ticket;
        assert_eq!(inc1.external_id, "INC1");
        assert_eq!(t.title, "INC1: Symptom 72 · Category 55 · Subcategory 170");
        assert_eq!(t.state, TicketState::Closed);
        assert_eq!(
            (t.impact.get(), t.urgency.get(), t.priority.get()),
            (1, 2, 2)
        );
        assert_eq!(t.group.as_deref(), Some("Group 2"));
        assert_eq!(t.assignee.as_deref(), Some("resolver-3"));
        assert_eq!((t.reassignment_count, t.reopen_count), (1, 1));
        assert_eq!(
            t.first_response_at.map(|d| d.to_rfc3339()),
            Some("2016-02-29T02:00:00+00:00".into())
        );
        assert!(t.resolved_at.is_some() && t.closed_at.is_some());
        let states: Vec<TicketState> = inc1.transitions.iter().map(|s| s.to).collect();
        assert_eq!(
            states,
            [
                TicketState::New,
                TicketState::InProgress,
                TicketState::Resolved,
                TicketState::InProgress,
                TicketState::Closed
            ],
            "the reopening is in the history"
        );
        assert_eq!(inc1.reassignments.len(), 1);
        assert_eq!(inc1.reassignments[0].to_group.as_deref(), Some("Group 2"));

        let inc4 = &parsed.records[1];
        assert_eq!(inc4.ticket.state, TicketState::Pending);
        assert_eq!(inc4.ticket.group, None, "? is missing");
    }

    #[test]
    fn a_file_without_the_columns_is_refused_whole() {
        let err = parse("a,b\n1,2\n".as_bytes(), chrono_tz::UTC).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("not a ServiceNow incident export: missing columns number"),
            "{err}"
        );
    }
}
