//! The Metrics pane as a component: the scorecard of a period against the one before,
//! computed off the UI thread when the pane opens, the period or the scope changes, or
//! the data does; the drill-down behind a KPI; the period and scope forms.

use super::app::Handled;
use super::background::Job;
use super::component::{Effect, PaneContext};
use super::form::{Field, Form};
use super::purpose::{MetricsForm, Purpose};
use super::state::{Catalog, Drill, MetricsView};
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

/// The pane's state: the scorecard shown, and the one being computed.
#[derive(Debug, Clone, Default)]
pub struct MetricsPane {
    pub view: Option<MetricsView>,
    /// The period and scope being computed, off the UI thread, while the figures shown
    /// are the previous ones.
    pub wanted: Option<(String, Scope)>,
}

impl MetricsPane {
    /// Whether nothing has been shown or asked for yet.
    pub fn is_unloaded(&self) -> bool {
        self.view.is_none() && self.wanted.is_none()
    }

    /// The period and scope asked for last — the one being computed, else the one
    /// shown (30 days, everything, before the pane first opens).
    pub fn settings(&self) -> (String, Scope) {
        if let Some(wanted) = &self.wanted {
            return wanted.clone();
        }
        self.view
            .as_ref()
            .map(|m| (m.period.clone(), m.report.scope.clone()))
            .unwrap_or(("30d".into(), Scope::default()))
    }

    /// The same period and scope computed again (the data changed).
    pub fn reload(&mut self, ctx: &mut PaneContext<'_>) {
        let (period, scope) = self.settings();
        self.request(&period, scope, ctx);
    }

    /// Asks for the scorecard of a period and scope; it is computed off the UI thread
    /// and shown when it arrives (`show`), the previous figures staying up meanwhile.
    pub fn request(&mut self, period: &str, scope: Scope, ctx: &mut PaneContext<'_>) {
        let now = ctx.session.clock.now();
        let p = match Period::parse(period, now) {
            Ok(p) => p,
            Err(e) => return ctx.error(e),
        };
        let store = &ctx.session.store;
        let resolved = match store
            .services()
            .and_then(|s| Ok((s, store.teams()?)))
            .map(|(services, teams)| scope.resolve(&services, &teams))
        {
            Ok(Ok(resolved)) => resolved,
            Ok(Err(e)) => return ctx.error(e),
            Err(e) => return ctx.error(e.to_string()),
        };
        self.wanted = Some((period.trim().to_string(), scope));
        let job = Job::Metrics {
            period: p,
            scope: resolved,
            now,
        };
        ctx.background
            .request(job, &ctx.session.store, &ctx.session.config);
    }

    /// The scorecard computed for the newest request: shown, keeping the cursor, and an
    /// open drill-down listed again.
    pub fn show(
        &mut self,
        computed: Result<Box<(Report, Report)>, String>,
        ctx: &mut PaneContext<'_>,
    ) {
        let Some((period, _)) = self.wanted.take() else {
            return;
        };
        let (selected, drilled, chart_offset) = self
            .view
            .as_ref()
            .map(|m| {
                let drilled = m.drill.as_ref().map(|d| (d.kpi, d.selected));
                (m.selected, drilled, m.chart_offset)
            })
            .unwrap_or((0, None, 0));
        match computed {
            Ok(reports) => {
                let (report, before) = *reports;
                let lines = scorecard(&report, &before, &ctx.session.config.kpi_targets);
                self.view = Some(MetricsView {
                    period,
                    selected: selected.min(lines.len().saturating_sub(1)),
                    lines,
                    report,
                    drill: None,
                    chart_offset,
                });
                if let Some((kpi, row)) = drilled {
                    self.open_drill(kpi, row, ctx);
                }
            }
            Err(e) => ctx.error(e),
        }
    }

