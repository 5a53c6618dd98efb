//! The hand-off report of one team's rotation: what the incoming person takes over,
//! made from the store — active incidents with their last update and when the next is
//! due, pages held (for business hours or a change), the changes of the next 24 hours,
//! the team's at-risk and breached tickets, and the outgoing shift's pages.

use crate::config::Config;
use crate::domain::calendar::WorkCalendar;
use crate::domain::incident::TimelineKind;
use crate::domain::page::{Page, PageState};
use crate::domain::{Timestamp, sanitize_line};
use crate::store::{Store, StoreError, TicketFilter, TicketQuery, TicketSort};
use chrono::Duration;
use serde::Serialize;

/// Tickets listed in each of the report's ticket sections.
const TICKETS_LISTED: usize = 20;

#[derive(Debug, Clone, Serialize)]
pub struct Handoff {
    pub team: String,
    pub at: Timestamp,
    pub outgoing: Option<Shift>,
    pub incoming: Option<Shift>,
    pub incidents: Vec<IncidentLine>,
    pub held_pages: Vec<Page>,
    /// Alert names muted now.
    pub mutes: Vec<crate::store::AlertMute>,
    pub changes: Vec<ChangeLine>,
    pub at_risk: Vec<TicketLine>,
    pub breached: Vec<TicketLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Shift {
    pub person: String,
    pub from: Timestamp,
    pub to: Timestamp,
    /// Pages to this person in the shift up to now.
    pub pages: usize,
    pub after_hours_pages: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct IncidentLine {
    pub key: String,
    pub severity: String,
    pub title: String,
    pub state: String,
    pub commander: Option<String>,
    pub last_update: Option<(Timestamp, String)>,
    pub next_update_due_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeLine {
    pub key: String,
    pub title: String,
    pub state: String,
    pub services: Vec<String>,
    pub starts_at: Option<Timestamp>,
    pub ends_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TicketLine {
    pub key: String,
    pub priority: String,
    pub title: String,
    pub assignee: Option<String>,
    pub due: Option<Timestamp>,
}

pub fn handoff(
    store: &Store,
    config: &Config,
    team: &str,
    now: Timestamp,
) -> Result<Handoff, StoreError> {
    let calendar = config.business_calendar();
    let (outgoing, incoming) = match store.rotation_for_team(team)? {
        Some((rotation, overrides)) => {
            let shifts = rotation.upcoming(&overrides, now, 2);
            let outgoing = match rotation.on_call_at(&overrides, now) {
                Some(s) => Some(shift(store, &calendar, s, now)?),
                None => None,
            };
            let incoming = shifts.get(1).map(|s| Shift {
                person: s.person.clone(),
                from: s.from,
                to: s.to,
                pages: 0,
                after_hours_pages: 0,
            });
            (outgoing, incoming)
        }
        None => (None, None),
    };
    let mut incidents = Vec::new();
    for i in store.active_incidents()? {
        let last_update = store
            .timeline(i.key)?
            .into_iter()
            .rev()
            .find(|e| e.kind == TimelineKind::StatusUpdate)
            .map(|e| (e.at, update_summary(&e.text)));
        incidents.push(IncidentLine {
            key: i.key.to_string(),
            severity: i.severity.to_string(),
            title: i.title.clone(),
            state: i.state.to_string(),
            commander: i.commander.clone(),
            last_update,
            next_update_due_at: i.next_update_due_at,
        });
    }
    let held_pages = store
        .pages(true, 200)?
        .into_iter()
        .filter(|p| p.state == PageState::Held)
        .collect();
    let changes = store
        .changes_between(now, now + Duration::hours(24))?
        .into_iter()
        .filter(|c| {
            !matches!(
                c.state,
                crate::domain::change::ChangeState::Cancelled
                    | crate::domain::change::ChangeState::Rejected
                    | crate::domain::change::ChangeState::Draft
            )
        })
        .map(|c| ChangeLine {
            key: c.key.to_string(),
            title: c.title,
            state: c.state.to_string(),
            services: c.services,
            starts_at: c.planned_start_at,
            ends_at: c.planned_end_at,
        })
        .collect();
    let tickets = |filter: TicketFilter| -> Result<Vec<TicketLine>, StoreError> {
        let query = TicketQuery {
            filter,
            group: Some(team.to_string()),
            sort: TicketSort::SlaDue,
            ..TicketQuery::default()
        };
        Ok(store
            .list_tickets(&query, 0, TICKETS_LISTED)?
            .into_iter()
            .map(|t| TicketLine {
                key: t.key.to_string(),
                priority: t.priority.to_string(),
                title: t.title,
                assignee: t.assignee,
                due: t.sla_response_due.or(t.sla_resolution_due),
            })
            .collect())
    };
    let breached = tickets(TicketFilter::SlaBreached { now })?;
    let at_risk = tickets(super::ticket_views::at_risk(config, now))?
        .into_iter()
        .filter(|t| !breached.iter().any(|b| b.key == t.key))
        .collect();
    Ok(Handoff {
        team: team.to_string(),
        at: now,
        outgoing,
        incoming,
        incidents,
        held_pages,
        mutes: store.alert_mutes(now)?,
        changes,
        at_risk,
        breached,
    })
}

fn shift(
    store: &Store,
    calendar: &WorkCalendar,
    s: crate::domain::oncall::Shift,
    now: Timestamp,
) -> Result<Shift, StoreError> {
    let pages: Vec<Timestamp> = store
        .page_times(s.from, now)?
        .into_iter()
        .filter(|(person, _)| *person == s.person)
        .map(|(_, at)| at)
        .collect();
    Ok(Shift {
        after_hours_pages: pages
            .iter()
            .filter(|at| calendar.next_open(**at) != **at)
            .count(),
        pages: pages.len(),
        person: s.person,
        from: s.from,
        to: s.to,
    })
}

/// A status update on one line: its parts after the heading ("Impact: … · What we are
/// doing: …"), cut at 300 characters.
fn update_summary(text: &str) -> String {
    let parts: Vec<String> = text
        .lines()
        .skip(1)
        .map(sanitize_line)
        .filter(|l| !l.trim().is_empty())
        .collect();
    let line = if parts.is_empty() {
        sanitize_line(text)
    } else {
        parts.join(" · ")
    };
    crate::domain::display::truncate(&line, 300)
}

/// The report as Markdown: one section each, "none" where there is nothing.
pub fn markdown(h: &Handoff, tz: chrono_tz::Tz) -> String {
    let at = |t: Timestamp| t.with_timezone(&tz).format("%a %d %b %H:%M %Z").to_string();
    let text = |s: &str| crate::domain::markdown_text(s);
    let mut out = format!("# Hand-off: {} — {}\n\n", text(&h.team), at(h.at));
    match (&h.outgoing, &h.incoming) {
        (Some(o), Some(i)) => out.push_str(&format!(
            "From **{}** to **{}** at {}.\n\n",
            text(&o.person),
            text(&i.person),
            at(i.from)
        )),
        (Some(o), None) => out.push_str(&format!("On call: **{}**.\n\n", text(&o.person))),
        _ => out.push_str("This team has no rotation.\n\n"),
    }
    if let Some(o) = &h.outgoing {
        out.push_str(&format!(
            "## The outgoing shift\n\n{} pages since {} ({} after hours).\n\n",
            o.pages,
            at(o.from),
            o.after_hours_pages
        ));
    }
    out.push_str("## Active incidents\n\n");
    if h.incidents.is_empty() {
        out.push_str("None.\n\n");
    }
    for i in &h.incidents {
        out.push_str(&format!(
            "- **{} {}** {} — {}, commander {}\n",
            i.key,
            i.severity,
            text(&i.title),
            i.state,
            i.commander.as_deref().map_or("not named".into(), text)
        ));
        match &i.last_update {
            Some((when, update)) => {
                out.push_str(&format!(
                    "  - last update {}: {}\n",
                    at(*when),
                    text(update)
                ));
            }
            None => out.push_str("  - no status update yet\n"),
        }
        if let Some(due) = i.next_update_due_at {
            out.push_str(&format!("  - next update due {}\n", at(due)));
        }
    }
    if !h.incidents.is_empty() {
        out.push('\n');
    }
    out.push_str("## Held pages\n\n");
    if h.held_pages.is_empty() {
        out.push_str("None.\n\n");
    }
    for p in &h.held_pages {
        out.push_str(&format!(
            "- {} {} {} — held until {} ({})\n",
            p.entity,
            p.severity,
            text(&p.title),
            p.next_at.map(at).unwrap_or_default(),
            text(p.held_reason.as_deref().unwrap_or(""))
        ));
    }
    if !h.held_pages.is_empty() {
        out.push('\n');
    }
    out.push_str("## Alerts muted\n\n");
    if h.mutes.is_empty() {
        out.push_str("None.\n\n");
    }
    for m in &h.mutes {
        out.push_str(&format!(
            "- {} until {} by {} ({} held back){}\n",
            text(&m.name),
            at(m.until),
            text(&m.muted_by),
            m.suppressed,
            if m.reason.is_empty() {
                String::new()
            } else {
                format!(": {}", text(&m.reason))
            }
        ));
    }
    if !h.mutes.is_empty() {
        out.push('\n');
    }
    out.push_str("## Changes in the next 24 hours\n\n");
    if h.changes.is_empty() {
        out.push_str("None.\n\n");
    }
    for c in &h.changes {
        out.push_str(&format!(
            "- {} {} — {}, {} to {} on {}\n",
            c.key,
            text(&c.title),
            c.state,
            c.starts_at.map(at).unwrap_or_default(),
            c.ends_at.map(at).unwrap_or_default(),
            text(&c.services.join(", "))
        ));
    }
    if !h.changes.is_empty() {
        out.push('\n');
    }
    for (title, tickets) in [
        ("Breached tickets", &h.breached),
        ("At-risk tickets", &h.at_risk),
    ] {
        out.push_str(&format!("## {title} of {}\n\n", text(&h.team)));
        if tickets.is_empty() {
            out.push_str("None.\n\n");
            continue;
        }
        for t in tickets {
            out.push_str(&format!(
                "- {} {} {} — {}, due {}\n",
                t.key,
                t.priority,
                text(&t.title),
                t.assignee.as_deref().map_or("unassigned".into(), text),
                t.due.map(at).unwrap_or_else(|| "-".into())
            ));
        }
        out.push('\n');
    }
    out
}
