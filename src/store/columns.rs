//! One column list per versioned table, and the INSERT and UPDATE written from it, so
//! a column added to a record is named once and both writes follow.

/// The columns a write of one table names: those set once, when the row is inserted,
/// then those every write sets, in the order of the values the caller gives.
pub(super) struct Columns {
    pub table: &'static str,
    pub on_insert: &'static [&'static str],
    pub written: &'static [&'static str],
}

impl Columns {
    /// `INSERT INTO table (on_insert…, written…) VALUES (?1, …)`: the row's version
    /// starts at the schema's default, 1.
    pub fn insert_sql(&self) -> String {
        let names: Vec<&str> = self.on_insert.iter().chain(self.written).copied().collect();
        let placeholders: Vec<String> = (1..=names.len()).map(|n| format!("?{n}")).collect();
        format!(
            "INSERT INTO {} ({}) VALUES ({})",
            self.table,
            names.join(", "),
            placeholders.join(", ")
        )
    }

    /// `UPDATE table SET written… , version = version + 1 WHERE id = ?n`, the id
    /// after the written values.
    pub fn update_sql(&self) -> String {
        let assignments: Vec<String> = self
            .written
            .iter()
            .enumerate()
            .map(|(i, column)| format!("{column} = ?{}", i + 1))
            .collect();
        format!(
            "UPDATE {} SET {}, version = version + 1 WHERE id = ?{}",
            self.table,
            assignments.join(", "),
            self.written.len() + 1
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Columns = Columns {
        table: "things",
        on_insert: &["created_at"],
        written: &["title", "state"],
    };

    #[test]
    fn insert_names_every_column_and_update_only_the_written_ones() {
        assert_eq!(
            T.insert_sql(),
            "INSERT INTO things (created_at, title, state) VALUES (?1, ?2, ?3)"
        );
        assert_eq!(
            T.update_sql(),
            "UPDATE things SET title = ?1, state = ?2, version = version + 1 WHERE id = ?3"
        );
    }
}
