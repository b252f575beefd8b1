//! Fair turns for writers across processes: a ticket queue beside the database file.
//!
//! SQLite lets one writer in at a time; a writer that finds the file locked sleeps and
//! tries again, so a process that keeps losing the race can lose it for seconds while the
//! winners come back at once. ordo's writers instead take a **ticket** and wait for the
//! writer before them, first come, first served (see `docs/adr/0005-fair-writers.md`):
//!
//! * `<db>-turns/ticket` holds the next ticket number. A writer takes it under a short
//!   exclusive lock of that file.
//! * `<db>-turns/slot-NN` (`NN` = ticket mod [`SLOTS`]): a writer locks its own slot
//!   before it gives up the ticket lock, and holds it for its whole turn. It then waits
//!   until it can lock the slot of the ticket before it — which is free exactly when that
//!   writer has finished (or never started) — and releases it at once.
//!
//! * When no writer holds or waits for a turn (the last ticket's slot is free), a writer
//!   skips the queue and asks SQLite for the lock without waiting; only if another writer
//!   got there first does it take a ticket. So one writer alone never writes to these files,
//!   and a writer arriving at an empty queue gets ahead of at most the one command of a
//!   writer that took a ticket in the same instant.
//!
//! The locks are advisory whole-file locks (`flock`), held by the kernel for an open file:
//! a process that dies releases its locks, so its successor goes on; a turn can never be
//! lost for good. Within one process the writers already queue on the store's write
//! connection (a fair mutex), so each process holds at most one ticket at a time, and
//! [`SLOTS`] processes can queue before slots are shared (then two writers may wait on the
//! same slot: SQLite's own lock still keeps them apart; only the order is no longer
//! strict). Correctness never rests on these files: `BEGIN IMMEDIATE` does that.

use std::fs::{File, OpenOptions};
use std::io::ErrorKind;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::error::{Result, StoreError};

/// Slot files: how many processes can queue in strict order.
pub(super) const SLOTS: u64 = 32;

/// The queue of one store (used only by the holder of the store's write connection).
pub(super) struct Turns {
    dir: PathBuf,
    ticket: File,
    slots: Vec<Option<File>>,
}

/// A writer's turn: its ticket and the slot it holds until the turn ends.
#[derive(Debug)]
pub(super) struct Turn {
    ticket: u64,
}

/// How a wait for a turn ended without one.
pub(super) struct Waited {
    /// How long the writer waited.
    pub waited: Duration,
    /// How many writers were ahead of it when it took its ticket.
    pub ahead: u64,
}

impl Turns {
    /// The queue beside `db` (its folder `<db>-turns` is created when missing).
    pub(super) fn open(db: &Path) -> std::io::Result<Turns> {
        let mut name = db.as_os_str().to_owned();
        name.push("-turns");
        let dir = PathBuf::from(name);
        std::fs::create_dir_all(&dir)?;
        let ticket = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(dir.join("ticket"))?;
        Ok(Turns { dir, ticket, slots: (0..SLOTS).map(|_| None).collect() })
    }

    fn slot_path(&self, slot: u64) -> PathBuf {
        self.dir.join(format!("slot-{slot:02}"))
    }

