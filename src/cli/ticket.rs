//! `watchfloor ticket list|show|new`.

use super::table;
use crate::domain::clock::format_age;
use crate::domain::{
    Level, Ticket, TicketKey, TicketKind, TicketState, sanitize_line, sanitize_text,
};
use crate::error::AppError;
use crate::session::Session;
use crate::store::{TicketQuery, TicketScope, TicketSort};
use crate::workflow::NewTicket;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum TicketCommand {
    /// List tickets: open ones by priority unless told otherwise.
    List {
        /// Include resolved and closed tickets.
        #[arg(long)]
        all: bool,
        /// Only tickets in this state (new, triaged, in_progress, pending, resolved, closed).
        #[arg(long)]
        state: Option<TicketState>,
        /// Only tickets whose key, title, description, service, group or assignee contains this.
        #[arg(long)]
        search: Option<String>,
        /// Order: priority, opened (newest first) or updated (newest first).
        #[arg(long, default_value = "priority")]
        sort: TicketSort,
        /// At most this many tickets.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Show one ticket.
    Show {
        /// The ticket's key, like TKT-1042 (or just 1042).
        key: TicketKey,
        /// Print a JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Open a new ticket.
    New {
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        description: String,
        /// Affected service, by name.
        #[arg(long)]
        service: Option<String>,
        /// Resolver group (team), by name.
        #[arg(long)]
        group: Option<String>,
        /// Assignee, by login.
        #[arg(long)]
        assignee: Option<String>,
        /// incident or request.
        #[arg(long, default_value = "incident")]
        kind: TicketKind,
        /// 1 high, 2 medium, 3 low.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(i64).range(1..=3))]
        impact: i64,
        /// 1 high, 2 medium, 3 low.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(i64).range(1..=3))]
        urgency: i64,
        /// Print the new ticket as a JSON object.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: TicketCommand, session: &Session) -> Result<(), AppError> {
    match command {
        TicketCommand::List {
            all,
            state,
            search,
            sort,
            limit,
            json,
        } => {
            let query = TicketQuery {
                scope: if all || state.is_some_and(|s| !s.is_open()) {
                    TicketScope::All
                } else {
                    TicketScope::Open
                },
                text: search,
                state,
                sort,
            };
            let tickets = session.store.list_tickets(&query, 0, limit)?;
            if json {
                print_json(&tickets)
            } else {
                print!("{}", list_table(&tickets, session.clock.now()));
                Ok(())
            }
        }
        TicketCommand::Show { key, json } => {
            let ticket = session
                .store
                .ticket(key)?
                .ok_or_else(|| AppError::Failed(format!("{key} does not exist")))?;
            if json {
                print_json(&ticket)
            } else {
                print!("{}", detail(&ticket));
                Ok(())
            }
        }
        TicketCommand::New {
            title,
            description,
            service,
            group,
            assignee,
            kind,
            impact,
            urgency,
            json,
        } => {
            let level = |n: i64| Level::new(n).map_err(|e| AppError::Usage(e.to_string()));
            let ticket = session.workflow().create_ticket(NewTicket {
                kind,
                title,
                description,
                impact: level(impact)?,
                urgency: level(urgency)?,
                category: None,
                service,
                group,
                assignee,
                requester: None,
            })?;
            if json {
                print_json(&ticket)
            } else {
                println!(
                    "{} opened ({}): {}",
                    ticket.key,
                    ticket.priority,
                    sanitize_line(&ticket.title)
                );
                Ok(())
            }
        }
    }
}

fn print_json(value: &impl serde::Serialize) -> Result<(), AppError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| AppError::Failed(e.to_string()))?;
    println!("{text}");
    Ok(())
}

fn list_table(tickets: &[Ticket], now: crate::domain::Timestamp) -> String {
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let rows: Vec<Vec<String>> = tickets
        .iter()
        .map(|t| {
            vec![
                t.key.to_string(),
                t.priority.to_string(),
                t.state.to_string(),
                t.title.clone(),
                or_dash(&t.service),
                or_dash(&t.group),
                or_dash(&t.assignee),
                format_age(t.opened_at, now),
            ]
        })
        .collect();
    table::render(
        &[
            "KEY", "PRI", "STATE", "TITLE", "SERVICE", "GROUP", "ASSIGNEE", "AGE",
        ],
        &rows,
        &[12, 3, 11, 50, 20, 20, 24, 5],
    )
}

fn detail(t: &Ticket) -> String {
    let local = |ts: crate::domain::Timestamp| {
        ts.with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    let opt = |v: &Option<String>| {
        v.as_deref()
            .map(sanitize_line)
            .unwrap_or_else(|| "-".into())
    };
    let mut out = format!("{}  {}\n", t.key, sanitize_line(&t.title));
    let fields = [
        ("kind", t.kind.to_string()),
        ("state", t.state.to_string()),
        (
            "priority",
            format!(
                "{} (impact {}, urgency {})",
                t.priority,
                t.impact.label(),
                t.urgency.label()
            ),
        ),
        ("service", opt(&t.service)),
        ("group", opt(&t.group)),
        ("assignee", opt(&t.assignee)),
        ("requester", opt(&t.requester)),
        ("category", opt(&t.category)),
        ("opened", local(t.opened_at)),
        ("updated", local(t.updated_at)),
        (
            "first response",
            t.first_response_at.map(local).unwrap_or_else(|| "-".into()),
        ),
        (
            "resolved",
            t.resolved_at.map(local).unwrap_or_else(|| "-".into()),
        ),
        (
            "closed",
            t.closed_at.map(local).unwrap_or_else(|| "-".into()),
        ),
        ("reassigned", t.reassignment_count.to_string()),
        ("reopened", t.reopen_count.to_string()),
        (
            "incident",
            t.linked_incident
                .map(|k| k.to_string())
                .unwrap_or_else(|| "-".into()),
        ),
        ("version", t.version.to_string()),
    ];
    for (name, value) in fields {
        out.push_str(&format!("  {name:<15} {value}\n"));
    }
    if !t.description.is_empty() {
        out.push('\n');
        for line in sanitize_text(&t.description).lines() {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}
