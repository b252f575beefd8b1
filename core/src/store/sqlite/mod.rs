//! The SQLite store: the embedded default. One database file, WAL mode, no server. See
//! [`SqliteStore`] for how it behaves; `migrations.rs` for the schema.

mod codec;
mod fulfillment;
mod inventory;
mod migrations;
mod options;
mod orders;
mod outbox;
#[cfg(test)]
mod tests;
mod turns;
mod tx;

use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::Mutex;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

pub use options::{Durability, SqliteOptions};

use self::codec::is_busy;
use self::turns::Turns;
use self::tx::SqliteTx;
use super::{Store, Transaction};
use crate::error::{Error, Result, StoreError};

/// Statements kept prepared per connection (every statement of the store fits).
const STATEMENT_CACHE: usize = 256;
/// Page cache of the write connection, in KiB.
const CACHE_KIB: u32 = 8192;
/// Idle read connections kept open.
const MAX_IDLE_READERS: usize = 8;

/// A [`Store`] in one SQLite database file: the embedded default, WAL mode, no server.
///
/// ```
/// use ordo::*;
/// let dir = tempfile::tempdir().unwrap();
/// let store = SqliteStore::open(dir.path().join("shop.db"), SqliteOptions::default())?;
/// let oms = Oms::builder(store).build();
/// oms.add_channel(NewChannel::new("web", "Web shop"))?;
/// drop(oms);
/// // Everything is in the file: open it again (Oms::open uses the default options).
/// let oms = Oms::open(dir.path().join("shop.db"))?;
/// assert_eq!(oms.channels()?.len(), 1);
/// # Ok::<(), ordo::Error>(())
/// ```
///
/// **Transactions.** A command's transaction is `BEGIN IMMEDIATE`: it takes SQLite's write
/// lock before reading, so its check-and-reserve cannot interleave with any other writer,
/// in this process or another one, and version conflicts cannot happen between writers.
/// Writers of one [`SqliteStore`] queue on a fair in-process lock and share one
/// connection; writers of several processes (and several stores on one file) take turns in
/// the order they came, through a ticket queue in the folder `<db>-turns` beside the file
/// (see `turns.rs`). A command that does not get its turn within
/// [`SqliteOptions::busy_timeout`] fails with [`StoreError::Busy`](crate::StoreError::Busy),
/// saying how long it waited behind how many writers, and stored nothing.
/// Queries run in deferred read transactions on pooled read-only connections and never
/// wait for writers (WAL). A transaction dropped without commit is rolled back.
///
/// **Durability** is [`Durability::Full`] unless chosen otherwise; see [`Durability`].
///
/// **Schema.** Versioned migrations run on open (see `migrations.rs`); a file that is not
/// an ordo database, or was written by a newer ordo, is refused with
/// [`StoreError::NotOrdoDatabase`](crate::StoreError::NotOrdoDatabase) or
/// [`StoreError::SchemaTooNew`](crate::StoreError::SchemaTooNew) and left untouched (no
/// `-wal` or `-shm` file is created beside it); a truncated or damaged one with
/// [`StoreError::Corrupt`](crate::StoreError::Corrupt).
///
/// **Read-only.** With [`SqliteOptions::read_only`], or when the file or its folder cannot
/// be written (permissions, a read-only mount), the store opens for queries only: every
/// query works, every command fails with
/// [`StoreError::ReadOnly`](crate::StoreError::ReadOnly) and stores nothing. A database
/// of an older schema must be opened writable once (to migrate it) before it can be read
/// this way.
///
/// **A full disk** fails the command that needed the space with
/// [`StoreError::DiskFull`](crate::StoreError::DiskFull); it stored nothing, every command
/// acknowledged before stays, and commands succeed again once there is space. How far the
/// WAL grows between checkpoints is [`SqliteOptions::checkpoint_pages`].
pub struct SqliteStore {
    path: PathBuf,
    options: SqliteOptions,
    /// The write connection and the writers' queue; `None` when the store is read-only.
    writer: Option<Mutex<Writer>>,
    /// Commands of this process waiting for the write connection.
    waiting: AtomicU64,
    /// Why the store is read-only, when it is.
    read_only: Option<String>,
    /// Read connections open the file as immutable (a read-only medium without a WAL).
    immutable: bool,
    readers: Mutex<Vec<Connection>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").field("path", &self.path).field("options", &self.options).finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens the ordo database at `path`, creating it when the file does not exist (or is
    /// empty), and migrates it to the current schema.
    ///
    /// # Errors
    /// [`StoreError::NotOrdoDatabase`](crate::StoreError::NotOrdoDatabase) for a file that is
    /// not an ordo database and [`StoreError::SchemaTooNew`](crate::StoreError::SchemaTooNew)
    /// for one written by a newer ordo (both leave the file untouched);
    /// [`StoreError::Busy`](crate::StoreError::Busy) when another process holds the write
    /// lock longer than the busy timeout; [`StoreError::Backend`](crate::StoreError::Backend)
    /// when the file cannot be created or read.
    pub fn open(path: impl AsRef<Path>, options: SqliteOptions) -> Result<SqliteStore> {
        let path = path.as_ref().to_path_buf();
        let probe = migrations::probe(&path)?;
        if options.read_only {
            return Self::open_read_only(path, options, probe, "it was opened read-only".into());
        }
        if let Some(reason) = unwritable(&path) {
            return Self::open_read_only(path, options, probe, reason);
        }
        match open_writer(&path, &options) {
            Ok(conn) => Ok(SqliteStore {
                path,
                options,
                writer: Some(Mutex::new(conn)),
                waiting: AtomicU64::new(0),
                read_only: None,
                immutable: false,
                readers: Mutex::new(Vec::new()),
            }),
            // The file could be opened but not written: a read-only folder or medium that
            // the permission check above could not see.
            Err(Error::Store(StoreError::ReadOnly { reason, .. })) => Self::open_read_only(path, options, probe, reason),
            Err(e) => Err(e),
        }
    }
    /// A store for queries only, over an existing database of the current schema.
    fn open_read_only(path: PathBuf, options: SqliteOptions, probe: migrations::Probe, reason: String) -> Result<SqliteStore> {
        let display = path.display().to_string();
        match probe {
            migrations::Probe::Fresh => {
                return Err(StoreError::ReadOnly {
                    path: display,
                    reason: format!("no ordo database to read, and none can be created ({reason})"),
                }
                .into());
            }
            migrations::Probe::Ordo { version } if version < migrations::current_version() => {
                return Err(StoreError::ReadOnly {
                    path: display,
                    reason: format!(
                        "its schema version {version} must first be upgraded to {}, which needs write access ({reason})",
                        migrations::current_version()
                    ),
                }
                .into());
            }
            migrations::Probe::Ordo { .. } => {}
        }
        // A read-only medium without a WAL cannot hold SQLite's shared-memory file: read
        // the file as immutable then (nobody can change it).
        let wal_exists = migrations::wal_path(&path).exists();
        let mut store = SqliteStore {
            path,
            options,
            writer: None,
            waiting: AtomicU64::new(0),
            read_only: Some(reason),
            immutable: false,
            readers: Mutex::new(Vec::new()),
        };
        let first = match store.reader() {
            Ok(c) => c,
            Err(_) if !wal_exists => {
                store.immutable = true;
                store.reader()?
            }
            Err(e) => return Err(e),
        };
        store.give_back(first);
        Ok(store)
    }

