//! `watchfloor kb`: knowledge articles — add, edit (in `$EDITOR` or by flags), show
//! with its history and diffs, list, search, retire, and a folder of Markdown files
//! with front matter imported and exported, so teams can keep them in git.

use super::kb_print::{print_article, print_list};
use super::table::TextStyle;
use super::ticket_print::json;
use crate::app::error::AppError;
use crate::app::output::{Existing, write_private};
use crate::app::session::Session;
use crate::domain::article::{ArticleDraft, ArticleKind, ArticleState};
use crate::domain::{ArticleKey, ProblemKey};
use crate::import::article_file::{self, ArticleFile};
use chrono::NaiveDate;
use clap::Subcommand;
use std::path::{Path, PathBuf};

/// The largest article file read.
const MAX_FILE_BYTES: u64 = 1_000_000;

#[derive(Debug, Clone, clap::Args)]
pub struct AppliesTo {
    /// A service it applies to (repeat for more).
    #[arg(long = "service")]
    services: Vec<String>,
    /// An alert name it applies to (repeat for more).
    #[arg(long = "alert")]
    alerts: Vec<String>,
    /// A ticket category it applies to (repeat for more).
    #[arg(long = "category")]
    categories: Vec<String>,
    /// A problem it is the known error or workaround of (repeat for more).
    #[arg(long = "problem")]
    problems: Vec<ProblemKey>,
    /// Who keeps it: a person's login or a team.
    #[arg(long)]
    owner: Option<String>,
    /// When it is due for review (YYYY-MM-DD).
    #[arg(long)]
    review_by: Option<NaiveDate>,
}

#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Add an article; its body from --body-file (`-` for standard input) or `$EDITOR`.
    Add {
        #[arg(long)]
        title: String,
        /// runbook, how_to, known_error or faq.
        #[arg(long, default_value = "runbook")]
        kind: ArticleKind,
        #[arg(long)]
        body_file: Option<PathBuf>,
        /// Published at once (else a draft).
        #[arg(long)]
        publish: bool,
        #[command(flatten)]
        applies: AppliesTo,
        #[arg(long)]
        json: bool,
    },
    /// Edit an article: with no flags, the whole file (front matter and body) in
    /// `$EDITOR`; else what the flags say (lists given replace the article's).
    Edit {
        key: ArticleKey,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        kind: Option<ArticleKind>,
        /// draft, published or retired.
        #[arg(long)]
        state: Option<ArticleState>,
        #[arg(long)]
        body_file: Option<PathBuf>,
        #[command(flatten)]
        applies: AppliesTo,
        #[arg(long)]
        json: bool,
    },
    /// One article: what it applies to, its steps and body; --history lists its
    /// versions, --diff N shows what version N changed.
    Show {
        key: ArticleKey,
        #[arg(long)]
        history: bool,
        #[arg(long)]
        diff: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Articles, the latest edited first (retired ones with --state retired).
    List {
        #[arg(long)]
        kind: Option<ArticleKind>,
        #[arg(long)]
        state: Option<ArticleState>,
        #[arg(long)]
        service: Option<String>,
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(i64).range(1..=100000))]
        limit: i64,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        style: TextStyle,
    },
    /// Articles whose title or body holds the text, title matches first.
    Search {
        #[arg(required = true)]
        text: Vec<String>,
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(i64).range(1..=1000))]
        limit: i64,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        style: TextStyle,
    },
    /// Retire an article: kept with its history, no longer offered or found.
    Retire { key: ArticleKey },
    /// Load a folder of Markdown files with front matter (*.md): each updates the
    /// article its `key:` names or of its exact title, or is added. All or none.
    Import {
        dir: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Write every article (retired ones too) as KB-n-title.md files into a folder.
    Export {
        dir: PathBuf,
        /// Replace files of the same name.
        #[arg(long)]
        replace: bool,
    },
}

