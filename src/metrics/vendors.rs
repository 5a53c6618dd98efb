//! Vendors measured like any other contributor: per vendor, the cases opened in the
//! period, how many met the contract's response and resolution targets (in the
//! vendor's support hours), the mean time a ticket spent with them, the incidents they
//! caused or prolonged, and their renewal — with the cases behind a miss.

use super::period::Period;
use crate::domain::Timestamp;
use crate::domain::vendor::{VendorCase, VendorRole};
use crate::store::{KpiFilter, Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VendorScore {
    pub vendor: String,
    pub cases: usize,
    /// Cases whose response (resolution) is known met or missed, and how many met.
    pub response_judged: usize,
    pub response_met: usize,
    pub resolution_judged: usize,
    pub resolution_met: usize,
    /// The mean wall-clock hours a ticket spent with the vendor, of the cases ended.
    pub mean_hours_with_vendor: Option<f64>,
    pub incidents_caused: usize,
    pub incidents_prolonged: usize,
    pub renewal_on: Option<NaiveDate>,
    pub notice_by: Option<NaiveDate>,
    /// Days left to give notice, when within the config's warning days.
    pub renewal_warning: Option<i64>,
    /// The cases that missed a target: ticket, case number, what was missed.
    pub missed: Vec<(crate::domain::TicketKey, String, &'static str)>,
}

impl VendorScore {
    pub fn response_share(&self) -> Option<f64> {
        share(self.response_met, self.response_judged)
    }

    pub fn resolution_share(&self) -> Option<f64> {
        share(self.resolution_met, self.resolution_judged)
    }
}

fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Over every vendor, the share of responses and resolutions known that met the
/// contract's targets.
pub fn compliance(scores: &[VendorScore]) -> Option<f64> {
    share(
        scores
            .iter()
            .map(|s| s.response_met + s.resolution_met)
            .sum(),
        scores
            .iter()
            .map(|s| s.response_judged + s.resolution_judged)
            .sum(),
    )
}

pub fn vendor_scores(
    store: &Store,
    config: &crate::config::Config,
    period: Period,
    now: Timestamp,
    filter: &KpiFilter,
) -> Result<Vec<VendorScore>, StoreError> {
    let cases = store.vendor_cases_opened(period.from, period.to, filter)?;
    let incidents = store.incident_vendors()?;
    let today = now
        .with_timezone(&config.business_hours.time_zone.0)
        .date_naive();
    let until = now.min(period.to);
    let mut out = Vec::new();
    for (vendor, _) in store.vendors()? {
        let theirs: Vec<&VendorCase> = cases.iter().filter(|c| c.vendor == vendor.name).collect();
        let bore = |role: VendorRole| {
            incidents
                .iter()
                .filter(|(v, _, r, at)| {
                    *v == vendor.name && *r == role && *at >= period.from && *at < period.to
                })
                .count()
        };
        let (caused, prolonged) = (bore(VendorRole::Caused), bore(VendorRole::Prolonged));
        if vendor.archived && theirs.is_empty() && caused + prolonged == 0 {
            continue;
        }
        let mut score = VendorScore {
            vendor: vendor.name.clone(),
            cases: theirs.len(),
            response_judged: 0,
            response_met: 0,
            resolution_judged: 0,
            resolution_met: 0,
            mean_hours_with_vendor: None,
            incidents_caused: caused,
            incidents_prolonged: prolonged,
            renewal_on: vendor.renewal_on,
            notice_by: vendor.notice_by(),
            renewal_warning: vendor
                .renewal_warning(today, i64::from(config.vendors.renewal_warning_days)),
            missed: Vec::new(),
        };
        let mut ended_hours = Vec::new();
        for case in &theirs {
            let clock = case.clock(&vendor.support, vendor.target(case.priority), until);
            if let Some(met) = clock.response_met {
                score.response_judged += 1;
                score.response_met += usize::from(met);
                if !met {
                    score
                        .missed
                        .push((case.ticket, case.case_number.clone(), "response"));
                }
            }
            if let Some(met) = clock.resolution_met {
                score.resolution_judged += 1;
                score.resolution_met += usize::from(met);
                if !met {
                    score
                        .missed
                        .push((case.ticket, case.case_number.clone(), "resolution"));
                }
            }
            if case.ended_at.is_some_and(|e| e <= until) {
                ended_hours.push(case.with_vendor(until).num_seconds() as f64 / 3600.0);
            }
        }
        score.mean_hours_with_vendor = (!ended_hours.is_empty())
            .then(|| ended_hours.iter().sum::<f64>() / ended_hours.len() as f64);
        out.push(score);
    }
    Ok(out)
}

/// One row per vendor: `vendor,cases,response_judged,response_met,resolution_judged,
/// resolution_met,mean_hours_with_vendor,incidents_caused,incidents_prolonged,
/// renewal_on,notice_by`.
pub fn csv(scores: &[VendorScore]) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record([
        "vendor",
        "cases",
        "response_judged",
        "response_met",
        "resolution_judged",
        "resolution_met",
        "mean_hours_with_vendor",
        "incidents_caused",
        "incidents_prolonged",
        "renewal_on",
        "notice_by",
    ]);
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for s in scores {
        let _ = out.write_record([
            crate::domain::spreadsheet_cell(&s.vendor),
            s.cases.to_string(),
            s.response_judged.to_string(),
            s.response_met.to_string(),
            s.resolution_judged.to_string(),
            s.resolution_met.to_string(),
            s.mean_hours_with_vendor
                .map(|h| format!("{h:.2}"))
                .unwrap_or_default(),
            s.incidents_caused.to_string(),
            s.incidents_prolonged.to_string(),
            day(s.renewal_on),
            day(s.notice_by),
        ]);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The report's "Vendors" section.
pub fn markdown(scores: &[VendorScore], target: f64) -> String {
    let pct = |s: Option<f64>| super::report::pct(s);
    let mut out = format!(
        "\n## Vendors\n\nVendor SLA compliance (responses and resolutions within contract): {} (target {:.0}%)\n\n",
        pct(compliance(scores)),
        target * 100.0
    );
    out.push_str(
        "| vendor | cases | response met | resolution met | mean time with vendor | incidents caused | prolonged | renewal |\n|---|---|---|---|---|---|---|---|\n",
    );
    if scores.is_empty() {
        out.push_str("| — | no vendors in the directory | | | | | | |\n");
    }
    for s in scores {
        let renewal = match (s.renewal_on, s.notice_by, s.renewal_warning) {
            (Some(on), Some(by), Some(left)) => {
                format!("{on} — **notice by {by}, {left} days left**")
            }
            (Some(on), Some(by), None) => format!("{on} (notice by {by})"),
            _ => "-".into(),
        };
        out.push_str(&format!(
            "| {} | {} | {} ({} of {}) | {} ({} of {}) | {} | {} | {} | {} |\n",
            super::report::md(&s.vendor),
            s.cases,
            pct(s.response_share()),
            s.response_met,
            s.response_judged,
            pct(s.resolution_share()),
            s.resolution_met,
            s.resolution_judged,
            s.mean_hours_with_vendor
                .map_or("no data".into(), |h| format!("{h:.1} h")),
            s.incidents_caused,
            s.incidents_prolonged,
            renewal
        ));
    }
    let missed: Vec<String> = scores
        .iter()
        .flat_map(|s| {
            s.missed.iter().map(move |(ticket, case, what)| {
                format!(
                    "- {ticket} · {} case {} · {what} late",
                    super::report::md(&s.vendor),
                    super::report::md(case)
                )
            })
        })
        .collect();
    if !missed.is_empty() {
        out.push_str("\nMissed:\n\n");
        out.push_str(&missed.join("\n"));
        out.push('\n');
    }
    out
}
