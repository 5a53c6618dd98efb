//! Every KPI of a period in one value: what `watchfloor report` prints (and, once the
//! metrics pane lands, what it shows). JSON keys are the snake_case KPI names.

use super::incidents::{ResponseTimes, mtta, mttd, mttr, weekly_mttr, weekly_volume};
use super::period::Period;
use super::scope::{ResolvedScope, Scope};
use super::stats::{Summary, ratio, summarise};
use crate::config::Config;
use crate::domain::Timestamp;
use crate::domain::change::ChangeKind;
use crate::domain::incident::{Incident, Severity};
use crate::store::{SlaCounts, Store, StoreError};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacklogAging {
    pub open: i64,
    /// Open tickets by age: under a day, 1–7, 7–14, 14–30 and over 30 days.
    pub histogram: Vec<AgeBucket>,
    pub older_than_7d: Option<f64>,
    pub older_than_14d: Option<f64>,
    pub older_than_30d: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgeBucket {
    pub age: &'static str,
    pub tickets: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlaAttainment {
    pub response: Option<f64>,
    pub resolution: Option<f64>,
    /// The same shares per priority ("P1" …), for the priorities with closed tickets.
    pub by_priority: BTreeMap<String, SlaShares>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlaShares {
    pub closed: i64,
    pub response: Option<f64>,
    pub resolution: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceAvailability {
    pub service: String,
    pub availability: f64,
    pub target: f64,
    pub met: bool,
}

/// What keeps coming back: the services with the most incidents, the most common ticket
/// categories, and the problems behind repeats.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Themes {
    /// Incidents detected in the period per service, most first.
    pub incidents_by_service: Vec<(String, usize)>,
    /// Tickets opened in the period per category, the most common first.
    pub ticket_categories: Vec<(String, i64)>,
    /// Problems still open (or with an incident in the period), most repeated first.
    pub problems: Vec<ProblemTheme>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProblemTheme {
    pub key: String,
    pub title: String,
    pub state: String,
    pub incidents: usize,
    pub incidents_in_period: usize,
}

/// How many ticket categories the themes list.
const TOP_CATEGORIES: usize = 5;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub period: Period,
    pub scope: Scope,
    pub mtta: ResponseTimes,
    pub mttr: ResponseTimes,
    pub mttd: ResponseTimes,
    /// MTTR per week of the period, in minutes (`null` for a week with nothing restored).
    pub mttr_weekly: Vec<Option<f64>>,
    pub incident_volume: Vec<BTreeMap<Severity, usize>>,
    pub change_failure_rate: Option<f64>,
    /// Hours from request to end, by kind.
    pub change_lead_time: BTreeMap<ChangeKind, Option<Summary>>,
    pub backlog_aging: BacklogAging,
    pub first_contact_resolution: Option<f64>,
    pub sla_attainment: SlaAttainment,
    pub reopen_rate: Option<f64>,
    pub pir_action_closure: Option<f64>,
    pub availability: Vec<ServiceAvailability>,
    /// Pages per person per week.
    pub oncall_load: BTreeMap<String, f64>,
    /// Filled by `add_themes` for the written report; the pane and the stand-up skip
    /// it (counting a quarter's tickets by category is the slowest query).
    pub themes: Option<Themes>,
    /// Filled by `add_knowledge` (the report, the metrics pane, the stand-up's scorecard).
    pub knowledge: Option<super::knowledge::KnowledgeThemes>,
    /// Satisfaction with the tickets resolved in the period: overall, by resolver group
    /// and by service (those with a rating).
    pub csat: super::csat::CsatReport,
    /// The trends that warn, as of the period's end.
    pub trend_flags: Vec<crate::domain::trend_flag::TrendFlag>,
    /// The KPIs other systems measure, from the readings recorded in the period.
    pub recorded: Vec<crate::domain::kpi_reading::RecordedFigure>,
    /// The operational controls: done and waived in the period, overdue now.
    pub controls: super::controls::ControlsReport,
    /// Each vendor's cases of the period against their contract.
    pub vendors: Vec<super::vendors::VendorScore>,
}

fn share(part: i64, whole: i64) -> Option<f64> {
    ratio(part.max(0) as usize, whole.max(0) as usize)
}

/// Impact minutes of SEV1 and SEV2 incidents on a service within the period, with
/// overlapping incidents counted once.
pub fn impact_minutes(
    incidents: &[Incident],
    service: &str,
    period: Period,
    now: Timestamp,
) -> f64 {
    let mut spans: Vec<(Timestamp, Timestamp)> = incidents
        .iter()
        .filter(|i| {
            matches!(i.severity, Severity::Sev1 | Severity::Sev2)
                && i.services.iter().any(|s| s == service)
        })
        .map(|i| {
            let start = i.impact_start_at.unwrap_or(i.detected_at).max(period.from);
            let end = i
                .mitigated_at
                .or(i.resolved_at)
                .unwrap_or(now)
                .min(period.to);
            (start, end)
        })
        .filter(|(s, e)| s < e)
        .collect();
    spans.sort();
    let mut total = 0.0;
    let mut current: Option<(Timestamp, Timestamp)> = None;
    for (s, e) in spans {
        match current {
            Some((cs, ce)) if s <= ce => current = Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                total += (ce - cs).num_seconds() as f64 / 60.0;
                current = Some((s, e));
            }
            None => current = Some((s, e)),
        }
    }
    if let Some((cs, ce)) = current {
        total += (ce - cs).num_seconds() as f64 / 60.0;
    }
    total
}

/// The incidents as availability counts them: on their own services, and — when
/// `[kpi_targets] availability_counts_dependents` says so — on every service that
/// depends on those, transitively, too.
fn counted_for_availability(
    store: &Store,
    config: &Config,
    incidents: &[Incident],
) -> Result<Vec<Incident>, StoreError> {
    if !config.kpi_targets.availability_counts_dependents {
        return Ok(incidents.to_vec());
    }
    let directory = store.directory()?;
    Ok(incidents
        .iter()
        .map(|i| {
            let mut counted = i.clone();
            counted.services.extend(
                directory
                    .impacted(&i.services)
                    .into_iter()
                    .map(|m| m.service),
            );
            counted
        })
        .collect())
}

/// Every KPI of the period within the scope (`ResolvedScope::everything()` for all).
pub fn compute(
    store: &Store,
    config: &Config,
    period: Period,
    now: Timestamp,
    scope: &ResolvedScope,
) -> Result<Report, StoreError> {
    let filter = &scope.filter;
    let mut incidents = store.incidents_overlapping(period.from, period.to)?;
    incidents.retain(|i| scope.covers_incident(i));
    let tickets = store.ticket_counts(period.from, period.to, now, filter)?;
    let sla_by_priority = store.sla_counts_by_priority(period.from, period.to, filter)?;
    let sla_total = sla_by_priority
        .iter()
        .fold(SlaCounts::default(), |total, c| SlaCounts {
            priority: 0,
            closed: total.closed + c.closed,
            response_met: total.response_met + c.response_met,
            resolution_met: total.resolution_met + c.resolution_met,
        });
    let changes = store.change_counts(period.from, period.to, filter)?;
    let lead = store.change_lead_times(period.from, period.to, filter)?;
    let (due, closed_on_time) = store.action_closure_counts(period.from, period.to, filter)?;
    let period_minutes = (period.to - period.from).num_seconds() as f64 / 60.0;
    let counted = counted_for_availability(store, config, &incidents)?;
    let availability = store
        .services()?
        .into_iter()
        .filter(|s| scope.covers_service(&s.name))
        .map(|s| {
            let availability =
                1.0 - impact_minutes(&counted, &s.name, period, now) / period_minutes.max(1.0);
            ServiceAvailability {
                met: availability >= s.availability_target,
                service: s.name,
                availability,
                target: s.availability_target,
            }
        })
        .collect();
    let weeks = (period_minutes / (7.0 * 24.0 * 60.0)).max(1.0 / 7.0);
    let oncall_load = store
        .pages_per_person(period.from, period.to, filter)?
        .into_iter()
        .map(|(person, pages)| (person, pages as f64 / weeks))
        .collect();
    Ok(Report {
        period,
        scope: scope.scope.clone(),
        mtta: mtta(&incidents, period),
        mttr: mttr(&incidents, period),
        mttd: mttd(&incidents, period),
        incident_volume: weekly_volume(&incidents, period),
        mttr_weekly: weekly_mttr(&incidents, period),
        change_failure_rate: share(changes.failed, changes.ended),
        change_lead_time: ChangeKind::ALL
            .iter()
            .map(|k| {
                (
                    *k,
                    summarise(
                        &lead
                            .iter()
                            .filter(|(kind, _)| kind == k)
                            .map(|(_, h)| *h)
                            .collect::<Vec<_>>(),
                    ),
                )
            })
            .collect(),
        backlog_aging: BacklogAging {
            open: tickets.open,
            // Each bucket: the open tickets older than its lower edge less those older
            // than its upper one.
            histogram: ["<1d", "1-7d", "7-14d", "14-30d", ">30d"]
                .into_iter()
                .zip(
                    [
                        tickets.open,
                        tickets.open_older_than_1d,
                        tickets.open_older_than_7d,
                        tickets.open_older_than_14d,
                        tickets.open_older_than_30d,
                        0,
                    ]
                    .windows(2),
                )
                .map(|(age, edges)| AgeBucket {
                    age,
                    tickets: edges[0] - edges[1],
                })
                .collect(),
            older_than_7d: share(tickets.open_older_than_7d, tickets.open),
            older_than_14d: share(tickets.open_older_than_14d, tickets.open),
            older_than_30d: share(tickets.open_older_than_30d, tickets.open),
        },
        first_contact_resolution: share(tickets.resolved_at_first_contact, tickets.resolved),
        sla_attainment: SlaAttainment {
            response: share(sla_total.response_met, sla_total.closed),
            resolution: share(sla_total.resolution_met, sla_total.closed),
            by_priority: sla_by_priority
                .iter()
                .map(|c| {
                    (
                        format!("P{}", c.priority),
                        SlaShares {
                            closed: c.closed,
                            response: share(c.response_met, c.closed),
                            resolution: share(c.resolution_met, c.closed),
                        },
                    )
                })
                .collect(),
        },
        reopen_rate: share(tickets.reopened, tickets.resolved),
        pir_action_closure: share(closed_on_time, due),
        availability,
        oncall_load,
        themes: None,
        knowledge: None,
        csat: super::csat::csat_report(store, period, filter)?,
        trend_flags: super::trend_flags::trend_flags(store, config, period.to, scope)?,
        recorded: crate::domain::kpi_reading::figures(
            &store.kpi_readings_between(period.from, period.to)?,
            scope.services.as_deref(),
        ),
        vendors: super::vendors::vendor_scores(store, config, period, now, filter)?,
        controls: super::controls::controls_report(
            store,
            period,
            now,
            config.business_hours.time_zone.0,
            scope.services.as_deref(),
        )?,
    })
}

/// Adds the problems and themes to a computed report, for the same period and scope.
pub fn add_themes(
    report: &mut Report,
    store: &Store,
    scope: &ResolvedScope,
) -> Result<(), StoreError> {
    let period = report.period;
    let mut incidents = store.incidents_overlapping(period.from, period.to)?;
    incidents.retain(|i| scope.covers_incident(i));
    report.themes = Some(themes(store, &incidents, period, scope)?);
    Ok(())
}

fn themes(
    store: &Store,
    incidents: &[Incident],
    period: Period,
    scope: &ResolvedScope,
) -> Result<Themes, StoreError> {
    let detected = super::incidents::in_period(incidents, period);
    let mut by_service: BTreeMap<String, usize> = BTreeMap::new();
    for i in &detected {
        for s in i.services.iter().filter(|s| scope.covers_service(s)) {
            *by_service.entry(s.clone()).or_default() += 1;
        }
    }
    let mut incidents_by_service: Vec<(String, usize)> = by_service.into_iter().collect();
    incidents_by_service.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut problems: Vec<ProblemTheme> = store
        .problems()?
        .into_iter()
        .filter_map(|p| {
            let in_period = p
                .incidents
                .iter()
                .filter(|k| detected.iter().any(|i| i.key == **k))
                .count();
            let open = p.resolved_at.is_none();
            let listed = in_period > 0 || (open && scope.services.is_none());
            listed.then(|| ProblemTheme {
                key: p.key.to_string(),
                title: crate::domain::sanitize_line(&p.title),
                state: p.state.to_string(),
                incidents: p.incidents.len(),
                incidents_in_period: in_period,
            })
        })
        .collect();
    problems.sort_by(|a, b| {
        (b.incidents_in_period, b.incidents).cmp(&(a.incidents_in_period, a.incidents))
    });
    Ok(Themes {
        incidents_by_service,
        ticket_categories: store.ticket_categories(
            period.from,
            period.to,
            &scope.filter,
            TOP_CATEGORIES,
        )?,
        problems,
    })
}

pub(super) fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{:.1}%", v * 100.0))
        .unwrap_or_else(|| "no data".into())
}

pub(super) fn mins(s: &Option<Summary>) -> String {
    s.map(|s| {
        format!(
            "{:.0} min (median {:.0}, p90 {:.0}, n={})",
            s.mean, s.median, s.p90, s.count
        )
    })
    .unwrap_or_else(|| "no data".into())
}

/// The monthly operations report, in Markdown.
pub fn markdown(r: &Report, config: &Config) -> String {
    let t = &config.kpi_targets;
    let mut out = format!(
        "# Operations report\n\n{} to {}{}\n\n## Incidents\n\n| KPI | value | target |\n|---|---|---|\n",
        r.period.from.format("%Y-%m-%d"),
        r.period.to.format("%Y-%m-%d"),
        if r.scope.is_everything() {
            String::new()
        } else {
            format!(", {}", r.scope.describe())
        }
    );
    out.push_str(&format!(
        "| MTTA | {} | {} min |\n",
        mins(&r.mtta.overall),
        t.mtta_minutes
    ));
    out.push_str(&format!(
        "| MTTR | {} | {} min |\n",
        mins(&r.mttr.overall),
        t.mttr_minutes
    ));
    out.push_str(&format!("| MTTD | {} | |\n", mins(&r.mttd.overall)));
    let total: usize = r.incident_volume.iter().flat_map(|w| w.values()).sum();
    out.push_str(&format!("| Incidents | {total} | |\n\n## Service health\n\n| service | availability | target |\n|---|---|---|\n"));
    for a in &r.availability {
        out.push_str(&format!(
            "| {} | {:.3}% | {:.2}%{} |\n",
            md(&a.service).replace('|', "/"),
            a.availability * 100.0,
            a.target * 100.0,
            if a.met { "" } else { " (missed)" }
        ));
    }
    out.push_str("\n## Service desk\n\n| KPI | value | target |\n|---|---|---|\n");
    out.push_str(&format!(
        "| SLA attainment (response) | {} | {:.0}% |\n",
        pct(r.sla_attainment.response),
        t.sla_attainment * 100.0
    ));
    out.push_str(&format!(
        "| SLA attainment (resolution) | {} | {:.0}% |\n",
        pct(r.sla_attainment.resolution),
        t.sla_attainment * 100.0
    ));
    for (priority, shares) in &r.sla_attainment.by_priority {
        out.push_str(&format!(
            "| SLA attainment {priority} (response / resolution, {} closed) | {} / {} | {:.0}% |\n",
            shares.closed,
            pct(shares.response),
            pct(shares.resolution),
            t.sla_attainment * 100.0
        ));
    }
    out.push_str(&format!(
        "| First-contact resolution | {} | {:.0}% |\n",
        pct(r.first_contact_resolution),
        t.first_contact_resolution * 100.0
    ));
    out.push_str(&format!(
        "| Reopen rate | {} | {:.0}% |\n",
        pct(r.reopen_rate),
        t.reopen_rate * 100.0
    ));
    out.push_str(&format!(
        "| Backlog older than 7 / 14 / 30 days | {} / {} / {} of {} | |\n",
        pct(r.backlog_aging.older_than_7d),
        pct(r.backlog_aging.older_than_14d),
        pct(r.backlog_aging.older_than_30d),
        r.backlog_aging.open
    ));
    if let Some(themes) = &r.themes {
        out.push_str(&themes_markdown(themes));
    }
    if let Some(knowledge) = &r.knowledge {
        out.push_str(&super::knowledge::markdown(knowledge, &config.kpi_targets));
    }
    out.push_str("\n## Changes\n\n| KPI | value | target |\n|---|---|---|\n");
    out.push_str(&format!(
        "| Change failure rate | {} | {:.0}% |\n",
        pct(r.change_failure_rate),
        t.change_failure_rate * 100.0
    ));
    for (kind, s) in &r.change_lead_time {
        out.push_str(&format!(
            "| Lead time ({kind}) | {} | |\n",
            s.map(|s| format!("median {:.1} h", s.median))
                .unwrap_or_else(|| "no data".into())
        ));
    }
    out.push_str("\n## Post-incident actions\n\n");
    out.push_str(&format!(
        "PIR action closure: {} (target {:.0}%)\n",
        pct(r.pir_action_closure),
        t.pir_action_closure * 100.0
    ));
    out.push_str(&super::csat::markdown(&r.csat, t));
    out.push_str(&super::controls::markdown(&r.controls));
    out.push_str(&super::vendors::markdown(
        &r.vendors,
        t.vendor_sla_compliance,
    ));
    out.push_str(&format!(
        "\n## Trends that warn\n\nEach KPI's latest full week against the {} weeks before it, flagged when worse by more than {:.0}%.\n\n",
        t.trend_weeks,
        t.trend_threshold * 100.0
    ));
    if r.trend_flags.is_empty() {
        out.push_str("None.\n");
    }
    for f in &r.trend_flags {
        out.push_str(&format!(
            "- {}\n",
            super::trend_flags::describe(f, r.period.to)
        ));
    }
    out.push_str(
        "\n## Measured elsewhere\n\nRecorded with `watchfloor kpi record` or `kpi import`.\n\n\
         | KPI | value | target |\n|---|---|---|\n",
    );
    for f in &r.recorded {
        let unit = super::scorecard::recorded_unit(f.kpi);
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            f.kpi.label(),
            super::scorecard::format_value(f.value, unit),
            t.recorded(f.kpi)
                .map(|v| super::scorecard::format_value(Some(v), unit))
                .unwrap_or_default()
        ));
    }
    out
}

