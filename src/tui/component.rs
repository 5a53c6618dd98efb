//! What a pane component works with. A component owns its pane's state, handles an
//! action or passes it on, reloads its own data and is drawn from `&self`; what it
//! cannot do itself — open a form, go to another record, say something in the footer
//! — it asks of the app as an [`Effect`], which the app carries out after the
//! component returns.

use super::background::Background;
use super::purpose::Purpose;
use super::state::Catalog;
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
    /// A yes/no question, answered by the component that owns the purpose.
    Ask {
        question: String,
        purpose: Purpose,
    },
    /// The live filter line of the ticket list.
    Filter,
    /// Text for the terminal clipboard.
    Clipboard(String),
    Quit,
    ShowPane(super::pane::Pane),
    JumpTo(RecordKey),
    Info(String),
    Error(String),
    /// A record a form created (an incident declared, a change requested), opened
    /// once the form has closed.
    OpenOnClose(RecordKey),
    /// Everything shown reloads (after a write the component made).
    Refresh,
    /// A text to edit in `$EDITOR`.
    Editor(EditorRequest),
}

/// What the event loop hands to `$EDITOR`, and where the saved text goes.
#[derive(Debug, Clone, PartialEq)]
pub enum EditorRequest {
    /// A review's part, at the version it was read.
    Review(
        crate::domain::ReviewKey,
        i64,
        crate::workflow::ReviewField,
        String,
    ),
    /// An article's whole file, front matter and body: a new one when `key` is none.
    Article {
        key: Option<crate::domain::ArticleKey>,
        version: i64,
        text: String,
    },
}

impl EditorRequest {
    pub fn text(&self) -> &str {
        match self {
            EditorRequest::Review(.., text) | EditorRequest::Article { text, .. } => text,
        }
    }
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

    pub fn info(&self, text: impl Into<String>) {
        self.ask(Effect::Info(text.into()));
    }

    /// Whether the store may be written; when not, says so.
    pub fn writable(&self) -> bool {
        let writable = !self.session.store.is_read_only();
        if !writable {
            self.error(READ_ONLY);
        }
        writable
    }

    /// What a write that has been made says: everything shown reloads, then the
    /// message; a refusal is said as an error.
    pub fn report(&self, result: Result<String, crate::workflow::WorkflowError>) {
        match result {
            Ok(message) => {
                self.ask(Effect::Refresh);
                self.info(message);
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// What the component asked for, in order.
    pub fn into_effects(self) -> Vec<Effect> {
        self.effects.into_inner()
    }
}

/// The refusal of every write on a read-only console.
pub const READ_ONLY: &str = "the database is open read-only; nothing can be changed";

/// What saving a form came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    /// Written: the form closes, what is shown reloads, and this is said.
    Written(String),
    /// The form closes; the component has said what happened (a bulk action, a
    /// choice of what a pane shows).
    Closed,
    /// Refused: the form stays open with the reason; `stale` when someone else
    /// changed the record meanwhile (ctrl-r then reloads the form).
    Refused { message: String, stale: bool },
    /// Not yet: a question first, over the form; yes saves it again as `then`, no
    /// goes back to the form.
    AskFirst { question: String, then: Purpose },
}

impl Saved {
    pub fn refused(message: impl Into<String>) -> Saved {
        Saved::Refused {
            message: message.into(),
            stale: false,
        }
    }
}

impl From<Result<String, crate::workflow::WorkflowError>> for Saved {
    fn from(result: Result<String, crate::workflow::WorkflowError>) -> Saved {
        match result {
            Ok(message) => Saved::Written(message),
            Err(e) => Saved::Refused {
                stale: matches!(e, crate::workflow::WorkflowError::Stale { .. }),
                message: e.to_string(),
            },
        }
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
