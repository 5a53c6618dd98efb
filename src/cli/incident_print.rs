//! How incidents are printed: a list, a detail page with the timeline, the latest
//! status update (text or Markdown), or JSON.

use super::table;
use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::bridge::countdown;
use crate::domain::clock::format_age;
use crate::domain::incident::{Incident, TimelineEntry, TimelineKind};
use crate::domain::{IncidentKey, Timestamp, sanitize_line, sanitize_text};
use crate::views::incident_views::IncidentColumn;
use serde::Serialize;
use std::path::Path;

pub use super::ticket_print::json;

pub fn changed(incident: &Incident, verb: &str, as_json: bool) -> Result<(), AppError> {
    if as_json {
        return json(incident);
    }
    println!(
        "{} {verb} ({}, {}): {}",
        incident.key,
        incident.severity,
        incident.state,
        sanitize_line(&incident.title)
    );
    Ok(())
}

pub fn list(
    session: &Session,
    view: &str,
    as_json: bool,
    style: table::TextStyle,
) -> Result<(), AppError> {
    let now = session.clock.now();
    let view = crate::views::incident_views::find_incident_view(&session.config, view)
        .map_err(AppError::Usage)?;
    let incidents = view.apply(
        &session
            .store
            .list_incidents(now - chrono::Duration::days(7))?,
        now,
    );
    if as_json {
        return json(&incidents);
    }
    let text = |i: &crate::domain::incident::Incident, column: IncidentColumn| match column {
        IncidentColumn::Key => i.key.to_string(),
        IncidentColumn::Severity => i.severity.to_string(),
        IncidentColumn::State => i.state.to_string(),
        IncidentColumn::Title => i.title.clone(),
        IncidentColumn::Commander => i.commander.clone().unwrap_or_else(|| "-".into()),
        IncidentColumn::Services => i.services.join(","),
        IncidentColumn::Age => format_age(i.detected_at, now),
        IncidentColumn::NextUpdate => i
            .next_update_due_at
            .map(|d| countdown(d, now))
            .unwrap_or_else(|| "-".into()),
    };
    let columns = view.columns();
    let rows: Vec<Vec<String>> = incidents
        .iter()
        .map(|i| columns.iter().map(|c| text(i, *c)).collect())
        .collect();
    let header: Vec<&str> = columns.iter().map(|c| c.header()).collect();
    let widths: Vec<usize> = columns
        .iter()
        .map(|c| match c {
            IncidentColumn::Key => 10,
            IncidentColumn::Severity => 4,
            IncidentColumn::State => 13,
            IncidentColumn::Title => 50,
            IncidentColumn::Commander => 24,
            IncidentColumn::Services => 30,
            IncidentColumn::Age => 5,
            IncidentColumn::NextUpdate => 11,
        })
        .collect();
    table::print(style, &header, &rows, &widths);
    Ok(())
}

#[derive(Serialize)]
struct Detail<'a> {
    #[serde(flatten)]
    incident: &'a Incident,
    tickets: Vec<String>,
    timeline: &'a [TimelineEntry],
    alerts: &'a [crate::domain::alert::AlertRecord],
    knowledge: &'a crate::views::knowledge::IncidentKnowledge,
    /// The services that depend on its own, transitively, and through which.
    impacted: &'a [crate::domain::directory::Impact],
}

