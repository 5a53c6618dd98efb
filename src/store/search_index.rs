//! The ticket search index during a bulk load: kept in step row by row, a million
//! tickets cost minutes of index merges; suspended and rebuilt once, far less.

use super::db::Dialect;
use super::{StoreError, WriteTx};

/// The trigger of migration 0010 that indexes each new ticket on SQLite (a test keeps
/// the two the same).
pub(super) const INSERT_TRIGGER: &str = "CREATE TRIGGER ticket_search_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_search(rowid, title, description) VALUES (new.id, new.title, new.description);
END;";

/// The trigram index of migration 0010 on PostgreSQL.
pub(super) const POSTGRES_INDEX: &str =
    "CREATE INDEX ticket_search ON tickets USING gin ((title || ' ' || description) gin_trgm_ops);";

impl WriteTx<'_> {
    /// Stops indexing new tickets until `rebuild_ticket_search`, within this
    /// transaction: a failed load rolls the index back with everything else.
    pub fn suspend_ticket_search(&self) -> Result<(), StoreError> {
        self.tx.execute_batch(match self.dialect() {
            Dialect::Sqlite => "DROP TRIGGER IF EXISTS ticket_search_insert",
            Dialect::Postgres => "DROP INDEX IF EXISTS ticket_search",
        })
    }

    /// Builds the index over every ticket and indexes new ones again.
    pub fn rebuild_ticket_search(&self) -> Result<(), StoreError> {
        match self.dialect() {
            Dialect::Sqlite => self.tx.execute_batch(&format!(
                "INSERT INTO ticket_search(ticket_search) VALUES ('rebuild');
                 DROP TRIGGER IF EXISTS ticket_search_insert;
                 {INSERT_TRIGGER}"
            )),
            // Foreign keys a load deferred are checked first: PostgreSQL builds no
            // index over a table with checks pending.
            Dialect::Postgres => self.tx.execute_batch(&format!(
                "SET CONSTRAINTS ALL IMMEDIATE; DROP INDEX IF EXISTS ticket_search; {POSTGRES_INDEX}"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_index_is_the_one_migration_0010_creates() {
        assert!(include_str!("sql/0010_ticket_search.sql").contains(super::INSERT_TRIGGER));
        assert!(
            include_str!("sql/postgres/0010_ticket_search.sql").contains(super::POSTGRES_INDEX)
        );
    }
}
