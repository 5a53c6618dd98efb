//! The listener's HTTP/1.1, kept small and hostile-proof: every connection has a thread
//! of its own (up to a limit), so a slow or lying client stalls only itself; reads time
//! out; the head of a request is capped; a body is read only after its sender is
//! authorised and only up to the limit its `Content-Length` must declare — a refused
//! body is never read, the connection is closed instead. Each answer closes its
//! connection. What a request asks is handed to the one thread that owns the store.

use super::rate_limit::{Refusal, SourceLimits};
use crate::domain::display::truncate;
use crate::domain::sanitize_line;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Sender};
use std::time::{Duration, Instant};

/// The bounds every request is held to.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The request line and headers together.
    pub max_head_bytes: usize,
    pub max_body_bytes: u64,
    /// Each read waits at most this long.
    pub read_timeout: Duration,
    /// A whole request must arrive within this.
    pub request_deadline: Duration,
    /// Connections handled at once; more are answered 503 and closed.
    pub max_connections: usize,
    /// Requests a minute from one address (0: no limit); more are answered 429.
    pub per_source_per_minute: u32,
    /// Connections one address may hold at once; more are answered 429.
    pub connections_per_source: usize,
}

impl Limits {
    pub fn new(max_body_bytes: u64, per_source_per_minute: u32) -> Limits {
        Limits {
            max_head_bytes: 16 * 1024,
            max_body_bytes,
            read_timeout: Duration::from_secs(10),
            request_deadline: Duration::from_secs(30),
            max_connections: 64,
            per_source_per_minute,
            connections_per_source: 32,
        }
    }
}

/// A request whose head has been read; its body only when the route wants it.
pub struct Head {
    pub method: String,
    /// The target without its query string.
    pub path: String,
    headers: Vec<(String, String)>,
}

impl Head {
    /// A header's value (names compared without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The target as it may be logged: one line, cut short.
    pub fn shown_path(&self) -> String {
        truncate(&sanitize_line(&self.path), 200)
    }
}

/// An answer: a status and a JSON body, or a page for a person's browser.
pub struct Reply {
    pub status: u16,
    pub body: serde_json::Value,
    /// A whole HTML document, sent instead of the JSON body.
    pub html: Option<String>,
    /// Another text document (its content type and text), sent instead of the JSON
    /// body: Prometheus's exposition, an Atom feed.
    pub text: Option<(&'static str, String)>,
    /// Seconds, for a 429 or 503.
    pub retry_after: Option<u64>,
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply {
            status,
            body,
            html: None,
            text: None,
            retry_after: None,
        }
    }

    /// A page for a browser; every piece of outside text in it is the caller's to escape.
    pub fn html(status: u16, document: String) -> Reply {
        Reply {
            html: Some(document),
            ..Reply::json(status, serde_json::Value::Null)
        }
    }

    /// Metrics in Prometheus's text format (version 0.0.4).
    pub fn metrics(text: String) -> Reply {
        Reply::text("text/plain; version=0.0.4; charset=utf-8", text)
    }

    /// A text document of this content type.
    pub fn text(content_type: &'static str, text: String) -> Reply {
        Reply {
            text: Some((content_type, text)),
            ..Reply::json(200, serde_json::Value::Null)
        }
    }

    pub fn error(status: u16, message: impl Into<String>) -> Reply {
        Reply::json(status, serde_json::json!({ "error": message.into() }))
    }
}

/// What a connection decides from the head alone.
pub enum Route {
    /// Answer now; no body is read.
    Answer(Reply),
    /// Read the body, then hand it to the store's thread.
    WithBody,
    /// Hand the request to the store's thread without a body.
    Store,
}

/// A request for the store's thread, and where its answer goes.
pub struct Work {
    pub method: String,
    pub path: String,
    pub body: Vec<u8>,
    pub answer: Sender<Reply>,
}

