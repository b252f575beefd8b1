//! Fault injection: whichever storage call of a command fails, the command returns a typed
//! storage error and the store is exactly as it was before the command — never half of it.
//!
//! [`FaultyStore`] wraps a real store behind the public [`Store`] trait. It counts the calls
//! of every command transaction — `begin`, each write (`put_*`, `insert_*`, `update_*`,
//! `append_*`, `delete_*`, `ack_events`, `next_number`, `put_idempotency`, `put_bin`), each
//! savepoint operation, the `commit`, and each read — and, when armed, fails the n-th call of
//! one kind with [`StoreError::Backend`]:
//!
//! - [`Fault::Refuse`]: the call (begin, write, savepoint op or commit) fails without doing
//!   anything, as a full disk or a lost connection would;
//! - [`Fault::AfterWrite`]: the write or savepoint op does its work, then reports failure, as
//!   a statement that fails after changing some rows would;
//! - [`Fault::Read`]: the read fails.
//!
//! [`every_storage_fault_leaves_the_state_before_the_command`] runs a lifecycle script (stock,
//! checkout holds, an order from placement to delivery, a lost parcel and its claim, returns,
//! edits, cancellations, a counter sale, an import with savepoints, acknowledgements) once
//! to count the calls of every command; then, on a fresh store, for every command and every
//! call it makes, injects the fault, checks the error, compares every public query with the
//! state before the command (on SQLite after closing and reopening the file; two more faults
//! per command keep the store open, so the retry runs on the store that saw them), and
//! finally runs the command without fault, which must succeed.
//!
//! [`a_lost_commit_acknowledgement_is_retried_safely`] covers the opposite outcome: the
//! commit is made but reported as failed ([`Fault::LostAck`]); the retry with the same
//! idempotency key (or external reference) returns the first result and stores nothing twice.
//!
//! Below SQLite, [`sqlite_commands_hit_by_a_full_disk_store_nothing`] fails real writes of
//! the WAL (Linux): a child process with `SIGXFSZ` ignored lowers its own file-size limit
//! (`RLIMIT_FSIZE`, set with `prlimit`) so that a command's WAL writes fail with `EFBIG`
//! after 0, 3, 6, … KB, until the command fits. Failing `fsync` or reads below SQLite would need a custom VFS (unsafe
//! FFI, which the crate forbids) or a faulty block device, so they are not injected here.

mod script;
mod store;

use std::collections::BTreeMap;

use ordo::*;

use self::script::{Ids, Observed, Rig, Step, assert_same, observe, script};
use self::store::{Call, Class, Fault};
use crate::common::*;

/// Asserts that `r` is the storage error the plan injected.
fn assert_injected<T>(r: Result<T>, what: &str) {
    match r {
        Err(e @ Error::Store(StoreError::Backend(_))) if e.to_string().contains("injected fault") => {
            assert_eq!(e.code(), "STORAGE", "{what}");
        }
        Err(e) => panic!("{what}: the command failed with another error than the injected one: {e:?}"),
        Ok(_) => panic!("{what}: the command succeeded although a storage call failed"),
    }
}

/// How many calls of a command a fault targets.
fn targeted(calls: &[Call], fault: Fault) -> usize {
    calls.iter().filter(|(class, _)| fault.targets(*class)).count()
}

/// Runs the script without faults on a fresh store; the calls of every step.
fn count_calls(b: Backend) -> Vec<Vec<Call>> {
    let rig = Rig::new(b);
    let mut ids = Ids::default();
    script()
        .iter()
        .map(|step| {
            rig.plan.start(None);
            (step.run)(&rig.oms, &rig.clock, &mut ids).unwrap_or_else(|e| panic!("step {}: {e}", step.name));
            rig.plan.stop().0
        })
        .collect()
}

