//! An article as a Markdown file with YAML front matter, the way teams keep runbooks
//! in git:
//!
//! ```text
//! ---
//! key: KB-3
//! title: Fail over the orders database
//! kind: runbook
//! services: [orders-db, checkout]
//! alerts:
//!   - PostgresReplicationLag
//! ---
//! 1. Page the DBA on call
//! ```
//!
//! The front matter is the small part of YAML such files use: `name: value` lines,
//! values plain or quoted, lists inline (`[a, b]`) or as `- item` lines under the name.
//! Anything else is refused with its line.

use crate::domain::article::{ArticleDraft, ArticleKind, ArticleState};
use crate::domain::{ArticleKey, ProblemKey};
use chrono::NaiveDate;

/// A read article file: the draft, and the key it names (an export's, to update).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleFile {
    pub key: Option<ArticleKey>,
    pub draft: ArticleDraft,
}

/// What is wrong with a file, and on which line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct FileProblem {
    pub line: usize,
    pub message: String,
}

fn problem(line: usize, message: impl Into<String>) -> FileProblem {
    FileProblem {
        line,
        message: message.into(),
    }
}

const NAMES: &str =
    "key, title, kind, state, owner, review_by, services, alerts, categories, problems";

pub fn parse(text: &str) -> Result<ArticleFile, FileProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    match lines.next() {
        Some((_, l)) if l.trim_end() == "---" => {}
        _ => {
            return Err(problem(
                1,
                "no front matter: the file must begin with a '---' line",
            ));
        }
    }
    let mut fields: Vec<(usize, String, Value)> = Vec::new();
    let mut end = None;
    for (n, line) in lines.by_ref() {
        if line.trim_end() == "---" {
            end = Some(n);
            break;
        }
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if let Some(item) = line
            .trim_start()
            .strip_prefix("- ")
            .or_else(|| (line.trim() == "-").then_some(""))
        {
            match fields.last_mut() {
                Some((_, _, Value::List(items))) if line.starts_with(' ') => {
                    items.push(scalar(n, item.trim())?);
                }
                _ => {
                    return Err(problem(
                        n,
                        "a list item ('- …') must be indented under its name",
                    ));
                }
            }
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(problem(
                n,
                format!("expected 'name: value', found '{}'", shown(line)),
            ));
        };
        if line.starts_with(' ') {
            return Err(problem(n, "a name must start at the beginning of its line"));
        }
        let name = name.trim().to_string();
        if fields.iter().any(|(_, f, _)| *f == name) {
            return Err(problem(n, format!("'{name}' is given twice")));
        }
        let value = value.trim();
        let value = if value.is_empty() {
            Value::List(Vec::new())
        } else if let Some(inner) = value.strip_prefix('[') {
            let inner = inner
                .strip_suffix(']')
                .ok_or_else(|| problem(n, "an inline list must end with ']'"))?;
            Value::List(split_list(n, inner)?)
        } else {
            Value::Text(scalar(n, value)?)
        };
        fields.push((n, name, value));
    }
    let Some(end) = end else {
        return Err(problem(1, "the front matter has no closing '---' line"));
    };
    let body: String = text.lines().skip(end).collect::<Vec<_>>().join("\n");
    let body = body.trim_start_matches('\n').to_string();
    let mut draft = ArticleDraft::new(String::new(), ArticleKind::Runbook);
    let mut key = None;
    let mut saw_title = false;
    for (n, name, value) in fields {
        let text = |v: &Value| match v {
            Value::Text(t) => Ok(t.clone()),
            Value::List(l) if l.is_empty() => Ok(String::new()),
            Value::List(_) => Err(problem(n, format!("'{name}' takes one value, not a list"))),
        };
        let list = |v: Value| match v {
            Value::List(l) => l,
            Value::Text(t) => vec![t],
        };
        match name.as_str() {
            "key" => {
                let k = text(&value)?;
                key = Some(
                    k.parse::<ArticleKey>()
                        .map_err(|e| problem(n, e.to_string()))?,
                );
            }
            "title" => {
                draft.title = text(&value)?;
                saw_title = true;
            }
            "kind" => {
                draft.kind = text(&value)?
                    .replace('-', "_")
                    .parse()
                    .map_err(|e: crate::domain::UnknownVariant| problem(n, e.to_string()))?;
            }
            "state" => {
                draft.state = text(&value)?
                    .parse::<ArticleState>()
                    .map_err(|e| problem(n, e.to_string()))?;
            }
            "owner" => draft.owner = Some(text(&value)?).filter(|o| !o.is_empty()),
            "review_by" => {
                let d = text(&value)?;
                draft.review_by = if d.is_empty() {
                    None
                } else {
                    Some(NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| {
                        problem(
                            n,
                            format!("review_by '{}' is not a date (YYYY-MM-DD)", shown(&d)),
                        )
                    })?)
                };
            }
            "services" => draft.services = list(value),
            "alerts" => draft.alerts = list(value),
            "categories" => draft.categories = list(value),
            "problems" => {
                draft.problems = list(value)
                    .iter()
                    .map(|p| {
                        p.parse::<ProblemKey>()
                            .map_err(|e| problem(n, e.to_string()))
                    })
                    .collect::<Result<_, _>>()?;
            }
            other => {
                return Err(problem(
                    n,
                    format!("unknown name '{}' (expected {NAMES})", shown(other)),
                ));
            }
        }
    }
    if !saw_title {
        return Err(problem(1, "the front matter has no title"));
    }
    draft.body = body;
    let draft = draft.checked().map_err(|e| problem(1, e))?;
    Ok(ArticleFile { key, draft })
}

