//! The knowledge KPIs of a report: article coverage of the period's top ticket
//! categories and open problems, the articles past their review date, and MTTR with a
//! runbook step ticked against without — computed for the report's period and scope,
//! and written into its Markdown and CSV.

use super::period::Period;
use super::report::{Report, mins, pct};
use super::scope::ResolvedScope;
use super::stats::Summary;
use crate::config::Config;
use crate::domain::IncidentKey;
use crate::domain::incident::Incident;
use crate::store::{Store, StoreError};
use serde::Serialize;

/// The knowledge KPIs of the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KnowledgeThemes {
    pub coverage: crate::domain::knowledge_kpi::Coverage,
    /// Published articles past their review date: key and title.
    pub past_review: Vec<(String, String)>,
    /// Minutes to restore (mitigation, else resolution) of the incidents detected in
    /// the period, with a runbook step ticked and without.
    pub mttr_with_runbook: Option<Summary>,
    pub mttr_without_runbook: Option<Summary>,
    pub with_runbook: usize,
    pub without_runbook: usize,
}

/// Adds the knowledge KPIs to a computed report, for the same period and scope.
pub fn add_knowledge(
    report: &mut Report,
    store: &Store,
    config: &Config,
    scope: &ResolvedScope,
) -> Result<(), StoreError> {
    let period = report.period;
    let mut incidents = store.incidents_overlapping(period.from, period.to)?;
    incidents.retain(|i| scope.covers_incident(i));
    let detected = super::incidents::in_period(&incidents, period);
    report.knowledge = Some(knowledge_themes(store, &detected, period, scope, config)?);
    Ok(())
}

fn knowledge_themes(
    store: &Store,
    detected: &[&Incident],
    period: Period,
    scope: &ResolvedScope,
    config: &Config,
) -> Result<KnowledgeThemes, StoreError> {
    let top = store.ticket_categories(
        period.from,
        period.to,
        &scope.filter,
        config.kpi_targets.knowledge_top,
    )?;
    let categories: Vec<String> = top.into_iter().map(|(c, _)| c).collect();
    // The open problems: every one for the whole house, those behind the period's
    // incidents for a scope.
    let open: Vec<crate::domain::ProblemKey> = store
        .problems()?
        .into_iter()
        .filter(|p| p.state != crate::domain::review::ProblemState::Resolved)
        .filter(|p| {
            scope.services.is_none()
                || p.incidents
                    .iter()
                    .any(|k| detected.iter().any(|i| i.key == *k))
        })
        .map(|p| p.key)
        .collect();
    let articles = store.articles(&crate::store::ArticleFilter {
        state: Some(crate::domain::article::ArticleState::Published),
        limit: i64::MAX,
        ..Default::default()
    })?;
    let today = period.to.date_naive();
    let past_review = articles
        .iter()
        .filter(|a| a.review_overdue(today))
        .map(|a| {
            (
                a.key.to_string(),
                crate::domain::sanitize_line(&a.draft.title),
            )
        })
        .collect();
    let keys: Vec<IncidentKey> = detected.iter().map(|i| i.key).collect();
    let ran_a_runbook = store.incidents_with_runbook(&keys)?;
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for i in detected {
        let Some(restored) = i.mitigated_at.or(i.resolved_at) else {
            continue;
        };
        let minutes = (restored - i.detected_at).num_seconds() as f64 / 60.0;
        if ran_a_runbook.contains(&i.key) {
            with.push(minutes);
        } else {
            without.push(minutes);
        }
    }
    Ok(KnowledgeThemes {
        coverage: crate::domain::knowledge_kpi::coverage(&categories, &open, &articles),
        past_review,
        with_runbook: with.len(),
        without_runbook: without.len(),
        mttr_with_runbook: super::stats::summarise(&with),
        mttr_without_runbook: super::stats::summarise(&without),
    })
}

/// The knowledge section of the written report.
pub(super) fn markdown(k: &KnowledgeThemes, targets: &crate::config::KpiTargets) -> String {
    let md = crate::domain::markdown_text;
    let mut out = String::from("\n## Knowledge\n\n| KPI | value | target |\n|---|---|---|\n");
    out.push_str(&format!(
        "| Knowledge article coverage (top {} categories and open problems: {} of {}) | {} | {:.0}% |\n",
        targets.knowledge_top,
        k.coverage.covered,
        k.coverage.topics.len(),
        pct(k.coverage.share),
        targets.knowledge_coverage * 100.0
    ));
    out.push_str(&format!(
        "| Articles past their review date | {} | 0 |\n",
        k.past_review.len()
    ));
    out.push_str(&format!(
        "| MTTR with a runbook step ticked ({} incidents) | {} | |\n",
        k.with_runbook,
        mins(&k.mttr_with_runbook)
    ));
    out.push_str(&format!(
        "| MTTR without ({} incidents) | {} | |\n",
        k.without_runbook,
        mins(&k.mttr_without_runbook)
    ));
    let uncovered = k.coverage.uncovered();
    if !uncovered.is_empty() {
        out.push_str(&format!(
            "\nNo published article yet: {}.\n",
            md(&uncovered.join(", "))
        ));
    }
    if !k.past_review.is_empty() {
        let listed: Vec<String> = k
            .past_review
            .iter()
            .map(|(key, title)| format!("{key} {}", md(title)))
            .collect();
        out.push_str(&format!(
            "\nPast their review date: {}.\n",
            listed.join("; ")
        ));
    }
    out
}

/// `kpi,scope,value` rows of the knowledge KPIs.
pub(super) fn csv_rows(k: &KnowledgeThemes, rows: &mut Vec<String>) {
    let num = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
    let mean = |s: &Option<Summary>| num(s.map(|s| s.mean));
    rows.push(format!("knowledge_coverage,all,{}", num(k.coverage.share)));
    rows.push(format!("articles_past_review,all,{}", k.past_review.len()));
    rows.push(format!(
        "mttr_with_runbook,all,{}",
        mean(&k.mttr_with_runbook)
    ));
    rows.push(format!(
        "mttr_without_runbook,all,{}",
        mean(&k.mttr_without_runbook)
    ));
}