/// A name or title from the store, as Markdown text.
pub(super) fn md(text: &str) -> String {
    crate::domain::markdown_text(&crate::domain::sanitize_line(text))
}

fn themes_markdown(t: &Themes) -> String {
    let mut out = String::from("\n## Problems and themes\n\n");
    let listed = |pairs: Vec<String>| {
        if pairs.is_empty() {
            "none".to_string()
        } else {
            pairs.join(", ")
        }
    };
    out.push_str(&format!(
        "Incidents by service: {}\n\n",
        listed({
            let mut top: Vec<String> = t
                .incidents_by_service
                .iter()
                .take(10)
                .map(|(s, n)| format!("{} ({n})", md(s)))
                .collect();
            if t.incidents_by_service.len() > 10 {
                top.push(format!("and {} more", t.incidents_by_service.len() - 10));
            }
            top
        })
    ));
    out.push_str(&format!(
        "Most common ticket categories: {}\n\n",
        listed(
            t.ticket_categories
                .iter()
                .map(|(c, n)| format!("{} ({n})", md(c)))
                .collect()
        )
    ));
    if t.problems.is_empty() {
        out.push_str("No open problem and none recurring in the period.\n");
    } else {
        out.push_str("| problem | state | incidents (in the period) |\n|---|---|---|\n");
        for p in &t.problems {
            out.push_str(&format!(
                "| {} {} | {} | {} ({}) |\n",
                p.key,
                md(&p.title).replace('|', "/"),
                p.state,
                p.incidents,
                p.incidents_in_period
            ));
        }
    }
    out
}

