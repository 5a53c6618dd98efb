//! The noise loop's read side: for each alert rule (alert name) that fired in a
//! period, the records it opened, the pages they sent (and how many after business
//! hours), and what people answered when they closed them — the rules to tune first
//! are those that page most, at night, for noise.

use super::oncall_hours::is_business_time;
use super::period::Period;
use crate::config::Config;
use crate::domain::alert_verdict::Actionable;
use crate::store::{Store, StoreError};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AlertRule {
    pub name: String,
    /// Alerts (fingerprints) of this rule that fired in the period.
    pub alerts: usize,
    /// Records they opened.
    pub records: usize,
    pub pages: usize,
    pub after_hours_pages: usize,
    /// Records answered "actionable" and "noise"; the rest were not answered.
    pub actionable: usize,
    pub noise: usize,
    /// Noise among the answered, 0 to 1; none when nothing was answered.
    pub noise_share: Option<f64>,
    /// The reasons given for noise, most frequent first.
    pub noise_reasons: Vec<String>,
}

/// Every rule that fired in the period, the most pages first (then the most after
/// hours, then the noisiest).
pub fn alert_rules(
    store: &Store,
    config: &Config,
    period: Period,
) -> Result<Vec<AlertRule>, StoreError> {
    let calendar = config.business_calendar();
    let mut rules: BTreeMap<String, (AlertRule, BTreeSet<String>)> = BTreeMap::new();
    for alert in store.alerts()? {
        if alert.last_seen_at < period.from || alert.first_seen_at >= period.to {
            continue;
        }
        let (rule, _) = rules.entry(alert.name.clone()).or_default();
        rule.name = alert.name.clone();
        rule.alerts += 1;
    }
    for (name, entity) in store.alert_openings(period.from, period.to)? {
        let (rule, records) = rules.entry(name.clone()).or_default();
        rule.name = name;
        records.insert(entity);
    }
    let mut pages: BTreeMap<String, Vec<crate::domain::Timestamp>> = BTreeMap::new();
    for (entity, at) in store.paged_records(period.from, period.to)? {
        pages.entry(entity).or_default().push(at);
    }
    let verdicts: BTreeMap<String, _> = store
        .alert_verdicts()?
        .into_iter()
        .map(|v| (v.entity.clone(), v))
        .collect();
    let mut out: Vec<AlertRule> = rules
        .into_values()
        .map(|(mut rule, records)| {
            let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
            rule.records = records.len();
            for record in &records {
                for at in pages.get(record).into_iter().flatten() {
                    rule.pages += 1;
                    if !is_business_time(&calendar, *at) {
                        rule.after_hours_pages += 1;
                    }
                }
                match verdicts.get(record) {
                    Some(v) if v.actionable == Actionable::Yes => rule.actionable += 1,
                    Some(v) => {
                        rule.noise += 1;
                        *reasons.entry(v.reason.clone()).or_default() += 1;
                    }
                    None => {}
                }
            }
            let answered = rule.actionable + rule.noise;
            rule.noise_share = (answered > 0).then(|| rule.noise as f64 / answered as f64);
            let mut reasons: Vec<(String, usize)> = reasons.into_iter().collect();
            reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            rule.noise_reasons = reasons.into_iter().map(|(r, _)| r).collect();
            rule
        })
        .collect();
    out.sort_by(|a, b| {
        b.pages
            .cmp(&a.pages)
            .then(b.after_hours_pages.cmp(&a.after_hours_pages))
            .then(
                b.noise_share
                    .unwrap_or(0.0)
                    .total_cmp(&a.noise_share.unwrap_or(0.0)),
            )
            .then(a.name.cmp(&b.name))
    });
    Ok(out)
}

/// The rules as a Markdown table, the ones to tune first on top.
pub fn markdown(rules: &[AlertRule], period: &str) -> String {
    let text = crate::domain::markdown_text;
    let mut out = format!("# Alert rules — {}\n\n", text(period));
    if rules.is_empty() {
        out.push_str("No alert fired in the period.\n");
        return out;
    }
    out.push_str(
        "| Rule | Alerts | Records | Pages | After hours | Actionable | Noise | Noise share | Noise reasons |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for r in rules {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            text(&r.name),
            r.alerts,
            r.records,
            r.pages,
            r.after_hours_pages,
            r.actionable,
            r.noise,
            share(r.noise_share),
            text(&r.noise_reasons.join("; "))
        ));
    }
    let unanswered: usize = rules
        .iter()
        .map(|r| r.records - r.actionable - r.noise)
        .sum();
    if unanswered > 0 {
        out.push_str(&format!(
            "\n{unanswered} records not answered yet: `watchfloor alert verdict KEY yes|noise --reason …`.\n"
        ));
    }
    out
}

/// The rules as CSV, every field whole.
pub fn csv(rules: &[AlertRule]) -> String {
    let cell = super::report::csv_field;
    let mut out = String::from(
        "rule,alerts,records,pages,after_hours_pages,actionable,noise,noise_share,noise_reasons\n",
    );
    for r in rules {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            cell(&r.name),
            r.alerts,
            r.records,
            r.pages,
            r.after_hours_pages,
            r.actionable,
            r.noise,
            r.noise_share.map(|s| format!("{s:.2}")).unwrap_or_default(),
            cell(&r.noise_reasons.join("; "))
        ));
    }
    out
}

fn share(s: Option<f64>) -> String {
    s.map_or_else(|| "-".into(), |s| format!("{:.0}%", s * 100.0))
}
