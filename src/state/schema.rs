//! The history database's schema and its migrations.
//!
//! The schema version lives in SQLite's `PRAGMA user_version`. [`MIGRATIONS`] lists every
//! schema change since the first release, in order; migration `i` takes a database from version
//! `i` to `i + 1`. A released migration is never edited: a change to the schema is a new entry
//! at the end. Opening a database migrates it in one immediate transaction, so two processes
//! that open a fresh state directory at once do not both migrate it.

use rusqlite::{Connection, TransactionBehavior};

use super::error::StateError;

/// Every migration since the first release, oldest first.
const MIGRATIONS: &[&str] = &[
    // Version 1 (first release): deliveries and the identifiers they delivered.
    r#"
    CREATE TABLE deliveries (
        id          INTEGER PRIMARY KEY,
        file        TEXT    NOT NULL UNIQUE,
        date        TEXT    NOT NULL,
        client      TEXT    NOT NULL,
        number      INTEGER NOT NULL,
        sha256      TEXT    NOT NULL,
        records     INTEGER NOT NULL,
        inputs      TEXT    NOT NULL,
        created_at  TEXT    NOT NULL,
        state       TEXT    NOT NULL
                    CHECK (state IN ('pending', 'delivered', 'forgotten', 'abandoned')),
        temp_path   TEXT,
        final_path  TEXT,
        changed_at  TEXT,
        UNIQUE (date, client, number)
    );
    CREATE INDEX deliveries_by_client_date ON deliveries (client, date);
    CREATE TABLE identifiers (
        identifier  TEXT    NOT NULL,
        client      TEXT    NOT NULL,
        delivery_id INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
        row         INTEGER NOT NULL
    );
    CREATE INDEX identifiers_by_client ON identifiers (client, identifier);
    CREATE INDEX identifiers_by_delivery ON identifiers (delivery_id);
    "#,
    // Version 2: identifiers in one B-tree keyed by (identifier, delivery), without the client
    // (its deliveries say it) and without an index by delivery. Recording a million
    // identifiers took 2.9 s with three B-trees to fill and 1.2 s more to checkpoint 72 MB;
    // one B-tree of 25 MB takes well under half of that (docs/decisions.md). Listing or
    // forgetting one delivery's identifiers scans the table, which is rare and manual.
    r#"
    CREATE TABLE identifiers_v2 (
        identifier  TEXT    NOT NULL,
        delivery_id INTEGER NOT NULL,
        row         INTEGER NOT NULL,
        PRIMARY KEY (identifier, delivery_id)
    ) WITHOUT ROWID;
    INSERT OR REPLACE INTO identifiers_v2 (identifier, delivery_id, row)
        SELECT identifier, delivery_id, row FROM identifiers ORDER BY rowid;
    DROP TABLE identifiers;
    ALTER TABLE identifiers_v2 RENAME TO identifiers;
    "#,
    // Version 3: uploads of deliveries to the SFTP server and result files fetched from it
    // (issue 15). A send is recorded `sending` before the upload and `sent` after the rename;
    // a `--again` send adds a row, so the first send stays on record.
    r#"
    CREATE TABLE sends (
        id          INTEGER PRIMARY KEY,
        delivery_id INTEGER NOT NULL REFERENCES deliveries (id),
        state       TEXT    NOT NULL CHECK (state IN ('sending', 'sent')),
        host        TEXT    NOT NULL,
        remote_path TEXT    NOT NULL,
        size        INTEGER NOT NULL,
        started_at  TEXT    NOT NULL,
        sent_at     TEXT
    );
    CREATE INDEX sends_by_delivery ON sends (delivery_id);
    CREATE TABLE fetched (
        name        TEXT    PRIMARY KEY,
        host        TEXT    NOT NULL,
        size        INTEGER NOT NULL,
        sha256      TEXT    NOT NULL,
        local_path  TEXT    NOT NULL,
        fetched_at  TEXT    NOT NULL
    );
    "#,
];

/// The schema version this build writes.
pub(crate) const CURRENT_VERSION: u32 = MIGRATIONS.len() as u32;

/// The database's schema version (0 for a new, empty database).
pub(crate) fn version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row("PRAGMA user_version", [], |r| r.get::<_, u32>(0))
}

/// Brings the database up to [`CURRENT_VERSION`], applying the missing migrations in one
/// transaction. Refuses a database written by a newer build.
pub(crate) fn migrate(conn: &mut Connection) -> Result<u32, StateError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found = version(&tx)?;
    if found > CURRENT_VERSION {
        return Err(StateError::NewerSchema {
            found,
            known: CURRENT_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    tx.commit()?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_an_empty_database_to_the_current_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(version(&conn).unwrap(), 0);
        assert_eq!(migrate(&mut conn).unwrap(), 0);
        assert_eq!(version(&conn).unwrap(), CURRENT_VERSION);
        // A second run finds nothing to do.
        assert_eq!(migrate(&mut conn).unwrap(), CURRENT_VERSION);
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('deliveries', 'identifiers')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 2);
    }

    #[test]
    fn version_2_keeps_the_identifiers_of_version_1() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(
            "INSERT INTO deliveries (id, file, date, client, number, sha256, records, inputs, created_at, state)
             VALUES (7, '20260101-A-1.csv', '2026-01-01', 'A', 1, '00', 2, '[]', 't', 'delivered');
             INSERT INTO identifiers (identifier, client, delivery_id, row)
             VALUES ('x1', 'A', 7, 2), ('x2', 'A', 7, 3);",
        )
        .unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), 1);
        let rows: Vec<(String, i64, i64)> = conn
            .prepare("SELECT identifier, delivery_id, row FROM identifiers ORDER BY identifier")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(rows, vec![("x1".into(), 7, 2), ("x2".into(), 7, 3)]);
    }

    #[test]
    fn refuses_a_newer_schema() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", CURRENT_VERSION as i64 + 1)
            .unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert!(matches!(err, StateError::NewerSchema { .. }), "{err}");
        assert!(err.to_string().contains("newer"), "{err}");
    }
}