/// Fails the `n`-th call targeted by `fault` while `step` runs; checks the error and that
/// the state equals `before` — with `reopen` after reopening the store (SQLite), else in
/// place.
/// Returns the class of the call that failed.
fn inject(rig: &mut Rig, ids: &mut Ids, step: &Step, fault: Fault, n: usize, before: &Observed, reopen: bool) -> Class {
    rig.plan.start(Some((fault, n)));
    let r = (step.run)(&rig.oms, &rig.clock, ids);
    let (_, fired) = rig.plan.stop();
    let what = format!("step `{}`, {fault:?} fault at call {n} ({fired:?})", step.name);
    let (class, _) = fired.unwrap_or_else(|| panic!("{what}: the command made fewer calls than without faults"));
    assert_injected(r, &what);
    // SQLite's read connections see what is committed in the file, as a reopened store
    // does: one look suffices.
    if reopen && rig.reopen() {
        assert_same(before, &observe(&rig.oms, ids), &format!("{what}, after reopening"));
    } else {
        assert_same(before, &observe(&rig.oms, ids), &what);
    }
    class
}

pub fn every_storage_fault_leaves_the_state_before_the_command(b: Backend) {
    let started = std::time::Instant::now();
    let counts = count_calls(b);
    let mut rig = Rig::new(b);
    let reopens = rig.db().is_some();
    let mut ids = Ids::default();
    let mut injected: BTreeMap<(Fault, Class), usize> = BTreeMap::new();
    let mut in_place = 0;
    for (step, expected) in script().iter().zip(&counts) {
        let before = observe(&rig.oms, &ids);
        for fault in Fault::ALL {
            for n in 1..=targeted(expected, fault) {
                let class = inject(&mut rig, &mut ids, step, fault, n, &before, true);
                *injected.entry((fault, class)).or_default() += 1;
            }
        }
        if reopens {
            // The store also stays usable without a reopen: fail the last write and the
            // commit once more, keep the store, and retry on it.
            for fault in [Fault::AfterWrite, Fault::Refuse] {
                let n = targeted(expected, fault);
                if n > 0 {
                    inject(&mut rig, &mut ids, step, fault, n, &before, false);
                    in_place += 1;
                }
            }
        }
        // Without a fault the command succeeds, making the same calls as in the count.
        rig.plan.start(None);
        (step.run)(&rig.oms, &rig.clock, &mut ids).unwrap_or_else(|e| panic!("step `{}` retried without fault: {e}", step.name));
        assert_eq!(&rig.plan.stop().0, expected, "step `{}` made other calls than in the count", step.name);
    }
    assert_eq!(rig.oms.verify_inventory().unwrap(), vec![]);
    let total: usize = injected.values().sum();
    let commands = counts.iter().filter(|c| !c.is_empty()).count();
    let checked = if reopens { format!("a reopen, and {in_place} more kept the store open") } else { "a check in place".to_owned() };
    eprintln!(
        "fault injection ({b:?}): {total} faults in {commands} commands, each followed by {checked}; {:.1?}: {injected:?}",
        started.elapsed()
    );
    let per = |f: Fault, c: Class| injected.get(&(f, c)).copied().unwrap_or(0);
    assert_eq!(per(Fault::Refuse, Class::Begin), commands, "every command's begin failed once");
    let commits = counts.iter().filter(|c| c.iter().any(|(class, _)| *class == Class::Commit)).count();
    assert_eq!(per(Fault::Refuse, Class::Commit), commits, "every command that commits had its commit fail once");
    assert!(per(Fault::Refuse, Class::Savepoint) >= 8 && per(Fault::AfterWrite, Class::Savepoint) >= 8, "the import's savepoints failed");
    assert!(per(Fault::Read, Class::Read) > 100 && per(Fault::AfterWrite, Class::Write) > 100, "{injected:?}");
}

/// Runs `f` with its commit made but reported as failed (a lost acknowledgement); checks
/// the error.
fn lose_ack<T>(rig: &Rig, what: &str, f: impl FnOnce(&Oms) -> Result<T>) {
    rig.plan.start(Some((Fault::LostAck, 1)));
    let r = f(&rig.oms);
    let (_, fired) = rig.plan.stop();
    assert_eq!(fired.map(|(_, name)| name), Some("commit"), "{what}: the commit was reached");
    assert_injected(r, what);
}

