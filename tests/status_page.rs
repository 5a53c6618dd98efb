//! The status page: public services and public updates only — a private service, an
//! incident's internal title, its notes and internal updates never reach the page, its
//! JSON or its feed —, hostile text escaped, the state of each service and the
//! maintenance announced, written by `status-page --out` and served by `serve` at
//! `/status`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::run_as;
use common::org_only;
use common::serve::{http, serve};

const HOSTILE: &str = "Orders fail <img src=x onerror=alert(1)> & \"quotes\" \u{1b}[31m";

fn declare(db: &std::path::Path, title: &str, severity: &str, services: &[&str]) -> String {
    common::cli::declare(db, "ops", title, severity, services)
}

fn update(db: &std::path::Path, key: &str, text: &str, public: bool) {
    let mut args = vec!["incident", "update", key, "--text", text];
    if public {
        args.push("--public");
    }
    run_as(db, "ops", &args);
}

/// A house with one public service (checkout) and a private one (sso), incidents on
/// both, and internal and public text on each.
fn house() -> (common::TempDb, String) {
    let (db, _store) = org_only();
    run_as(
        &db.path,
        "ops",
        &["service", "edit", "checkout", "--public", "true"],
    );
    let both = declare(
        &db.path,
        "db-7 wedged by the backup job",
        "SEV1",
        &["checkout", "sso"],
    );
    run_as(
        &db.path,
        "ops",
        &["incident", "note", &both, "secret internal note"],
    );
    update(&db.path, &both, "internal update for the bridge", false);
    update(&db.path, &both, HOSTILE, true);
    let private = declare(&db.path, "sso certificate expired", "SEV2", &["sso"]);
    update(&db.path, &private, "Single sign-on is failing", true);
    (db, both)
}

fn assert_nothing_private(text: &str) {
    for private in [
        "db-7",
        "secret internal note",
        "internal update for the bridge",
        "Single sign-on is failing",
        "sso certificate",
        "\"sso\"",
        ">sso<",
        "\u{1b}",
    ] {
        assert!(!text.contains(private), "{private:?} leaked into:\n{text}");
    }
}

#[test]
fn the_static_site_shows_public_things_only_and_escapes_them() {
    let (db, incident) = house();
    let out = db.dir.path().join("site");
    let said = run_as(
        &db.path,
        "ops",
        &["status-page", "--out", out.to_str().unwrap()],
    );
    assert!(said.contains("status page written"), "{said}");
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    let json = std::fs::read_to_string(out.join("status.json")).unwrap();
    let atom = std::fs::read_to_string(out.join("feed.atom")).unwrap();
    for text in [&html, &json, &atom] {
        assert_nothing_private(text);
    }
    for markup in [&html, &atom] {
        assert!(
            !markup.contains("<img"),
            "outside text is escaped: {markup}"
        );
    }
    assert!(html.contains("Major outage"), "{html}");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;"));
    assert!(!html.contains("<script"), "no script on the page");
    let page: serde_json::Value = serde_json::from_str(&json).unwrap();
    let services: Vec<&str> = page["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(services, ["checkout"]);
    assert_eq!(page["services"][0]["status"], "major_outage");
    assert_eq!(page["services"][0]["days"].as_array().unwrap().len(), 90);
    assert_eq!(page["incidents"].as_array().unwrap().len(), 1);
    assert_eq!(page["incidents"][0]["id"], incident.as_str());
    assert_eq!(
        page["incidents"][0]["services"],
        serde_json::json!(["checkout"])
    );
    assert!(atom.contains(&format!("urn:watchfloor:{incident}:")));
    // The feed is XML a reader can parse (checked by Python's parser where there is one).
    let feed = db.dir.path().join("feed.atom");
    std::fs::write(&feed, &atom).unwrap();
    if let Ok(parsed) = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])",
        ])
        .arg(&feed)
        .output()
    {
        assert!(
            parsed.status.success(),
            "{}",
            String::from_utf8_lossy(&parsed.stderr)
        );
    }
}

