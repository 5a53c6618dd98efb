//! `watchfloor serve` in a child process and a bare HTTP client for it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_watchfloor");
pub const TOKEN: &str = "s3cret-token-for-the-tests";
const WAIT: Duration = Duration::from_secs(40);

/// A child process killed when dropped.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A bare HTTP/1.1 request; answers the status and the body.
pub fn http(port: u16, method: &str, path: &str, body: &str, token: Option<&str>) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

pub fn wait_for<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(started.elapsed() < WAIT, "waited {WAIT:?} for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// `watchfloor serve` on a free loopback port, with a token when given and a 64 KiB
/// body limit; answers the process and the port it printed.
pub fn serve(db: &Path, dir: &Path, token: Option<&str>) -> (Killed, u16) {
    serve_with(db, dir, token, "")
}

/// `serve`, with more lines of `[serve]` config.
pub fn serve_with(db: &Path, dir: &Path, token: Option<&str>, more: &str) -> (Killed, u16) {
    let config = dir.join("watchfloor.toml");
    let token_file = match token {
        Some(token) => {
            let path = dir.join("serve.token");
            std::fs::write(&path, format!("{token}\n")).unwrap();
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600))
                .unwrap();
            path.display().to_string()
        }
        None => String::new(),
    };
    std::fs::write(
        &config,
        format!(
            "[serve]\nlisten = \"127.0.0.1:0\"\ntoken_file = \"{token_file}\"\nmax_body_bytes = 65536\n{more}\n"
        ),
    )
    .unwrap();
    let mut child = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .arg("--config")
        .arg(&config)
        .args(["--as", "alertmanager", "serve"])
        .env("WATCHFLOOR_LOG_DIR", dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let port = first
        .rsplit(':')
        .next()
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {first:?}"));
    (Killed(child), port)
}
