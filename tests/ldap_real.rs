//! `watchfloor org sync-ldap` against a real OpenLDAP `slapd` on loopback, its tree
//! loaded with `slapadd` in a temporary directory: the plan first, then the sync, a
//! second sync that changes nothing, and a person who left deactivated. Skipped, saying
//! so, where Debian's `slapd` is not installed.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::{run_ok, temp, watchfloor, watchfloor_process};
use common::serve::{Killed, free_port, wait_for};
use predicates::prelude::*;
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;

const SUFFIX: &str = "dc=example,dc=org";
const ADMIN: &str = "cn=admin,dc=example,dc=org";
const PASSWORD: &str = "throwaway-ldap-secret";

fn person(login: &str, name: &str, manager: Option<&str>) -> String {
    let manager = manager
        .map(|m| format!("manager: uid={m},ou=people,{SUFFIX}\n"))
        .unwrap_or_default();
    let sn = name.split(' ').next_back().unwrap();
    format!(
        "dn: uid={login},ou=people,{SUFFIX}\nobjectClass: inetOrgPerson\nuid: {login}\ncn: {name}\nsn: {sn}\nmail: {login}@example.org\ntelephoneNumber: +44 20 7946 0100\n{manager}\n"
    )
}

fn tree(with_cy: bool) -> String {
    let mut ldif = format!(
        "dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n\n\
         dn: ou=people,{SUFFIX}\nobjectClass: organizationalUnit\nou: people\n\n\
         dn: ou=groups,{SUFFIX}\nobjectClass: organizationalUnit\nou: groups\n\n"
    );
    ldif.push_str(&person("bo.chen", "Bo Chen", None));
    ldif.push_str(&person("ana.silva", "Ana Silva", Some("bo.chen")));
    if with_cy {
        ldif.push_str(&person("cy.diaz", "Cy Diaz", Some("bo.chen")));
    }
    let cy = if with_cy {
        format!("member: uid=cy.diaz,ou=people,{SUFFIX}\n")
    } else {
        String::new()
    };
    ldif.push_str(&format!(
        "dn: cn=network,ou=groups,{SUFFIX}\nobjectClass: groupOfNames\ncn: network\ndescription: Network operations\n\
         member: uid=ana.silva,ou=people,{SUFFIX}\nmember: uid=bo.chen,ou=people,{SUFFIX}\n{cy}\n\
         dn: cn=identity,ou=groups,{SUFFIX}\nobjectClass: groupOfUniqueNames\ncn: identity\n\
         uniqueMember: uid=ana.silva,ou=people,{SUFFIX}\n\n"
    ));
    ldif
}

