//! The reports `serve` sends by itself (`[[scheduled_reports]]`): when one is due and
//! not yet queued for its period, the report is written and queued to its audience;
//! the pager's delivery loop sends it. A report's key names its period, so a restart,
//! a second serve or a second look in the same minute never sends it twice; one more
//! than a day late (serve was down) waits for the next period.

use crate::app::error::AppError;
use crate::config::{Config, ScheduledReport};
use crate::domain::Timestamp;
use crate::domain::report_schedule::latest_due;
use crate::metrics::period::Period;
use crate::metrics::scope::Scope;
use crate::store::Store;
use crate::workflow::{ReportMessage, Workflow};

/// How late a report may still go out.
const CATCH_UP_HOURS: i64 = 24;

/// Queues every scheduled report that is due; how many were queued.
pub fn queue_due(
    store: &Store,
    config: &Config,
    wf: &Workflow<'_>,
    now: Timestamp,
) -> Result<usize, AppError> {
    let mut queued = 0;
    for scheduled in &config.scheduled_reports {
        let due = latest_due(
            scheduled.every,
            scheduled.at.0,
            config.business_hours.time_zone.0,
            now,
        );
        if now - due.at > chrono::Duration::hours(CATCH_UP_HOURS) {
            continue;
        }
        let key = format!("report-{}-{}", scheduled.name, due.first_day);
        if store
            .delivery_by_key(&format!("{key}-{}-0", scheduled.audience))?
            .is_some()
        {
            continue;
        }
        let period = Period {
            from: due.from,
            to: due.to,
        };
        let message = written(store, config, scheduled, period, now, key)?;
        if !wf.queue_report(&scheduled.audience, &message)?.is_empty() {
            queued += 1;
        }
    }
    Ok(queued)
}

fn written(
    store: &Store,
    config: &Config,
    scheduled: &ScheduledReport,
    period: Period,
    now: Timestamp,
    key: String,
) -> Result<ReportMessage, AppError> {
    let scope = Scope {
        service: scheduled.service.clone(),
        team: scheduled.team.clone(),
    }
    .resolve(&store.services()?, &store.teams()?)
    .map_err(|e| AppError::Usage(format!("[[scheduled_reports]] {}: {e}", scheduled.name)))?;
    let report = super::report::full_report(store, config, period, now, &scope)?;
    Ok(ReportMessage {
        subject: format!(
            "Operations report ({}), {}",
            scheduled.every,
            super::report::shown(period)
        ),
        markdown: crate::metrics::report::markdown(&report, config),
        csv: crate::metrics::report::csv(&report),
        key,
    })
}
