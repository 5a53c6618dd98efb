//! Drill-down: the records behind a KPI of the scorecard — the slow incidents, the
//! failed changes, the breached tickets, the late actions — each with why it counts.

use super::incidents::{ack_minutes, detect_minutes, in_period, restore_minutes};
use super::period::Period;
use super::report::Report;
use super::scope::ResolvedScope;
use crate::domain::display::short_duration;
use crate::domain::incident::{Incident, Severity};
use crate::domain::kpi_reading::RecordedKpi;
use crate::domain::{RecordKey, RecordKind, Timestamp, sanitize_line};
use crate::store::{Store, StoreError, TicketsBehind};

/// How many records a drill-down lists at most.
pub const DRILL_LIMIT: usize = 200;

/// One record behind a KPI: its key, and a line saying why it counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillRow {
    /// The record it opens; none for a reading from another system.
    pub key: Option<RecordKey>,
    pub text: String,
}

fn key(kind: RecordKind, number: i64) -> Option<RecordKey> {
    Some(RecordKey { kind, number })
}

fn duration(minutes: f64) -> String {
    short_duration((minutes * 60.0) as i64)
}

fn incident_rows(
    incidents: &[&Incident],
    measure: fn(&Incident) -> Option<f64>,
    done: &str,
    missing: Option<&str>,
) -> Vec<DrillRow> {
    let mut measured: Vec<(&Incident, Option<f64>)> =
        incidents.iter().map(|i| (*i, measure(i))).collect();
    if missing.is_none() {
        measured.retain(|(_, m)| m.is_some());
    }
    // Not yet measured first (the unacknowledged), then the slowest.
    measured.sort_by(|a, b| match (a.1, b.1) {
        (None, None) => a.0.key.cmp(&b.0.key),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => y.total_cmp(&x),
    });
    measured
        .into_iter()
        .map(|(i, m)| DrillRow {
            key: key(RecordKind::Incident, i.key.0),
            text: format!(
                "{} {} · {} · {}",
                i.key,
                i.severity,
                match m {
                    Some(m) => format!("{done} {}", duration(m)),
                    None => missing.unwrap_or_default().to_string(),
                },
                sanitize_line(&i.title)
            ),
        })
        .collect()
}