enum Value {
    Text(String),
    List(Vec<String>),
}

/// A value plain or quoted ("…" with \" and \\ escapes, or '…' with '' for a quote).
fn scalar(n: usize, value: &str) -> Result<String, FileProblem> {
    if let Some(inner) = value.strip_prefix('"') {
        let inner = inner
            .strip_suffix('"')
            .ok_or_else(|| problem(n, "a quoted value must end with '\"'"))?;
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('"') => out.push('"'),
                    Some('\\') => out.push('\\'),
                    Some('n') => out.push(' '),
                    other => {
                        return Err(problem(
                            n,
                            format!("unknown escape '\\{}'", other.unwrap_or(' ')),
                        ));
                    }
                }
            } else {
                out.push(c);
            }
        }
        return Ok(out);
    }
    if let Some(inner) = value.strip_prefix('\'') {
        let inner = inner
            .strip_suffix('\'')
            .ok_or_else(|| problem(n, "a quoted value must end with \"'\""))?;
        return Ok(inner.replace("''", "'"));
    }
    Ok(value.to_string())
}

/// The items of an inline list, each plain or quoted; commas inside quotes kept.
fn split_list(n: usize, inner: &str) -> Result<Vec<String>, FileProblem> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in inner.chars() {
        match quote {
            Some(q) => {
                current.push(c);
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == ',' => {
                items.push(std::mem::take(&mut current));
            }
            None => {
                if (c == '"' || c == '\'') && current.trim().is_empty() {
                    quote = Some(c);
                }
                current.push(c);
            }
        }
    }
    if quote.is_some() {
        return Err(problem(n, "a quoted item in the list is not closed"));
    }
    items.push(current);
    items
        .iter()
        .map(|i| i.trim())
        .filter(|i| !i.is_empty())
        .map(|i| scalar(n, i))
        .collect()
}

/// Outside text in a message: one line, cut short.
fn shown(text: &str) -> String {
    crate::domain::display::truncate(&crate::domain::sanitize_line(text), 60)
}

/// The file an export writes for an article: its front matter, then the body.
pub fn render(key: ArticleKey, d: &ArticleDraft) -> String {
    render_with(Some(key), d)
}

/// The file of an article not yet added: the same, with no `key:` line.
pub fn render_new(d: &ArticleDraft) -> String {
    render_with(None, d)
}

