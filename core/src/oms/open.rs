//! Opening an [`Oms`] over an SQLite database file.

use std::path::Path;

use super::{Oms, OmsBuilder};
use crate::error::Result;
use crate::store::{SqliteOptions, SqliteStore};

impl Oms {
    /// An OMS over the ordo database at `path` (one SQLite file; created when missing),
    /// with the default [`SqliteOptions`]: WAL mode and
    /// [`Durability::Full`](crate::Durability::Full), so a command that returned `Ok`
    /// survives a crash and a power loss. Use [`Oms::builder`] with
    /// [`SqliteStore::open`] to also set a clock, validators or carriers.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let path = dir.path().join("ordo.db");
    /// let oms = ordo::Oms::open(&path)?;
    /// oms.add_channel(ordo::NewChannel::new("web", "Web shop"))?;
    /// # Ok::<(), ordo::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`SqliteStore::open`]: a file that is not an ordo database, or was written by a
    /// newer ordo, is refused and left untouched.
    pub fn open(path: impl AsRef<Path>) -> Result<Oms> {
        Self::open_with(path, SqliteOptions::default())
    }

    /// As [`Oms::open`], with options (durability, busy timeout).
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let path = dir.path().join("ordo.db");
    /// use ordo::{Durability, Oms, SqliteOptions};
    /// let oms = Oms::open_with(&path, SqliteOptions::default().durability(Durability::Normal))?;
    /// # Ok::<(), ordo::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`SqliteStore::open`].
    pub fn open_with(path: impl AsRef<Path>, options: SqliteOptions) -> Result<Oms> {
        Ok(OmsBuilder::new(SqliteStore::open(path, options)?).build())
    }
}
