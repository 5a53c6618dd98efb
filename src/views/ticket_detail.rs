//! One ticket as both faces show it: the record, its two SLA clocks now, the activity
//! people read, and the problems its incident belongs to — read in one place, so the
//! console's detail view and `ticket show` never disagree.

use super::activity::{ActivityLine, ticket_activity};
use crate::config::Config;
use crate::domain::alert::{AlertRecord, AlertStatus};
use crate::domain::sla::{self, SlaClocks};
use crate::domain::{ProblemKey, Ticket, TicketKey, Timestamp};
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub struct TicketDetail {
    pub ticket: Ticket,
    pub sla: SlaClocks,
    pub activity: Vec<ActivityLine>,
    pub problems: Vec<ProblemKey>,
    /// The alerts it holds (an alert group), the first seen first.
    pub alerts: Vec<AlertRecord>,
    /// The articles for its category, service and problems, runbooks first (less
    /// those it was resolved with).
    pub articles: Vec<crate::domain::article::Article>,
    /// The articles it was resolved with, linked on resolving or after.
    pub resolved_with: Vec<crate::domain::article::Article>,
}

impl TicketDetail {
    /// "KB-3 Reset a locked account, KB-9 …", or `None` when none applies.
    pub fn articles_line(&self) -> Option<String> {
        articles_line(&self.articles)
    }

    /// "KB-12 Printer queue stuck (draft)", or `None` when none was linked.
    pub fn resolved_with_line(&self) -> Option<String> {
        articles_line(&self.resolved_with)
    }
}

fn articles_line(articles: &[crate::domain::article::Article]) -> Option<String> {
    use crate::domain::article::ArticleState;
    (!articles.is_empty()).then(|| {
        articles
            .iter()
            .map(|a| {
                let title = crate::domain::sanitize_line(&a.draft.title);
                match a.draft.state {
                    ArticleState::Published => format!("{} {title}", a.key),
                    state => format!("{} {title} ({state})", a.key),
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    })
}

impl TicketDetail {
    /// "3 alerts, 2 firing: NodeDown, DiskFull", or `None` when it holds none.
    pub fn alerts_line(&self) -> Option<String> {
        alerts_line(&self.alerts)
    }
}

/// What a record's alerts come to, in a line.
pub fn alerts_line(alerts: &[AlertRecord]) -> Option<String> {
    if alerts.is_empty() {
        return None;
    }
    let firing = alerts
        .iter()
        .filter(|a| a.status == AlertStatus::Firing)
        .count();
    let mut names: Vec<&str> = alerts.iter().map(|a| a.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let more = names.len().saturating_sub(3);
    names.truncate(3);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    Some(format!(
        "{} {}, {firing} firing: {}{more}",
        alerts.len(),
        if alerts.len() == 1 { "alert" } else { "alerts" },
        names.join(", ")
    ))
}

/// The ticket's detail at `now`, or `None` when it does not exist.
pub fn ticket_detail(
    store: &Store,
    config: &Config,
    key: TicketKey,
    now: Timestamp,
) -> Result<Option<TicketDetail>, StoreError> {
    let Some(ticket) = store.ticket(key)? else {
        return Ok(None);
    };
    let events = store.ticket_sla_events(key)?;
    let sla = sla::compute(
        ticket.opened_at,
        &events,
        now,
        &config.sla_rule(ticket.priority),
    )
    .keeping(ticket.sla_response_breached, ticket.sla_resolution_breached);
    let activity = ticket_activity(
        &store.ticket_transitions(key)?,
        &store.audit_for(&key.to_string())?,
        &store.ticket_comments(key)?,
    );
    let problems = match ticket.linked_incident {
        Some(i) => store.problems_for_incident(i)?,
        None => Vec::new(),
    };
    let alerts = store.alerts_on_ticket(key)?;
    let resolved_with = store.articles_of_ticket(key)?;
    let mut articles = store.articles_for(
        &ticket.service.clone().into_iter().collect::<Vec<_>>(),
        &store.alert_rules_of(&key.to_string())?,
        &ticket.category.clone().into_iter().collect::<Vec<_>>(),
        &problems,
    )?;
    articles.retain(|a| !resolved_with.iter().any(|r| r.key == a.key));
    Ok(Some(TicketDetail {
        ticket,
        sla,
        activity,
        problems,
        alerts,
        articles,
        resolved_with,
    }))
}
