//! The satisfaction survey through the real binary: resolving a ticket mails its
//! requester one question through a real SMTP server, whose signed link on `serve`
//! shows the form, records the answer on the ticket once, and refuses a forged, reused
//! or expired copy; the sample rate and the cooldown decide who is asked at all.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::watchfloor_process;
use common::receivers::{MailServer, mail_server_available};
use common::serve::{http, serve_with};
use std::path::Path;
use watchfloor::domain::page_link::PageLink;

const LINK_SECRET: &str = "a-survey-link-signing-secret-forty-bytes!";

/// `watchfloor --config CONFIG --as ops ARGS…`, which must succeed.
fn run(db: &Path, config: &Path, args: &[&str]) -> String {
    common::cli::run_ok(
        watchfloor_process(db)
            .arg("--config")
            .arg(config)
            .args(["--as", "ops"])
            .args(args),
    )
}

fn new_ticket(db: &Path, config: &Path, title: &str, requester: &str) -> String {
    let out = run(
        db,
        config,
        &[
            "ticket",
            "new",
            "--title",
            title,
            "--requester",
            requester,
            "--json",
        ],
    );
    let created: serde_json::Value = serde_json::from_str(&out).unwrap();
    created["key"].as_str().unwrap().to_string()
}

fn shown(db: &Path, config: &Path, key: &str) -> serde_json::Value {
    serde_json::from_str(&run(db, config, &["ticket", "show", key, "--json"])).unwrap()
}

fn surveyed(db: &Path, config: &Path, key: &str) -> Option<String> {
    shown(db, config, key)["csat_survey"]["address"]
        .as_str()
        .map(str::to_string)
}

/// A person of the directory with a mail address: the requester of these tests.
fn requester(db: &Path, store: &watchfloor::store::Store) -> String {
    let login = common::someone(store, "engineer");
    common::cli::run_as(
        db,
        "ops",
        &[
            "person",
            "edit",
            &login,
            "--email",
            &format!("{login}@example.org"),
        ],
    );
    login
}

