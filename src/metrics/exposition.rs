//! `/metrics` in Prometheus's text format: what the house holds now (open tickets by
//! priority and state, SLA breaches, active incidents by severity, pages and their
//! messages), and over the last 30 days the time to acknowledge and to restore as
//! histograms and the change failure rate. Names follow Grafana OnCall's
//! (`…_alert_groups_total`, `…_alert_groups_response_time_seconds_bucket`): an incident
//! is an alert group there, so its dashboards' queries carry over with the prefix
//! changed. Every label value comes from a fixed vocabulary (a priority, a state, a
//! severity, a contact kind): no service, team or person name reaches the output.

use super::period::Period;
use crate::domain::Timestamp;
use crate::store::{HouseCounts, KpiFilter, Store, StoreError};
use std::fmt::Write;

/// How far back the histograms and the change failure rate look.
pub const WINDOW_DAYS: i64 = 30;

/// The buckets of both histograms, in seconds: a minute to a day.
const BUCKETS: [f64; 10] = [
    60.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 14400.0, 43200.0, 86400.0,
];

/// What one scrape shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Gathered {
    pub house: HouseCounts,
    /// Seconds from detection to acknowledgement, of the incidents detected in the window.
    pub response_seconds: Vec<f64>,
    /// Seconds from detection to restoration (mitigated, else resolved).
    pub restore_seconds: Vec<f64>,
    /// Changes ended in the window, and of those failed, rolled back or the cause of
    /// an incident.
    pub changes: (i64, i64),
}

pub fn gather(store: &Store, now: Timestamp) -> Result<Gathered, StoreError> {
    let window = Period {
        from: now - chrono::Duration::days(WINDOW_DAYS),
        to: now,
    };
    let incidents = store.incidents_overlapping(window.from, window.to)?;
    let detected = super::incidents::in_period(&incidents, window);
    let since = |at: Option<Timestamp>, from: Timestamp| {
        at.map(|at| (at - from).num_milliseconds().max(0) as f64 / 1000.0)
    };
    let response_seconds = detected
        .iter()
        .filter_map(|i| since(i.acknowledged_at, i.detected_at))
        .collect();
    let restore_seconds = detected
        .iter()
        .filter_map(|i| since(i.mitigated_at.or(i.resolved_at), i.detected_at))
        .collect();
    let changes = store.change_counts(window.from, window.to, &KpiFilter::default())?;
    Ok(Gathered {
        house: store.house_counts(now)?,
        response_seconds,
        restore_seconds,
        changes: (changes.ended, changes.failed),
    })
}

