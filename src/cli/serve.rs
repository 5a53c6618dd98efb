//! `watchfloor serve`: the webhook listener, and `GET /metrics` for Prometheus.
//! Alertmanager and Grafana POST their bodies to `/alertmanager`; each is handled like
//! `watchfloor ingest alertmanager`, one at a time, in one transaction. Loopback unless
//! configured otherwise, a bearer token when one is set, a size limit, and a malformed
//! body answered 400 with the reason; the HTTP itself (`http.rs`) keeps one slow or
//! hostile client from stalling the others.

use super::http::{self, Head, Limits, Reply, Route, Work};
use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::alert::parse_payload;
use std::net::{TcpListener, ToSocketAddrs};
use std::sync::mpsc;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (default: `[serve] listen`, loopback).
    #[arg(long, value_name = "HOST:PORT")]
    pub listen: Option<String>,
}

pub fn run(args: ServeArgs, session: &Session) -> Result<(), AppError> {
    if session.store.is_read_only() {
        return Err(AppError::Usage(
            "serve writes what alerts open; it cannot run with --read-only".into(),
        ));
    }
    let token = token(&session.config.serve)?;
    let secrets = super::pager::secrets(&session.config.pager)?;
    let link_secret = secrets.links.clone();
    let listen = args
        .listen
        .unwrap_or_else(|| session.config.serve.listen.clone());
    let loopback = listen
        .to_socket_addrs()
        .map(|mut a| a.all(|a| a.ip().is_loopback()))
        .map_err(|e| AppError::Usage(format!("--listen '{listen}': {e}")))?;
    let listener = TcpListener::bind(&listen)
        .map_err(|e| AppError::Failed(format!("cannot listen on {listen}: {e}")))?;
    let bound = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or(listen.clone());
    let engine_store = session
        .store
        .another()
        .map_err(|e| AppError::Failed(format!("cannot open the pager's connection: {e}")))?;
    let outbound = crate::notify::outbound::Outbound::new(
        session.config.pager.clone(),
        session.config.notify.clone(),
        secrets,
    )
    .with_survey_link_days(session.config.csat.link_days);
    let pager = super::pager::spawn(engine_store, session.config.clone(), outbound)?;
    println!("watchfloor listening on http://{bound} (POST /alertmanager)");
    if link_secret.is_none() || session.config.pager.public_url.is_empty() {
        eprintln!(
            "note: pages carry no acknowledge links (set [pager] public_url and secret_file, or {})",
            super::pager::PAGER_SECRET_ENV
        );
    }
    if !loopback {
        eprintln!("note: {bound} is reachable from other hosts");
    }
    if token.is_empty() {
        let who = if loopback {
            "any local user"
        } else {
            "anyone who can reach it"
        };
        eprintln!(
            "note: no token is set: {who} can post alerts (set {TOKEN_ENV} or [serve] token_file)"
        );
    }
    tracing::info!(%bound, "serving");
    let limits = Limits::new(
        session.config.serve.max_body_bytes,
        session.config.serve.requests_per_minute,
    );
    let (work, bodies) = mpsc::channel::<Work>();
    std::thread::Builder::new()
        .name("watchfloor-accept".into())
        .spawn(move || {
            http::serve(
                listener,
                limits,
                move |head| route(&token, &pager, head),
                work,
            )
        })
        .map_err(|e| AppError::Failed(format!("cannot start the listener: {e}")))?;
    // The store is used from this thread alone: one request at a time, in arrival order.
    for Work {
        method,
        path,
        body,
        answer,
    } in bodies
    {
        let reply = if path.starts_with("/page/") {
            super::page_links::answer(session, link_secret.as_deref(), &method, &path, &body)
        } else if let Some(name) = path.strip_prefix("/heartbeat/") {
            beat(session, name)
        } else if path == "/metrics" {
            metrics(session)
        } else if path == "/status" || path.starts_with("/status/") {
            status(session, &path)
        } else {
            ingest(session, &body)
        };
        let _ = answer.send(reply);
    }
    Ok(())
}

/// The environment variable that holds the listener's token.
pub const TOKEN_ENV: &str = "WATCHFLOOR_SERVE_TOKEN";

/// The bearer token: from the environment, else from `[serve] token_file` (which must
/// be readable by its owner alone, like an SSH key); empty when neither names one. A
/// token written in the config in clear is refused.
fn token(config: &crate::config::ServeConfig) -> Result<String, AppError> {
    // An empty one (the old default) says nothing and is let be.
    if config.token.as_deref().is_some_and(|t| !t.is_empty()) {
        return Err(AppError::Usage(format!(
            "[serve] token: a token is never kept in the config in clear; put it in a file named by [serve] token_file (mode 0600), or in {TOKEN_ENV}"
        )));
    }
    if let Ok(token) = std::env::var(TOKEN_ENV) {
        return checked(token.trim(), TOKEN_ENV);
    }
    if config.token_file.is_empty() {
        return Ok(String::new());
    }
    let path = std::path::Path::new(&config.token_file);
    let file = format!("[serve] token_file '{}'", path.display());
    let text = crate::app::secret_file::read_private(path, &file)?;
    checked(text.trim(), &file)
}