/// A CSV field, quoted when it holds a comma, a quote or a line break, and kept as
/// text when it starts like a spreadsheet formula.
pub(super) fn csv_field(text: &str) -> String {
    let text = crate::domain::spreadsheet_cell(text);
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// `kpi,scope,value` rows.
pub fn csv(r: &Report) -> String {
    let mut rows = vec!["kpi,scope,value".to_string()];
    let num = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
    let summary = |s: &Option<Summary>| num(s.map(|s| s.mean));
    rows.push(format!("mtta,all,{}", summary(&r.mtta.overall)));
    rows.push(format!("mttr,all,{}", summary(&r.mttr.overall)));
    rows.push(format!("mttd,all,{}", summary(&r.mttd.overall)));
    for (sev, s) in &r.mttr.by_severity {
        rows.push(format!("mttr,{sev},{}", summary(s)));
    }
    rows.push(format!(
        "change_failure_rate,all,{}",
        num(r.change_failure_rate)
    ));
    rows.push(format!(
        "first_contact_resolution,all,{}",
        num(r.first_contact_resolution)
    ));
    rows.push(format!(
        "sla_attainment,response,{}",
        num(r.sla_attainment.response)
    ));
    rows.push(format!(
        "sla_attainment,resolution,{}",
        num(r.sla_attainment.resolution)
    ));
    for (priority, shares) in &r.sla_attainment.by_priority {
        rows.push(format!(
            "sla_attainment,{priority} response,{}",
            num(shares.response)
        ));
        rows.push(format!(
            "sla_attainment,{priority} resolution,{}",
            num(shares.resolution)
        ));
    }
    rows.push(format!("reopen_rate,all,{}", num(r.reopen_rate)));
    rows.push(format!(
        "pir_action_closure,all,{}",
        num(r.pir_action_closure)
    ));
    rows.push(format!(
        "backlog_aging,7d,{}",
        num(r.backlog_aging.older_than_7d)
    ));
    rows.push(format!(
        "backlog_aging,14d,{}",
        num(r.backlog_aging.older_than_14d)
    ));
    rows.push(format!(
        "backlog_aging,30d,{}",
        num(r.backlog_aging.older_than_30d)
    ));
    for a in &r.availability {
        rows.push(format!(
            "availability,{},{:.6}",
            csv_field(&a.service),
            a.availability
        ));
    }
    for (person, load) in &r.oncall_load {
        rows.push(format!("oncall_load,{},{load:.2}", csv_field(person)));
    }
    rows.push(format!("csat_mean,all,{}", num(r.csat.mean)));
    rows.push(format!("csat_positive,all,{}", num(r.csat.positive)));
    rows.push(format!(
        "csat_response_rate,all,{}",
        num(r.csat.response_rate)
    ));
    for v in &r.vendors {
        let name = csv_field(&v.vendor);
        rows.push(format!("vendor_cases,{name},{}", v.cases));
        rows.push(format!(
            "vendor_response_met,{name},{}",
            num(v.response_share())
        ));
        rows.push(format!(
            "vendor_resolution_met,{name},{}",
            num(v.resolution_share())
        ));
        rows.push(format!(
            "vendor_hours_with_vendor,{name},{}",
            num(v.mean_hours_with_vendor)
        ));
        rows.push(format!(
            "vendor_incidents_caused,{name},{}",
            v.incidents_caused
        ));
        rows.push(format!(
            "vendor_incidents_prolonged,{name},{}",
            v.incidents_prolonged
        ));
    }
    rows.push(format!("controls_done,all,{}", r.controls.done));
    rows.push(format!("controls_waived,all,{}", r.controls.waived));
    rows.push(format!("controls_overdue,all,{}", r.controls.overdue.len()));
    rows.push(format!(
        "control_findings_open,all,{}",
        r.controls.findings_open
    ));
    rows.push(format!("csat_surveys_sent,all,{}", r.csat.surveys_sent));
    rows.push(format!(
        "csat_surveys_answered,all,{}",
        r.csat.surveys_answered
    ));
    for (name, counts) in &r.csat.by_group {
        rows.push(format!(
            "csat_mean,{},{}",
            csv_field(name),
            num(counts.mean())
        ));
    }
    for f in &r.recorded {
        rows.push(format!("{},all,{}", f.kpi, num(f.value)));
    }
    for (week, minutes) in r.mttr_weekly.iter().enumerate() {
        rows.push(format!("mttr_weekly,week {},{}", week + 1, num(*minutes)));
    }
    for bucket in &r.backlog_aging.histogram {
        rows.push(format!(
            "backlog_histogram,{},{}",
            bucket.age, bucket.tickets
        ));
    }
    for (service, n) in r.themes.iter().flat_map(|t| &t.incidents_by_service) {
        rows.push(format!("incidents_by_service,{},{n}", csv_field(service)));
    }
    if let Some(k) = &r.knowledge {
        super::knowledge::csv_rows(k, &mut rows);
    }
    rows.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::IncidentKey;
    use crate::domain::calendar::fixtures::utc;
    use crate::domain::incident::IncidentState;
    use chrono::Duration;

    fn outage(n: i64, severity: Severity, start: &str, minutes: i64) -> Incident {
        let s = utc(start);
        Incident {
            key: IncidentKey(n),
            title: "x".into(),
            severity,
            state: IncidentState::Resolved,
            summary: String::new(),
            commander: None,
            communications: None,
            scribe: None,
            responders: Vec::new(),
            services: vec!["dns".into()],
            impact_start_at: Some(s),
            detected_at: s,
            acknowledged_at: None,
            mitigated_at: Some(s + Duration::minutes(minutes)),
            resolved_at: Some(s + Duration::minutes(minutes + 60)),
            next_update_due_at: None,
            caused_by_change: None,
            updated_at: s,
            version: 1,
        }
    }

    #[test]
    fn availability_counts_overlaps_once_and_only_major_incidents() {
        let period = Period {
            from: utc("2026-11-01 00:00"),
            to: utc("2026-11-02 00:00"),
        };
        let incidents = [
            outage(1, Severity::Sev1, "2026-11-01 10:00", 60),
            outage(2, Severity::Sev2, "2026-11-01 10:30", 60),
            outage(3, Severity::Sev3, "2026-11-01 15:00", 600),
            // Starts before the period: clipped to it.
            outage(4, Severity::Sev1, "2026-10-31 23:30", 60),
        ];
        assert_eq!(
            impact_minutes(&incidents, "dns", period, utc("2026-11-02 00:00")),
            90.0 + 30.0
        );
        assert_eq!(
            impact_minutes(&incidents, "vpn", period, utc("2026-11-02 00:00")),
            0.0
        );
    }
}