    /// Whether the store only reads (see the type's docs), and why.
    #[must_use]
    pub fn read_only_reason(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// The database file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The options it was opened with.
    #[must_use]
    pub fn options(&self) -> &SqliteOptions {
        &self.options
    }

    fn reader(&self) -> Result<Connection> {
        if let Some(c) = self.readers.lock().pop() {
            return Ok(c);
        }
        let cannot_open = |e: rusqlite::Error| StoreError::Backend(format!("cannot open {}: {e}", self.path.display()));
        let conn = if self.read_only.is_some() {
            let conn = migrations::open_read_only(&self.path, self.immutable).map_err(cannot_open)?;
            // Reading proves the connection works (a WAL database on a read-only medium
            // fails here, not at open).
            conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(())).map_err(cannot_open)?;
            conn
        } else {
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
            Connection::open_with_flags(&self.path, flags).map_err(cannot_open)?
        };
        configure(&conn, &self.options, true)?;
        Ok(conn)
    }

    fn give_back(&self, conn: Connection) {
        let mut idle = self.readers.lock();
        if idle.len() < MAX_IDLE_READERS && conn.is_autocommit() {
            idle.push(conn);
        }
    }
}

/// Connection settings. Readers are `query_only`; the writer switches the file to WAL.
fn configure(conn: &Connection, options: &SqliteOptions, reader: bool) -> Result<()> {
    conn.busy_timeout(options.busy_timeout)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    // Plans must not depend on bound values: otherwise SQLite re-prepares a cached statement
    // whenever some bindings change (e.g. LIMIT values, partial-index implications).
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    if reader {
        conn.execute_batch("PRAGMA query_only = ON")?;
        return Ok(());
    }
    let deadline = Instant::now() + options.busy_timeout;
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        let mode: String = with_busy_retry(deadline, || conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Backend(format!("cannot switch the database to WAL mode (it stays in {mode} mode)")).into());
        }
    }
    conn.execute_batch(&options.pragmas())?;
    Ok(())
}