/// The other side of a failed command: the commit was made but its acknowledgement lost
/// (the caller sees a storage error). Retrying with the same idempotency key — or, for
/// `place_order`, the same external reference — returns the first result and stores
/// nothing twice, also after a restart (reopen).
pub fn a_lost_commit_acknowledgement_is_retried_safely(b: Backend) {
    let mut rig = Rig::new(b);
    let ids = Ids::default();
    rig.oms.add_channel(NewChannel::new("web", "Web shop")).unwrap();
    let nord = rig.oms.add_location(NewLocation::warehouse("nord", "Lager Nord")).unwrap().id;
    rig.oms.receive_stock(ReceiveStock::new("A", nord, 5)).unwrap();
    let new = |ext: &str| new_order(ext, vec![NewLine::new("A", 2, d("10.00"))]);
    let retried = |rig: &mut Rig| -> Observed {
        rig.reopen();
        observe(&rig.oms, &ids)
    };

    lose_ack(&rig, "place_order with a key", |oms| oms.with_idempotency_key("k-place").place_order(new("lost-1")));
    let after = retried(&mut rig);
    let o = rig.oms.with_idempotency_key("k-place").place_order(new("lost-1")).unwrap();
    assert_eq!(rig.oms.list_orders(&OrderQuery::default()).unwrap().iter().map(|o| o.id).collect::<Vec<_>>(), vec![o.id]);
    assert_same(&after, &observe(&rig.oms, &ids), "place_order retried with its key");

    lose_ack(&rig, "place_order without a key", |oms| oms.place_order(new("lost-2")));
    let after = retried(&mut rig);
    rig.oms.place_order(new("lost-2")).unwrap();
    assert_eq!(rig.oms.list_orders(&OrderQuery::default()).unwrap().len(), 2, "the external reference found the order");
    assert_same(&after, &observe(&rig.oms, &ids), "place_order retried with its external reference");

    let pay = NewPayment::new(PaymentKind::Authorized, o.totals.total.amount(), "EUR");
    lose_ack(&rig, "record_payment", |oms| oms.with_idempotency_key("k-pay").record_payment(o.id, pay.clone()));
    let after = retried(&mut rig);
    let paid = rig.oms.with_idempotency_key("k-pay").record_payment(o.id, pay.clone()).unwrap();
    assert_eq!((paid.payments.len(), paid.payment_status), (1, PaymentStatus::Authorized), "paid once");
    assert_same(&after, &observe(&rig.oms, &ids), "record_payment retried with its key");

    let hold = || HoldRequest::new("cart-1", "web", vec![HoldLine::new("A", 1)], 900);
    lose_ack(&rig, "hold_stock", |oms| oms.with_idempotency_key("k-hold").hold_stock(hold()));
    let after = retried(&mut rig);
    rig.oms.with_idempotency_key("k-hold").hold_stock(hold()).unwrap();
    assert_eq!(rig.oms.available("A", None).unwrap(), 4, "held once");
    assert_same(&after, &observe(&rig.oms, &ids), "hold_stock retried with its key");

    assert_eq!(rig.oms.validate_order(o.id).unwrap().state, OrderState::Confirmed);
    lose_ack(&rig, "allocate_order", |oms| oms.with_idempotency_key("k-alloc").allocate_order(o.id));
    let after = retried(&mut rig);
    let a = rig.oms.with_idempotency_key("k-alloc").allocate_order(o.id).unwrap();
    assert_eq!(rig.oms.shipments(o.id).unwrap(), a.shipments, "the first allocation, not a second one");
    assert_eq!(rig.oms.available("A", None).unwrap(), 2, "reserved once");
    assert_same(&after, &observe(&rig.oms, &ids), "allocate_order retried with its key");
    assert_eq!(rig.oms.verify_inventory().unwrap(), vec![]);
}

// ---------------------------------------------------------------------------------------
// A full disk below SQLite
// ---------------------------------------------------------------------------------------

/// Set in the child process of the disk-full test.
const DISK_FULL_CHILD: &str = "ORDO_IT_DISK_FULL_CHILD";
/// Bytes more a command may write to the WAL per attempt: less than one WAL frame (4 KiB
/// page + 24-byte header), so every frame of a commit fails once, at shifting offsets.
const WAL_STRIDE: u64 = 3001;

