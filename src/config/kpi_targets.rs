//! `[kpi_targets]`: what each KPI of the scorecard is judged against — the ones
//! computed here, satisfaction, the trend warnings' window, and the KPIs other systems
//! measure.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiTargets {
    pub mtta_minutes: f64,
    pub mttr_minutes: f64,
    pub change_failure_rate: f64,
    pub sla_attainment: f64,
    pub first_contact_resolution: f64,
    pub reopen_rate: f64,
    pub pir_action_closure: f64,
    /// Of the top `knowledge_top` ticket categories and the open problems, the share
    /// with a published article.
    #[serde(default = "super::defaults::knowledge_coverage")]
    pub knowledge_coverage: f64,
    #[serde(default = "super::defaults::knowledge_top")]
    pub knowledge_top: usize,
    /// An incident counts against the availability of the services that depend on
    /// its own (transitively) too.
    #[serde(default)]
    pub availability_counts_dependents: bool,
    /// The median hours from request to end of the standard changes that ended.
    #[serde(default = "super::defaults::standard_change_lead_hours")]
    pub standard_change_lead_hours: f64,
    /// The share of vendor cases resolved within their contract's target.
    #[serde(default = "super::defaults::vendor_sla_compliance")]
    pub vendor_sla_compliance: f64,
    /// The most pages a week any one person should take.
    #[serde(default = "super::defaults::oncall_pages_per_week")]
    pub oncall_pages_per_week: f64,
    /// A KPI's latest full week is compared against this many weeks before it…
    #[serde(default = "super::defaults::trend_weeks")]
    pub trend_weeks: usize,
    /// …and flagged when worse than their mean by more than this share of it.
    #[serde(default = "super::defaults::trend_threshold")]
    pub trend_threshold: f64,
    /// The mean satisfaction rating (1 to 5) of the tickets resolved in a period.
    #[serde(default = "super::defaults::csat_mean")]
    pub csat_mean: f64,
    /// The share of those ratings that are 4 or 5.
    #[serde(default = "super::defaults::csat_positive")]
    pub csat_positive: f64,
    /// Targets of the KPIs other systems measure (`watchfloor kpi record`); one left
    /// out has none.
    #[serde(default)]
    pub endpoint_compliance: Option<f64>,
    #[serde(default)]
    pub patch_compliance: Option<f64>,
    #[serde(default)]
    pub asset_accuracy: Option<f64>,
    #[serde(default)]
    pub licence_utilisation: Option<f64>,
    #[serde(default)]
    pub stakeholder_nps: Option<f64>,
    #[serde(default)]
    pub automation_rate: Option<f64>,
}

impl KpiTargets {
    /// The target of a KPI measured elsewhere, if the config sets one.
    pub fn recorded(&self, kpi: crate::domain::kpi_reading::RecordedKpi) -> Option<f64> {
        use crate::domain::kpi_reading::RecordedKpi as K;
        match kpi {
            K::EndpointCompliance => self.endpoint_compliance,
            K::PatchCompliance => self.patch_compliance,
            K::AssetAccuracy => self.asset_accuracy,
            K::LicenceUtilisation => self.licence_utilisation,
            K::StakeholderNps => self.stakeholder_nps,
            K::AutomationRate => self.automation_rate,
        }
    }
}
