//! `watchfloor page …`: what the pager sent to whom and what became of it, a test page
//! down each of a person's methods, and acknowledging or escalating a page by hand.

use super::table;
use super::ticket_print::json;
use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::contact::ContactKind;
use crate::domain::page::{Delivery, DeliveryState, Page};
use crate::domain::sanitize_line;
use clap::Subcommand;
use serde::Serialize;

#[derive(Debug, Subcommand)]
pub enum PageCommand {
    /// Pages, the latest first, with every message each sent: to whom, how, when, and
    /// whether it was delivered (or why not).
    List {
        /// Only pages still paging.
        #[arg(long)]
        active: bool,
        /// At most this many pages.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(i64).range(1..=10000))]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
    /// Sends one test page down each of the person's contact methods now, and reports
    /// each method's outcome.
    Test {
        person: String,
        #[arg(long)]
        json: bool,
    },
    /// Acknowledges a page (as you, or --as LOGIN): paging stops.
    Ack { page: i64 },
    /// Pages the next level of a page now.
    Escalate { page: i64 },
}

pub fn run(command: PageCommand, session: &Session) -> Result<(), AppError> {
    match command {
        PageCommand::List {
            active,
            limit,
            json: as_json,
        } => list(session, active, limit, as_json),
        PageCommand::Test {
            person,
            json: as_json,
        } => test(session, &person, as_json),
        PageCommand::Ack { page } => {
            let wf = session.workflow();
            let page = wf.acknowledge_page(page, session.actor.name())?;
            println!(
                "{} acknowledged by {}; paging stopped",
                page.entity,
                session.actor.name()
            );
            Ok(())
        }
        PageCommand::Escalate { page } => {
            let page = session
                .workflow()
                .escalate_page_now(page, session.actor.name())?;
            println!(
                "{}: level {} of policy {} paged",
                page.entity, page.levels_paged, page.policy
            );
            Ok(())
        }
    }
}

#[derive(Serialize)]
struct PageWithDeliveries {
    #[serde(flatten)]
    page: Page,
    deliveries: Vec<Delivery>,
}

fn list(session: &Session, active: bool, limit: i64, as_json: bool) -> Result<(), AppError> {
    let pages = session.store.pages(active, limit)?;
    let mut all = Vec::new();
    for page in pages {
        let deliveries = session.store.deliveries_of_page(page.id)?;
        all.push(PageWithDeliveries { page, deliveries });
    }
    if as_json {
        return json(&all);
    }
    let now = session.clock.now();
    match session.store.lease(crate::workflow::PAGER_LEASE, now)? {
        Some((holder, _)) => println!("pager: running ({holder})"),
        None => println!(
            "pager: NOT RUNNING — no `watchfloor serve` holds it; what is queued is not sent"
        ),
    }
    if all.is_empty() {
        println!(
            "{}",
            if active {
                "No page is active."
            } else {
                "Nothing has been paged yet."
            }
        );
        return Ok(());
    }
    for PageWithDeliveries { page, deliveries } in &all {
        let held = match (&page.held_reason, page.next_at) {
            (Some(reason), Some(until)) if page.state == crate::domain::page::PageState::Held => {
                format!(" until {} ({reason})", session.config.local_time(until))
            }
            _ => String::new(),
        };
        let stopped = match (&page.stopped_by, page.stopped_at) {
            (Some(by), Some(at)) => format!(" by {by} at {}", at.format("%Y-%m-%d %H:%M")),
            (None, Some(at)) => format!(" at {}", at.format("%Y-%m-%d %H:%M")),
            _ => String::new(),
        };
        println!(
            "page {}  {} {}  {}{held}{}  policy {}, {} levels, started {}",
            page.id,
            page.severity,
            page.entity,
            page.state,
            stopped,
            page.policy,
            page.levels_paged,
            page.started_at.format("%Y-%m-%d %H:%M UTC")
        );
        println!("  {}", sanitize_line(&page.title));
        let rows: Vec<Vec<String>> = deliveries.iter().map(delivery_row).collect();
        if !rows.is_empty() {
            let table = table::render(
                &["LEVEL", "TO", "METHOD", "PURPOSE", "DUE", "OUTCOME"],
                &rows,
                &[5, 20, 40, 9, 5, 60],
            );
            for line in table.lines() {
                println!("  {line}");
            }
        }
    }
    Ok(())
}

fn delivery_row(d: &Delivery) -> Vec<String> {
    vec![
        d.level.map(|l| l.to_string()).unwrap_or_default(),
        d.person.clone(),
        d.channel(),
        d.purpose.to_string(),
        d.due_at.format("%H:%M").to_string(),
        outcome(d),
    ]
}

/// "delivered 13:42", "FAILED: relay refused (5 attempts)", "pending (retry: …)".
fn outcome(d: &Delivery) -> String {
    let error = d.last_error.as_deref().map(sanitize_line);
    match d.state {
        DeliveryState::Delivered => format!(
            "delivered {}",
            d.delivered_at
                .map(|t| t.format("%H:%M").to_string())
                .unwrap_or_default()
        ),
        DeliveryState::Failed => format!(
            "FAILED after {} attempts: {}",
            d.attempts,
            error.unwrap_or_default()
        ),
        DeliveryState::Pending if d.attempts > 0 => format!(
            "retrying (attempt {} failed: {})",
            d.attempts,
            error.unwrap_or_default()
        ),
        state => state.to_string(),
    }
}

#[derive(Serialize)]
pub(super) struct TestOutcome {
    pub method: String,
    pub kind: ContactKind,
    pub delivered: bool,
    pub outcome: String,
}

fn test(session: &Session, person: &str, as_json: bool) -> Result<(), AppError> {
    let enqueued = session.workflow().test_page(person)?;
    let outcomes = send_now(session, person, &enqueued)?;
    if as_json {
        json(&outcomes)?;
    } else {
        println!("Test page for {person}:");
        for o in &outcomes {
            println!("  {:<50} {}", o.method, o.outcome);
        }
    }
    let failed = outcomes
        .iter()
        .filter(|o| o.kind != ContactKind::Console && !o.delivered)
        .count();
    if failed > 0 {
        return Err(AppError::Failed(format!(
            "{failed} of {person}'s methods could not be reached"
        )));
    }
    Ok(())
}

/// Sends these test pages now, down their methods; what became of each.
pub(super) fn send_now(
    session: &Session,
    person: &str,
    enqueued: &[crate::domain::page::NewDelivery],
) -> Result<Vec<TestOutcome>, AppError> {
    let secrets = super::pager::secrets(&session.config.pager)?;
    let outbound = crate::notify::outbound::Outbound::new(
        session.config.pager.clone(),
        session.config.notify.clone(),
        secrets,
    );
    let wf = session.workflow();
    let keys: Vec<String> = enqueued.iter().map(|d| d.idempotency_key.clone()).collect();
    let now = session.clock.now().timestamp();
    let attempts = wf.deliver_now(&keys, &|d| outbound.send(d, now))?;
    let outcomes: Vec<TestOutcome> = enqueued
        .iter()
        .map(|d| {
            let method = if d.target.is_empty() {
                d.kind.to_string()
            } else {
                format!("{} to {}", d.kind, d.target)
            };
            let attempt = attempts
                .iter()
                .find(|a| a.delivery.idempotency_key == d.idempotency_key);
            let (delivered, outcome) = match (d.kind, attempt) {
                (ContactKind::Console, _) => (
                    false,
                    format!(
                        "waiting for one of {person}'s consoles to show it (within {} minutes)",
                        crate::workflow::CONSOLE_WAIT_MINUTES
                    ),
                ),
                (_, Some(a)) => match &a.outcome {
                    Ok(()) => (true, "delivered".to_string()),
                    Err(why) => (
                        false,
                        format!("FAILED: {} (serve tries again)", sanitize_line(why)),
                    ),
                },
                (_, None) => (false, "not sent".to_string()),
            };
            TestOutcome {
                method,
                kind: d.kind,
                delivered,
                outcome,
            }
        })
        .collect();
    Ok(outcomes)
}
