//! What pages are sent to, on loopback: a webhook receiver that keeps every request
//! (and can be slow to answer), and a real mail server (Debian's python3-aiosmtpd)
//! writing a maildir.

use super::serve::{Killed, free_port, wait_for};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Received {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("the body is JSON")
    }
}

/// A webhook receiver on a loopback port: keeps every request, answers 200 after
/// `delay` (for the requests `slow_first` counts, then at once).
pub struct Receiver {
    pub port: u16,
    pub got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    pub fn start(slow_first: usize, delay: Duration) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&got);
        std::thread::spawn(move || {
            let mut answered = 0usize;
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let slow = answered < slow_first;
                answered += 1;
                let kept = Arc::clone(&kept);
                std::thread::spawn(move || {
                    let Some(request) = read_request(&mut stream) else {
                        return;
                    };
                    kept.lock().unwrap().push(request);
                    if slow {
                        std::thread::sleep(delay);
                    }
                    let _ = stream.write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                    );
                });
            }
        });
        Receiver { port, got }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn requests(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Waits until a request matches `check`, and answers it.
    pub fn wait_for(&self, what: &str, check: impl Fn(&Received) -> bool) -> Received {
        wait_for(what, || self.requests().into_iter().find(|r| check(r)))
    }
}

fn read_request(stream: &mut std::net::TcpStream) -> Option<Received> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let path = line.split_whitespace().nth(1)?.to_string();
    let mut headers = HashMap::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.insert(name.trim().to_lowercase(), value.trim().to_string());
    }
    let length: usize = headers.get("content-length")?.parse().ok()?;
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).ok()?;
    Some(Received {
        path,
        headers,
        body: String::from_utf8(body).ok()?,
    })
}

/// Debian's Python with aiosmtpd, or why not.
pub fn mail_server_available() -> Result<(), String> {
    let ok = Command::new("/usr/bin/python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        Ok(())
    } else {
        Err("no mail server: Debian's python3-aiosmtpd is not installed".into())
    }
}

/// A real SMTP server on loopback writing what it receives into a maildir.
pub struct MailServer {
    pub port: u16,
    pub maildir: PathBuf,
    _process: Killed,
}

impl MailServer {
    pub fn start(dir: &Path) -> MailServer {
        let port = free_port();
        let maildir = dir.join("maildir");
        let process = Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let server = MailServer {
            port,
            maildir,
            _process: Killed(process),
        };
        wait_for("the mail server to listen", || {
            std::net::TcpStream::connect(("127.0.0.1", port)).ok()
        });
        server
    }

    /// Every message received, as its raw text.
    pub fn messages(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        let mut out: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
        out.sort();
        out
    }

    pub fn wait_for(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        wait_for(what, || self.messages().into_iter().find(|m| check(m)))
    }
}

/// A relay like a site's (STARTTLS required, then a login as `user`/`password`), its
/// certificate signed by a private authority made for the test (`ca`).
pub struct TlsRelay {
    pub port: u16,
    pub ca: PathBuf,
    pub mail: MailServerBox,
    _process: Killed,
}

/// Where a relay's messages land.
pub struct MailServerBox {
    pub maildir: PathBuf,
}

impl MailServerBox {
    pub fn messages(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect()
    }
}

fn openssl(dir: &Path, args: &[&str]) -> bool {
    Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl TlsRelay {
    /// `None` when openssl cannot make the certificates. `mode`: "starttls" or "tls".
    pub fn start(dir: &Path, user: &str, password: &str, mode: &str) -> Option<TlsRelay> {
        let certs = dir.join(format!("relay-certs-{mode}"));
        std::fs::create_dir_all(&certs).unwrap();
        std::fs::write(
            certs.join("ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
        )
        .unwrap();
        let made = openssl(
            &certs,
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=watchfloor-test-ca",
            ],
        ) && openssl(
            &certs,
            &[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "relay.key",
                "-out",
                "relay.csr",
                "-subj",
                "/CN=localhost",
            ],
        ) && openssl(
            &certs,
            &[
                "x509",
                "-req",
                "-in",
                "relay.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "relay.pem",
                "-days",
                "2",
                "-extfile",
                "ext",
            ],
        );
        if !made {
            return None;
        }
        let port = free_port();
        let maildir = dir.join(format!("relay-maildir-{mode}"));
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/smtp_relay.py");
        let process = Command::new("/usr/bin/python3")
            .arg(script)
            .arg(port.to_string())
            .arg(&maildir)
            .arg(certs.join("relay.pem"))
            .arg(certs.join("relay.key"))
            .args([user, password, mode])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let relay = TlsRelay {
            port,
            ca: certs.join("ca.pem"),
            mail: MailServerBox { maildir },
            _process: Killed(process),
        };
        wait_for("the relay to listen", || {
            std::net::TcpStream::connect(("127.0.0.1", port)).ok()
        });
        // aiosmtpd's controller checks its own port before it says it listens.
        std::thread::sleep(Duration::from_millis(300));
        Some(relay)
    }
}