pub fn run(command: KbCommand, session: &Session) -> Result<(), AppError> {
    let wf = session.workflow();
    match command {
        KbCommand::Add {
            title,
            kind,
            body_file,
            publish,
            applies,
            json: as_json,
        } => {
            let mut draft = ArticleDraft::new(title, kind);
            if publish {
                draft.state = ArticleState::Published;
            }
            apply(&mut draft, applies, true);
            draft.body = match body_file {
                Some(path) => read_body(&path)?,
                None => crate::app::editor::edit_in_editor("").map_err(AppError::Failed)?,
            };
            let article = wf.add_article(draft)?;
            if as_json {
                return json(&article);
            }
            println!(
                "{} added ({}, {})",
                article.key, article.draft.kind, article.draft.state
            );
            Ok(())
        }
        KbCommand::Edit {
            key,
            title,
            kind,
            state,
            body_file,
            applies,
            json: as_json,
        } => {
            let current = session.store.article(key)?.ok_or_else(|| {
                AppError::Workflow(crate::workflow::WorkflowError::NotFound(key.to_string()))
            })?;
            let flags = title.is_some()
                || kind.is_some()
                || state.is_some()
                || body_file.is_some()
                || given(&applies);
            let article = if flags {
                let mut d = current.draft.clone();
                if let Some(t) = title {
                    d.title = t;
                }
                if let Some(k) = kind {
                    d.kind = k;
                }
                if let Some(s) = state {
                    d.state = s;
                }
                if let Some(path) = body_file {
                    d.body = read_body(&path)?;
                }
                apply(&mut d, applies, false);
                wf.edit_article(key, current.version, d)?
            } else {
                // The same file, read back by the same checks, as the console's `e`.
                let (version, text) = wf.article_for_editing(Some(key), current.draft.kind)?;
                let edited = crate::app::editor::edit_in_editor(&text).map_err(AppError::Failed)?;
                wf.save_article_file(Some(key), version, &edited)
                    .map_err(|e| {
                        AppError::Usage(format!("the edited {key}: {e}; nothing was changed"))
                    })?
            };
            if as_json {
                return json(&article);
            }
            if article.version == current.version {
                println!("{key} unchanged");
            } else {
                println!("{key} is at version {}", article.version);
            }
            Ok(())
        }
        KbCommand::Show {
            key,
            history,
            diff,
            json: as_json,
        } => {
            let article = session.store.article(key)?.ok_or_else(|| {
                AppError::Workflow(crate::workflow::WorkflowError::NotFound(key.to_string()))
            })?;
            let versions = session.store.article_versions(key)?;
            let (tickets, resolved) = session.store.tickets_of_article(key, 10)?;
            if as_json {
                return json(&serde_json::json!({
                    "article": article,
                    "steps": article.steps(),
                    "versions": versions,
                    "resolved_tickets": resolved,
                    "latest_tickets": tickets,
                }));
            }
            if let Some(n) = diff {
                return super::kb_print::print_diff(key, &versions, n);
            }
            let shown = if history { &versions[..] } else { &[] };
            print_article(session, &article, shown, (&tickets, resolved));
            Ok(())
        }
        KbCommand::List {
            kind,
            state,
            service,
            limit,
            json: as_json,
            style,
        } => {
            let articles = session.store.articles(&crate::store::ArticleFilter {
                kind,
                state,
                service,
                limit,
            })?;
            if as_json {
                return json(&articles);
            }
            print_list(&articles, style);
            Ok(())
        }
        KbCommand::Search {
            text,
            limit,
            json: as_json,
            style,
        } => {
            let articles = session.store.search_articles(&text.join(" "), limit)?;
            if as_json {
                return json(&articles);
            }
            print_list(&articles, style);
            Ok(())
        }
        KbCommand::Retire { key } => {
            let current = session.store.article(key)?.ok_or_else(|| {
                AppError::Workflow(crate::workflow::WorkflowError::NotFound(key.to_string()))
            })?;
            wf.retire_article(key, current.version)?;
            println!("{key} retired");
            Ok(())
        }
        KbCommand::Import { dir, json: as_json } => {
            let files = read_folder(&dir)?;
            let report = wf.import_articles(&files)?;
            if as_json {
                return json(&report);
            }
            println!(
                "{} files: {} added, {} updated, {} unchanged",
                files.len(),
                report.added.len(),
                report.updated.len(),
                report.unchanged.len()
            );
            Ok(())
        }
        KbCommand::Export { dir, replace } => {
            std::fs::create_dir_all(&dir)
                .map_err(|e| AppError::Failed(format!("{}: {e}", dir.display())))?;
            let articles = session.store.articles(&crate::store::ArticleFilter {
                limit: i64::MAX,
                ..Default::default()
            })?;
            let retired = session.store.articles(&crate::store::ArticleFilter {
                limit: i64::MAX,
                state: Some(ArticleState::Retired),
                ..Default::default()
            })?;
            let existing = if replace {
                Existing::Replace
            } else {
                Existing::Refuse
            };
            let mut written = 0;
            for a in articles.iter().chain(&retired) {
                let path = dir.join(article_file::file_name(a.key, &a.draft.title));
                write_private(
                    &path,
                    article_file::render(a.key, &a.draft).as_bytes(),
                    existing,
                )
                .map_err(AppError::Failed)?;
                written += 1;
            }
            println!("{written} articles written to {}", dir.display());
            Ok(())
        }
    }
}

