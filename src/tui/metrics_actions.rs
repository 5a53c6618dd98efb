//! The Metrics pane: the scorecard of a period, computed when the pane opens, the
//! period changes, or the data does.

use super::action::Action;
use super::app::App;
use super::pane::Pane;
use super::state::MetricsView;
use crate::metrics::period::Period;
use crate::metrics::report::compute;
use crate::metrics::scorecard::scorecard;

const PERIODS: [&str; 4] = ["7d", "30d", "90d", "quarter"];

impl App {
    pub(super) fn load_metrics(&mut self, period: &'static str) {
        let now = self.session.clock.now();
        let Ok(p) = Period::parse(period, now) else {
            return;
        };
        let store = &self.session.store;
        let config = &self.session.config;
        let computed = compute(store, config, p, now)
            .and_then(|now_r| Ok((compute(store, config, p.previous(), now)?, now_r)));
        match computed {
            Ok((before, report)) => {
                self.state.metrics = Some(MetricsView {
                    period,
                    lines: scorecard(&report, &before, &config.kpi_targets),
                    report,
                });
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    pub(super) fn metrics_action(&mut self, action: Action) -> bool {
        if self.state.pane != Pane::Metrics || action != Action::CyclePeriod {
            return false;
        }
        let current = self
            .state
            .metrics
            .as_ref()
            .map(|m| m.period)
            .unwrap_or("30d");
        let i = PERIODS.iter().position(|p| *p == current).unwrap_or(1);
        self.load_metrics(PERIODS[(i + 1) % PERIODS.len()]);
        true
    }
}