/// Accepts connections on `listener` until the process ends, each on its own thread:
/// `route` decides from the head (and must be quick: it runs on the connection's
/// thread), and bodies go to `work`, which the caller's thread serves one at a time.
pub fn serve(
    listener: TcpListener,
    limits: Limits,
    route: impl Fn(&Head) -> Route + Send + Sync + 'static,
    work: Sender<Work>,
) {
    let route = Arc::new(route);
    let active = Arc::new(AtomicUsize::new(0));
    let sources = Arc::new(SourceLimits::new(
        limits.per_source_per_minute,
        limits.connections_per_source,
    ));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
        if active.load(Ordering::SeqCst) >= limits.max_connections {
            let mut busy = Reply::error(503, "too many connections");
            busy.retry_after = Some(1);
            let _ = write_reply(&mut stream, &busy);
            continue;
        }
        let Ok(source) = stream.peer_addr().map(|a| a.ip()) else {
            continue;
        };
        active.fetch_add(1, Ordering::SeqCst);
        let (route, work, limits, active, sources) = (
            route.clone(),
            work.clone(),
            limits.clone(),
            active.clone(),
            sources.clone(),
        );
        let spawned = std::thread::Builder::new()
            .name("watchfloor-http".into())
            .spawn(move || {
                match sources.admit(source, Instant::now()) {
                    Ok(()) => {
                        handle(&mut stream, &limits, route.as_ref(), &work);
                        sources.release(source);
                    }
                    // Answered on a thread of its own too, so the client reads it
                    // instead of a reset.
                    Err(refusal) => {
                        let _ = write_reply(&mut stream, &refused(refusal));
                        close_gently(&mut stream);
                    }
                }
                active.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            tracing::warn!("could not start a connection thread");
        }
    }
}

fn refused(refusal: Refusal) -> Reply {
    match refusal {
        Refusal::TooMany {
            retry_after_seconds,
        } => {
            let mut reply = Reply::error(429, "too many requests from this address");
            reply.retry_after = Some(retry_after_seconds);
            reply
        }
        Refusal::TooManyConnections => {
            let mut reply = Reply::error(429, "too many connections from this address");
            reply.retry_after = Some(1);
            reply
        }
    }
}

fn handle(
    stream: &mut TcpStream,
    limits: &Limits,
    route: &(impl Fn(&Head) -> Route + ?Sized),
    work: &Sender<Work>,
) {
    let started = Instant::now();
    let _ = stream.set_read_timeout(Some(limits.read_timeout));
    let _ = stream.set_write_timeout(Some(limits.read_timeout));
    let (head, rest) = match read_head(stream, limits, started) {
        Ok(read) => read,
        Err(reply) => {
            log_refused(None, &reply);
            let _ = write_reply(stream, &reply);
            close_gently(stream);
            return;
        }
    };
    let hand_over = |body: Vec<u8>| {
        let (answer, answered) = mpsc::channel();
        let request = Work {
            method: head.method.clone(),
            path: head.path.clone(),
            body,
            answer,
        };
        match work.send(request) {
            Ok(()) => answered
                .recv()
                .unwrap_or_else(|_| Reply::error(500, "the listener is stopping")),
            Err(_) => Reply::error(500, "the listener is stopping"),
        }
    };
    let reply = match route(&head) {
        Route::Answer(reply) => reply,
        Route::Store => hand_over(Vec::new()),
        Route::WithBody => match read_body(stream, &head, rest, limits, started) {
            Err(reply) => reply,
            Ok(body) => hand_over(body),
        },
    };
    tracing::info!(
        method = %sanitize_line(&head.method),
        url = %head.shown_path(),
        status = reply.status,
        "request"
    );
    let _ = write_reply(stream, &reply);
    close_gently(stream);
}