    /// Lists the records behind a KPI of the scorecard shown.
    fn open_drill(&mut self, kpi: &'static str, selected: usize, ctx: &mut PaneContext<'_>) {
        let Some(view) = &mut self.view else {
            return;
        };
        let store = &ctx.session.store;
        let now = ctx.session.clock.now();
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
                view.drill = Some(Drill {
                    kpi,
                    selected: selected.min(rows.len().saturating_sub(1)),
                    rows,
                });
            }
            Err(e) => ctx.error(e),
        }
    }

    pub fn handle(&mut self, action: Action, ctx: &mut PaneContext<'_>) -> Handled {
        let (period, scope) = self.settings();
        match action {
            Action::CyclePeriod => {
                // A custom period goes on to the first of the usual ones.
                let i = PERIODS
                    .iter()
                    .position(|p| *p == period)
                    .unwrap_or(PERIODS.len() - 1);
                self.request(PERIODS[(i + 1) % PERIODS.len()], scope, ctx);
            }
            Action::MetricsScope => {
                ctx.ask(Effect::OpenForm(Purpose::Metrics(MetricsForm::Scope)));
            }
            Action::CustomPeriod => {
                ctx.ask(Effect::OpenForm(Purpose::Metrics(MetricsForm::Period)));
            }
            Action::NextCharts => {
                if let Some(view) = &mut self.view {
                    view.chart_offset += 1;
                }
            }
            Action::MoveDown | Action::MoveUp => {
                let step: isize = if action == Action::MoveDown { 1 } else { -1 };
                let Some(view) = &mut self.view else {
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
                let Some(view) = &self.view else {
                    return Handled::Consumed;
                };
                match &view.drill {
                    Some(d) => match d.rows.get(d.selected).map(|row| row.key) {
                        Some(Some(key)) => ctx.ask(Effect::JumpTo(key)),
                        Some(None) => ctx.info("a reading from another system: nothing to open"),
                        None => {}
                    },
                    None => {
                        if let Some(kpi) = view.lines.get(view.selected).map(|l| l.kpi) {
                            self.open_drill(kpi, 0, ctx);
                        }
                    }
                }
            }
            Action::Back => {
                if let Some(view) = &mut self.view {
                    view.drill = None;
                }
            }
            _ => return Handled::Passed,
        }
        Handled::Consumed
    }

    /// The pane's forms: a period typed in full, or the service and team it covers.
    pub fn form(&self, purpose: MetricsForm, catalog: &Catalog) -> Form {
        let (period, scope) = self.settings();
        match purpose {
            MetricsForm::Period => {
                // Empty, so what is typed is the period (not appended to the current).
                let mut form =
                    Form::new("Metrics period", vec![Field::text(FieldName::Period, "")]);
                form.notes = vec![
                    format!("now {period}"),
                    "7d, 30d, 90d, quarter, or YYYY-MM-DD..YYYY-MM-DD".into(),
                ];
                form
            }
            MetricsForm::Scope => {
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
                form
            }
        }
    }

    /// The scope chosen in the form.
    pub fn save_scope(&mut self, form: &Form, ctx: &mut PaneContext<'_>) {
        let pick = |name: FieldName| Some(form.value(name)).filter(|v| v != ALL && !v.is_empty());
        let scope = Scope {
            service: pick(FieldName::Service),
            team: pick(FieldName::Team),
        };
        let (period, _) = self.settings();
        let described = scope.describe();
        self.request(&period, scope, ctx);
        ctx.ask(Effect::Info(format!("metrics for {described}")));
    }

    /// A period typed in the form, checked first: a mistake is the form's to show, so
    /// it can be corrected in place.
    pub fn save_period(&mut self, form: &Form, ctx: &mut PaneContext<'_>) -> Result<(), String> {
        let text = form.value(FieldName::Period);
        Period::parse(&text, ctx.session.clock.now())?;
        let (_, scope) = self.settings();
        self.request(&text, scope, ctx);
        Ok(())
    }
}