/// The text of a message as sent: quoted-printable soft breaks and escapes undone.
fn unfolded(message: &str) -> String {
    let joined = message.replace("=\r\n", "").replace("=\n", "");
    let mut out = String::new();
    let mut rest = joined.as_str();
    while let Some(at) = rest.find('=') {
        out.push_str(&rest[..at]);
        let code = rest.get(at + 1..at + 3).unwrap_or("");
        match u8::from_str_radix(code, 16) {
            Ok(byte) if code.len() == 2 => {
                out.push(byte as char);
                rest = &rest[at + 3..];
            }
            _ => {
                out.push('=');
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn a_resolved_tickets_requester_is_mailed_a_survey_whose_link_records_the_answer_once() {
    if let Err(why) = mail_server_available() {
        return common::skipped(&why);
    }
    let (db, store) = common::org_only();
    let dir = db.dir.path();
    let mail = MailServer::start(dir);
    let login = requester(&db.path, &store);
    let secret = dir.join("links.key");
    std::fs::write(&secret, LINK_SECRET).unwrap();
    std::fs::set_permissions(&secret, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let more = format!(
        "[pager]\npublic_url = \"https://watchfloor.test\"\nsecret_file = \"{}\"\nsend_timeout_seconds = 3\n\
         [pager.smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\nfrom = \"watchfloor@example.org\"\n\
         [csat]\nsurvey = true\nlink_days = 3\n",
        secret.display(),
        mail.port
    );
    let (_serve, port) = serve_with(&db.path, dir, None, &more);
    let config = dir.join("watchfloor.toml");
    let key = new_ticket(&db.path, &config, "VPN <b>drops</b> hourly", &login);
    let before = shown(&db.path, &config, &key);
    assert!(before["csat_survey"].is_null(), "nobody is asked before");
    run(&db.path, &config, &["ticket", "resolve", &key]);
    assert_eq!(
        surveyed(&db.path, &config, &key).as_deref(),
        Some(format!("{login}@example.org").as_str())
    );

    // The mail: to the requester, about the ticket, with its one link.
    let message = mail.wait_for("the survey", |m| m.contains("How did we do"));
    let message = unfolded(&message);
    assert!(
        message.contains(&format!("To: {login}@example.org")),
        "{message}"
    );
    assert!(message.contains(&format!("How did we do with {key}?")));
    let url = message
        .lines()
        .find_map(|l| l.strip_prefix("Answer the survey: "))
        .unwrap_or_else(|| panic!("no survey link in {message}"))
        .trim();
    let path = url
        .strip_prefix("https://watchfloor.test")
        .unwrap()
        .to_string();
    let token = path.strip_prefix("/page/").unwrap();
    let link = PageLink::verify(token, LINK_SECRET.as_bytes(), 0).unwrap();
    let days = (link.expires_at - chrono::Utc::now().timestamp()) as f64 / 86_400.0;
    assert!(
        (2.9..=3.0).contains(&days),
        "the link works link_days: {days}"
    );

    // A GET shows the question, the title escaped, and changes nothing.
    let (status, page) = http(port, "GET", &path, "", None);
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("name=\"rating\"") && page.contains("name=\"comment\""));
    assert!(page.contains("&lt;b&gt;drops") && !page.contains("<b>drops"));
    // No rating, or one out of range: asked again, nothing recorded.
    for body in ["comment=hello", "rating=9"] {
        let (status, page) = http(port, "POST", &path, body, None);
        assert_eq!(status, 400, "{body}: {page}");
        assert!(page.contains("Choose a rating"));
    }
    assert!(shown(&db.path, &config, &key)["csat"].is_null());

    // Forged (another ticket, another secret) and expired copies are refused.
    let other_ticket = PageLink {
        page: link.page + 1,
        ..link.clone()
    };
    let tampered = path.replacen(
        &format!("v1-{}-", link.page),
        &format!("v1-{}-", other_ticket.page),
        1,
    );
    assert_eq!(http(port, "POST", &tampered, "rating=1", None).0, 403);
    let foreign = link.sign(b"another-site's-secret-0123456789abcdef");
    assert_eq!(
        http(port, "POST", &format!("/page/{foreign}"), "rating=1", None).0,
        403
    );
    let expired = PageLink {
        expires_at: 1_000,
        ..link.clone()
    }
    .sign(LINK_SECRET.as_bytes());
    assert_eq!(
        http(port, "POST", &format!("/page/{expired}"), "rating=1", None).0,
        410
    );
    assert!(shown(&db.path, &config, &key)["csat"].is_null());

    // The answer is recorded, as the survey's; the same link again is refused.
    let (status, done) = http(
        port,
        "POST",
        &path,
        "rating=2&comment=Took+a+week+%3Cscript%3E",
        None,
    );
    assert_eq!(status, 200, "{done}");
    assert!(done.contains("rating of 2 of 5"));
    let after = shown(&db.path, &config, &key);
    assert_eq!(after["csat"], 2);
    assert_eq!(after["csat_response"]["via"], "survey");
    assert_eq!(after["csat_response"]["comment"], "Took a week <script>");
    let (status, again) = http(port, "POST", &path, "rating=5", None);
    assert_eq!(status, 409, "a survey is answered once: {again}");
    assert_eq!(http(port, "GET", &path, "", None).0, 409);
    assert_eq!(shown(&db.path, &config, &key)["csat"], 2);

    // The report counts the survey mailed and answered.
    let day = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let report = run(
        &db.path,
        &config,
        &["report", "--period", &format!("{day}..{day}")],
    );
    assert!(
        report.contains("| Surveys answered | 100.0% (1 of 1 mailed) |"),
        "{report}"
    );
}

#[test]
fn the_sample_rate_and_the_cooldown_decide_who_is_asked() {
    let (db, store) = common::org_only();
    let dir = db.dir.path();
    let login = requester(&db.path, &store);
    let config = dir.join("watchfloor.toml");
    let write = |text: &str| std::fs::write(&config, text).unwrap();
    let resolved = |title: &str, who: &str| {
        let key = new_ticket(&db.path, &config, title, who);
        run(&db.path, &config, &["ticket", "resolve", &key]);
        key
    };

    // Off unless asked for.
    write("");
    let off = resolved("Printer jams", &login);
    assert_eq!(surveyed(&db.path, &config, &off), None);

    // Everyone sampled; one survey per requester within the cooldown.
    write("[csat]\nsurvey = true\ncooldown_days = 30\n");
    let first = resolved("Laptop slow", &login);
    assert!(surveyed(&db.path, &config, &first).is_some());
    let second = resolved("Laptop slow again", &login);
    assert_eq!(
        surveyed(&db.path, &config, &second),
        None,
        "asked within 30 days"
    );
    let by_address = resolved("Mail bounces", "carl@example.com");
    assert_eq!(
        surveyed(&db.path, &config, &by_address).as_deref(),
        Some("carl@example.com")
    );
    // A long address is asked too; the link is signed for its first 64 characters, so
    // the link stays within what the listener reads.
    let long = format!("{}@example.org", "a".repeat(200));
    let far = resolved("Long address", &long);
    assert_eq!(
        surveyed(&db.path, &config, &far).as_deref(),
        Some(long.as_str())
    );
    assert_eq!(
        common::raw_integer(
            &db.path,
            "SELECT CAST(max(length(person)) AS BIGINT) FROM page_deliveries WHERE purpose = 'survey'"
        ),
        64
    );
    let nowhere = resolved("Badge broken", "Somebody Unknown");
    assert_eq!(surveyed(&db.path, &config, &nowhere), None, "no address");
    let shown_text = run(&db.path, &config, &["ticket", "show", &first]);
    assert!(
        shown_text.contains(&format!("asked {login}@example.org on ")),
        "{shown_text}"
    );

    // No cooldown: asked again. Reopened and resolved again: never twice a ticket.
    write("[csat]\nsurvey = true\ncooldown_days = 0\n");
    let third = resolved("Laptop slow, third time", &login);
    assert!(surveyed(&db.path, &config, &third).is_some());
    run(
        &db.path,
        &config,
        &["ticket", "reopen", &third, "--reason", "still slow"],
    );
    run(&db.path, &config, &["ticket", "resolve", &third]);
    let queued = common::raw_integer(
        &db.path,
        "SELECT count(*) FROM page_deliveries WHERE purpose = 'survey'",
    );
    assert_eq!(
        queued, 4,
        "first, by address, the long address and third: one delivery each"
    );

    // A sample rate of nothing asks nobody; a bad one is refused with its place.
    write("[csat]\nsurvey = true\ncooldown_days = 0\nsample_rate = 0.0\n");
    let unsampled = resolved("Screen flickers", &login);
    assert_eq!(surveyed(&db.path, &config, &unsampled), None);
    write("[csat]\nsurvey = true\nsample_rate = 1.5\n");
    let out = watchfloor_process(&db.path)
        .arg("--config")
        .arg(&config)
        .args(["ticket", "list"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("[csat] sample_rate = 1.5 is not a share from 0 to 1"),
        "{said}"
    );
}