/// Sets this process's file-size limit (`RLIMIT_FSIZE`, soft) with `prlimit`; `None` lifts
/// it. With `SIGXFSZ` ignored, a write beyond the limit fails with `EFBIG`, as on a full disk.
fn limit_file_size(bytes: Option<u64>) {
    let value = bytes.map_or_else(|| "unlimited".to_owned(), |b| b.to_string());
    let status = std::process::Command::new("prlimit")
        .args(["--pid", &std::process::id().to_string(), &format!("--fsize={value}:")])
        .status()
        .expect("the disk-full test needs `prlimit` (util-linux)");
    assert!(status.success(), "prlimit --fsize={value}: failed");
}

/// The child: runs the script on SQLite (durability FULL); each command first with the WAL
/// limited to its current size, then to 1, 2, … strides more, until it succeeds. After each
/// failure the state is that before the command: every other time after reopening the
/// file, else in place (and the next attempt runs on the store that saw the error).
#[test]
fn disk_full_child() {
    if std::env::var_os(DISK_FULL_CHILD).is_none() {
        return;
    }
    let mut rig = Rig::with_options(Backend::Sqlite, SqliteOptions::default());
    let wal = rig.db().unwrap().with_extension("db-wal");
    let wal_len = || std::fs::metadata(&wal).map_or(0, |m| m.len());
    let mut ids = Ids::default();
    let (mut faults, mut commands, mut reopens) = (0u64, 0u64, 0u64);
    let mut errors = BTreeMap::new();
    for step in script() {
        rig.reopen();
        let before = observe(&rig.oms, &ids);
        let mut attempt = 0;
        loop {
            limit_file_size(Some(wal_len() + attempt * WAL_STRIDE));
            let r = (step.run)(&rig.oms, &rig.clock, &mut ids);
            limit_file_size(None);
            let what = format!("step `{}` with {} bytes more for the WAL", step.name, attempt * WAL_STRIDE);
            match r {
                Ok(()) => break,
                Err(e) => {
                    let Error::Store(store) = &e else { panic!("{what}: not a storage error: {e:?}") };
                    assert_eq!(e.code(), "STORAGE", "{what}: {e}");
                    let variant = format!("{store:?}");
                    *errors.entry(variant[..variant.find(['(', ' ', '{']).unwrap_or(variant.len())].to_owned()).or_insert(0u64) += 1;
                }
            }
            if attempt % 2 == 0 {
                rig.reopen();
                reopens += 1;
                assert_same(&before, &observe(&rig.oms, &ids), &format!("{what}, after reopening"));
            } else {
                assert_same(&before, &observe(&rig.oms, &ids), &what);
            }
            faults += 1;
            attempt += 1;
            assert!(attempt < 500, "{what}: still failing");
        }
        commands += u64::from(attempt > 0);
    }
    assert_eq!(rig.oms.verify_inventory().unwrap(), vec![]);
    println!("DISK_FULL faults={faults} commands={commands} reopens={reopens} errors={errors:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn sqlite_commands_hit_by_a_full_disk_store_nothing() {
    let started = std::time::Instant::now();
    // `SIGXFSZ` would kill the child at the first write beyond the limit: ignored
    // dispositions survive `exec`, so a shell ignores it and becomes the test binary.
    let out = std::process::Command::new("bash")
        .args(["-c", r#"trap '' XFSZ; exec "$0" "$@""#])
        .arg(std::env::current_exe().unwrap())
        .args(["--exact", "faults::disk_full_child", "--nocapture", "--test-threads", "1", "--quiet"])
        .env(DISK_FULL_CHILD, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "the child failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let line = stdout.lines().find(|l| l.starts_with("DISK_FULL ")).unwrap_or_else(|| panic!("no result in {stdout}"));
    let field =
        |name: &str| -> u64 { line.split_whitespace().find_map(|f| f.strip_prefix(name)?.strip_prefix('=')).unwrap().parse().unwrap() };
    let (faults, commands) = (field("faults"), field("commands"));
    eprintln!("disk full: {line}, {:.1?}", started.elapsed());
    assert!(commands >= 60, "every command that writes met the full disk: {line}");
    assert!(faults >= 3 * commands, "several failing WAL writes per command: {line}");
}
