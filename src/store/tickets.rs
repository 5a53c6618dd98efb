//! Ticket reads and writes. Lists are fetched a window at a time, so a queue of a
//! hundred thousand tickets costs no more to draw than one of fifty.

use super::columns::Columns;
use super::conditions::Conditions;
use super::db::{Dialect, Param, Row, Value, as_params, params};
use super::org::{person_id, service_id, team_id};
use super::row::{opt_secs, secs};
use super::{Store, StoreError, WriteTx};
use crate::domain::{IncidentKey, Priority, Ticket, TicketKey, TicketSort, TicketState, Timestamp};

/// The base set of tickets a list covers: the store-level form of a queue view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TicketFilter {
    Open,
    All,
    Unassigned,
    /// Open tickets with a running SLA clock due within the margin for their
    /// priority (seconds, P1..P5) of `now`.
    SlaAtRisk {
        now: Timestamp,
        margins: [i64; 5],
    },
    /// Open tickets whose next SLA deadline has passed.
    SlaBreached {
        now: Timestamp,
    },
    /// Open tickets whose next SLA deadline passed in `[since, now)`: the new breaches.
    SlaBreachedSince {
        since: Timestamp,
        now: Timestamp,
    },
    /// Tickets resolved (or closed) at or after this moment.
    ResolvedSince(Timestamp),
}

/// How a query finds the tickets its text names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TextSearch {
    /// Test each ticket the view walks (LIKE).
    Scan,
    /// Gather the matching ids from the trigram index and the name indexes.
    Index,
    /// PostgreSQL: one condition whose every arm an index answers — the trigram
    /// index, and the name columns' indexes for the ids (by column) whose names match,
    /// looked up first — the choice between walking and gathering left to the
    /// server's planner and its statistics.
    Planned(Vec<(&'static str, Vec<i64>)>),
}

/// How many tickets a query matches; `more` when counting stopped at the cap asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketCount {
    pub count: usize,
    pub more: bool,
}

/// A scan walks at most about `cap × tickets / matches` rows to count `cap` matches,
/// and the index gathers every match, twice (count and list): the scan wins when
/// `matches² > tickets × cap / 2`. Counting stops at this many when scanning.
pub const TICKET_COUNT_CAP: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketQuery {
    pub filter: TicketFilter,
    pub state: Option<TicketState>,
    pub assignee: Option<String>,
    pub group: Option<String>,
    pub service: Option<String>,
    /// Only this priority or more urgent (P1 = 1).
    pub priority_max: Option<Priority>,
    /// Case-insensitive text matched against key, title, description, service, group and assignee.
    pub text: Option<String>,
    pub sort: TicketSort,
}

impl Default for TicketQuery {
    fn default() -> Self {
        TicketQuery {
            filter: TicketFilter::Open,
            state: None,
            assignee: None,
            group: None,
            service: None,
            priority_max: None,
            text: None,
            sort: TicketSort::Priority,
        }
    }
}

pub(super) const SELECT_TICKET: &str = "SELECT t.id, t.kind, t.title, t.description, t.state, t.impact, t.urgency,
    t.priority, t.category, s.name, g.name, p.login, t.requester, t.opened_at, t.updated_at,
    t.first_response_at, t.resolved_at, t.closed_at, t.reassignment_count, t.reopen_count,
    t.first_contact, t.sla_response_due_at, t.sla_resolution_due_at, t.incident_id, t.csat, t.version,
    t.resolution_code, t.resolution_note, t.duplicate_of, t.priority_override_reason, t.pending_reason,
    t.sla_response_breached_at, t.sla_resolution_breached_at
  FROM tickets t
  LEFT JOIN services s ON s.id = t.service_id
  LEFT JOIN teams g ON g.id = t.group_id
  LEFT JOIN people p ON p.id = t.assignee_id";

