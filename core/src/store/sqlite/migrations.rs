//! The schema and its versioned migrations.
//!
//! An ordo database carries `PRAGMA application_id = APPLICATION_ID` and
//! `PRAGMA user_version = <schema version>`. Opening a database first checks, without
//! writing, that the file is an ordo database (or empty) of a version this build knows;
//! anything else is refused and left untouched. Then the missing migrations run, in order,
//! inside one `BEGIN IMMEDIATE` transaction, so a crash or a concurrent opener never sees
//! a half-migrated file.
//!
//! **Adding a schema version**: append one [`Migration`] to [`MIGRATIONS`] (never edit an
//! old one), then add one fixture step for the new version to the upgrade test in
//! `tests.rs` (see `upgrade_from_every_earlier_version`).

use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Result, StoreError};

/// `PRAGMA application_id` of ordo databases: "ordo" in ASCII.
pub(super) const APPLICATION_ID: i64 = 0x6F72_646F;

/// One step of the schema.
pub(super) struct Migration {
    /// The schema version after this step.
    pub version: i64,
    /// What it does, for people.
    #[allow(dead_code)]
    pub description: &'static str,
    /// The SQL it runs.
    pub sql: &'static str,
}

/// Every migration, oldest first; `MIGRATIONS[i].version == i + 1`.
pub(super) const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, description: "initial schema", sql: V1 },
    Migration { version: 2, description: "pick lists, bins, pending shipments per location", sql: V2 },
    Migration { version: 3, description: "documents written as MessagePack", sql: V3 },
];

