//! How `kb show`, `kb list` and `kb search` print articles: every piece of their text
//! made inert for the terminal.

use super::table::{self, TextStyle};
use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::article::{Article, ArticleVersion};
use crate::domain::line_diff::diff;
use crate::domain::{ArticleKey, TicketKey, sanitize_line, sanitize_text};

/// An article as `kb show` prints it; `tickets` are the latest it resolved and how
/// many it resolved in all.
pub fn print_article(
    session: &Session,
    a: &Article,
    versions: &[ArticleVersion],
    tickets: (&[TicketKey], i64),
) {
    let d = &a.draft;
    let list = |items: &[String]| {
        if items.is_empty() {
            "-".to_string()
        } else {
            sanitize_line(&items.join(", "))
        }
    };
    let problems: Vec<String> = d.problems.iter().map(ToString::to_string).collect();
    println!("{} {}", a.key, sanitize_line(&d.title));
    println!("kind        {}", d.kind);
    println!("state       {}", d.state);
    println!(
        "owner       {}",
        d.owner.as_deref().map_or("-".into(), sanitize_line)
    );
    let today = session.clock.now().date_naive();
    println!(
        "review by   {}{}",
        d.review_by.map_or("-".into(), |r| r.to_string()),
        if a.review_overdue(today) {
            " (OVERDUE)"
        } else {
            ""
        }
    );
    println!("services    {}", list(&d.services));
    println!("alerts      {}", list(&d.alerts));
    println!("categories  {}", list(&d.categories));
    println!("problems    {}", list(&problems));
    println!(
        "version     {} (edited {})",
        a.version,
        session.config.local_time(a.updated_at)
    );
    let steps = a.steps();
    if !steps.is_empty() {
        println!("steps       {}", steps.len());
    }
    let (latest, resolved) = tickets;
    if resolved > 0 {
        let keys: Vec<String> = latest.iter().map(ToString::to_string).collect();
        let more = resolved - latest.len() as i64;
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let tickets = if resolved == 1 { "ticket" } else { "tickets" };
        println!(
            "resolved    {resolved} {tickets}: {}{more}",
            keys.join(", ")
        );
    }
    println!();
    println!("{}", sanitize_text(&d.body));
    if !versions.is_empty() {
        println!();
        println!("History");
        for v in versions.iter().rev() {
            println!(
                "  version {}  {}  {}",
                v.version,
                session.config.local_time(v.edited_at),
                sanitize_line(&v.edited_by)
            );
        }
    }
}

pub fn print_list(articles: &[Article], style: TextStyle) {
    let rows: Vec<Vec<String>> = articles
        .iter()
        .map(|a| {
            vec![
                a.key.to_string(),
                a.draft.kind.to_string(),
                a.draft.state.to_string(),
                a.draft.title.clone(),
                a.draft.services.join(", "),
            ]
        })
        .collect();
    table::print(
        style,
        &["KEY", "KIND", "STATE", "TITLE", "SERVICES"],
        &rows,
        &[8, 11, 9, 50, 30],
    );
}

/// What version `n` changed, against the version before it.
pub fn print_diff(key: ArticleKey, versions: &[ArticleVersion], n: i64) -> Result<(), AppError> {
    let Some(after) = versions.iter().find(|v| v.version == n) else {
        return Err(AppError::Usage(format!(
            "--diff {n}: {key} has versions 1 to {}",
            versions.len()
        )));
    };
    let before = versions.iter().find(|v| v.version == n - 1);
    let old = before.map_or(String::new(), |b| format!("# {}\n{}", b.title, b.body));
    let new = format!("# {}\n{}", after.title, after.body);
    println!(
        "--- {key} version {}\n+++ {key} version {n} by {}",
        n - 1,
        sanitize_line(&after.edited_by)
    );
    for line in diff(&old, &new) {
        println!("{}", sanitize_line(&line.shown()));
    }
    Ok(())
}