pub(super) fn ticket_from_row(r: &Row<'_>) -> Result<Ticket, StoreError> {
    Ok(Ticket {
        key: TicketKey(r.get(0)?),
        kind: r.parsed(1)?,
        title: r.get(2)?,
        description: r.get(3)?,
        state: r.parsed(4)?,
        impact: r.checked(5)?,
        urgency: r.checked(6)?,
        priority: r.checked(7)?,
        category: r.get(8)?,
        service: r.get(9)?,
        group: r.get(10)?,
        assignee: r.get(11)?,
        requester: r.get(12)?,
        opened_at: r.ts(13)?,
        updated_at: r.ts(14)?,
        first_response_at: r.opt_ts(15)?,
        resolved_at: r.opt_ts(16)?,
        closed_at: r.opt_ts(17)?,
        reassignment_count: r.get(18)?,
        reopen_count: r.get(19)?,
        first_contact: r.get(20)?,
        sla_response_due: r.opt_ts(21)?,
        sla_resolution_due: r.opt_ts(22)?,
        linked_incident: r.get::<Option<i64>>(23)?.map(IncidentKey),
        csat: r.get(24)?,
        version: r.get(25)?,
        resolution_code: r.opt_parsed(26)?,
        resolution_note: r.get(27)?,
        duplicate_of: r.get::<Option<i64>>(28)?.map(TicketKey),
        priority_override_reason: r.get(29)?,
        pending_reason: r.get(30)?,
        sla_response_breached: r.opt_ts(31)?,
        sla_resolution_breached: r.opt_ts(32)?,
    })
}

fn filter(query: &TicketQuery, search: TextSearch) -> Conditions {
    let mut c = Conditions::default();
    match &query.filter {
        TicketFilter::All => {}
        TicketFilter::Open => c.clause("t.is_open = 1".into()),
        TicketFilter::Unassigned => c.clause("t.is_open = 1 AND t.assignee_id IS NULL".into()),
        TicketFilter::SlaAtRisk { now, margins } => {
            let now = c.param(secs(*now));
            let cases: Vec<String> = margins
                .iter()
                .enumerate()
                .map(|(i, m)| format!("WHEN {} THEN {m}", i + 1))
                .collect();
            c.clause(format!(
                "t.is_open = 1 AND t.sla_next_due_at >= {now} AND t.sla_next_due_at <= {now} + CASE t.priority {} ELSE 0 END",
                cases.join(" ")
            ));
        }
        TicketFilter::SlaBreached { now } => {
            let now = c.param(secs(*now));
            c.clause(format!("t.is_open = 1 AND t.sla_next_due_at < {now}"));
        }
        TicketFilter::SlaBreachedSince { since, now } => {
            let since = c.param(secs(*since));
            let now = c.param(secs(*now));
            c.clause(format!(
                "t.is_open = 1 AND t.sla_next_due_at >= {since} AND t.sla_next_due_at < {now}"
            ));
        }
        TicketFilter::ResolvedSince(since) => {
            let since = c.param(secs(*since));
            c.clause(format!(
                "t.state IN ('resolved', 'closed') AND t.resolved_at >= {since}"
            ));
        }
    }
    if let Some(state) = query.state {
        let p = c.param(state.as_str());
        c.clause(format!("t.state = {p}"));
    }
    if let Some(login) = &query.assignee {
        let p = c.param(login.clone());
        c.clause(format!(
            "t.assignee_id = (SELECT id FROM people WHERE login = {p})"
        ));
    }
    if let Some(group) = &query.group {
        let p = c.param(group.clone());
        c.clause(format!(
            "t.group_id = (SELECT id FROM teams WHERE name = {p})"
        ));
    }
    if let Some(service) = &query.service {
        let p = c.param(service.clone());
        c.clause(format!(
            "t.service_id = (SELECT id FROM services WHERE name = {p})"
        ));
    }
    if let Some(priority) = query.priority_max {
        let p = c.param(i64::from(priority));
        c.clause(format!("t.priority <= {p}"));
    }
    if let Some(text) = typed_text(query) {
        let p = c.param(like_pattern(text));
        let names = name_matches(&p);
        let key = text.parse::<TicketKey>().ok().map(|k| c.param(k.0));
        match search {
            TextSearch::Index => {
                // Over the whole history the trigram index finds titles and
                // descriptions; the matching ids are gathered set by set, each from an
                // index, so a selective filter costs its matches, not a scan of every
                // ticket.
                let phrase = c.param(fts_phrase(text));
                let mut sets = vec![format!(
                    "SELECT rowid FROM ticket_search WHERE ticket_search MATCH {phrase}"
                )];
                sets.extend(
                    names
                        .iter()
                        .map(|n| format!("SELECT id FROM tickets WHERE {n}")),
                );
                sets.extend(key.map(|k| format!("SELECT {k}")));
                c.clause(format!("t.id IN ({})", sets.join(" UNION ")));
            }
            TextSearch::Scan => {
                // One or two characters, which the index cannot find, or a word so
                // common that walking the list in its order finds a screenful (and a
                // capped count) sooner than gathering every match would.
                let mut alternatives: Vec<String> =
                    names.iter().map(|n| format!("t.{n}")).collect();
                alternatives.push(format!("t.title LIKE {p} ESCAPE '\\'"));
                alternatives.push(format!("t.description LIKE {p} ESCAPE '\\'"));
                alternatives.extend(key.map(|k| format!("t.id = {k}")));
                c.clause(format!("({})", alternatives.join(" OR ")));
            }
            TextSearch::Planned(named_ids) => {
                let mut alternatives = vec![format!("{POSTGRES_SEARCHED} LIKE {p} ESCAPE '\\'")];
                alternatives.extend(named_ids.iter().map(|(column, ids)| {
                    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
                    format!("t.{column} IN ({})", ids.join(", "))
                }));
                alternatives.extend(key.map(|k| format!("t.id = {k}")));
                c.clause(format!("({})", alternatives.join(" OR ")));
            }
        }
    }
    c
}