    fn slot(&mut self, slot: u64) -> std::io::Result<&File> {
        let path = self.slot_path(slot);
        let i = usize::try_from(slot).unwrap_or(0);
        match self.slots.get_mut(i) {
            Some(s @ None) => Ok(s.insert(OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path)?)),
            Some(Some(f)) => Ok(f),
            None => Err(std::io::Error::other("slot out of range")),
        }
    }

    /// The next ticket (read without the ticket lock when only peeking).
    fn next(&self) -> std::io::Result<u64> {
        let mut buf = [0u8; 8];
        let n = self.ticket.read_at(&mut buf, 0)?;
        Ok(if n < 8 { 0 } else { u64::from_le_bytes(buf) })
    }

    fn set_next(&self, next: u64) -> std::io::Result<()> {
        self.ticket.write_all_at(&next.to_le_bytes(), 0)
    }

    /// Locks the ticket file (held only for a few system calls by anyone).
    fn lock_ticket(&self, deadline: Instant) -> std::io::Result<()> {
        let mut pause = Duration::from_micros(20);
        loop {
            match self.ticket.try_lock() {
                Ok(()) => return Ok(()),
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(1));
                }
                Err(std::fs::TryLockError::WouldBlock) => return Err(std::io::Error::new(ErrorKind::TimedOut, "ticket lock")),
                Err(std::fs::TryLockError::Error(e)) => return Err(e),
            }
        }
    }

    /// Takes a ticket and waits for the writer before it, until `deadline`.
    ///
    /// # Errors
    /// `Err(Ok(Waited))` when the deadline passed first (the ticket is given up: the next
    /// writer goes on behind the ones still ahead); `Err(Err(_))` when the files cannot be
    /// used at all.
    pub(super) fn take(&mut self, deadline: Instant) -> std::result::Result<Turn, std::result::Result<Waited, std::io::Error>> {
        let started = Instant::now();
        self.lock_ticket(deadline)
            .map_err(|e| if e.kind() == ErrorKind::TimedOut { Ok(Waited { waited: started.elapsed(), ahead: 0 }) } else { Err(e) })?;
        let taken = (|| {
            let next = self.next()?;
            self.set_next(next.wrapping_add(1))?;
            // Hold the own slot before anyone can take the next ticket. Its last holder
            // (SLOTS tickets ago) has long finished, unless more than SLOTS processes queue.
            self.slot(next % SLOTS)?.lock()?;
            Ok::<_, std::io::Error>(next)
        })();
        let _ = self.ticket.unlock();
        let ticket = taken.map_err(Err)?;
        let turn = Turn { ticket };
        if ticket == 0 {
            return Ok(turn);
        }
        // Wait for the writer before: its slot is free when its turn is over.
        let before = (ticket - 1) % SLOTS;
        let got = match self.slot(before).map_err(Err)?.try_lock() {
            Ok(()) => Ok(()),
            Err(std::fs::TryLockError::WouldBlock) => self.wait_for(before, deadline),
            Err(std::fs::TryLockError::Error(e)) => Err(Err(e)),
        };
        match got {
            Ok(()) => {
                if let Ok(f) = self.slot(before) {
                    let _ = f.unlock();
                }
                Ok(turn)
            }
            Err(e) => {
                self.give_up(&turn);
                let ahead = self.queued();
                Err(e.map(|()| Waited { waited: started.elapsed(), ahead }))
            }
        }
    }

    /// Blocks on the slot `before` in a helper thread (a blocking lock cannot time out),
    /// until `deadline`. The thread opens the file itself, so its lock is its own.
    fn wait_for(&self, before: u64, deadline: Instant) -> std::result::Result<(), std::result::Result<(), std::io::Error>> {
        let path = self.slot_path(before);
        let (tx, rx) = mpsc::channel();
        thread::Builder::new()
            .name("ordo-turn".into())
            .spawn(move || {
                let r = File::open(&path).and_then(|f| {
                    f.lock()?;
                    f.unlock()
                });
                let _ = tx.send(r);
            })
            .map_err(Err)?;
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(Err(e)),
            Err(_) => Err(Ok(())),
        }
    }

    /// Whether no writer holds or waits for a turn: the last ticket's slot is free. Reads
    /// and locks only, so a store without contention never writes to the queue's files
    /// (a write would dirty their inode, which the next commit's flush then also writes).
    pub(super) fn is_empty(&mut self) -> bool {
        let Ok(next) = self.next() else { return false };
        if next == 0 {
            return true;
        }
        let Ok(last) = self.slot((next - 1) % SLOTS) else { return false };
        match last.try_lock() {
            Ok(()) => {
                let _ = last.unlock();
                true
            }
            Err(_) => false,
        }
    }

    /// How many slots are held now (writers holding or waiting for a turn, up to
    /// [`SLOTS`]); for the `Busy` message.
    fn queued(&mut self) -> u64 {
        let mut held = 0;
        for slot in 0..SLOTS {
            if let Ok(f) = self.slot(slot)
                && matches!(f.try_lock(), Err(std::fs::TryLockError::WouldBlock))
            {
                held += 1;
            }
            // A slot this store could lock is none of its own: let go of it at once.
            if let Ok(f) = self.slot(slot) {
                let _ = f.unlock();
            }
        }
        held
    }

    /// Ends a turn: the slot is released, and the next writer goes on at once.
    pub(super) fn finish(&mut self, turn: &Turn) {
        self.give_up(turn);
    }

    fn give_up(&mut self, turn: &Turn) {
        if let Ok(f) = self.slot(turn.ticket % SLOTS) {
            let _ = f.unlock();
        }
    }
}

/// The error of a command that did not get its turn in time.
pub(super) fn busy(w: &Waited) -> crate::Error {
    StoreError::Busy(format!(
        "waited {} ms for the database behind {} other writer{} (the store's busy timeout)",
        w.waited.as_millis(),
        w.ahead,
        if w.ahead == 1 { "" } else { "s" }
    ))
    .into()
}

/// Opens the queue, or says why writers go without one (a read-only folder, say).
pub(super) fn open_turns(db: &Path) -> Result<Option<Turns>> {
    match Turns::open(db) {
        Ok(t) => Ok(Some(t)),
        Err(e) if matches!(e.kind(), ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem) => Ok(None),
        Err(e) => Err(StoreError::Backend(format!("cannot open the writers' queue beside {}: {e}", db.display())).into()),
    }
}
