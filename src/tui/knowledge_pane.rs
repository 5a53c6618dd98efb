//! The Knowledge pane: the articles, one kind or all, narrowed as you type after `/`
//! by the same search as `kb search`; the selected one read beside the list (or on its
//! own on a narrow terminal), and written in `$EDITOR` — front matter and body, as the
//! CLI's `kb edit` — through the workflow layer.

use super::app::{App, Handled};
use super::component::{EditorRequest, Effect, PaneContext};
use crate::config::action::Action;
use crate::domain::ArticleKey;
use crate::domain::article::{Article, ArticleKind, ArticleState};
use ratatui::crossterm::event::KeyEvent;

/// How many articles the list holds at most; a search narrows it.
pub const LIST_LIMIT: i64 = 200;
/// The longest search text.
const QUERY_CHARS: usize = 80;
/// The pane searches from this many letters: fewer cannot use the trigram index, and
/// a scan of every article's body is too slow for a keystroke.
pub const SEARCH_FROM: usize = 3;

#[derive(Debug, Default)]
pub struct KnowledgePane {
    /// The search typed after `/`; empty lists the latest edited.
    pub query: String,
    /// 0: every kind; then `ArticleKind::ALL` in order.
    pub kind_index: usize,
    /// The retired articles instead of those in use.
    pub show_retired: bool,
    pub articles: Vec<Article>,
    pub selected: usize,
    /// The selected article on its own, scrolled this far (a narrow terminal).
    pub reading: Option<u16>,
    pub loaded: bool,
    /// An edit the workflow refused, kept so `e` (or `n`) opens it again.
    pub unsaved: Option<(Option<ArticleKey>, String)>,
}

impl KnowledgePane {
    pub fn kind(&self) -> Option<ArticleKind> {
        self.kind_index
            .checked_sub(1)
            .and_then(|i| ArticleKind::ALL.get(i).copied())
    }

    pub fn selected_article(&self) -> Option<&Article> {
        self.articles.get(self.selected)
    }

    pub fn reload(&mut self, ctx: &mut PaneContext<'_>) {
        let keep = self.selected_article().map(|a| a.key);
        let store = &ctx.session.store;
        let found = if self.query.trim().chars().count() < SEARCH_FROM {
            store.articles(&crate::store::ArticleFilter {
                kind: self.kind(),
                state: self.show_retired.then_some(ArticleState::Retired),
                service: None,
                limit: LIST_LIMIT,
            })
        } else {
            store
                .search_articles(&self.query, LIST_LIMIT)
                .map(|mut list| {
                    list.retain(|a| self.kind().is_none_or(|k| a.draft.kind == k));
                    list
                })
        };
        match found {
            Ok(list) => {
                self.articles = list;
                self.loaded = true;
                self.selected = keep
                    .and_then(|k| self.articles.iter().position(|a| a.key == k))
                    .unwrap_or(self.selected)
                    .min(self.articles.len().saturating_sub(1));
            }
            Err(e) => ctx.error(format!("articles not loaded: {e}")),
        }
    }

    /// `:KB-3`: that article selected (and read, on a narrow terminal), whatever the
    /// search or kind shown before.
    pub fn open(&mut self, key: ArticleKey, ctx: &mut PaneContext<'_>) {
        self.query.clear();
        self.kind_index = 0;
        self.show_retired = false;
        self.reload(ctx);
        if !self.articles.iter().any(|a| a.key == key) {
            match ctx.session.store.article(key) {
                Ok(Some(article)) => self.articles.insert(0, article),
                Ok(None) => return ctx.error(format!("{key} does not exist")),
                Err(e) => return ctx.error(e.to_string()),
            }
        }
        self.selected = self.articles.iter().position(|a| a.key == key).unwrap_or(0);
        self.reading = Some(0);
    }

