//! The Metrics pane: the scorecard of a period, computed when the pane opens, the
//! period or the scope changes, or the data does.

use super::app::{App, Handled};
use super::background::Job;
use super::form::{Field, Form};
use super::pane::Pane;
use super::state::{Drill, MetricsView, Purpose};
use crate::config::action::Action;
use crate::metrics::drill::records_behind;
use crate::metrics::period::Period;
use crate::metrics::report::Report;
use crate::metrics::scope::Scope;
use crate::metrics::scorecard::scorecard;
use crate::tui::form_field::FieldName;

const PERIODS: [&str; 4] = ["7d", "30d", "90d", "quarter"];
/// The scope picker's entry for "no narrowing".
const ALL: &str = "(all)";

impl App {
    /// Asks for the scorecard of a period and scope; it is computed off the UI thread
    /// and shown when it arrives (`show_metrics`), the previous figures staying up
    /// meanwhile.
    pub(super) fn load_metrics(&mut self, period: &str, scope: Scope) {
        let now = self.session.clock.now();
        let p = match Period::parse(period, now) {
            Ok(p) => p,
            Err(e) => return self.error(e),
        };
        let store = &self.session.store;
        let resolved = match store
            .services()
            .and_then(|s| Ok((s, store.teams()?)))
            .map(|(services, teams)| scope.resolve(&services, &teams))
        {
            Ok(Ok(resolved)) => resolved,
            Ok(Err(e)) => return self.error(e),
            Err(e) => return self.error(e.to_string()),
        };
        self.state.metrics_wanted = Some((period.trim().to_string(), scope));
        let job = Job::Metrics {
            period: p,
            scope: resolved,
            now,
        };
        self.background
            .request(job, &self.session.store, &self.session.config);
    }

    /// The scorecard computed for the newest request: shown, keeping the cursor, and an
    /// open drill-down listed again.
    pub(super) fn show_metrics(&mut self, computed: Result<Box<(Report, Report)>, String>) {
        let Some((period, _)) = self.state.metrics_wanted.take() else {
            return;
        };
        let (selected, drilled, chart_offset) = self
            .state
            .metrics
            .as_ref()
            .map(|m| {
                let drilled = m.drill.as_ref().map(|d| (d.kpi, d.selected));
                (m.selected, drilled, m.chart_offset)
            })
            .unwrap_or((0, None, 0));
        match computed {
            Ok(reports) => {
                let (report, before) = *reports;
                let lines = scorecard(&report, &before, &self.session.config.kpi_targets);
                self.state.metrics = Some(MetricsView {
                    period,
                    selected: selected.min(lines.len().saturating_sub(1)),
                    lines,
                    report,
                    drill: None,
                    chart_offset,
                });
                if let Some((kpi, row)) = drilled {
                    self.open_drill(kpi, row);
                }
            }
            Err(e) => self.error(e),
        }
    }

    /// Lists the records behind a KPI of the scorecard shown.
    fn open_drill(&mut self, kpi: &'static str, selected: usize) {
        let Some(view) = &self.state.metrics else {
            return;
        };
        let store = &self.session.store;
        let now = self.session.clock.now();
        let rows = store
            .services()
            .and_then(|s| Ok((s, store.teams()?)))
            .map_err(|e| e.to_string())
            .and_then(|(services, teams)| view.report.scope.resolve(&services, &teams))
            .and_then(|scope| {
                records_behind(store, &view.report, &scope, kpi, now)
                    .map(Option::unwrap_or_default)
                    .map_err(|e| e.to_string())
            });
        match rows {
            Ok(rows) => {
                if let Some(view) = &mut self.state.metrics {
                    view.drill = Some(Drill {
                        kpi,
                        selected: selected.min(rows.len().saturating_sub(1)),
                        rows,
                    });
                }
            }
            Err(e) => self.error(e),
        }
    }

    /// The period and scope asked for last — the one being computed, else the one
    /// shown (30 days, everything, before the pane first opens).
    pub(super) fn metrics_settings(&self) -> (String, Scope) {
        if let Some(wanted) = &self.state.metrics_wanted {
            return wanted.clone();
        }
        self.state
            .metrics
            .as_ref()
            .map(|m| (m.period.clone(), m.report.scope.clone()))
            .unwrap_or(("30d".into(), Scope::default()))
    }

