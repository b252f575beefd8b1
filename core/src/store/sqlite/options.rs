//! How a [`SqliteStore`](super::SqliteStore) trades durability for speed, and how long it
//! waits for other writers.

use std::time::Duration;

/// What a committed command survives. The database always stays consistent (no order is
/// ever half-written); the setting decides whether the last commits can be lost.
///
/// The store runs in WAL mode: a commit appends to the `-wal` file next to the database.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Durability {
    /// `PRAGMA synchronous = FULL` (the default): every commit waits until the WAL is
    /// flushed to the disk (`fsync`). A command that returned `Ok` survives a crash of the
    /// process **and** a power loss or kernel panic. Costs one disk flush per command —
    /// from well under a millisecond on an SSD with power-loss protection to several
    /// milliseconds on a laptop disk or network storage.
    #[default]
    Full,
    /// `PRAGMA synchronous = NORMAL`: commits are written to the operating system but
    /// flushed only at checkpoints. A command that returned `Ok` survives a crash or
    /// `kill -9` of the process (the OS still has the data), but the **last commits before a
    /// power loss or OS crash may be lost** — the database then opens as of an earlier,
    /// consistent moment (no torn order, no lost half of a command). Several times faster
    /// per command. Choose it for data you can re-import (bulk migrations, caches, tests),
    /// or when the host has its own power-loss protection.
    Normal,
}

impl Durability {
    /// The value of `PRAGMA synchronous`.
    #[must_use]
    pub fn pragma(self) -> &'static str {
        match self {
            Durability::Full => "FULL",
            Durability::Normal => "NORMAL",
        }
    }
}

/// Options of [`SqliteStore::open`](super::SqliteStore::open) and
/// [`Oms::open_with`](crate::Oms::open_with).
///
/// ```
/// use std::time::Duration;
/// use ordo::{Durability, SqliteOptions};
/// let options = SqliteOptions::default().durability(Durability::Normal).busy_timeout(Duration::from_secs(10));
/// assert_eq!(options.durability, Durability::Normal);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SqliteOptions {
    /// What a committed command survives; see [`Durability`]. Default: [`Durability::Full`].
    pub durability: Durability,
    /// How long a command waits for another process (or connection) that holds the write
    /// lock before it fails with [`StoreError::Busy`](crate::StoreError::Busy) and stores
    /// nothing. Default: 5 seconds.
    pub busy_timeout: Duration,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        SqliteOptions { durability: Durability::Full, busy_timeout: Duration::from_secs(5) }
    }
}

impl SqliteOptions {
    /// With this durability.
    #[must_use]
    pub fn durability(mut self, durability: Durability) -> Self {
        self.durability = durability;
        self
    }

    /// With this busy timeout.
    #[must_use]
    pub fn busy_timeout(mut self, timeout: Duration) -> Self {
        self.busy_timeout = timeout;
        self
    }

    /// The pragmas the store sets on its write connection (besides `journal_mode = WAL`),
    /// as one SQL batch. For the raw-insert baseline of the benches, which must run with
    /// the same settings; not part of the API the bindings mirror.
    ///
    /// ```
    /// use ordo::{Durability, SqliteOptions};
    /// let p = SqliteOptions::default().durability(Durability::Normal).pragmas();
    /// assert!(p.contains("PRAGMA synchronous = NORMAL;"));
    /// ```
    #[doc(hidden)]
    #[must_use]
    pub fn pragmas(&self) -> String {
        format!(
            "PRAGMA synchronous = {}; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF; PRAGMA wal_autocheckpoint = {}; PRAGMA cache_size = -{};",
            self.durability.pragma(),
            super::WAL_CHECKPOINT_PAGES,
            super::CACHE_KIB
        )
    }
}
