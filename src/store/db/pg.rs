//! The PostgreSQL side of [`super::Db`]: one client connection, statements prepared
//! once and cached, placeholders rewritten from `?1` to `$1`, and values converted to
//! whatever type the server inferred for each placeholder.

use super::{Param, ValueRef};
use crate::store::StoreError;
use bytes::BytesMut;
use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, Statement};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::error::Error;
use std::time::{Duration, Instant};

/// Beyond this many distinct statements the cache starts again (statements built at
/// run time, like a list's WHERE clause, come in many shapes).
const STATEMENT_CACHE: usize = 512;

pub struct PgConn {
    client: RefCell<Client>,
    statements: RefCell<HashMap<String, Statement>>,
    location: String,
    config: postgres::Config,
    session: &'static str,
    last_reconnect: Cell<Option<Instant>>,
}

/// A lost connection is tried again at most this often (an unreachable host costs
/// the connect timeout each time).
const RECONNECT_EVERY: Duration = Duration::from_secs(10);

impl PgConn {
    /// Connects to the server a `postgres://` URL names; `session` is run on every new
    /// connection (the lock timeout, read-only mode). The password, if the URL carries
    /// one, is never shown: errors and the status bar name user, host and database.
    pub fn connect(url: &str, session: &'static str) -> Result<PgConn, StoreError> {
        let mut config: postgres::Config = url.parse().map_err(|e| StoreError::Server {
            location: "the --db URL".into(),
            message: format!("is not a valid PostgreSQL URL: {e}"),
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        config.application_name("watchfloor");
        let location = location(&config);
        let client = start(&config, &location, session)?;
        Ok(PgConn {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            location,
            config,
            session,
            last_reconnect: Cell::new(None),
        })
    }

    /// A new connection to the same server and database, with its own session setting.
    pub fn another(&self, session: &'static str) -> Result<PgConn, StoreError> {
        let client = start(&self.config, &self.location, session)?;
        Ok(PgConn {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            location: self.location.clone(),
            config: self.config.clone(),
            session,
            last_reconnect: Cell::new(None),
        })
    }

    /// Connects again after the connection was lost; at most every ten seconds.
    pub fn reconnect(&self) -> Result<(), StoreError> {
        if self
            .last_reconnect
            .get()
            .is_some_and(|at| at.elapsed() < RECONNECT_EVERY)
        {
            return Err(StoreError::Server {
                location: self.location.clone(),
                message: "the connection to the server was lost; trying again shortly".into(),
            });
        }
        self.last_reconnect.set(Some(Instant::now()));
        let client = start(&self.config, &self.location, self.session)?;
        *self.client.borrow_mut() = client;
        self.forget_statements();
        tracing::info!(server = %self.location, "reconnected");
        Ok(())
    }

    /// `postgres://user@host:port/dbname`, without the password.
    pub fn location(&self) -> &str {
        &self.location
    }

    fn prepare(&self, sql: &str) -> Result<Statement, StoreError> {
        if let Some(stmt) = self.statements.borrow().get(sql) {
            return Ok(stmt.clone());
        }
        let stmt = self
            .client
            .borrow_mut()
            .prepare(&to_postgres(sql))
            .inspect_err(|e| {
                let reason = e.as_db_error().map(|d| d.message().to_string());
                tracing::warn!(error = %e, ?reason, sql, "statement refused");
            })?;
        let mut cache = self.statements.borrow_mut();
        if cache.len() >= STATEMENT_CACHE {
            cache.clear();
        }
        cache.insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }

    pub(super) fn execute(&self, sql: &str, params: &[&dyn Param]) -> Result<usize, StoreError> {
        let stmt = self.prepare(sql)?;
        let binds = binds(params);
        let changed = self.client.borrow_mut().execute(&stmt, &refs(&binds))?;
        Ok(changed as usize)
    }

    pub(super) fn execute_batch(&self, sql: &str) -> Result<(), StoreError> {
        Ok(self.client.borrow_mut().batch_execute(sql)?)
    }

    pub(super) fn query(
        &self,
        sql: &str,
        params: &[&dyn Param],
    ) -> Result<Vec<postgres::Row>, StoreError> {
        let stmt = self.prepare(sql)?;
        let binds = binds(params);
        Ok(self.client.borrow_mut().query(&stmt, &refs(&binds))?)
    }

    /// Forgets prepared statements, after the schema or the connection changed under
    /// them.
    pub(crate) fn forget_statements(&self) {
        self.statements.borrow_mut().clear();
    }
}

/// A `postgres://` URL as shown to users: without its password.
pub fn shown_url(url: &str) -> String {
    url.parse::<postgres::Config>()
        .map(|config| location(&config))
        .unwrap_or_else(|_| "(an unreadable PostgreSQL URL)".into())
}

fn start(config: &postgres::Config, location: &str, session: &str) -> Result<Client, StoreError> {
    let mut client = config
        .connect(super::tls::connector(location)?)
        .map_err(|e| StoreError::Server {
            location: location.to_string(),
            message: connect_failure(&e),
        })?;
    client.batch_execute(session)?;
    Ok(client)
}

fn location(config: &postgres::Config) -> String {
    let user = config.get_user().unwrap_or("");
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            postgres::config::Host::Tcp(name) => name.clone(),
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config.get_dbname().unwrap_or(user);
    let at = if user.is_empty() { "" } else { "@" };
    format!("postgres://{user}{at}{host}:{port}/{db}")
}

/// Says why a connection failed in the words a user acts on.
fn connect_failure(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return match db.code().code() {
            "28P01" | "28000" => format!(
                "the server refused the login: {} (check the user and password in the URL, or the server's pg_hba.conf)",
                db.message()
            ),
            "3D000" => format!(
                "{} (create it first, or fix the database name in the URL)",
                db.message()
            ),
            _ => db.message().to_string(),
        };
    }
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    if text.contains("refused") {
        format!("cannot reach the server ({text}); is PostgreSQL running and listening there?")
    } else if text.contains("timed out") || text.contains("timeout") {
        format!("the server did not answer in time ({text})")
    } else if text.contains("certificate") {
        format!(
            "the server's TLS certificate was not accepted ({text}); set PGSSLROOTCERT to the file of the CA that signed it, or add ?sslmode=disable to the URL to connect without TLS (on loopback or through an SSH tunnel)"
        )
    } else if text.contains("TLS") || text.contains("tls") || text.contains("ssl") {
        format!("{text} (the URL's sslmode may be prefer, require or disable)")
    } else {
        text
    }
}

/// The SQLite spellings store modules write that PostgreSQL spells differently. SQLite's
/// LIKE ignores the case of ASCII letters, PostgreSQL's ILIKE does the same.
const SPELLINGS: &[(&str, &str)] = &[
    ("group_concat", "string_agg"),
    ("char", "chr"),
    ("json_each", "json_array_elements_text"),
    ("LIKE", "ILIKE"),
];

/// Rewrites a statement for PostgreSQL: `?1`, `?2`… (and a bare `?`) become `$1`,
/// `$2`…, and the words of [`SPELLINGS`] their PostgreSQL names; quoted text is left
/// alone.
pub(crate) fn to_postgres(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    let mut next_bare = 1;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
                out.push(c);
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                if digits.is_empty() {
                    digits = next_bare.to_string();
                    next_bare += 1;
                }
                out.push('$');
                out.push_str(&digits);
            }
            None if c.is_ascii_alphabetic() || c == '_' => {
                let mut word = String::from(c);
                while let Some(w) = chars
                    .peek()
                    .filter(|w| w.is_ascii_alphanumeric() || **w == '_')
                {
                    word.push(*w);
                    chars.next();
                }
                let renamed = SPELLINGS
                    .iter()
                    .find(|(sqlite, _)| *sqlite == word)
                    .map(|(_, postgres)| *postgres);
                out.push_str(renamed.unwrap_or(&word));
            }
            None => out.push(c),
        }
    }
    out
}

