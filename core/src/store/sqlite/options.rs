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
    /// Open for queries only: commands fail with
    /// [`StoreError::ReadOnly`](crate::StoreError::ReadOnly). Default: `false` (a file that
    /// cannot be written opens read-only anyway).
    pub read_only: bool,
    /// The WAL is folded back into the database (a checkpoint) once it holds this many
    /// pages of 4 KiB, and cut back to that size afterwards, so the `-wal` file never
    /// stays larger than about `checkpoint_pages × 4 KiB` after a checkpoint. Default
    /// [`SqliteOptions::SERVER_CHECKPOINT_PAGES`] (16 MiB: fewer checkpoints, hot pages
    /// copied back less often); [`SqliteOptions::for_device`] uses
    /// [`SqliteOptions::DEVICE_CHECKPOINT_PAGES`] (1 MiB).
    pub checkpoint_pages: u32,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        SqliteOptions {
            durability: Durability::Full,
            busy_timeout: Duration::from_secs(5),
            read_only: false,
            checkpoint_pages: Self::SERVER_CHECKPOINT_PAGES,
        }
    }
}

impl SqliteOptions {
    /// Checkpoint interval of the default options: 4,000 pages (16 MiB of WAL).
    pub const SERVER_CHECKPOINT_PAGES: u32 = 4_000;
    /// Checkpoint interval for devices: 256 pages (1 MiB of WAL).
    pub const DEVICE_CHECKPOINT_PAGES: u32 = 256;

    /// The options for a store on a device with little free space (a phone, a tablet, a
    /// till): durability [`Durability::Full`], and a checkpoint every
    /// [`SqliteOptions::DEVICE_CHECKPOINT_PAGES`] pages, so that the WAL stays near 1 MiB
    /// instead of 16 MiB. The price is a checkpoint about every 20–40 commands (each copies
    /// the pages changed since the last one back into the database file). When the disk
    /// fills up anyway, the command that needed the space fails with
    /// [`StoreError::DiskFull`](crate::StoreError::DiskFull) and stores nothing; what was
    /// acknowledged stays, and commands succeed again once space is free.
    ///
    /// ```
    /// use ordo::SqliteOptions;
    /// assert_eq!(SqliteOptions::for_device().checkpoint_pages, 256);
    /// ```
    #[must_use]
    pub fn for_device() -> Self {
        SqliteOptions { checkpoint_pages: Self::DEVICE_CHECKPOINT_PAGES, ..Self::default() }
    }

    /// Read-only (see [`SqliteOptions::read_only`]).
    #[must_use]
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }

    /// With this checkpoint interval, in pages (at least 16).
    #[must_use]
    pub fn checkpoint_pages(mut self, pages: u32) -> Self {
        self.checkpoint_pages = pages.max(16);
        self
    }

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
            "PRAGMA synchronous = {}; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF; PRAGMA wal_autocheckpoint = {}; PRAGMA journal_size_limit = {}; PRAGMA cache_size = -{};",
            self.durability.pragma(),
            self.checkpoint_pages.max(16),
            u64::from(self.checkpoint_pages.max(16)) * 4096,
            super::CACHE_KIB
        )
    }
}