/// A ticket's service, group or assignee named like the LIKE pattern in parameter `p`.
/// The names live in small tables and reach the tickets through indexes.
fn name_matches(p: &str) -> [String; 3] {
    named(p).map(|(column, ids)| format!("{column} IN ({ids})"))
}

/// Each name column of a ticket with the query for the ids whose name is like `p`.
fn named(p: &str) -> [(&'static str, String); 3] {
    [
        (
            "service_id",
            format!("SELECT id FROM services WHERE name LIKE {p} ESCAPE '\\'"),
        ),
        (
            "group_id",
            format!("SELECT id FROM teams WHERE name LIKE {p} ESCAPE '\\'"),
        ),
        (
            "assignee_id",
            format!(
                "SELECT id FROM people WHERE login LIKE {p} ESCAPE '\\' OR name LIKE {p} ESCAPE '\\'"
            ),
        ),
    ]
}

/// The query's filter text, when it has some.
fn typed_text(query: &TicketQuery) -> Option<&str> {
    query
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// `%text%` for LIKE with `\\` as the escape, so `%` and `_` match themselves.
pub(super) fn like_pattern(text: &str) -> String {
    format!(
        "%{}%",
        text.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

/// The expression PostgreSQL's trigram index (migration 0010) covers.
const POSTGRES_SEARCHED: &str = "(t.title || ' ' || t.description)";

/// The text as one FTS5 phrase: quoted, so its words and punctuation are not syntax.
pub(super) fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

fn order_by(sort: TicketSort) -> &'static str {
    match sort {
        TicketSort::Priority => " ORDER BY t.priority, t.opened_at, t.id",
        TicketSort::SlaDue => {
            " ORDER BY t.sla_next_due_at IS NULL, t.sla_next_due_at, t.priority, t.id"
        }
        TicketSort::Age => " ORDER BY t.opened_at, t.id",
        TicketSort::Updated => " ORDER BY t.updated_at DESC, t.id DESC",
    }
}

impl Store {
    pub fn ticket(&self, key: TicketKey) -> Result<Option<Ticket>, StoreError> {
        self.db.query_opt(
            &format!("{SELECT_TICKET} WHERE t.id = ?1"),
            params![key.0],
            ticket_from_row,
        )
    }

    /// One window of a ticket list, in the query's order.
    pub fn list_tickets(
        &self,
        query: &TicketQuery,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Ticket>, StoreError> {
        let mut c = filter(query, self.text_search(query)?);
        let limit = c.param(limit.min(i64::MAX as usize) as i64);
        let offset = c.param(offset as i64);
        let sql = format!(
            "{SELECT_TICKET}{}{} LIMIT {limit} OFFSET {offset}",
            c.sql(),
            order_by(query.sort)
        );
        self.db.query_map(&sql, &c.params(), ticket_from_row)
    }

    pub fn count_tickets(&self, query: &TicketQuery) -> Result<usize, StoreError> {
        self.count_searching(query, self.text_search(query)?)
    }

    fn count_searching(
        &self,
        query: &TicketQuery,
        search: TextSearch,
    ) -> Result<usize, StoreError> {
        let c = filter(query, search);
        // The filter names no joined column, so a count reads the tickets alone.
        let sql = format!("SELECT count(*) FROM tickets t{}", c.sql());
        let count: i64 = self.db.query_one(&sql, &c.params(), |r| r.get(0))?;
        Ok(count as usize)
    }

    /// The count a console shows as the user types: exact, except when the text is
    /// common enough to be found by walking the list, where counting stops at `cap`
    /// (and says so) rather than walk every match on each keystroke.
    pub fn count_tickets_up_to(
        &self,
        query: &TicketQuery,
        cap: usize,
    ) -> Result<TicketCount, StoreError> {
        let search = self.text_search(query)?;
        if search == TextSearch::Index || typed_text(query).is_none() {
            let count = self.count_searching(query, search)?;
            return Ok(TicketCount { count, more: false });
        }
        let mut c = filter(query, search);
        let limit = c.param(cap.saturating_add(1).min(i64::MAX as usize) as i64);
        let sql = format!(
            "SELECT count(*) FROM (SELECT 1 FROM tickets t{} LIMIT {limit}) AS counted",
            c.sql()
        );
        let found: i64 = self.db.query_one(&sql, &c.params(), |r| r.get(0))?;
        let found = found as usize;
        Ok(TicketCount {
            count: found.min(cap),
            more: found > cap,
        })
    }

    /// Chooses the search index only where it pays: text of three characters or more
    /// (trigrams) whose matches are sparse enough that gathering them all costs less
    /// than walking the list in its order to a screenful and a capped count.
    /// On PostgreSQL the planner makes that choice itself, from its statistics.
    fn text_search(&self, query: &TicketQuery) -> Result<TextSearch, StoreError> {
        let Some(text) = typed_text(query) else {
            return Ok(TextSearch::Scan);
        };
        if self.db.dialect() == Dialect::Postgres {
            return self.named_ids(text).map(TextSearch::Planned);
        }
        if text.chars().count() < 3 {
            return Ok(TextSearch::Scan);
        }
        let tickets: i64 =
            self.db
                .query_one("SELECT coalesce(max(id), 0) FROM tickets", params![], |r| {
                    r.get(0)
                })?;
        // Past this many matches the scan wins; counting further is wasted.
        let enough = ((tickets as f64) * (TICKET_COUNT_CAP as f64) / 2.0).sqrt() as i64 + 1;
        let sql = format!(
            "SELECT (SELECT count(*) FROM (SELECT 1 FROM ticket_search
                         WHERE ticket_search MATCH ?1 LIMIT ?3) AS indexed)
                  + (SELECT count(*) FROM (SELECT 1 FROM tickets WHERE {} LIMIT ?3) AS named)",
            name_matches("?2").join(" OR ")
        );
        let matches: i64 = self.db.query_one(
            &sql,
            params![fts_phrase(text), like_pattern(text), enough],
            |r| r.get(0),
        )?;
        Ok(if matches >= enough {
            TextSearch::Scan
        } else {
            TextSearch::Index
        })
    }

    /// The ids of the services, groups and people whose names contain `text`, by the
    /// ticket column that refers to them; columns without a match are left out.
    fn named_ids(&self, text: &str) -> Result<Vec<(&'static str, Vec<i64>)>, StoreError> {
        let names = named("?1");
        let sql = names
            .iter()
            .enumerate()
            .map(|(i, (_, ids))| format!("SELECT {i}, id FROM ({ids}) AS named{i}"))
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let found = self.db.query_map(&sql, params![like_pattern(text)], |r| {
            Ok((r.get::<usize>(0)?, r.get::<i64>(1)?))
        })?;
        Ok(names
            .iter()
            .enumerate()
            .map(|(i, (column, _))| {
                let ids = found.iter().filter(|(n, _)| *n == i).map(|(_, id)| *id);
                (*column, ids.collect::<Vec<_>>())
            })
            .filter(|(_, ids)| !ids.is_empty())
            .collect())
    }

    /// Whether a record with this key exists, whatever its kind.
    pub fn record_exists(&self, key: crate::domain::RecordKey) -> Result<bool, StoreError> {
        use crate::domain::RecordKind;
        let table = match key.kind {
            RecordKind::Ticket => "tickets",
            RecordKind::Incident => "incidents",
            RecordKind::Change => "changes",
            RecordKind::Review => "reviews",
            RecordKind::Problem => "problems",
            RecordKind::Article => "articles",
        };
        Ok(self
            .db
            .query_opt(
                &format!("SELECT 1 FROM {table} WHERE id = ?1"),
                params![key.number],
                |_| Ok(()),
            )?
            .is_some())
    }
}

impl WriteTx<'_> {
    pub fn ticket(&self, key: TicketKey) -> Result<Option<Ticket>, StoreError> {
        self.tx.query_opt(
            &format!("{SELECT_TICKET} WHERE t.id = ?1"),
            params![key.0],
            ticket_from_row,
        )
    }

    /// Inserts a new ticket and returns its key; `ticket.key` and `ticket.version` are ignored.
    pub fn insert_ticket(&self, ticket: &Ticket) -> Result<TicketKey, StoreError> {
        let values = self.ticket_values(ticket)?;
        let id = self
            .tx
            .insert_id(&TICKET_COLUMNS.insert_sql(), &as_params(&values))?;
        Ok(TicketKey(id))
    }

    /// Writes every field of `ticket` if its stored version is still `expected_version`;
    /// the stored version then goes up by one.
    pub fn update_ticket(&self, ticket: &Ticket, expected_version: i64) -> Result<(), StoreError> {
        self.check_version(
            "tickets",
            ticket.key.0,
            &ticket.key.to_string(),
            expected_version,
        )?;
        let mut values = self.ticket_values(ticket)?;
        values.push(Value::Int(ticket.key.0));
        self.tx
            .execute(&TICKET_COLUMNS.update_sql(), &as_params(&values))?;
        Ok(())
    }

    /// Records one state change in the ticket's history (what SLA clocks are computed from).
    pub fn record_ticket_transition(
        &self,
        key: TicketKey,
        at: Timestamp,
        from: Option<TicketState>,
        to: TicketState,
        actor: &str,
    ) -> Result<(), StoreError> {
        self.tx
            .execute(
                "INSERT INTO ticket_transitions (ticket_id, at, from_state, to_state, actor) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![key.0, secs(at), from.map(|s| s.as_str()), to.as_str(), actor])?;
        Ok(())
    }

    /// A ticket's stored SLA due times, computed again (after the rules changed).
    pub fn set_ticket_sla_dues(
        &self,
        key: TicketKey,
        response: Option<Timestamp>,
        resolution: Option<Timestamp>,
    ) -> Result<(), StoreError> {
        self.tx.execute(
            "UPDATE tickets SET sla_response_due_at = ?1, sla_resolution_due_at = ?2 WHERE id = ?3",
            params![opt_secs(response), opt_secs(resolution), key.0],
        )?;
        Ok(())
    }

    /// The values of [`TICKET_COLUMNS`], in order, with names resolved to row ids.
    fn ticket_values(&self, t: &Ticket) -> Result<Vec<Value>, StoreError> {
        let v = |p: &dyn Param| p.value().to_owned();
        Ok(vec![
            v(&t.kind.as_str()),
            v(&t.title.clone()),
            v(&t.description.clone()),
            v(&t.state.as_str()),
            v(&i64::from(t.impact)),
            v(&i64::from(t.urgency)),
            v(&i64::from(t.priority)),
            v(&t.category.clone()),
            v(&service_id(self.tx, t.service.as_deref())?),
            v(&team_id(self.tx, t.group.as_deref())?),
            v(&person_id(self.tx, t.assignee.as_deref())?),
            v(&t.requester.clone()),
            v(&secs(t.opened_at)),
            v(&secs(t.updated_at)),
            v(&opt_secs(t.first_response_at)),
            v(&opt_secs(t.resolved_at)),
            v(&opt_secs(t.closed_at)),
            v(&t.reassignment_count),
            v(&t.reopen_count),
            v(&t.first_contact),
            v(&opt_secs(t.sla_response_due)),
            v(&opt_secs(t.sla_resolution_due)),
            v(&t.linked_incident.map(|k| k.0)),
            v(&t.csat),
            v(&t.resolution_code.map(|c| c.as_str())),
            v(&t.resolution_note.clone()),
            v(&t.duplicate_of.map(|k| k.0)),
            v(&t.priority_override_reason.clone()),
            v(&t.pending_reason.clone()),
            v(&opt_secs(t.sla_response_breached)),
            v(&opt_secs(t.sla_resolution_breached)),
        ])
    }
}

/// The columns a ticket write sets, in the order of `ticket_values`.
const TICKET_COLUMNS: Columns = Columns {
    table: "tickets",
    on_insert: &[],
    written: &[
        "kind",
        "title",
        "description",
        "state",
        "impact",
        "urgency",
        "priority",
        "category",
        "service_id",
        "group_id",
        "assignee_id",
        "requester",
        "opened_at",
        "updated_at",
        "first_response_at",
        "resolved_at",
        "closed_at",
        "reassignment_count",
        "reopen_count",
        "first_contact",
        "sla_response_due_at",
        "sla_resolution_due_at",
        "incident_id",
        "csat",
        "resolution_code",
        "resolution_note",
        "duplicate_of",
        "priority_override_reason",
        "pending_reason",
        "sla_response_breached_at",
        "sla_resolution_breached_at",
    ],
};
