//! Named views of the incident list — `all` and `active` built in, more from the
//! config's `[[incident_views]]` — shared by the console and `incident list --view`.
//! A view narrows and orders the incidents already loaded (active and recent ones, a
//! short list), so it is a pure function of them.

use crate::config::Config;
pub use crate::config::views::{
    DEFAULT_INCIDENT_COLUMNS, IncidentColumn, IncidentSort, IncidentStates, IncidentView,
};
use crate::domain::incident::Incident;
use crate::domain::{Timestamp, sanitize_line};

impl IncidentView {
    fn builtin(name: &str, states: IncidentStates) -> IncidentView {
        IncidentView {
            name: name.to_string(),
            states,
            severity_max: None,
            service: None,
            text: None,
            sort: None,
            columns: None,
            key: None,
        }
    }

    pub fn columns(&self) -> &[IncidentColumn] {
        self.columns.as_deref().unwrap_or(DEFAULT_INCIDENT_COLUMNS)
    }

    /// The incidents of this view, in its order.
    pub fn apply(&self, incidents: &[Incident], now: Timestamp) -> Vec<Incident> {
        let text = self.text.as_deref().map(str::to_lowercase);
        let mut shown: Vec<Incident> = incidents
            .iter()
            .filter(|i| match self.states {
                IncidentStates::All => true,
                IncidentStates::Active => i.state.is_active(),
                IncidentStates::Resolved => !i.state.is_active(),
            })
            .filter(|i| self.severity_max.is_none_or(|max| i.severity <= max))
            .filter(|i| {
                self.service
                    .as_ref()
                    .is_none_or(|s| i.services.iter().any(|x| x.eq_ignore_ascii_case(s)))
            })
            .filter(|i| {
                text.as_ref().is_none_or(|t| {
                    let hay = format!(
                        "{} {} {} {}",
                        i.key,
                        sanitize_line(&i.title),
                        i.commander.as_deref().unwrap_or(""),
                        i.services.join(" ")
                    );
                    hay.to_lowercase().contains(t)
                })
            })
            .cloned()
            .collect();
        match self.sort.unwrap_or(IncidentSort::Active) {
            IncidentSort::Active => shown.sort_by_key(|i| {
                (
                    !i.state.is_active(),
                    i.severity,
                    std::cmp::Reverse(i.detected_at),
                )
            }),
            IncidentSort::Severity => {
                shown.sort_by_key(|i| (i.severity, std::cmp::Reverse(i.detected_at)))
            }
            IncidentSort::Age => shown.sort_by_key(|i| i.detected_at),
            IncidentSort::NextUpdate => shown.sort_by_key(|i| {
                i.next_update_due_at
                    .filter(|_| i.state.is_active())
                    .map_or(i64::MAX, |due| (due - now).num_seconds())
            }),
        }
        shown
    }
}

/// `all` and `active`, then the config's, in the order `[` and `]` step through them.
pub fn all_incident_views(config: &Config) -> Vec<IncidentView> {
    let mut views = vec![
        IncidentView::builtin("all", IncidentStates::All),
        IncidentView::builtin("active", IncidentStates::Active),
    ];
    views.extend(config.incident_views.iter().cloned());
    views
}

pub fn find_incident_view(config: &Config, name: &str) -> Result<IncidentView, String> {
    crate::views::ticket_views::find_by_name(
        &all_incident_views(config),
        name,
        |v| &v.name,
        "incident view",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::IncidentKey;
    use crate::domain::clock::from_epoch_seconds;
    use crate::domain::incident::IncidentState;
    use crate::domain::incident::Severity;

    fn incident(n: i64, severity: Severity, state: IncidentState, service: &str) -> Incident {
        let at = from_epoch_seconds(1_795_165_200 - n * 3600);
        Incident {
            key: IncidentKey(n),
            title: format!("incident {n} on {service}"),
            severity,
            state,
            summary: String::new(),
            commander: Some("dana".into()),
            communications: None,
            scribe: None,
            responders: vec![],
            services: vec![service.into()],
            impact_start_at: None,
            detected_at: at,
            acknowledged_at: None,
            mitigated_at: None,
            resolved_at: None,
            next_update_due_at: Some(at + chrono::Duration::minutes(30)),
            caused_by_change: None,
            updated_at: at,
            version: 1,
        }
    }

    #[test]
    fn a_view_narrows_by_state_severity_service_and_text_and_orders() {
        let now = from_epoch_seconds(1_795_165_200);
        let incidents = vec![
            incident(1, Severity::Sev3, IncidentState::Investigating, "checkout"),
            incident(2, Severity::Sev1, IncidentState::Resolved, "checkout"),
            incident(3, Severity::Sev2, IncidentState::Identified, "vpn"),
            incident(4, Severity::Sev1, IncidentState::Monitoring, "checkout"),
        ];
        let keys = |view: &IncidentView| -> Vec<i64> {
            view.apply(&incidents, now)
                .iter()
                .map(|i| i.key.0)
                .collect()
        };
        let all = IncidentView::builtin("all", IncidentStates::All);
        assert_eq!(keys(&all), [4, 3, 1, 2], "active first, by severity");
        let mut major = IncidentView::builtin("major", IncidentStates::Active);
        major.severity_max = Some(Severity::Sev2);
        assert_eq!(keys(&major), [4, 3]);
        major.service = Some("Checkout".into());
        assert_eq!(keys(&major), [4]);
        let mut by_text = IncidentView::builtin("vpn", IncidentStates::All);
        by_text.text = Some("VPN".into());
        assert_eq!(keys(&by_text), [3]);
        let mut oldest = IncidentView::builtin("oldest", IncidentStates::All);
        oldest.sort = Some(IncidentSort::Age);
        assert_eq!(keys(&oldest), [4, 3, 2, 1]);
    }
}