/// A slapd serving `ldif` from a new database under `dir`, and its port.
fn slapd(dir: &Path, ldif: &str) -> (Killed, u16) {
    let db = dir.join("db");
    let _ = std::fs::remove_dir_all(&db);
    std::fs::create_dir_all(&db).unwrap();
    let conf = dir.join("slapd.conf");
    std::fs::write(
        &conf,
        format!(
            "include /etc/ldap/schema/core.schema\ninclude /etc/ldap/schema/cosine.schema\n\
             include /etc/ldap/schema/inetorgperson.schema\ninclude /etc/ldap/schema/nis.schema\n\
             modulepath /usr/lib/ldap\nmoduleload back_mdb\n\
             database mdb\nsuffix \"{SUFFIX}\"\nrootdn \"{ADMIN}\"\nrootpw {PASSWORD}\n\
             directory {}\nmaxsize 10485760\n",
            db.display()
        ),
    )
    .unwrap();
    let tree = dir.join("tree.ldif");
    std::fs::write(&tree, ldif).unwrap();
    let loaded = Command::new("slapadd")
        .arg("-f")
        .arg(&conf)
        .arg("-l")
        .arg(&tree)
        .output()
        .unwrap();
    assert!(
        loaded.status.success(),
        "slapadd: {}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    let port = free_port();
    // -d 0 keeps slapd in the foreground, so the guard's kill stops it.
    let child = Command::new("slapd")
        .arg("-f")
        .arg(&conf)
        .arg("-h")
        .arg(format!("ldap://127.0.0.1:{port}/"))
        .args(["-d", "0"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let guard = Killed(child);
    wait_for("slapd to listen", || {
        TcpStream::connect(("127.0.0.1", port)).ok()
    });
    (guard, port)
}

fn slapd_available() -> bool {
    Command::new("slapd").arg("-VV").output().is_ok() && Path::new("/usr/lib/ldap").exists()
}

#[test]
fn people_and_teams_come_from_a_real_directory_server_and_people_who_left_are_deactivated() {
    if !slapd_available() {
        return common::skipped("slapd is not installed (Debian's slapd and ldap-utils)");
    }
    let (tmp, db) = temp();
    let ldap_dir = tmp.dir.path().join("ldap");
    std::fs::create_dir_all(&ldap_dir).unwrap();
    let password_file = tmp.dir.path().join("ldap.password");
    std::fs::write(&password_file, format!("{PASSWORD}\n")).unwrap();
    // Readable by others, it is refused; readable by its owner alone, it is read.
    let refused = watchfloor(&db)
        .args([
            "org",
            "sync-ldap",
            "--url",
            "ldap://127.0.0.1:9",
            "--base",
            SUFFIX,
        ])
        .arg("--password-file")
        .arg(&password_file)
        .assert()
        .failure();
    refused.stderr(predicate::str::contains("can be read by others"));
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&password_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let (server, port) = slapd(&ldap_dir, &tree(true));
    let url = format!("ldap://127.0.0.1:{port}");
    let sync = |extra: &[&str]| {
        let mut cmd = watchfloor_process(&db);
        cmd.args([
            "org",
            "sync-ldap",
            "--url",
            &url,
            "--base",
            SUFFIX,
            "--bind-dn",
            ADMIN,
        ])
        .arg("--password-file")
        .arg(&password_file)
        .args(extra);
        run_ok(&mut cmd)
    };

    let plan = sync(&[]);
    assert!(plan.contains("+ team identity"), "{plan}");
    assert!(plan.contains("+ person cy.diaz"), "{plan}");
    assert!(plan.contains("3 people and 2 groups read"), "{plan}");
    assert!(plan.contains("dry run"), "{plan}");
    assert_eq!(common::raw_integer(&db, "SELECT count(*) FROM people"), 0);

    sync(&["--commit"]);
    let ana: serde_json::Value = serde_json::from_str(&run_ok(watchfloor_process(&db).args([
        "person",
        "show",
        "ana.silva",
        "--json",
    ])))
    .unwrap();
    assert_eq!(ana["manager"], "bo.chen");
    assert_eq!(ana["teams"], serde_json::json!(["identity", "network"]));
    assert_eq!(ana["email"], "ana.silva@example.org");
    let again = sync(&["--commit"]);
    assert!(again.contains("0 records changed"), "{again}");

    // Cy leaves: the server no longer has him; he is deactivated, his history kept.
    drop(server);
    let (_server, port) = slapd(&ldap_dir, &tree(false));
    let url = format!("ldap://127.0.0.1:{port}");
    let mut cmd = watchfloor_process(&db);
    cmd.args([
        "org",
        "sync-ldap",
        "--url",
        &url,
        "--base",
        SUFFIX,
        "--bind-dn",
        ADMIN,
        "--commit",
    ])
    .env("WATCHFLOOR_LDAP_PASSWORD", PASSWORD);
    let left = run_ok(&mut cmd);
    assert!(left.contains("- person cy.diaz (deactivate)"), "{left}");
    assert_eq!(
        common::raw_integer(
            &db,
            "SELECT count(*) FROM people WHERE login = 'cy.diaz' AND deactivated_at IS NOT NULL"
        ),
        1
    );

    // A wrong password is refused by the server and nothing changes.
    watchfloor(&db)
        .args([
            "org",
            "sync-ldap",
            "--url",
            &url,
            "--base",
            SUFFIX,
            "--bind-dn",
            ADMIN,
            "--commit",
        ])
        .env("WATCHFLOOR_LDAP_PASSWORD", "wrong")
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "bind as cn=admin,dc=example,dc=org refused",
        ));
}
