//! How tickets are printed: an aligned table, a detail page with SLA clocks and
//! activity, or JSON.

use super::table;
use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::clock::format_age;
use crate::domain::sla;
use crate::domain::{ArticleKey, Ticket, Timestamp, sanitize_line, sanitize_text};
use crate::views::sla_badge::{SlaBadge, clock_text};
use crate::views::ticket_detail::ticket_detail;
use crate::views::ticket_views::TicketColumn;
use serde::Serialize;

pub fn json(value: &impl Serialize) -> Result<(), AppError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| AppError::Failed(e.to_string()))?;
    println!("{text}");
    Ok(())
}

pub fn changed(ticket: &Ticket, verb: &str, as_json: bool) -> Result<(), AppError> {
    if as_json {
        return json(ticket);
    }
    let who = ticket
        .assignee
        .as_deref()
        .or(ticket.group.as_deref())
        .unwrap_or("unassigned");
    println!(
        "{} {verb} ({}, {}, {}): {}",
        ticket.key,
        ticket.priority,
        ticket.state,
        sanitize_line(who),
        sanitize_line(&ticket.title)
    );
    Ok(())
}

#[derive(Serialize)]
struct Resolved<'a> {
    #[serde(flatten)]
    ticket: &'a Ticket,
    article: Option<ArticleKey>,
}

/// A resolution, with the article linked (or started) if any.
pub fn resolved(
    ticket: &Ticket,
    article: Option<ArticleKey>,
    started: bool,
    as_json: bool,
) -> Result<(), AppError> {
    if as_json {
        return json(&Resolved { ticket, article });
    }
    changed(ticket, "resolved", false)?;
    match article {
        Some(a) if started => {
            println!(
                "{a} started as a draft from {}: `kb edit {a}` to write it",
                ticket.key
            )
        }
        Some(a) => println!("{a} linked"),
        None => {}
    }
    Ok(())
}

#[derive(Serialize)]
struct ListedTicket<'a> {
    #[serde(flatten)]
    ticket: &'a Ticket,
    sla: &'static str,
}

pub fn list(
    tickets: &[Ticket],
    session: &Session,
    as_json: bool,
    plain: bool,
    columns: &[TicketColumn],
) -> Result<(), AppError> {
    let now = session.clock.now();
    if as_json {
        let rows: Vec<ListedTicket> = tickets
            .iter()
            .map(|t| ListedTicket {
                ticket: t,
                sla: SlaBadge::of(t, now, &session.config).level(),
            })
            .collect();
        return json(&rows);
    }
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let text = |t: &Ticket, column: TicketColumn| match column {
        TicketColumn::Key => t.key.to_string(),
        TicketColumn::Priority => t.priority.to_string(),
        TicketColumn::State => t.state.to_string(),
        TicketColumn::Sla => SlaBadge::of(t, now, &session.config).text(),
        TicketColumn::Title => t.title.clone(),
        TicketColumn::Service => or_dash(&t.service),
        TicketColumn::Group => or_dash(&t.group),
        TicketColumn::Assignee => or_dash(&t.assignee),
        TicketColumn::Category => or_dash(&t.category),
        TicketColumn::Age => format_age(t.opened_at, now),
        TicketColumn::Updated => format_age(t.updated_at, now),
    };
    let rows: Vec<Vec<String>> = tickets
        .iter()
        .map(|t| columns.iter().map(|c| text(t, *c)).collect())
        .collect();
    let header: Vec<&str> = columns.iter().map(|c| c.header()).collect();
    let widths: Vec<usize> = columns
        .iter()
        .map(|c| match c {
            TicketColumn::Key => 12,
            TicketColumn::Priority => 3,
            TicketColumn::State => 11,
            TicketColumn::Sla => 8,
            TicketColumn::Title => 50,
            TicketColumn::Assignee => 24,
            TicketColumn::Age | TicketColumn::Updated => 7,
            _ => 20,
        })
        .collect();
    table::print(
        table::TextStyle { csv: false, plain },
        &header,
        &rows,
        &widths,
    );
    Ok(())
}

#[derive(Serialize)]
struct Detail<'a> {
    #[serde(flatten)]
    ticket: &'a Ticket,
    sla: &'a sla::SlaClocks,
    activity: &'a [crate::views::activity::ActivityLine],
    alerts: &'a [crate::domain::alert::AlertRecord],
    articles: &'a [crate::domain::article::Article],
    resolved_with: &'a [crate::domain::article::Article],
    csat_response: Option<crate::store::CsatResponse>,
    csat_survey: Option<crate::store::CsatSurvey>,
}