fn given(a: &AppliesTo) -> bool {
    !a.services.is_empty()
        || !a.alerts.is_empty()
        || !a.categories.is_empty()
        || !a.problems.is_empty()
        || a.owner.is_some()
        || a.review_by.is_some()
}

/// The flags onto a draft: lists given replace its lists (all of them when `all`).
fn apply(d: &mut ArticleDraft, a: AppliesTo, all: bool) {
    if all || !a.services.is_empty() {
        d.services = a.services;
    }
    if all || !a.alerts.is_empty() {
        d.alerts = a.alerts;
    }
    if all || !a.categories.is_empty() {
        d.categories = a.categories;
    }
    if all || !a.problems.is_empty() {
        d.problems = a.problems;
    }
    if a.owner.is_some() {
        d.owner = a.owner;
    }
    if a.review_by.is_some() {
        d.review_by = a.review_by;
    }
}

fn read_body(path: &Path) -> Result<String, AppError> {
    use std::io::Read;
    let mut text = String::new();
    let limited = |r: &mut dyn Read, text: &mut String| {
        r.take(MAX_FILE_BYTES + 1)
            .read_to_string(text)
            .map_err(|e| AppError::Failed(format!("{}: {e}", path.display())))
    };
    if path == Path::new("-") {
        limited(&mut std::io::stdin(), &mut text)?;
    } else {
        let mut f = std::fs::File::open(path)
            .map_err(|e| AppError::Failed(format!("{}: {e}", path.display())))?;
        limited(&mut f, &mut text)?;
    }
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(AppError::Usage(format!(
            "{}: larger than {MAX_FILE_BYTES} bytes",
            path.display()
        )));
    }
    Ok(text)
}

/// Every `*.md` file of a folder, read and parsed, in name order; the first bad one
/// stops the import with its path and line.
fn read_folder(dir: &Path) -> Result<Vec<(String, ArticleFile)>, AppError> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| AppError::Failed(format!("{}: {e}", dir.display())))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && p.is_file())
        .collect();
    paths.sort();
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let text = read_body(&path)?;
        let file = article_file::parse(&text).map_err(|e| {
            AppError::Usage(format!("{}: {e}; nothing was imported", path.display()))
        })?;
        files.push((path.display().to_string(), file));
    }
    if files.is_empty() {
        return Err(AppError::Usage(format!(
            "{}: no .md files to import",
            dir.display()
        )));
    }
    Ok(files)
}
