//! What a pane component works with. A component owns its pane's state, handles an
//! action or passes it on, reloads its own data and is drawn from `&self`; what it
//! cannot do itself — open a form, go to another record, say something in the footer
//! — it asks of the app as an [`Effect`], which the app carries out after the
//! component returns.

use super::background::Background;
use super::state::{Catalog, Purpose};
use crate::app::session::Session;
use crate::domain::RecordKey;

/// What a component may use while it handles an action or reloads.
pub struct PaneContext<'a> {
    pub session: &'a Session,
    pub background: &'a mut Background,
    pub catalog: &'a Catalog,
    /// Shared, so a component can ask while it holds a workflow borrowed from the
    /// session.
    effects: std::cell::RefCell<Vec<Effect>>,
}

/// What a component asks of the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    OpenForm(Purpose),
    ShowPane(super::pane::Pane),
    JumpTo(RecordKey),
    Info(String),
    Error(String),
    /// A record a form created, opened once the form has closed.
    OpenOnClose(RecordKey),
    /// Everything shown reloads (after a write the component made).
    Refresh,
    /// A review part to edit in `$EDITOR`.
    Editor(
        crate::domain::ReviewKey,
        i64,
        crate::workflow::ReviewField,
        String,
    ),
}

impl<'a> PaneContext<'a> {
    pub fn new(
        session: &'a Session,
        background: &'a mut Background,
        catalog: &'a Catalog,
    ) -> PaneContext<'a> {
        PaneContext {
            session,
            background,
            catalog,
            effects: std::cell::RefCell::default(),
        }
    }

    pub fn ask(&self, effect: Effect) {
        self.effects.borrow_mut().push(effect);
    }

    pub fn error(&self, text: impl Into<String>) {
        self.ask(Effect::Error(text.into()));
    }

    /// What the component asked for, in order.
    pub fn into_effects(self) -> Vec<Effect> {
        self.effects.into_inner()
    }
}

/// Runs a component of `app.state` (named by its field) with its context, then carries
/// out what it asked: `with_pane!(self, metrics, |pane, ctx| pane.reload(ctx))`. A
/// macro, so the component and the context borrow disjoint fields of the app.
macro_rules! with_pane {
    ($app:ident, $field:ident, |$pane:ident, $ctx:ident| $body:expr) => {{
        let mut context = $crate::tui::component::PaneContext::new(
            &$app.session,
            &mut $app.background,
            &$app.state.catalog,
        );
        let $ctx = &mut context;
        let $pane = &mut $app.state.$field;
        let result = $body;
        let effects = context.into_effects();
        $app.carry_out(effects);
        result
    }};
}
pub(crate) use with_pane;