/// The newest schema version this build knows.
pub(super) fn current_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Schema version 1.
///
/// Aggregates are JSON documents plus the key columns their lookups need; stock levels are
/// real columns; movements and events are append-only with autoincrement positions.
const V1: &str = r"
CREATE TABLE counters (
    name  TEXT PRIMARY KEY NOT NULL,
    value INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE orders (
    id           BLOB PRIMARY KEY NOT NULL,
    number       TEXT NOT NULL UNIQUE,
    channel      TEXT NOT NULL,
    external_ref TEXT,
    state        TEXT NOT NULL,
    placed_at    INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    doc          TEXT NOT NULL
);
CREATE UNIQUE INDEX orders_by_ref ON orders (channel, external_ref);
CREATE INDEX orders_by_state ON orders (state, id);
CREATE INDEX orders_by_placed_at ON orders (placed_at);

-- Orders in fulfillment with backordered units, per SKU (kept in sync by put_order).
CREATE TABLE order_backorders (
    sku       TEXT NOT NULL,
    placed_at INTEGER NOT NULL,
    order_id  BLOB NOT NULL,
    PRIMARY KEY (sku, placed_at, order_id)
) WITHOUT ROWID;
CREATE INDEX order_backorders_by_order ON order_backorders (order_id);

CREATE TABLE shipments (
    id              BLOB PRIMARY KEY NOT NULL,
    order_id        BLOB NOT NULL,
    tracking_number TEXT,
    state           TEXT NOT NULL,
    version         INTEGER NOT NULL,
    doc             TEXT NOT NULL
);
CREATE INDEX shipments_by_order ON shipments (order_id, id);
CREATE INDEX shipments_by_tracking ON shipments (tracking_number) WHERE tracking_number IS NOT NULL;
CREATE INDEX shipments_by_state ON shipments (state, id);

CREATE TABLE returns (
    id       BLOB PRIMARY KEY NOT NULL,
    order_id BLOB NOT NULL,
    state    TEXT NOT NULL,
    version  INTEGER NOT NULL,
    doc      TEXT NOT NULL
);
CREATE INDEX returns_by_order ON returns (order_id, id);
CREATE INDEX returns_by_state ON returns (state, id);

CREATE TABLE channels (
    code TEXT PRIMARY KEY NOT NULL,
    doc  TEXT NOT NULL
);

CREATE TABLE locations (
    id   BLOB PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    doc  TEXT NOT NULL
);

CREATE TABLE stock (
    sku          TEXT NOT NULL,
    location_id  BLOB NOT NULL,
    on_hand      INTEGER NOT NULL,
    reserved     INTEGER NOT NULL,
    safety_stock INTEGER NOT NULL,
    PRIMARY KEY (sku, location_id)
) WITHOUT ROWID;

CREATE TABLE movements (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             BLOB NOT NULL,
    sku            TEXT NOT NULL,
    location_id    BLOB NOT NULL,
    kind           TEXT NOT NULL,
    on_hand_delta  INTEGER NOT NULL,
    reserved_delta INTEGER NOT NULL,
    reason         TEXT,
    order_id       BLOB,
    at             INTEGER NOT NULL
);
CREATE INDEX movements_by_sku ON movements (sku, seq);

CREATE TABLE sku_settings (
    sku TEXT PRIMARY KEY NOT NULL,
    doc TEXT NOT NULL
);

CREATE TABLE stock_holds (
    cart_ref   TEXT PRIMARY KEY NOT NULL,
    expires_at INTEGER NOT NULL,
    order_id   BLOB,
    doc        TEXT NOT NULL
);
CREATE INDEX stock_holds_by_expiry ON stock_holds (expires_at, cart_ref) WHERE order_id IS NULL;

CREATE TABLE idempotency (
    key         TEXT PRIMARY KEY NOT NULL,
    command     TEXT NOT NULL,
    fingerprint INTEGER NOT NULL,
    result      TEXT NOT NULL,
    at          INTEGER NOT NULL
);

-- The outbox. `kind` is the event's {type, data} JSON; acked_at is NULL while pending.
CREATE TABLE events (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    id       BLOB NOT NULL UNIQUE,
    schema   INTEGER NOT NULL,
    at       INTEGER NOT NULL,
    order_id BLOB,
    acked_at INTEGER,
    kind     TEXT NOT NULL
);
CREATE INDEX events_by_order ON events (order_id, seq) WHERE order_id IS NOT NULL;
CREATE INDEX events_pending ON events (seq) WHERE acked_at IS NULL;
";

/// Schema version 2: pick lists, bins, and the location of shipments as a column, so that
/// the pending shipments of a location are found by index.
const V2: &str = r"
ALTER TABLE shipments ADD COLUMN location_id BLOB;
UPDATE shipments SET location_id = unhex(replace(json_extract(doc, '$.location'), '-', ''));
CREATE INDEX shipments_at_location ON shipments (location_id, state, id);

CREATE TABLE pick_lists (
    id          BLOB PRIMARY KEY NOT NULL,
    location_id BLOB NOT NULL,
    doc         TEXT NOT NULL
);

CREATE TABLE bins (
    sku         TEXT NOT NULL,
    location_id BLOB NOT NULL,
    bin         TEXT NOT NULL,
    PRIMARY KEY (sku, location_id)
) WITHOUT ROWID;
";

/// What a file on disk is, found without writing to it.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Probe {
    /// No file, an empty file, or an SQLite database without any table: a new database.
    Fresh,
    /// An ordo database of a schema version this build knows.
    Ordo {
        /// Its schema version.
        version: i64,
    },
}