#[test]
fn serve_answers_the_status_page_without_a_token() {
    let (db, key) = house();
    let dir = tempfile::tempdir().unwrap();
    let (_serve, port) = serve(&db.path, dir.path(), Some(common::serve::TOKEN));
    let (status, html) = http(port, "GET", "/status", "", None);
    assert_eq!(status, 200);
    assert!(html.contains("<base href=\"/status/\">"), "{html}");
    assert!(html.contains("Major outage"));
    assert_nothing_private(&html);
    let (status, json) = http(port, "GET", "/status/status.json", "", None);
    assert_eq!(status, 200);
    let page: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(page["overall"], "major_outage");
    let (status, atom) = http(port, "GET", "/status/feed.atom", "", None);
    assert_eq!(status, 200);
    assert!(atom.starts_with("<?xml"));
    assert_eq!(http(port, "GET", "/status/secrets", "", None).0, 404);
    // Resolved: the page says so at the next request.
    run_as(&db.path, "ops", &["incident", "resolve", &key]);
    let (_, json) = http(port, "GET", "/status/status.json", "", None);
    let page: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(page["services"][0]["status"], "operational");
    assert_eq!(page["incidents"][0]["resolved"], true);
}

/// Whether Debian's chromium is here to run.
fn have_chromium() -> bool {
    std::process::Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A page loaded in headless chromium at a phone's size: its stdout and its log.
fn chromium(url: &str, extra: &[&str]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=412,915",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn a_real_browser_shows_the_active_incident_with_no_console_errors() {
    if !have_chromium() {
        return common::skipped("chromium is missing (Debian's chromium)");
    }
    let (db, _key) = house();
    let dir = tempfile::tempdir().unwrap();
    let (_serve, port) = serve(&db.path, dir.path(), None);
    let url = format!("http://127.0.0.1:{port}/status");
    let browse = |extra: &[&str]| chromium(&url, extra);
    let (dom, log) = browse(&["--dump-dom"]);
    assert!(dom.contains("Major outage: checkout"), "{dom}");
    assert!(
        dom.contains("Orders fail"),
        "the latest public update: {dom}"
    );
    assert_nothing_private(&dom);
    let console: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Refused to"))
        .collect();
    assert!(console.is_empty(), "console messages: {console:?}");
    let shot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("status-page.png");
    let _ = std::fs::remove_file(&shot);
    browse(&[&format!("--screenshot={}", shot.display())]);
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG"),
        "a screenshot is kept at {}",
        shot.display()
    );
    eprintln!("status page screenshot: {}", shot.display());
}

#[test]
fn every_text_and_bar_of_the_page_meets_aa_contrast_as_a_browser_draws_it() {
    if !have_chromium() {
        return common::skipped("chromium is missing (Debian's chromium)");
    }
    let (db, incident) = house();
    // A past incident too, so every part of the page is drawn.
    let earlier = declare(&db.path, "Checkout slow", "SEV3", &["checkout"]);
    update(&db.path, &earlier, "Checkout is slower than usual", true);
    run_as(&db.path, "ops", &["incident", "resolve", &earlier]);
    let _ = incident;
    let site = db.dir.path().join("site");
    run_as(
        &db.path,
        "ops",
        &["status-page", "--out", site.to_str().unwrap()],
    );
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/status_page/contrast.html"
        ),
        site.join("contrast.html"),
    )
    .unwrap();
    let url = format!("file://{}", site.join("contrast.html").display());
    let (dom, log) = chromium(
        &url,
        &[
            "--allow-file-access-from-files",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ],
    );
    let start = dom.find("<pre id=\"verdict\">").expect("the verdict") + 18;
    let end = start + dom[start..].find("</pre>").unwrap();
    let verdict: serde_json::Value = serde_json::from_str(&dom[start..end])
        .unwrap_or_else(|e| panic!("{e}: {}\n{log}", &dom[start..end]));
    assert!(
        verdict["texts"].as_u64().unwrap() >= 10,
        "the page's text was measured: {verdict}"
    );
    assert!(verdict["bars"].as_u64().unwrap() >= 90, "{verdict}");
    assert_eq!(verdict["failures"], serde_json::json!([]), "{verdict}");
}
