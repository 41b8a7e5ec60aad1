//! The history's schema in PostgreSQL and its versioned migrations.
//!
//! The version lives in the table `schema_version` (one row). [`MIGRATIONS`] lists every
//! schema change, oldest first; migration `i` takes the database from version `i` to `i + 1`.
//! A released migration is never edited. Migrating runs in one transaction under an advisory
//! lock, so two machines that open a new database at once do not both migrate it; a database
//! written by a newer collectmaxx is refused.

use postgres::{Client, GenericClient};

use super::error::{PgError, Result};

/// Every migration, oldest first.
const MIGRATIONS: &[&str] = &[
    // Version 1: deliveries (with the host and process of the run that recorded them), the
    // identifiers they delivered, and the records of sends and fetched result files that the
    // transport commands keep.
    r#"
    CREATE TABLE deliveries (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        file        text COLLATE "C" NOT NULL UNIQUE,
        date        date NOT NULL,
        client      text COLLATE "C" NOT NULL,
        number      integer NOT NULL CHECK (number > 0),
        sha256      text NOT NULL,
        records     bigint NOT NULL,
        inputs      jsonb NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        state       text NOT NULL
                    CHECK (state IN ('pending', 'delivered', 'forgotten', 'abandoned')),
        temp_path   text,
        final_path  text,
        changed_at  timestamptz,
        host        text NOT NULL,
        pid         integer NOT NULL,
        UNIQUE (client, date, number)
    );
    CREATE INDEX deliveries_pending_by_host ON deliveries (host) WHERE state = 'pending';
    -- As SQLite's: one B-tree keyed by (identifier, delivery); the delivery names the client.
    -- COLLATE "C": byte order, and immune to collation changes of the C library.
    CREATE TABLE identifiers (
        identifier  text COLLATE "C" NOT NULL,
        delivery_id bigint NOT NULL,
        row         bigint NOT NULL,
        PRIMARY KEY (identifier, delivery_id)
    );
    -- Sends of deliveries to the server: 'sending' before the upload, 'sent' once it is
    -- under its final name; an abandoned upload's row is deleted. host is the server's
    -- host:port, as in the SQLite history.
    CREATE TABLE sends (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        delivery_id bigint NOT NULL REFERENCES deliveries (id),
        state       text NOT NULL CHECK (state IN ('sending', 'sent')),
        host        text NOT NULL,
        remote_path text NOT NULL,
        size        bigint NOT NULL,
        started_at  timestamptz NOT NULL DEFAULT now(),
        sent_at     timestamptz
    );
    CREATE INDEX sends_by_delivery ON sends (delivery_id);
    -- Result files fetched from the server, each kept once by its name.
    CREATE TABLE fetched (
        name        text COLLATE "C" PRIMARY KEY,
        host        text NOT NULL,
        size        bigint NOT NULL,
        sha256      text NOT NULL,
        local_path  text NOT NULL,
        fetched_at  timestamptz NOT NULL
    );
    "#,
];

/// The schema version this build writes.
pub const CURRENT_VERSION: i32 = MIGRATIONS.len() as i32;

/// Made before the first migration: the one-row table of the schema version.
const VERSION_TABLE: &str = r#"
    CREATE TABLE schema_version (
        one         boolean PRIMARY KEY DEFAULT true CHECK (one),
        version     integer NOT NULL,
        written_by  text NOT NULL,
        changed_at  timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO schema_version (version, written_by) VALUES (0, '');
"#;

/// The advisory lock key that serialises migrations (outside the clients' keys in practice:
/// those are hashes).
const MIGRATION_LOCK: i64 = 0x636d_782d_6d69_6772;

/// Which binary wrote the schema, shown when a newer schema is refused.
const WRITTEN_BY: &str = concat!("collectmaxx ", env!("CARGO_PKG_VERSION"));

/// The schema version found and the binary that wrote it (0 and "" for a database without
/// collectmaxx's tables). Waits for a migration in progress.
pub fn version(tx: &mut impl GenericClient) -> Result<(i32, String)> {
    let exists: bool = tx
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Ok((0, String::new()));
    }
    tx.execute(
        "SELECT pg_advisory_xact_lock_shared($1)",
        &[&MIGRATION_LOCK],
    )?;
    let row = tx.query_one("SELECT version, written_by FROM schema_version", &[])?;
    Ok((row.get(0), row.get(1)))
}

/// Refuses a schema newer than this build's.
pub fn refuse_newer(found: i32, by: String) -> Result<()> {
    if found > CURRENT_VERSION {
        return Err(PgError::NewerSchema {
            found,
            known: CURRENT_VERSION,
            by,
        });
    }
    Ok(())
}

/// Brings the schema to [`CURRENT_VERSION`] in one transaction; refuses a newer one. Returns
/// the version found.
pub fn migrate(conn: &mut Client) -> Result<i32> {
    let mut tx = conn.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    let exists: bool = tx
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        tx.batch_execute(VERSION_TABLE)?;
    }
    let row = tx.query_one("SELECT version, written_by FROM schema_version", &[])?;
    let (found, by): (i32, String) = (row.get(0), row.get(1));
    refuse_newer(found, by)?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.batch_execute(sql)?;
        tx.execute(
            "UPDATE schema_version SET version = $1, written_by = $2, changed_at = now()",
            &[&(i as i32 + 1), &WRITTEN_BY],
        )?;
    }
    tx.commit()?;
    Ok(found)
}
