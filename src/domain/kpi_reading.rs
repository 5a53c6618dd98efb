//! KPIs measured by other systems — endpoint and patch compliance from the device
//! manager, asset accuracy from the inventory, licence use from the SaaS console, the
//! leaders' NPS from a survey, the automation rate — recorded as readings (a value at
//! a time, for a service or for everything, from a named source) so that they join the
//! scorecard with targets and trends like the KPIs watchfloor computes.

use super::Timestamp;
use serde::Serialize;

crate::string_enum! {
    pub enum RecordedKpi ("recorded KPI") {
        EndpointCompliance => "endpoint_compliance",
        PatchCompliance => "patch_compliance",
        AssetAccuracy => "asset_accuracy",
        LicenceUtilisation => "licence_utilisation",
        StakeholderNps => "stakeholder_nps",
        AutomationRate => "automation_rate",
    }
}

impl RecordedKpi {
    /// The scorecard's name for it.
    pub fn label(self) -> &'static str {
        match self {
            RecordedKpi::EndpointCompliance => "Endpoint compliance",
            RecordedKpi::PatchCompliance => "Critical patch compliance",
            RecordedKpi::AssetAccuracy => "Asset inventory accuracy",
            RecordedKpi::LicenceUtilisation => "Licence utilisation",
            RecordedKpi::StakeholderNps => "Stakeholder NPS",
            RecordedKpi::AutomationRate => "Automation rate",
        }
    }

    /// A share (0 to 1), or a score (NPS, −100 to 100).
    pub fn is_share(self) -> bool {
        self != RecordedKpi::StakeholderNps
    }

    /// Whether a value can be a reading of this KPI: a share from 0 to 1 (as a
    /// fraction: 0.97, not 97), an NPS from −100 to 100.
    pub fn check_value(self, value: f64) -> Result<(), String> {
        let (low, high, what) = if self.is_share() {
            (0.0, 1.0, "a share from 0 to 1 (0.97 for 97 %)")
        } else {
            (-100.0, 100.0, "a score from -100 to 100")
        };
        if value.is_finite() && (low..=high).contains(&value) {
            Ok(())
        } else {
            Err(format!("{value} is not {what} for {self}"))
        }
    }
}

/// One value of a recorded KPI.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiReading {
    pub kpi: RecordedKpi,
    pub value: f64,
    /// When it was measured.
    pub at: Timestamp,
    /// The service it is about; none: the whole estate.
    pub service: Option<String>,
    /// Where it came from: a system's name, or the file it was imported from.
    pub source: String,
}

/// A recorded KPI's figure in a report: none when nothing was recorded in its period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RecordedFigure {
    pub kpi: RecordedKpi,
    pub value: Option<f64>,
}

/// Every recorded KPI's figure of the readings of one period.
pub fn figures(readings: &[KpiReading], services: Option<&[String]>) -> Vec<RecordedFigure> {
    RecordedKpi::ALL
        .iter()
        .map(|&kpi| RecordedFigure {
            kpi,
            value: figure(readings, kpi, services),
        })
        .collect()
}

/// A KPI's figure for a period from its readings in it: the latest reading for the
/// whole estate; without one, the mean of each service's latest. `services` narrows
/// to those services' readings (the mean of each one's latest).
pub fn figure(
    readings: &[KpiReading],
    kpi: RecordedKpi,
    services: Option<&[String]>,
) -> Option<f64> {
    let mine = readings.iter().filter(|r| r.kpi == kpi);
    let latest_of = |service: &str| {
        readings
            .iter()
            .filter(|r| r.kpi == kpi && r.service.as_deref() == Some(service))
            .max_by_key(|r| r.at)
            .map(|r| r.value)
    };
    let mean_of_latest = |names: Vec<&str>| {
        let values: Vec<f64> = names.into_iter().filter_map(latest_of).collect();
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    };
    match services {
        Some(wanted) => mean_of_latest(wanted.iter().map(String::as_str).collect()),
        None => mine
            .clone()
            .filter(|r| r.service.is_none())
            .max_by_key(|r| r.at)
            .map(|r| r.value)
            .or_else(|| {
                let mut names: Vec<&str> = mine.filter_map(|r| r.service.as_deref()).collect();
                names.sort_unstable();
                names.dedup();
                mean_of_latest(names)
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn reading(kpi: RecordedKpi, value: f64, day: u32, service: Option<&str>) -> KpiReading {
        KpiReading {
            kpi,
            value,
            at: chrono::Utc
                .with_ymd_and_hms(2026, 11, day, 9, 0, 0)
                .unwrap(),
            service: service.map(String::from),
            source: "intune".into(),
        }
    }

    #[test]
    fn the_latest_estate_reading_wins_and_else_the_services_latest_are_averaged() {
        use RecordedKpi::*;
        let r = vec![
            reading(EndpointCompliance, 0.90, 2, None),
            reading(EndpointCompliance, 0.96, 9, None),
            reading(EndpointCompliance, 0.50, 20, Some("vpn")),
            reading(PatchCompliance, 0.80, 3, Some("vpn")),
            reading(PatchCompliance, 0.70, 10, Some("vpn")),
            reading(PatchCompliance, 1.00, 4, Some("sso")),
        ];
        assert_eq!(figure(&r, EndpointCompliance, None), Some(0.96));
        // vpn's latest 0.70 and sso's 1.00.
        let patch = figure(&r, PatchCompliance, None).unwrap();
        assert!((patch - 0.85).abs() < 1e-9, "{patch}");
        let vpn = ["vpn".to_string()];
        assert_eq!(figure(&r, EndpointCompliance, Some(&vpn)), Some(0.50));
        assert_eq!(figure(&r, PatchCompliance, Some(&vpn)), Some(0.70));
        assert_eq!(figure(&r, AssetAccuracy, None), None, "no reading: no data");
        assert_eq!(figure(&[], StakeholderNps, Some(&vpn)), None);
    }

    #[test]
    fn values_are_fractions_or_scores() {
        assert!(RecordedKpi::EndpointCompliance.check_value(0.97).is_ok());
        assert!(RecordedKpi::EndpointCompliance.check_value(1.0).is_ok());
        let e = RecordedKpi::EndpointCompliance
            .check_value(97.0)
            .unwrap_err();
        assert!(e.contains("0.97 for 97 %"), "{e}");
        assert!(RecordedKpi::StakeholderNps.check_value(-35.0).is_ok());
        assert!(RecordedKpi::StakeholderNps.check_value(120.0).is_err());
        assert!(RecordedKpi::AutomationRate.check_value(f64::NAN).is_err());
        assert_eq!(
            "licence_utilisation".parse::<RecordedKpi>().unwrap(),
            RecordedKpi::LicenceUtilisation
        );
    }
}