/// Runs `f` again while SQLite reports busy/locked, until `deadline`; then the error is a
/// [`StoreError::Busy`](crate::StoreError::Busy). SQLite's own busy handler already waits
/// inside each attempt; this loop covers the cases where SQLite returns busy at once.
fn with_busy_retry<T>(deadline: Instant, mut f: impl FnMut() -> rusqlite::Result<T>) -> Result<T> {
    let mut pause = Duration::from_millis(1);
    loop {
        match f() {
            Err(e) if is_busy(&e) && Instant::now() < deadline => {
                thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(e) if is_busy(&e) => {
                return Err(StoreError::Busy(format!("the database stayed locked by another writer past the busy timeout ({e})")).into());
            }
            other => return other.map_err(Into::into),
        }
    }
}

/// `BEGIN IMMEDIATE` if SQLite's write lock is free this instant, without waiting; the
/// connection's busy timeout (for writers outside ordo's queue) is `timeout` again after.
fn begin_at_once(conn: &Connection, timeout: Duration) -> bool {
    if conn.busy_timeout(Duration::ZERO).is_err() {
        return false;
    }
    let began = conn.prepare_cached("BEGIN IMMEDIATE").and_then(|mut s| s.execute([])).is_ok();
    let restored = conn.busy_timeout(timeout).is_ok();
    if began && !restored {
        let _ = conn.execute_batch("ROLLBACK");
        return false;
    }
    began
}

/// The write connection with the writers' queue of its file.
pub(super) struct Writer {
    pub(super) conn: Connection,
    turns: Option<Turns>,
}

/// The write connection, set up and migrated to the current schema, and its queue.
fn open_writer(path: &Path, options: &SqliteOptions) -> Result<Writer> {
    let conn = open_writer_connection(path, options)?;
    Ok(Writer { conn, turns: turns::open_turns(path)? })
}

fn open_writer_connection(path: &Path, options: &SqliteOptions) -> Result<Connection> {
    let conn = Connection::open(path).map_err(|e| StoreError::Backend(format!("cannot open {}: {e}", path.display())))?;
    configure(&conn, options, false)?;
    let display = path.display().to_string();
    let deadline = Instant::now() + options.busy_timeout;
    with_busy_retry(deadline, || conn.execute_batch("BEGIN IMMEDIATE"))?;
    match migrations::migrate(&conn, &display) {
        Ok(_) => with_busy_retry(deadline, || conn.execute_batch("COMMIT"))?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    Ok(conn)
}

/// Why `path` cannot be written, when an attempt to open it for writing says so (file
/// permissions, a read-only mount); `None` when it can, or does not exist yet.
fn unwritable(path: &Path) -> Option<String> {
    match std::fs::OpenOptions::new().write(true).open(path) {
        Ok(_) => None,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) if matches!(e.kind(), std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem) => {
            Some(format!("the file cannot be written ({e})"))
        }
        Err(_) => None,
    }
}

impl Store for SqliteStore {
    fn begin(&self) -> Result<Box<dyn Transaction + '_>> {
        let (Some(writer), None) = (&self.writer, &self.read_only) else {
            let reason = self.read_only.clone().unwrap_or_default();
            return Err(StoreError::ReadOnly { path: self.path.display().to_string(), reason }.into());
        };
        let started = Instant::now();
        let deadline = started + self.options.busy_timeout;
        // This process's writers queue first (fairly: a released connection goes to the
        // writer that waited longest), then the process takes its turn among processes.
        let ahead = self.waiting.fetch_add(1, Ordering::Relaxed);
        let guard = writer.try_lock_until(deadline);
        self.waiting.fetch_sub(1, Ordering::Relaxed);
        let Some(mut w) = guard else {
            return Err(turns::busy(&turns::Waited { waited: started.elapsed(), ahead }));
        };
        if !w.conn.is_autocommit() {
            // A transaction left open by an earlier failure: nothing of it may survive.
            let _ = w.conn.execute_batch("ROLLBACK");
        }
        // Nobody queued: ask SQLite for the lock without waiting, and skip the queue if it
        // is free (a writer alone never touches the queue's files).
        if w.turns.as_mut().is_none_or(Turns::is_empty) && begin_at_once(&w.conn, self.options.busy_timeout) {
            return Ok(Box::new(SqliteTx::writer(w, None, self.options.busy_timeout)));
        }
        let turn = match w.turns.as_mut().map(|t| t.take(deadline)) {
            None => None,
            Some(Ok(turn)) => Some(turn),
            Some(Err(Ok(waited))) => return Err(turns::busy(&waited)),
            Some(Err(Err(e))) => {
                return Err(StoreError::Backend(format!("the writers' queue of {} failed: {e}", self.path.display())).into());
            }
        };
        let mut tx = SqliteTx::writer(w, turn, self.options.busy_timeout);
        tx.begin_immediate(deadline)?;
        Ok(Box::new(tx))
    }

    fn begin_read(&self) -> Result<Box<dyn Transaction + '_>> {
        let conn = self.reader()?;
        conn.prepare_cached("BEGIN DEFERRED")?.execute([])?;
        Ok(Box::new(SqliteTx::reader(conn, self)))
    }
}