fn render_with(key: Option<ArticleKey>, d: &ArticleDraft) -> String {
    let mut out = String::from("---\n");
    if let Some(key) = key {
        out.push_str(&format!("key: {key}\n"));
    }
    out.push_str(&format!("title: {}\n", quoted(&d.title)));
    out.push_str(&format!("kind: {}\n", d.kind));
    out.push_str(&format!("state: {}\n", d.state));
    if let Some(owner) = &d.owner {
        out.push_str(&format!("owner: {}\n", quoted(owner)));
    }
    if let Some(date) = d.review_by {
        out.push_str(&format!("review_by: {date}\n"));
    }
    let problems: Vec<String> = d.problems.iter().map(ToString::to_string).collect();
    for (name, list) in [
        ("services", &d.services),
        ("alerts", &d.alerts),
        ("categories", &d.categories),
        ("problems", &problems),
    ] {
        let items: Vec<String> = list.iter().map(|i| quoted(i)).collect();
        out.push_str(&format!("{name}: [{}]\n", items.join(", ")));
    }
    out.push_str("---\n");
    out.push_str(&d.body);
    if !d.body.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A value as written: plain when it reads back the same, else double-quoted.
fn quoted(value: &str) -> String {
    let plain = !value.is_empty()
        && value.trim() == value
        && !value.contains([',', '[', ']', '"', '\'', ':', '#', '\\'])
        && !value.starts_with(['-', '&', '*', '!', '|', '>', '%', '@', '`', '{', '}']);
    if plain {
        value.to_string()
    } else {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// The file name an export gives an article: `KB-3-fail-over-the-orders-database.md`.
pub fn file_name(key: ArticleKey, title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 60 {
            break;
        }
    }
    let slug = slug.trim_matches('-');
    if slug.is_empty() {
        format!("{key}.md")
    } else {
        format!("{key}-{slug}.md")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "---\ntitle: Fail over the orders database\nkind: runbook\nstate: published\nowner: ana.silva\nreview_by: 2027-03-01\nservices: [orders-db, \"checkout, eu\"]\nalerts:\n  - PostgresReplicationLag\n  - 'Disk: full'\nproblems: [PRB-2]\n---\n\n1. Page the DBA\n2. Promote the standby\n";

    #[test]
    fn front_matter_reads_and_round_trips() {
        let read = parse(FILE).unwrap();
        let d = &read.draft;
        assert_eq!(d.title, "Fail over the orders database");
        assert_eq!(d.kind, ArticleKind::Runbook);
        assert_eq!(d.state, ArticleState::Published);
        assert_eq!(d.services, ["checkout, eu", "orders-db"]);
        assert_eq!(d.alerts, ["Disk: full", "PostgresReplicationLag"]);
        assert_eq!(d.problems, [ProblemKey(2)]);
        assert_eq!(d.review_by, NaiveDate::from_ymd_opt(2027, 3, 1));
        assert_eq!(d.body, "1. Page the DBA\n2. Promote the standby");
        let written = render(ArticleKey(3), d);
        let again = parse(&written).unwrap();
        assert_eq!(again.key, Some(ArticleKey(3)));
        assert_eq!(&again.draft, d);
    }

    #[test]
    fn bad_front_matter_says_what_and_where() {
        let cases = [
            ("title: x\n", "line 1: no front matter"),
            ("---\ntitle: x\n", "no closing '---'"),
            ("---\nkind: runbook\n---\n", "no title"),
            (
                "---\ntitle: x\ntags: [a]\n---\n",
                "line 3: unknown name 'tags'",
            ),
            ("---\ntitle: x\nkind: essay\n---\n", "line 3:"),
            (
                "---\ntitle: x\nreview_by: soon\n---\n",
                "line 3: review_by 'soon' is not a date",
            ),
            (
                "---\ntitle: x\nservices: [a, b\n---\n",
                "line 3: an inline list must end",
            ),
            ("---\ntitle: x\n- a\n---\n", "line 3: a list item"),
            (
                "---\ntitle: x\ntitle: y\n---\n",
                "line 3: 'title' is given twice",
            ),
            ("---\ntitle: x\nproblems: [TKT-1]\n---\n", "line 3:"),
        ];
        for (text, expected) in cases {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(expected), "{text:?}: {err}");
        }
    }

    #[test]
    fn file_names_are_the_key_and_a_slug() {
        assert_eq!(
            file_name(ArticleKey(3), "Fail over: the orders DB!"),
            "KB-3-fail-over-the-orders-db.md"
        );
        assert_eq!(file_name(ArticleKey(4), "¡¿"), "KB-4.md");
    }
}