/// After the answer: the sending side shut, then a little of what the client may still
/// be sending (an unread body) read and dropped — at most 64 KiB, for at most a second
/// — so the close does not reset the connection before the client reads the answer.
/// This thread is the client's alone, so nobody else waits for it.
fn close_gently(stream: &mut TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(250)));
    let started = Instant::now();
    let mut left = 64 * 1024usize;
    let mut chunk = [0u8; 4096];
    while left > 0 && started.elapsed() < Duration::from_secs(1) {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

fn log_refused(head: Option<&Head>, reply: &Reply) {
    tracing::info!(
        url = %head.map(Head::shown_path).unwrap_or_default(),
        status = reply.status,
        "request refused before its head was read"
    );
}

/// The request line and headers, and whatever of the body came with them.
fn read_head(
    stream: &mut TcpStream,
    limits: &Limits,
    started: Instant,
) -> Result<(Head, Vec<u8>), Reply> {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(at) = find(&buffer, b"\r\n\r\n") {
            break at;
        }
        within_deadline(stream, limits, started, "the request's head")?;
        if buffer.len() > limits.max_head_bytes {
            return Err(Reply::error(431, "the request's head is too large"));
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Err(Reply::error(400, "the connection closed mid-request")),
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(_) => {
                return Err(Reply::error(
                    408,
                    "the request's head did not arrive in time",
                ));
            }
        }
    };
    if end > limits.max_head_bytes {
        return Err(Reply::error(431, "the request's head is too large"));
    }
    let text = std::str::from_utf8(&buffer[..end])
        .map_err(|_| Reply::error(400, "the request's head is not UTF-8"))?;
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next().unwrap_or("").split(' ');
    let (method, target, version) = (
        request_line.next().unwrap_or(""),
        request_line.next().unwrap_or(""),
        request_line.next().unwrap_or(""),
    );
    if method.is_empty() || !target.starts_with('/') || !version.starts_with("HTTP/1.") {
        return Err(Reply::error(400, "not an HTTP/1 request line"));
    }
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| Reply::error(400, "a header line without a colon"))?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let head = Head {
        method: method.to_string(),
        path: target.split('?').next().unwrap_or("").to_string(),
        headers,
    };
    Ok((head, buffer[end + 4..].to_vec()))
}

/// Exactly the declared body, refused without reading when it is not declared or is
/// over the limit, and given up when it does not arrive by the deadline.
fn read_body(
    stream: &mut TcpStream,
    head: &Head,
    mut body: Vec<u8>,
    limits: &Limits,
    started: Instant,
) -> Result<Vec<u8>, Reply> {
    if head.header("Transfer-Encoding").is_some() {
        return Err(Reply::error(411, "send the body with a Content-Length"));
    }
    let declared: u64 = head
        .header("Content-Length")
        .ok_or_else(|| Reply::error(411, "a Content-Length is required"))?
        .parse()
        .map_err(|_| Reply::error(400, "the Content-Length is not a number"))?;
    let limit = limits.max_body_bytes;
    if declared > limit {
        return Err(Reply::error(413, format!("the body is over {limit} bytes")));
    }
    let declared = declared as usize;
    if body.len() > declared {
        body.truncate(declared);
    }
    let mut chunk = [0u8; 8192];
    while body.len() < declared {
        within_deadline(stream, limits, started, "the body")?;
        let want = (declared - body.len()).min(chunk.len());
        match stream.read(&mut chunk[..want]) {
            Ok(0) => {
                return Err(Reply::error(
                    400,
                    "the body is shorter than its Content-Length",
                ));
            }
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(_) => return Err(Reply::error(408, "the body did not arrive in time")),
        }
    }
    Ok(body)
}

/// The next read may wait only what is left of the whole request's deadline (and never
/// more than the read timeout), so a client trickling a byte at a time is cut off when
/// the deadline passes, not a read timeout after each byte.
fn within_deadline(
    stream: &TcpStream,
    limits: &Limits,
    started: Instant,
    what: &str,
) -> Result<(), Reply> {
    let left = limits.request_deadline.saturating_sub(started.elapsed());
    if left.is_zero() {
        return Err(Reply::error(408, format!("{what} did not arrive in time")));
    }
    let _ = stream.set_read_timeout(Some(left.min(limits.read_timeout)));
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A page's headers: nothing from elsewhere runs or loads in it, it is never framed or
/// cached, and the link in its address is not passed on.
const HTML_HEADERS: &str = "Content-Type: text/html; charset=utf-8\r\n\
Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'\r\n\
X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nCache-Control: no-store\r\n";

fn write_reply(stream: &mut TcpStream, reply: &Reply) -> std::io::Result<()> {
    let (body, kind) = match (&reply.html, &reply.text) {
        (Some(page), _) => (page.clone(), HTML_HEADERS.to_string()),
        (None, Some((content_type, text))) => (
            text.clone(),
            format!(
                "Content-Type: {content_type}\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n"
            ),
        ),
        (None, None) => (
            reply.body.to_string() + "\n",
            "Content-Type: application/json\r\n".to_string(),
        ),
    };
    let reason = match reply.status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    };
    let retry = reply
        .retry_after
        .map(|s| format!("Retry-After: {s}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "HTTP/1.1 {} {reason}\r\n{kind}Content-Length: {}\r\n{retry}Connection: close\r\n\r\n{body}",
        reply.status,
        body.len()
    )?;
    stream.flush()
}