/// A value bound as the type the server asked for: an integer parameter compared with
/// a text column goes as text, a number for a float column as a float, and so on.
#[derive(Debug)]
struct Bind<'a>(ValueRef<'a>);

type BoxError = Box<dyn Error + Sync + Send>;

impl ToSql for Bind<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        let mismatch = || -> BoxError { format!("cannot send {:?} as {ty}", self.0).into() };
        match self.0 {
            ValueRef::Null => Ok(IsNull::Yes),
            ValueRef::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(i)?.to_sql(ty, out),
                Type::FLOAT8 => (i as f64).to_sql(ty, out),
                Type::FLOAT4 => (i as f32).to_sql(ty, out),
                Type::BOOL => (i != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR | Type::UNKNOWN => i.to_string().to_sql(ty, out),
                _ => Err(mismatch()),
            },
            ValueRef::Real(f) => match *ty {
                Type::FLOAT8 => f.to_sql(ty, out),
                Type::FLOAT4 => (f as f32).to_sql(ty, out),
                Type::INT8 if f.fract() == 0.0 => (f as i64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR | Type::UNKNOWN => f.to_string().to_sql(ty, out),
                _ => Err(mismatch()),
            },
            ValueRef::Text(t) => match *ty {
                Type::INT8 => t.parse::<i64>().map_err(|_| mismatch())?.to_sql(ty, out),
                Type::INT4 => t.parse::<i32>().map_err(|_| mismatch())?.to_sql(ty, out),
                _ => t.to_sql(ty, out),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn binds<'a>(params: &'a [&'a dyn Param]) -> Vec<Bind<'a>> {
    params.iter().map(|p| Bind(p.value())).collect()
}

fn refs<'a>(binds: &'a [Bind<'a>]) -> Vec<&'a (dyn ToSql + Sync)> {
    binds.iter().map(|b| b as &(dyn ToSql + Sync)).collect()
}

/// A column's value as one of the four kinds; booleans come back as 0 and 1, as
/// SQLite gives them.
pub(super) fn value(row: &postgres::Row, idx: usize) -> Result<ValueRef<'_>, StoreError> {
    let ty = row
        .columns()
        .get(idx)
        .ok_or_else(|| StoreError::Corrupt(format!("no column {idx}")))?
        .type_()
        .clone();
    let v = match ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(idx)?.map(ValueRef::Int),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(idx)?
            .map(|i| ValueRef::Int(i64::from(i))),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(idx)?
            .map(|i| ValueRef::Int(i64::from(i))),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(idx)?
            .map(|b| ValueRef::Int(i64::from(b))),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(idx)?.map(ValueRef::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(idx)?
            .map(|f| ValueRef::Real(f64::from(f))),
        Type::NUMERIC => row.try_get::<_, Option<Numeric>>(idx)?.map(|n| n.0),
        _ => row.try_get::<_, Option<&str>>(idx)?.map(ValueRef::Text),
    };
    Ok(v.unwrap_or(ValueRef::Null))
}

/// A NUMERIC (what `sum` of integers returns): an integer when it has no fraction.
struct Numeric(ValueRef<'static>);

impl<'a> FromSql<'a> for Numeric {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        let word = |i: usize| -> Result<u16, BoxError> {
            raw.get(i * 2..i * 2 + 2)
                .map(|b| u16::from_be_bytes([b[0], b[1]]))
                .ok_or_else(|| "short NUMERIC value".into())
        };
        let (ndigits, weight, sign, scale) = (word(0)?, word(1)? as i16, word(2)?, word(3)?);
        if sign == 0xC000 {
            return Err("NUMERIC NaN".into());
        }
        let mut value = 0f64;
        for i in 0..ndigits as usize {
            let exponent = i32::from(weight) - i as i32;
            value += f64::from(word(4 + i)?) * 10000f64.powi(exponent);
        }
        if sign == 0x4000 {
            value = -value;
        }
        Ok(Numeric(if scale == 0 && value.abs() < 9.0e15 {
            ValueRef::Int(value as i64)
        } else {
            ValueRef::Real(value)
        }))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::NUMERIC
    }
}

#[cfg(test)]
mod tests {
    use super::to_postgres;

    #[test]
    fn numbered_and_bare_placeholders_become_dollars_outside_quotes() {
        assert_eq!(
            to_postgres("SELECT ?1, '?2', \"a?\" FROM t WHERE a = ?12 AND b = ?"),
            "SELECT $1, '?2', \"a?\" FROM t WHERE a = $12 AND b = $1"
        );
    }

    #[test]
    fn sqlite_spellings_become_postgres_ones_outside_quotes_only() {
        assert_eq!(
            to_postgres(
                "SELECT group_concat(name, char(31)) FROM t WHERE n LIKE ?1 AND m ILIKE ?2 AND x = 'LIKE char'"
            ),
            "SELECT string_agg(name, chr(31)) FROM t WHERE n ILIKE $1 AND m ILIKE $2 AND x = 'LIKE char'"
        );
        assert_eq!(
            to_postgres("SELECT value FROM json_each(?1) WHERE t.character = 1"),
            "SELECT value FROM json_array_elements_text($1) WHERE t.character = 1"
        );
    }
}
