//! `watchfloor serve`: the webhook listener. Alertmanager and Grafana POST their bodies
//! to `/alertmanager`; each is handled like `watchfloor ingest alertmanager`, one at a
//! time, in one transaction. Loopback unless configured otherwise, a bearer token when
//! one is set, a size limit, and a malformed body answered 400 with the reason.

use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::alert::parse_payload;
use std::io::Read;
use std::net::ToSocketAddrs;
use tiny_http::{Header, Method, Request, Response, Server};

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (default: `[serve] listen`, loopback).
    #[arg(long, value_name = "HOST:PORT")]
    pub listen: Option<String>,
}

/// An answer: the status and a JSON body.
struct Reply {
    status: u16,
    body: serde_json::Value,
}

impl Reply {
    fn error(status: u16, message: impl Into<String>) -> Reply {
        Reply {
            status,
            body: serde_json::json!({ "error": message.into() }),
        }
    }
}

pub fn run(args: ServeArgs, session: &Session) -> Result<(), AppError> {
    if session.store.is_read_only() {
        return Err(AppError::Usage(
            "serve writes what alerts open; it cannot run with --read-only".into(),
        ));
    }
    let listen = args
        .listen
        .unwrap_or_else(|| session.config.serve.listen.clone());
    let loopback = listen
        .to_socket_addrs()
        .map(|mut a| a.all(|a| a.ip().is_loopback()))
        .map_err(|e| AppError::Usage(format!("--listen '{listen}': {e}")))?;
    let server = Server::http(&listen)
        .map_err(|e| AppError::Failed(format!("cannot listen on {listen}: {e}")))?;
    let bound = server
        .server_addr()
        .to_ip()
        .map(|a| a.to_string())
        .unwrap_or(listen.clone());
    println!("watchfloor listening on http://{bound} (POST /alertmanager)");
    if !loopback {
        println!("note: {bound} is reachable from other hosts");
    }
    if session.config.serve.token.is_empty() && !loopback {
        println!("note: no [serve] token is set: anyone who can reach it can post alerts");
    }
    tracing::info!(%bound, "serving");
    for mut request in server.incoming_requests() {
        let reply = answer(session, &mut request);
        tracing::info!(
            method = %request.method(),
            url = %request.url(),
            status = reply.status,
            "request"
        );
        let mut response =
            Response::from_string(reply.body.to_string() + "\n").with_status_code(reply.status);
        if let Ok(json) = Header::from_bytes("Content-Type", "application/json") {
            response = response.with_header(json);
        }
        if let Err(e) = request.respond(response) {
            tracing::warn!(error = %e, "could not answer");
        }
    }
    Ok(())
}

fn answer(session: &Session, request: &mut Request) -> Reply {
    let path = request.url().split('?').next().unwrap_or("").to_string();
    match (request.method(), path.as_str()) {
        (Method::Get, "/healthz") => Reply {
            status: 200,
            body: serde_json::json!({ "status": "ok" }),
        },
        (Method::Post, "/alertmanager" | "/") => {
            if !authorised(&session.config.serve.token, request) {
                return Reply::error(401, "a bearer token is required (Authorization: Bearer …)");
            }
            ingest(session, request)
        }
        (_, "/alertmanager") => Reply::error(405, "POST a webhook body here"),
        _ => Reply::error(404, format!("no such path: {path}")),
    }
}

fn authorised(token: &str, request: &Request) -> bool {
    if token.is_empty() {
        return true;
    }
    let given = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Authorization"))
        .map(|h| h.value.as_str().trim().to_string())
        .unwrap_or_default();
    let expected = format!("Bearer {token}");
    // Compared in full whatever the first difference, so timing says nothing.
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

fn ingest(session: &Session, request: &mut Request) -> Reply {
    let limit = session.config.serve.max_body_bytes;
    if request.body_length().is_some_and(|n| n as u64 > limit) {
        return Reply::error(413, format!("the body is over {limit} bytes"));
    }
    let mut body = Vec::new();
    if let Err(e) = request.as_reader().take(limit + 1).read_to_end(&mut body) {
        return Reply::error(400, format!("could not read the body: {e}"));
    }
    if body.len() as u64 > limit {
        return Reply::error(413, format!("the body is over {limit} bytes"));
    }
    let payload = match parse_payload(&body) {
        Ok(p) => p,
        Err(e) => return Reply::error(400, format!("{e}; nothing was written")),
    };
    match session.workflow().ingest_alerts(&payload) {
        Ok(summary) => Reply {
            status: 200,
            body: serde_json::to_value(&summary).unwrap_or_default(),
        },
        Err(e) => Reply::error(500, format!("{e}; nothing was written")),
    }
}