    pub(super) fn metrics_action(&mut self, action: Action) -> Handled {
        if self.state.pane != Pane::Metrics {
            return Handled::Passed;
        }
        let (period, scope) = self.metrics_settings();
        match action {
            Action::CyclePeriod => {
                // A custom period goes on to the first of the usual ones.
                let i = PERIODS
                    .iter()
                    .position(|p| *p == period)
                    .unwrap_or(PERIODS.len() - 1);
                self.load_metrics(PERIODS[(i + 1) % PERIODS.len()], scope);
            }
            Action::MetricsScope => self.open_form(Purpose::MetricsScope),
            Action::CustomPeriod => self.open_form(Purpose::MetricsPeriod),
            Action::NextCharts => {
                if let Some(view) = &mut self.state.metrics {
                    view.chart_offset += 1;
                }
            }
            Action::MoveDown | Action::MoveUp => {
                let step: isize = if action == Action::MoveDown { 1 } else { -1 };
                let Some(view) = &mut self.state.metrics else {
                    return Handled::Consumed;
                };
                let (cursor, len) = match &mut view.drill {
                    Some(d) => (&mut d.selected, d.rows.len()),
                    None => (&mut view.selected, view.lines.len()),
                };
                *cursor =
                    (*cursor as isize + step).clamp(0, len.saturating_sub(1) as isize) as usize;
            }
            Action::Open => {
                let Some(view) = &self.state.metrics else {
                    return Handled::Consumed;
                };
                match &view.drill {
                    Some(d) => {
                        if let Some(row) = d.rows.get(d.selected) {
                            let key = row.key;
                            self.jump_to(key);
                        }
                    }
                    None => {
                        if let Some(kpi) = view.lines.get(view.selected).map(|l| l.kpi) {
                            self.open_drill(kpi, 0);
                        }
                    }
                }
            }
            Action::Back => {
                if let Some(view) = &mut self.state.metrics {
                    view.drill = None;
                }
            }
            _ => return Handled::Passed,
        }
        Handled::Consumed
    }

    pub(super) fn build_metrics_form(&self, purpose: &Purpose) -> Option<Form> {
        if *purpose == Purpose::MetricsPeriod {
            let (period, _) = self.metrics_settings();
            let mut form = Form::new(
                "Metrics period",
                vec![Field::text(FieldName::Period, period)],
            );
            form.notes = vec!["7d, 30d, 90d, quarter, or YYYY-MM-DD..YYYY-MM-DD".into()];
            return Some(form);
        }
        if *purpose != Purpose::MetricsScope {
            return None;
        }
        let (_, scope) = self.metrics_settings();
        let catalog = &self.state.catalog;
        let with_all = |names: &[String]| {
            std::iter::once(ALL.to_string())
                .chain(names.iter().cloned())
                .collect::<Vec<_>>()
        };
        let mut form = Form::new(
            "Metrics for",
            vec![
                Field::choice(
                    FieldName::Service,
                    with_all(&catalog.services),
                    Some(scope.service.as_deref().unwrap_or(ALL)),
                ),
                Field::choice(
                    FieldName::Team,
                    with_all(&catalog.teams),
                    Some(scope.team.as_deref().unwrap_or(ALL)),
                ),
            ],
        );
        form.notes = vec!["a team: its group's tickets and the services it owns".into()];
        Some(form)
    }

    pub(super) fn save_metrics_scope(&mut self, form: &Form) {
        let pick = |name: FieldName| Some(form.value(name)).filter(|v| v != ALL && !v.is_empty());
        let scope = Scope {
            service: pick(FieldName::Service),
            team: pick(FieldName::Team),
        };
        self.state.overlay = super::state::Overlay::None;
        let (period, _) = self.metrics_settings();
        let described = scope.describe();
        self.load_metrics(&period, scope);
        self.info(format!("metrics for {described}"));
    }

    /// A period typed in the form: checked before the form closes, so a mistake can be
    /// corrected in place.
    pub(super) fn save_metrics_period(&mut self, form: &Form) {
        let text = form.value(FieldName::Period);
        if let Err(e) = Period::parse(&text, self.session.clock.now()) {
            if let super::state::Overlay::Form(state) = &mut self.state.overlay {
                state.form.error = Some(e);
            }
            return;
        }
        self.state.overlay = super::state::Overlay::None;
        let (_, scope) = self.metrics_settings();
        self.load_metrics(&text, scope);
    }
}