/// The records behind the scorecard line named `kpi` (as `scorecard` names it), for the
/// report's period and scope; `None` for a name the scorecard does not use.
pub fn records_behind(
    store: &Store,
    report: &Report,
    scope: &ResolvedScope,
    kpi: &str,
    now: Timestamp,
) -> Result<Option<Vec<DrillRow>>, StoreError> {
    let Period { from, to } = report.period;
    let filter = &scope.filter;
    let incidents = || -> Result<Vec<Incident>, StoreError> {
        let mut all = store.incidents_overlapping(from, to)?;
        all.retain(|i| scope.covers_incident(i));
        Ok(all)
    };
    let tickets = |which: TicketsBehind, why: &dyn Fn(&crate::domain::Ticket) -> String| {
        store
            .tickets_behind(which, from, to, now, filter, DRILL_LIMIT)
            .map(|list| {
                list.iter()
                    .map(|t| DrillRow {
                        key: key(RecordKind::Ticket, t.key.0),
                        text: format!(
                            "{} {} · {} · {}",
                            t.key,
                            t.priority,
                            why(t),
                            sanitize_line(&t.title)
                        ),
                    })
                    .collect()
            })
    };
    let rows = match kpi {
        "MTTA" => {
            let all = incidents()?;
            incident_rows(
                &in_period(&all, report.period),
                ack_minutes,
                "acknowledged after",
                Some("not acknowledged"),
            )
        }
        "MTTR" => {
            let all = incidents()?;
            incident_rows(
                &in_period(&all, report.period),
                restore_minutes,
                "restored after",
                Some("not restored"),
            )
        }
        "MTTD" => {
            let all = incidents()?;
            incident_rows(
                &in_period(&all, report.period),
                detect_minutes,
                "detected after",
                None,
            )
        }
        "Services meeting target" => {
            let missed: Vec<&str> = report
                .availability
                .iter()
                .filter(|a| !a.met)
                .map(|a| a.service.as_str())
                .collect();
            let all = incidents()?;
            let major: Vec<&Incident> = all
                .iter()
                .filter(|i| matches!(i.severity, Severity::Sev1 | Severity::Sev2))
                .filter(|i| i.services.iter().any(|s| missed.contains(&s.as_str())))
                .collect();
            incident_rows(
                &major,
                restore_minutes,
                "restored after",
                Some("not restored"),
            )
        }
        "Change failure rate" => store
            .failed_changes(from, to, filter, DRILL_LIMIT)?
            .iter()
            .map(|c| {
                let caused = store.incidents_caused_by(c.key).unwrap_or_default();
                let why = if caused.is_empty() {
                    c.state.to_string()
                } else {
                    let keys: Vec<String> = caused.iter().map(|k| k.to_string()).collect();
                    format!("{} · caused {}", c.state, keys.join(" "))
                };
                DrillRow {
                    key: key(RecordKind::Change, c.key.0),
                    text: format!("{} · {why} · {}", c.key, sanitize_line(&c.title)),
                }
            })
            .collect(),
        "SLA met (response)" => {
            tickets(TicketsBehind::ResponseMissed, &|_| "response late".into())?
        }
        "SLA met (resolution)" => tickets(TicketsBehind::ResolutionMissed, &|_| {
            "resolution late".into()
        })?,
        "First-contact resolution" => tickets(TicketsBehind::Reassigned, &|t| {
            format!("reassigned {}×", t.reassignment_count)
        })?,
        "Incident volume" => {
            let all = incidents()?;
            let mut detected = in_period(&all, report.period);
            detected.sort_by_key(|i| (i.severity, std::cmp::Reverse(i.detected_at)));
            detected
                .iter()
                .take(DRILL_LIMIT)
                .map(|i| DrillRow {
                    key: key(RecordKind::Incident, i.key.0),
                    text: format!(
                        "{} {} · detected {} · {}",
                        i.key,
                        i.severity,
                        i.detected_at.format("%d %b %H:%M"),
                        sanitize_line(&i.title)
                    ),
                })
                .collect()
        }
        "Standard change lead time" => store
            .slowest_standard_changes(from, to, filter, DRILL_LIMIT)?
            .iter()
            .map(|c| {
                let hours = c
                    .actual_end_at
                    .map_or(0, |end| (end - c.requested_at).num_hours());
                DrillRow {
                    key: key(RecordKind::Change, c.key.0),
                    text: format!(
                        "{} · {hours} h from request to end · {}",
                        c.key,
                        sanitize_line(&c.title)
                    ),
                }
            })
            .collect(),
        "Vendor SLA compliance" => report
            .vendors
            .iter()
            .flat_map(|v| {
                v.missed.iter().map(move |(ticket, case, what)| DrillRow {
                    key: key(RecordKind::Ticket, ticket.0),
                    text: format!(
                        "{ticket} · {} case {} · {what} late",
                        sanitize_line(&v.vendor),
                        sanitize_line(case)
                    ),
                })
            })
            .take(DRILL_LIMIT)
            .collect(),
        "On-call load (busiest)" => {
            let mut load: Vec<(&String, &f64)> = report.oncall_load.iter().collect();
            load.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
            load.into_iter()
                .map(|(person, pages)| DrillRow {
                    key: None,
                    text: format!("{} · {pages:.1} pages a week", sanitize_line(person)),
                })
                .collect()
        }
        "CSAT" | "CSAT positive" => tickets(TicketsBehind::RatedLow, &|t| {
            format!("rated {} of 5", t.csat.unwrap_or_default())
        })?,
        "Reopen rate" => tickets(TicketsBehind::Reopened, &|t| {
            format!("reopened {}×", t.reopen_count)
        })?,
        "Backlog older than 14d" => tickets(TicketsBehind::OpenLongerThan(14), &|t| {
            format!("open {}", short_duration((now - t.opened_at).num_seconds()))
        })?,
        "PIR action closure" => store
            .actions_missed(from, to, filter, DRILL_LIMIT)?
            .iter()
            .map(|a| DrillRow {
                key: key(RecordKind::Review, a.review.0),
                text: format!(
                    "#{} {} · due {} · {} · {}",
                    a.id,
                    a.review,
                    a.due_at
                        .map(|d| d.format("%Y-%m-%d").to_string())
                        .unwrap_or_default(),
                    a.state,
                    sanitize_line(&a.title)
                ),
            })
            .collect(),
        "Knowledge coverage" => {
            let Some(k) = &report.knowledge else {
                return Ok(Some(Vec::new()));
            };
            let mut rows = Vec::new();
            for topic in k.coverage.uncovered() {
                if let Some(category) = topic.strip_prefix("category ") {
                    let latest = store.tickets_behind(
                        TicketsBehind::InCategory(category.to_string()),
                        from,
                        to,
                        now,
                        filter,
                        1,
                    )?;
                    rows.extend(latest.iter().map(|t| DrillRow {
                        key: key(RecordKind::Ticket, t.key.0),
                        text: format!(
                            "{} · no published article · the latest {} · {}",
                            sanitize_line(topic),
                            t.key,
                            sanitize_line(&t.title)
                        ),
                    }));
                } else if let Some(Ok(problem)) = topic
                    .strip_prefix("problem ")
                    .map(str::parse::<crate::domain::ProblemKey>)
                {
                    rows.push(DrillRow {
                        key: key(RecordKind::Problem, problem.0),
                        text: format!("{problem} · no published article"),
                    });
                }
            }
            rows
        }
        "Articles past review" => report
            .knowledge
            .iter()
            .flat_map(|k| &k.past_review)
            .filter_map(|(article, title)| {
                let key: RecordKey = article.parse().ok()?;
                Some(DrillRow {
                    key: Some(key),
                    text: format!("{article} · past its review date · {title}"),
                })
            })
            .collect(),
        "MTTR with a runbook" | "MTTR without a runbook" => {
            let all = incidents()?;
            let wanted = kpi == "MTTR with a runbook";
            let detected = in_period(&all, report.period);
            let keys: Vec<_> = detected.iter().map(|i| i.key).collect();
            let ran_a_runbook = store.incidents_with_runbook(&keys)?;
            let chosen: Vec<_> = detected
                .into_iter()
                .filter(|i| ran_a_runbook.contains(&i.key) == wanted)
                .collect();
            incident_rows(&chosen, restore_minutes, "restored after", None)
        }
        other => match RecordedKpi::ALL.iter().find(|k| k.label() == other) {
            Some(&kpi) => reading_rows(store, report, scope, kpi)?,
            None => return Ok(None),
        },
    };
    Ok(Some(rows))
}

/// The readings of a KPI measured elsewhere in the period, the newest first, narrowed
/// to the scope's services.
fn reading_rows(
    store: &Store,
    report: &Report,
    scope: &ResolvedScope,
    kpi: RecordedKpi,
) -> Result<Vec<DrillRow>, StoreError> {
    let unit = super::scorecard::recorded_unit(kpi);
    let mut readings = store.kpi_readings_between(report.period.from, report.period.to)?;
    readings.retain(|r| {
        r.kpi == kpi
            && scope
                .services
                .as_ref()
                .is_none_or(|wanted| r.service.as_ref().is_some_and(|s| wanted.contains(s)))
    });
    Ok(readings
        .iter()
        .rev()
        .take(DRILL_LIMIT)
        .map(|r| DrillRow {
            key: None,
            text: format!(
                "{} · {} · {} · from {}",
                r.at.format("%Y-%m-%d %H:%M UTC"),
                super::scorecard::format_value(Some(r.value), unit),
                r.service.as_deref().unwrap_or("the whole estate"),
                sanitize_line(&r.source)
            ),
        })
        .collect())
}