/// A token worth the name: 16 to 512 visible ASCII characters.
fn checked(token: &str, from: &str) -> Result<String, AppError> {
    let visible = token.chars().all(|c| c.is_ascii_graphic());
    if !(16..=512).contains(&token.len()) || !visible {
        return Err(AppError::Usage(format!(
            "{from}: a token is 16 to 512 visible ASCII characters (letters, digits, punctuation)"
        )));
    }
    Ok(token.to_string())
}

/// What the head of a request alone decides: the health check, the token, the path.
fn route(token: &str, pager: &super::pager::PagerStatus, head: &Head) -> Route {
    match (head.method.as_str(), head.path.as_str()) {
        ("GET", "/healthz") => Route::Answer(Reply::json(
            200,
            serde_json::json!({ "status": "ok", "pager": pager.to_json() }),
        )),
        ("POST", "/alertmanager" | "/") => token_first(token, head, Route::WithBody),
        (_, "/alertmanager") => Route::Answer(Reply::error(405, "POST a webhook body here")),
        // What the house looks like, for Prometheus: the same token as the webhooks.
        ("GET", "/metrics") => token_first(token, head, Route::Store),
        // The status page is public: it holds public services and updates only.
        ("GET", path) if path == "/status" || path.starts_with("/status/") => Route::Store,
        ("POST", path) if path.starts_with("/heartbeat/") => token_first(token, head, Route::Store),
        // A page link is its own credential (signed, expiring, single use).
        ("GET", path) if path.starts_with("/page/") => Route::Store,
        // The POST is the confirmation; a survey's form sends its answer. A bare POST
        // (no body declared) confirms as before.
        ("POST", path) if path.starts_with("/page/") => {
            if head.header("Content-Length").is_none() && head.header("Transfer-Encoding").is_none()
            {
                Route::Store
            } else {
                Route::WithBody
            }
        }
        _ => Route::Answer(Reply::error(
            404,
            format!("no such path: {}", head.shown_path()),
        )),
    }
}

/// `then` for a request that carries the token, else 401.
fn token_first(token: &str, head: &Head, then: Route) -> Route {
    if authorised(token, head.header("Authorization").unwrap_or("")) {
        then
    } else {
        Route::Answer(Reply::error(
            401,
            "a bearer token is required (Authorization: Bearer …)",
        ))
    }
}

fn authorised(token: &str, given: &str) -> bool {
    if token.is_empty() {
        return true;
    }
    let given = given.trim();
    let expected = format!("Bearer {token}");
    // Compared in full whatever the first difference, so timing says nothing.
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// `POST /heartbeat/NAME`: the beat recorded, and when the next is due.
fn beat(session: &Session, name: &str) -> Reply {
    match session.workflow().beat(name) {
        Ok(beat) => Reply::json(
            200,
            serde_json::json!({
                "heartbeat": beat.heartbeat.name,
                "next_due": beat.heartbeat.due_at(),
                "closed": beat.closed,
            }),
        ),
        Err(crate::workflow::WorkflowError::NotFound(what)) => Reply::error(
            404,
            format!("no {what}; add it with `watchfloor heartbeat add`"),
        ),
        Err(e) => Reply::error(500, format!("{e}; nothing was written")),
    }
}

/// `GET /metrics`: the gauges, counters and histograms of the house, read now.
fn metrics(session: &Session) -> Reply {
    let now = session.clock.now();
    match crate::metrics::exposition::gather(&session.store, now) {
        Ok(gathered) => Reply::metrics(crate::metrics::exposition::render(&gathered)),
        Err(e) => Reply::error(500, format!("cannot read the store: {e}")),
    }
}

/// `GET /status` (and `/status/status.json`, `/status/feed.atom`): the status page as
/// it is now.
fn status(session: &Session, path: &str) -> Reply {
    let rest = path.strip_prefix("/status").unwrap_or(path);
    let wanted = match rest.strip_prefix('/').unwrap_or(rest) {
        "" | "index.html" => "index.html",
        other => other,
    };
    // Its links are relative, as in the static site: they resolve under /status/.
    let documents = match super::status_page::documents(session, Some("/status/")) {
        Ok(documents) => documents,
        Err(e) => return Reply::error(500, format!("cannot read the store: {e}")),
    };
    match documents.into_iter().find(|(name, _, _)| *name == wanted) {
        Some(("index.html", _, page)) => Reply::html(200, page),
        Some((_, content_type, text)) => Reply::text(content_type, text),
        None => Reply::error(
            404,
            "the status page has index.html, status.json and feed.atom",
        ),
    }
}

fn ingest(session: &Session, body: &[u8]) -> Reply {
    let payload = match parse_payload(body) {
        Ok(p) => p,
        Err(e) => return Reply::error(400, format!("{e}; nothing was written")),
    };
    match session.workflow().ingest_alerts(&payload) {
        Ok(summary) => Reply::json(200, serde_json::to_value(&summary).unwrap_or_default()),
        Err(e) => Reply::error(500, format!("{e}; nothing was written")),
    }
}
