//! The PostgreSQL half of the suite: with `WATCHFLOOR_TEST_BACKEND=postgres`, every
//! test database is a new database on the server `WATCHFLOOR_TEST_POSTGRES` names
//! (`scripts/postgres-scratch start` makes one), dropped when the test ends. A test
//! server with TLS needs `PGSSLROOTCERT` set to its CA (`scripts/test` does that).

use std::sync::atomic::{AtomicUsize, Ordering};

pub fn on_postgres() -> bool {
    std::env::var("WATCHFLOOR_TEST_BACKEND").as_deref() == Ok("postgres")
}

/// The server's admin URL (its `postgres` database).
pub fn admin_url() -> String {
    std::env::var("WATCHFLOOR_TEST_POSTGRES").expect(
        "WATCHFLOOR_TEST_BACKEND=postgres needs WATCHFLOOR_TEST_POSTGRES=postgres://user@host:port/postgres",
    )
}

/// The URL of database `name` on the same server as `admin`.
pub fn url_of(admin: &str, name: &str) -> String {
    let (server, _) = admin.rsplit_once('/').expect("a URL ending in /DBNAME");
    format!("{server}/{name}")
}

pub struct ServerDb {
    pub name: String,
    pub url: String,
}

impl ServerDb {
    pub fn create() -> ServerDb {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "wf_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let admin = admin_url();
        let mut client =
            postgres::Client::connect(&admin, postgres::NoTls).expect("connect to the test server");
        client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .expect("drop a leftover test database");
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a test database");
        ServerDb {
            url: url_of(&admin, &name),
            name,
        }
    }
}

impl Drop for ServerDb {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&admin_url(), postgres::NoTls) {
            let _ = client.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}