    pub fn handle(&mut self, action: Action, ctx: &mut PaneContext<'_>) -> Handled {
        let count = self.articles.len();
        match (action, self.reading) {
            (Action::MoveDown, Some(scroll)) => self.reading = Some(scroll.saturating_add(1)),
            (Action::MoveUp, Some(scroll)) => self.reading = Some(scroll.saturating_sub(1)),
            (Action::Back, Some(_)) => self.reading = None,
            (Action::MoveDown, None) => {
                self.selected = (self.selected + 1).min(count.saturating_sub(1));
            }
            (Action::MoveUp, None) => self.selected = self.selected.saturating_sub(1),
            (Action::Open, _) if count > 0 => {
                self.reading = if self.reading.is_some() {
                    None
                } else {
                    Some(0)
                };
            }
            (Action::Back, None) if !self.query.is_empty() => {
                self.query.clear();
                self.reload(ctx);
            }
            (Action::Filter, _) => {
                self.reading = None;
                ctx.ask(Effect::Filter);
            }
            (Action::NextView | Action::PrevView, _) => {
                let kinds = ArticleKind::ALL.len() + 1;
                self.kind_index = if action == Action::NextView {
                    (self.kind_index + 1) % kinds
                } else {
                    (self.kind_index + kinds - 1) % kinds
                };
                self.selected = 0;
                self.reading = None;
                self.reload(ctx);
            }
            (Action::ShowArchived, _) => {
                self.show_retired = !self.show_retired;
                self.selected = 0;
                self.reload(ctx);
                ctx.info(if self.show_retired {
                    "showing retired articles (a search finds only those in use)"
                } else {
                    "showing articles in use"
                });
            }
            (Action::NewRecord, _) if ctx.writable() => self.ask_editor(None, ctx),
            (Action::EditRecord, _) if ctx.writable() => {
                match self.selected_article().map(|a| a.key) {
                    Some(key) => self.ask_editor(Some(key), ctx),
                    None => ctx.info("no article selected; n starts one"),
                }
            }
            (Action::ArchiveRecord, _) if ctx.writable() => self.retire(ctx),
            (Action::NewRecord | Action::EditRecord | Action::ArchiveRecord, _) => {}
            _ => return Handled::Passed,
        }
        Handled::Consumed
    }

    /// The keys typed after `/`: each one searches again. True when the line closes.
    pub fn filter_key(&mut self, key: KeyEvent, ctx: &mut PaneContext<'_>) -> bool {
        let edit = super::filter_line::edit(&mut self.query, key, QUERY_CHARS);
        if edit.changed {
            self.selected = 0;
            self.reload(ctx);
        }
        edit.closes
    }

    /// Asks the event loop for `$EDITOR` on the article's file (a new one's template),
    /// or on the text a refused save left.
    fn ask_editor(&mut self, key: Option<ArticleKey>, ctx: &PaneContext<'_>) {
        let kind = self.kind().unwrap_or(ArticleKind::HowTo);
        let (version, fresh) = match ctx.session.workflow().article_for_editing(key, kind) {
            Ok(file) => file,
            Err(e) => return ctx.error(e.to_string()),
        };
        let text = match self.unsaved.take() {
            Some((for_key, text)) if for_key == key => text,
            _ => fresh,
        };
        ctx.ask(Effect::Editor(EditorRequest::Article {
            key,
            version,
            text,
        }));
    }

    fn retire(&mut self, ctx: &PaneContext<'_>) {
        let Some(article) = self.selected_article() else {
            return ctx.info("nothing to retire");
        };
        if article.draft.state == ArticleState::Retired {
            return ctx.info(format!(
                "{} is retired already; e and state: published bring it back",
                article.key
            ));
        }
        let key = article.key;
        match ctx.session.workflow().retire_article(key, article.version) {
            Ok(_) => {
                ctx.info(format!(
                    "{key} retired: kept with its history, no longer listed or found"
                ));
                ctx.ask(Effect::Refresh);
            }
            Err(e) => ctx.error(e.to_string()),
        }
    }
}

impl App {
    /// After `$EDITOR` returns on an article: read the file back and save it, or keep
    /// the text and say what was wrong, so `e` opens it again.
    pub(super) fn finish_article(
        &mut self,
        key: Option<ArticleKey>,
        version: i64,
        original: &str,
        edited: Result<String, String>,
    ) {
        let text = match edited {
            Ok(text) => text,
            Err(e) => return self.error(e),
        };
        let what = key.map_or_else(|| "the new article".to_string(), |k| k.to_string());
        if text == original && self.state.knowledge.unsaved.is_none() {
            return self.info(format!("{what} unchanged"));
        }
        let saved = self
            .session
            .workflow()
            .save_article_file(key, version, &text)
            .map_err(|e| e.to_string());
        match saved {
            Ok(article) => {
                self.state.knowledge.unsaved = None;
                self.refresh();
                if key.is_none() {
                    with_pane_open(self, article.key);
                }
                self.info(format!(
                    "{} saved from the editor (version {})",
                    article.key, article.version
                ));
            }
            Err(e) => {
                let again = if key.is_some() { "e" } else { "n" };
                self.state.knowledge.unsaved = Some((key, text));
                self.error(format!(
                    "{what} not saved ({again} opens your text again): {e}"
                ));
            }
        }
    }
}

fn with_pane_open(app: &mut App, key: ArticleKey) {
    super::component::with_pane!(app, knowledge, |pane, ctx| pane.open(key, ctx));
}