/// The text exposition (format 0.0.4).
pub fn render(g: &Gathered) -> String {
    let mut out = String::new();
    let h = &g.house;
    family(
        &mut out,
        "watchfloor_tickets_open",
        "gauge",
        "Open tickets by priority and state.",
    );
    for (priority, state, n) in &h.open_tickets {
        sample(
            &mut out,
            "watchfloor_tickets_open",
            &[("priority", &format!("P{priority}")), ("state", state)],
            *n as f64,
        );
    }
    family(
        &mut out,
        "watchfloor_tickets_open_breached",
        "gauge",
        "Open tickets past their SLA target, by clock.",
    );
    for (clock, n) in [
        ("response", h.open_breached.0),
        ("resolution", h.open_breached.1),
    ] {
        sample(
            &mut out,
            "watchfloor_tickets_open_breached",
            &[("clock", clock)],
            n as f64,
        );
    }
    family(
        &mut out,
        "watchfloor_sla_breaches_total",
        "counter",
        "Tickets that breached an SLA target, by clock.",
    );
    for (clock, n) in [("response", h.breaches.0), ("resolution", h.breaches.1)] {
        sample(
            &mut out,
            "watchfloor_sla_breaches_total",
            &[("clock", clock)],
            n as f64,
        );
    }
    family(
        &mut out,
        "watchfloor_alert_groups_total",
        "counter",
        "Incidents declared, by severity.",
    );
    for (severity, n) in &h.incidents {
        sample(
            &mut out,
            "watchfloor_alert_groups_total",
            &[("severity", severity)],
            *n as f64,
        );
    }
    family(
        &mut out,
        "watchfloor_alert_groups_active",
        "gauge",
        "Incidents not yet resolved, by severity and state.",
    );
    for (severity, state, n) in &h.active_incidents {
        sample(
            &mut out,
            "watchfloor_alert_groups_active",
            &[("severity", severity), ("state", state)],
            *n as f64,
        );
    }
    histogram(
        &mut out,
        "watchfloor_alert_groups_response_time_seconds",
        "Time from detection to acknowledgement of the incidents of the last 30 days.",
        &g.response_seconds,
    );
    histogram(
        &mut out,
        "watchfloor_alert_groups_resolution_time_seconds",
        "Time from detection to restoration of the incidents of the last 30 days.",
        &g.restore_seconds,
    );
    family(
        &mut out,
        "watchfloor_pages_total",
        "counter",
        "Pages started (one escalation policy run each).",
    );
    sample(&mut out, "watchfloor_pages_total", &[], h.pages as f64);
    family(
        &mut out,
        "watchfloor_page_deliveries",
        "gauge",
        "Messages of the delivery outbox, by contact kind and state (delivered, failed, pending, ...).",
    );
    for (kind, state, n) in &h.deliveries {
        sample(
            &mut out,
            "watchfloor_page_deliveries",
            &[("kind", kind), ("state", state)],
            *n as f64,
        );
    }
    let (ended, failed) = g.changes;
    family(
        &mut out,
        "watchfloor_changes_ended",
        "gauge",
        "Changes ended in the last 30 days, and of those failed (failed, rolled back, or caused an incident).",
    );
    sample(
        &mut out,
        "watchfloor_changes_ended",
        &[("outcome", "all")],
        ended as f64,
    );
    sample(
        &mut out,
        "watchfloor_changes_ended",
        &[("outcome", "failed")],
        failed as f64,
    );
    if ended > 0 {
        family(
            &mut out,
            "watchfloor_change_failure_rate",
            "gauge",
            "Share of the changes ended in the last 30 days that failed.",
        );
        sample(
            &mut out,
            "watchfloor_change_failure_rate",
            &[],
            failed as f64 / ended as f64,
        );
    }
    out
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {}", escape_help(help));
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

fn sample(out: &mut String, name: &str, labels: &[(&str, &str)], value: f64) {
    out.push_str(name);
    if !labels.is_empty() {
        let shown: Vec<String> = labels
            .iter()
            .map(|(k, v)| format!("{k}=\"{}\"", escape_label(v)))
            .collect();
        let _ = write!(out, "{{{}}}", shown.join(","));
    }
    let _ = writeln!(out, " {}", number(value));
}

fn histogram(out: &mut String, name: &str, help: &str, values: &[f64]) {
    family(out, name, "histogram", help);
    for le in BUCKETS {
        let n = values.iter().filter(|v| **v <= le).count();
        sample(
            out,
            &format!("{name}_bucket"),
            &[("le", &number(le))],
            n as f64,
        );
    }
    let bucket = format!("{name}_bucket");
    sample(out, &bucket, &[("le", "+Inf")], values.len() as f64);
    sample(out, &format!("{name}_sum"), &[], values.iter().sum());
    sample(out, &format!("{name}_count"), &[], values.len() as f64);
}

/// A value as Prometheus reads it: integers without a fraction.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A label value: backslash, double quote and line feed escaped, as the format asks.
fn escape_label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn escape_help(v: &str) -> String {
    v.replace('\\', "\\\\").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gathered() -> Gathered {
        Gathered {
            house: HouseCounts {
                open_tickets: vec![(1, "new".into(), 2), (3, "pending".into(), 5)],
                open_breached: (1, 0),
                breaches: (4, 2),
                incidents: vec![("SEV1".into(), 3)],
                active_incidents: vec![("SEV1".into(), "investigating".into(), 1)],
                pages: 7,
                deliveries: vec![("email".into(), "failed".into(), 1)],
            },
            response_seconds: vec![30.0, 240.0, 5000.0],
            restore_seconds: vec![],
            changes: (4, 1),
        }
    }

    #[test]
    fn histograms_are_cumulative_and_end_at_inf_with_sum_and_count() {
        let text = render(&gathered());
        let name = "watchfloor_alert_groups_response_time_seconds";
        assert!(
            text.contains(&format!("{name}_bucket{{le=\"60\"}} 1\n")),
            "{text}"
        );
        assert!(text.contains(&format!("{name}_bucket{{le=\"300\"}} 2\n")));
        assert!(text.contains(&format!("{name}_bucket{{le=\"3600\"}} 2\n")));
        assert!(text.contains(&format!("{name}_bucket{{le=\"7200\"}} 3\n")));
        assert!(text.contains(&format!("{name}_bucket{{le=\"+Inf\"}} 3\n")));
        assert!(text.contains(&format!("{name}_sum 5270\n")));
        assert!(text.contains(&format!("{name}_count 3\n")));
        let empty = "watchfloor_alert_groups_resolution_time_seconds";
        assert!(text.contains(&format!("{empty}_bucket{{le=\"+Inf\"}} 0\n")));
    }

    #[test]
    fn samples_carry_their_labels_and_the_rate_is_a_share() {
        let text = render(&gathered());
        assert!(text.contains("watchfloor_tickets_open{priority=\"P3\",state=\"pending\"} 5\n"));
        assert!(text.contains("watchfloor_sla_breaches_total{clock=\"resolution\"} 2\n"));
        assert!(text.contains("watchfloor_change_failure_rate 0.25\n"));
        assert!(text.contains("# TYPE watchfloor_alert_groups_total counter\n"));
        let mut none = gathered();
        none.changes = (0, 0);
        assert!(!render(&none).contains("watchfloor_change_failure_rate "));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