/// Checks what `path` holds without changing it; refuses foreign, too new and corrupt files.
///
/// The 100-byte SQLite header is read first: a file that is not SQLite, belongs to another
/// application or carries a newer ordo schema is refused from the header alone, so SQLite
/// never opens it and no `-wal`/`-shm` file appears beside it. Only a file that may be
/// ours is then opened read-only by SQLite (the header can lag behind a WAL that was not
/// checkpointed yet); without a `-wal` file the header is complete, and the file is opened
/// as immutable, which creates nothing either.
pub(super) fn probe(path: &Path) -> Result<Probe> {
    let display = path.display().to_string();
    let not_ordo = |reason: String| StoreError::NotOrdoDatabase { path: display.clone(), reason };
    let corrupt = |reason: String| StoreError::Corrupt(format!("{display}: {reason}"));
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Probe::Fresh),
        Err(e) => return Err(StoreError::Backend(format!("cannot read {display}: {e}")).into()),
    };
    let file_len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut header = Vec::with_capacity(100);
    file.by_ref().take(100).read_to_end(&mut header).map_err(|e| StoreError::Backend(format!("cannot read {display}: {e}")))?;
    drop(file);
    if header.is_empty() {
        return Ok(Probe::Fresh);
    }
    const MAGIC: &[u8] = b"SQLite format 3\0";
    if header.len() < 100 {
        if header.len() >= 6 && MAGIC.starts_with(&header[..header.len().min(MAGIC.len())]) {
            return Err(corrupt(format!("the file ends after {} bytes, inside the SQLite header (truncated)", header.len())).into());
        }
        return Err(not_ordo("it is not an SQLite database file".into()).into());
    }
    if !header.starts_with(MAGIC) {
        return Err(not_ordo("it is not an SQLite database file".into()).into());
    }
    let be32 = |at: usize| u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]);
    let app_id = i64::from(be32(68));
    let header_version = i64::from(be32(60).cast_signed());
    if app_id == APPLICATION_ID && header_version > current_version() {
        return Err(StoreError::SchemaTooNew { path: display.clone(), found: header_version, supported: current_version() }.into());
    }
    if app_id != 0 && app_id != APPLICATION_ID {
        return Err(not_ordo(format!("it belongs to another application (application id {app_id:#010x})")).into());
    }
    let wal = wal_path(path);
    let has_wal = wal.exists();
    if !has_wal {
        // Without a WAL the header is the whole truth: the page count it states (valid
        // when its "version valid for" equals the change counter) must be in the file.
        let page_size = match u32::from(u16::from_be_bytes([header[16], header[17]])) {
            1 => 65_536,
            n => n,
        };
        let pages = be32(28);
        if be32(92) == be32(24) && u64::from(pages) * u64::from(page_size) > file_len {
            return Err(corrupt(format!(
                "the header states {pages} pages of {page_size} bytes, but the file has only {file_len} bytes (truncated)"
            ))
            .into());
        }
    }
    let conn = open_read_only(path, !has_wal).map_err(|e| match super::codec::store_error(&e) {
        StoreError::Corrupt(m) => corrupt(m),
        _ => not_ordo(format!("SQLite cannot open it ({e})")),
    })?;
    let state = read_state(&conn).map_err(|e| match super::codec::store_error(&e) {
        StoreError::Busy(m) => StoreError::Busy(m),
        StoreError::Corrupt(m) => corrupt(m),
        _ => not_ordo(format!("SQLite cannot read it ({e})")),
    })?;
    drop(conn);
    classify(&display, state)
}

/// The `-wal` file of a database.
pub(super) fn wal_path(path: &Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    name.into()
}

/// Opens `path` read-only; `immutable` tells SQLite the file cannot change while it is open
/// (no `-wal` exists and nobody else writes, or the medium is read-only), so that SQLite
/// creates no `-shm`/`-wal` file and takes no lock.
pub(super) fn open_read_only(path: &Path, immutable: bool) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    if immutable {
        Connection::open_with_flags(format!("file:{}?immutable=1", uri_path(path)), flags)
    } else {
        Connection::open_with_flags(format!("file:{}", uri_path(path)), flags)
    }
}

/// `path` as the path part of a `file:` URI: every byte but unreserved ones and `/`
/// percent-encoded.
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for b in path.as_os_str().as_encoded_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(char::from(*b)),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// (application id, user version, number of tables and indexes) as SQLite sees them.
pub(super) struct FileState {
    app_id: i64,
    version: i64,
    objects: i64,
}

pub(super) fn read_state(conn: &Connection) -> rusqlite::Result<FileState> {
    let app_id = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let objects = conn.query_row("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'", [], |r| r.get(0))?;
    Ok(FileState { app_id, version, objects })
}

fn classify(path: &str, s: FileState) -> Result<Probe> {
    let not_ordo = |reason: String| StoreError::NotOrdoDatabase { path: path.to_owned(), reason }.into();
    match s.app_id {
        0 if s.objects == 0 && s.version == 0 => Ok(Probe::Fresh),
        0 => Err(not_ordo(format!("it is an SQLite database of another application ({} tables and indexes, no ordo id)", s.objects))),
        APPLICATION_ID if s.version > current_version() => {
            Err(StoreError::SchemaTooNew { path: path.to_owned(), found: s.version, supported: current_version() }.into())
        }
        APPLICATION_ID if s.version < 1 => Err(not_ordo(format!("its schema version {} is not valid", s.version))),
        APPLICATION_ID => Ok(Probe::Ordo { version: s.version }),
        other => Err(not_ordo(format!("it belongs to another application (application id {other:#010x})"))),
    }
}