pub fn detail(t: &Ticket, session: &Session, as_json: bool) -> Result<(), AppError> {
    let now = session.clock.now();
    let Some(model) = ticket_detail(&session.store, &session.config, t.key, now)? else {
        return Err(AppError::from(crate::store::StoreError::NotFound(
            t.key.to_string(),
        )));
    };
    let alerts = model.alerts_line().unwrap_or_else(|| "-".into());
    let articles = model.articles_line().unwrap_or_else(|| "-".into());
    let resolved_with = model.resolved_with_line().unwrap_or_else(|| "-".into());
    let (t, clocks, activity) = (&model.ticket, model.sla, model.activity);
    let csat_response = session.store.csat_response(t.key)?;
    let csat_survey = session.store.csat_survey(t.key)?;
    if as_json {
        return json(&Detail {
            ticket: t,
            sla: &clocks,
            activity: &activity,
            alerts: &model.alerts,
            articles: &model.articles,
            resolved_with: &model.resolved_with,
            csat_response,
            csat_survey,
        });
    }
    let local = |ts: Timestamp| {
        ts.with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    let opt = |v: &Option<String>| {
        v.as_deref()
            .map(sanitize_line)
            .unwrap_or_else(|| "-".into())
    };
    let opt_time = |v: Option<Timestamp>| v.map(local).unwrap_or_else(|| "-".into());
    let mut out = format!("{}  {}\n", t.key, sanitize_line(&t.title));
    let mut priority = format!(
        "{} (impact {}, urgency {})",
        t.priority,
        t.impact.label(),
        t.urgency.label()
    );
    if let Some(reason) = &t.priority_override_reason {
        priority.push_str(&format!(" — overridden: {}", sanitize_line(reason)));
    }
    let fields = [
        ("kind", t.kind.to_string()),
        ("state", t.state.to_string()),
        ("priority", priority),
        ("response SLA", clock_text(&clocks.response, now)),
        ("resolution SLA", clock_text(&clocks.resolution, now)),
        ("service", opt(&t.service)),
        ("group", opt(&t.group)),
        ("assignee", opt(&t.assignee)),
        ("requester", opt(&t.requester)),
        ("category", opt(&t.category)),
        ("opened", local(t.opened_at)),
        ("updated", local(t.updated_at)),
        ("first response", opt_time(t.first_response_at)),
        ("resolved", opt_time(t.resolved_at)),
        ("closed", opt_time(t.closed_at)),
        ("pending reason", opt(&t.pending_reason)),
        (
            "resolution",
            t.resolution_code
                .map(|c| c.to_string())
                .unwrap_or_else(|| "-".into()),
        ),
        ("note", opt(&t.resolution_note)),
        (
            "duplicate of",
            t.duplicate_of
                .map(|k| k.to_string())
                .unwrap_or_else(|| "-".into()),
        ),
        (
            "first contact",
            if t.first_contact { "yes" } else { "no" }.to_string(),
        ),
        ("reassigned", t.reassignment_count.to_string()),
        ("reopened", t.reopen_count.to_string()),
        (
            "incident",
            t.linked_incident
                .map(|k| k.to_string())
                .unwrap_or_else(|| "-".into()),
        ),
        ("alerts", alerts),
        ("articles", articles),
        ("solved by", resolved_with),
        (
            "satisfaction",
            match (t.csat, &csat_response) {
                (Some(rating), Some(r)) if !r.comment.is_empty() => {
                    format!("{rating} of 5 — \"{}\"", sanitize_line(&r.comment))
                }
                (Some(rating), _) => format!("{rating} of 5"),
                (None, _) => match &csat_survey {
                    Some(s) => format!(
                        "asked {} on {}, no answer yet",
                        sanitize_line(&s.address),
                        local(s.sent_at)
                    ),
                    None => "-".into(),
                },
            },
        ),
        ("version", t.version.to_string()),
    ];
    for (name, value) in fields {
        out.push_str(&format!("  {name:<15} {value}\n"));
    }
    if !t.description.is_empty() {
        out.push_str("\nDescription\n");
        for line in sanitize_text(&t.description).lines() {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out.push_str("\nActivity\n");
    for line in &activity {
        out.push_str(&format!(
            "  {}  {:<20} {}\n",
            local(line.at),
            line.who,
            line.text
        ));
    }
    print!("{out}");
    Ok(())
}
