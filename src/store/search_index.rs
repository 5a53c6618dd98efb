//! The ticket search index during a bulk load: kept in step row by row, a million
//! tickets cost minutes of index merges; suspended and rebuilt once, far less.

use super::{StoreError, WriteTx};

/// The trigger of migration 0010 that indexes each new ticket (a test keeps the two
/// the same).
pub(super) const INSERT_TRIGGER: &str = "CREATE TRIGGER ticket_search_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_search(rowid, title, description) VALUES (new.id, new.title, new.description);
END;";

impl WriteTx<'_> {
    /// Stops indexing new tickets until `rebuild_ticket_search`, within this
    /// transaction: a failed load rolls the trigger back with everything else.
    pub fn suspend_ticket_search(&self) -> Result<(), StoreError> {
        self.tx
            .execute_batch("DROP TRIGGER IF EXISTS ticket_search_insert")?;
        Ok(())
    }

    /// Builds the index over every ticket and indexes new ones again.
    pub fn rebuild_ticket_search(&self) -> Result<(), StoreError> {
        self.tx.execute_batch(&format!(
            "INSERT INTO ticket_search(ticket_search) VALUES ('rebuild');
             DROP TRIGGER IF EXISTS ticket_search_insert;
             {INSERT_TRIGGER}"
        ))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_trigger_is_the_one_migration_0010_creates() {
        assert!(include_str!("sql/0010_ticket_search.sql").contains(super::INSERT_TRIGGER));
    }
}
