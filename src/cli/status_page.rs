//! `watchfloor status-page --out DIR`: the public status page as a static site
//! (`index.html`, `status.json`, `feed.atom`), each file replaced whole so a web
//! server never serves half of one; and the same three documents for `serve`'s
//! `/status`, rendered afresh on every request.

use crate::app::error::AppError;
use crate::app::session::Session;
use crate::export::status_page::{atom, html, json};
use crate::views::status_page::status_page;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct StatusPageArgs {
    /// The folder to write it to (made if missing).
    #[arg(long)]
    pub out: PathBuf,
}

/// The three documents of the page now: (file name, content type, text); `base` is
/// where the page is served from (`/status/`), none for the static site.
pub fn documents(
    session: &Session,
    base: Option<&str>,
) -> Result<Vec<(&'static str, &'static str, String)>, AppError> {
    let config = &session.config;
    let page = status_page(&session.store, config, session.clock.now())?;
    let zone = config.business_hours.time_zone.0;
    let public = config.pager.public_url.trim_end_matches('/');
    let feed_link = if public.is_empty() {
        String::new()
    } else {
        format!("{public}/status")
    };
    Ok(vec![
        (
            "index.html",
            "text/html; charset=utf-8",
            html(&page, zone, base),
        ),
        ("status.json", "application/json", json(&page)),
        (
            "feed.atom",
            "application/atom+xml; charset=utf-8",
            atom(&page, &feed_link),
        ),
    ])
}

pub fn run(args: StatusPageArgs, session: &Session) -> Result<(), AppError> {
    std::fs::create_dir_all(&args.out)
        .map_err(|e| AppError::Failed(format!("{}: {e}", args.out.display())))?;
    for (name, _, text) in documents(session, None)? {
        replace(&args.out.join(name), text.as_bytes())?;
    }
    println!(
        "status page written to {} (index.html, status.json, feed.atom)",
        args.out.display()
    );
    Ok(())
}

/// Writes beside the file, then renames over it.
fn replace(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    let fail = |e: std::io::Error| AppError::Failed(format!("{}: {e}", path.display()));
    let partial = path.with_extension("partial");
    std::fs::write(&partial, bytes).map_err(fail)?;
    std::fs::rename(&partial, path).map_err(fail)
}