pub fn detail(i: &Incident, session: &Session, as_json: bool) -> Result<(), AppError> {
    let timeline = session.store.timeline(i.key)?;
    let tickets: Vec<String> = session
        .store
        .incident_ticket_keys(i.key)?
        .iter()
        .map(|k| k.to_string())
        .collect();
    let alerts = session.store.alerts_on_incident(i.key)?;
    let knowledge = crate::views::knowledge::incident_knowledge(&session.store, i.key)?;
    let impacted = session.store.directory()?.impacted(&i.services);
    if as_json {
        return json(&Detail {
            incident: i,
            tickets,
            timeline: &timeline,
            alerts: &alerts,
            knowledge: &knowledge,
            impacted: &impacted,
        });
    }
    let now = session.clock.now();
    let local = |t: Timestamp| {
        t.with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    let opt = |t: Option<Timestamp>| t.map(local).unwrap_or_else(|| "-".into());
    let name = |v: &Option<String>| {
        v.as_deref()
            .map(sanitize_line)
            .unwrap_or_else(|| "-".into())
    };
    let mut out = format!("{}  {}\n", i.key, sanitize_line(&i.title));
    for (label, value) in [
        ("severity", i.severity.to_string()),
        ("state", i.state.to_string()),
        ("services", i.services.join(", ")),
        (
            "impacted",
            if impacted.is_empty() {
                "-".into()
            } else {
                impacted
                    .iter()
                    .map(|x| format!("{} (via {})", x.service, x.via))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        ("commander", name(&i.commander)),
        ("communications", name(&i.communications)),
        ("scribe", name(&i.scribe)),
        (
            "responders",
            if i.responders.is_empty() {
                "-".into()
            } else {
                i.responders.join(", ")
            },
        ),
        (
            "tickets",
            if tickets.is_empty() {
                "-".into()
            } else {
                tickets.join(", ")
            },
        ),
        (
            "alerts",
            crate::views::ticket_detail::alerts_line(&alerts).unwrap_or_else(|| "-".into()),
        ),
        ("impact start", opt(i.impact_start_at)),
        ("detected", local(i.detected_at)),
        ("acknowledged", opt(i.acknowledged_at)),
        ("mitigated", opt(i.mitigated_at)),
        ("resolved", opt(i.resolved_at)),
        (
            "next update",
            i.next_update_due_at
                .map(|d| format!("{} ({})", local(d), countdown(d, now)))
                .unwrap_or_else(|| "-".into()),
        ),
        ("version", i.version.to_string()),
    ] {
        out.push_str(&format!("  {label:<15} {}\n", sanitize_line(&value)));
    }
    for a in &knowledge.articles {
        let steps = a.steps().len() as i64;
        let done = (1..=steps)
            .filter(|n| knowledge.is_ticked(a.key, *n))
            .count();
        out.push_str(&format!(
            "  {:<15} {} {} ({done}/{steps} steps done)\n",
            "runbook",
            a.key,
            sanitize_line(&a.draft.title)
        ));
    }
    for (alert, url) in &knowledge.runbook_urls {
        out.push_str(&format!(
            "  {:<15} {} ({})\n",
            "runbook link",
            sanitize_line(url),
            sanitize_line(alert)
        ));
    }
    out.push_str("\nTimeline\n");
    // The author column as wide as the longest author, so the text lines up.
    let authors = timeline
        .iter()
        .map(|e| crate::domain::display::width(&sanitize_line(&e.author)))
        .max()
        .unwrap_or(0)
        .max(12);
    for e in &timeline {
        let when = local(e.at);
        let indent = " ".repeat(2 + crate::domain::display::width(&when) + 2 + 14 + authors + 1);
        let text = sanitize_text(&e.text).replace('\n', &format!("\n{indent}"));
        let author = sanitize_line(&e.author);
        let pad = authors - crate::domain::display::width(&author);
        // The updates the status page shows are marked, so nobody posts twice.
        let kind = if e.public && e.kind == TimelineKind::StatusUpdate {
            "public_update"
        } else {
            e.kind.as_str()
        };
        out.push_str(&format!(
            "  {when}  {kind:<13} {author}{} {text}\n",
            " ".repeat(pad)
        ));
    }
    print!("{out}");
    Ok(())
}

/// The latest status update: printed, or saved as Markdown.
pub fn latest_update(
    session: &Session,
    key: IncidentKey,
    markdown: Option<(&Path, crate::app::output::Existing)>,
    as_json: bool,
) -> Result<(), AppError> {
    let timeline = session.store.timeline(key)?;
    let latest = timeline
        .iter()
        .rev()
        .find(|e| e.kind == TimelineKind::StatusUpdate)
        .ok_or_else(|| AppError::Failed(format!("{key} has no status update yet")))?;
    if let Some((path, existing)) = markdown {
        crate::app::output::write_private(path, update_markdown(latest).as_bytes(), existing)
            .map_err(AppError::Failed)?;
        println!("{key}: latest update saved to {}", path.display());
        return Ok(());
    }
    if as_json {
        return json(latest);
    }
    println!("{}", sanitize_text(&latest.text));
    Ok(())
}

/// A status update as a Markdown document: a heading, the time and author, then the text.
pub fn update_markdown(entry: &TimelineEntry) -> String {
    let text = crate::domain::markdown_text(&sanitize_text(&entry.text));
    let mut lines = text.lines();
    let heading = lines.next().unwrap_or_default();
    let when = entry
        .at
        .with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M %Z");
    let mut out = format!(
        "# {heading}\n\n_{when}, {}_\n\n",
        crate::domain::markdown_text(&sanitize_line(&entry.author))
    );
    for line in lines {
        match line.split_once(": ") {
            Some((label, value)) => out.push_str(&format!("- **{label}:** {value}\n")),
            None => out.push_str(&format!("{line}\n")),
        }
    }
    out
}