/// Brings the database to [`current_version`] inside the caller's `BEGIN IMMEDIATE`
/// transaction: re-checks the file (another process may have changed it since the probe)
/// and applies the missing migrations. Returns the version found.
pub(super) fn migrate(conn: &Connection, path: &str) -> Result<i64> {
    migrate_to(conn, path, current_version())
}

/// Schema version 3:
///
/// - the `doc` columns are written as MessagePack blobs (see `codec::to_doc`); JSON
///   documents of earlier versions stay as they are and are read as before (an older
///   build, which reads only JSON, refuses the file by its version);
/// - `events` and `movements` number their rows without `AUTOINCREMENT`: neither table
///   ever deletes a row, so the next position is still always above every earlier one,
///   and a command no longer rewrites `sqlite_sequence` (one page less per commit).
const V3: &str = r"
CREATE TABLE events_v3 (
    seq      INTEGER PRIMARY KEY,
    id       BLOB NOT NULL UNIQUE,
    schema   INTEGER NOT NULL,
    at       INTEGER NOT NULL,
    order_id BLOB,
    acked_at INTEGER,
    kind     TEXT NOT NULL
);
INSERT INTO events_v3 (seq, id, schema, at, order_id, acked_at, kind)
    SELECT seq, id, schema, at, order_id, acked_at, kind FROM events ORDER BY seq;
DROP TABLE events;
ALTER TABLE events_v3 RENAME TO events;
CREATE INDEX events_by_order ON events (order_id, seq) WHERE order_id IS NOT NULL;
CREATE INDEX events_pending ON events (seq) WHERE acked_at IS NULL;

CREATE TABLE movements_v3 (
    seq            INTEGER PRIMARY KEY,
    id             BLOB NOT NULL,
    sku            TEXT NOT NULL,
    location_id    BLOB NOT NULL,
    kind           TEXT NOT NULL,
    on_hand_delta  INTEGER NOT NULL,
    reserved_delta INTEGER NOT NULL,
    reason         TEXT,
    order_id       BLOB,
    at             INTEGER NOT NULL
);
INSERT INTO movements_v3 (seq, id, sku, location_id, kind, on_hand_delta, reserved_delta, reason, order_id, at)
    SELECT seq, id, sku, location_id, kind, on_hand_delta, reserved_delta, reason, order_id, at FROM movements ORDER BY seq;
DROP TABLE movements;
ALTER TABLE movements_v3 RENAME TO movements;
CREATE INDEX movements_by_sku ON movements (sku, seq);
";

/// As [`migrate`], stopping at `target` (tests build old versions with it).
pub(super) fn migrate_to(conn: &Connection, path: &str, target: i64) -> Result<i64> {
    let found = match classify(path, read_state(conn)?)? {
        Probe::Fresh => 0,
        Probe::Ordo { version } => version,
    };
    for m in MIGRATIONS.iter().filter(|m| m.version > found && m.version <= target) {
        conn.execute_batch(m.sql)?;
        conn.pragma_update(None, "user_version", m.version)?;
    }
    if found == 0 {
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_one_by_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i64::try_from(i).unwrap() + 1, "{}", m.description);
        }
        assert_eq!(current_version(), i64::try_from(MIGRATIONS.len()).unwrap());
    }

    #[test]
    fn files_are_classified_by_id_version_and_tables() {
        let st = |app_id, version, objects| FileState { app_id, version, objects };
        assert_eq!(classify("x", st(0, 0, 0)).unwrap(), Probe::Fresh);
        assert_eq!(classify("x", st(APPLICATION_ID, 1, 30)).unwrap(), Probe::Ordo { version: 1 });
        assert!(matches!(classify("x", st(0, 0, 2)), Err(crate::Error::Store(StoreError::NotOrdoDatabase { .. }))));
        assert!(matches!(classify("x", st(7, 1, 2)), Err(crate::Error::Store(StoreError::NotOrdoDatabase { .. }))));
        assert!(matches!(
            classify("x", st(APPLICATION_ID, current_version() + 1, 2)),
            Err(crate::Error::Store(StoreError::SchemaTooNew { .. }))
        ));
    }
}
