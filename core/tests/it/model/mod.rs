//! Model-based testing: long random command sequences run against `Oms` and against a
//! small reference model of orders, stock and money ([`reference`]); after every step the
//! two must agree, on every store.
//!
//! **What is compared after each step** ([`compare`]): stock per SKU and location
//! (on hand, reserved, safety stock, available, which levels exist) and network
//! availability; every order's state, where it was held from, its hold reasons and checkout
//! cart, total, payment sums (authorized, captured, voided, refunds recorded) and derived
//! payment and fulfillment status, each line's quantities (ordered, cancelled, allocated,
//! backordered, picked, packed, shipped, delivered, returned) and refunded units and money;
//! every shipment's location, state, lines (planned and picked units), tracking number and
//! delivery time; every return's state, lines (received, restocked, written off), location
//! and refund; every checkout hold. A refused command must be refused with the error code
//! the model predicts (`Error::code`) and leave the ledger and the outbox untouched. At the
//! end of each sequence `verify_inventory` finds nothing.
//!
//! **Commands** ([`commands`]): receive, adjust and transfer stock; place orders (1–3
//! lines, 1–5 units, some beyond the stock, some of an unknown SKU, prepaid or on invoice,
//! with or without shipping, some converting a checkout hold) and place them again (same or
//! other content); record payments (authorized, captured, refunded, charged back, voided,
//! failed); validate, allocate, hold and release orders; cancel orders and units of lines;
//! pick lists, picks (short ones too), packing, shipping, carrier events (delivered, in
//! transit, out for delivery, failed, lost, unknown codes); request, approve, reject,
//! cancel, receive (partly), inspect (restock or write off) and resolve returns (refund or
//! store credit); checkout holds (place, replace, release, let lapse); time passing
//! (seconds to 15 days). Quantities and amounts are drawn valid, one too many or zero, and
//! commands are sent in wrong states too.
//!
//! **The world is shaped so the model can predict ordo's choices.** Two channels: `web`
//! holds an order when a `deny` SKU is short, `market` cancels the missing units. Each SKU
//! is stocked at one shipping location only (`A`, `C` and the never-stocked `Z` at nord,
//! `B` at sued); stock also moves to and from a depot that does not ship. So the allocation
//! planner's choice of location is known: each SKU's units come from its home, lines in
//! line order. Prices carry no discounts, so every unit's share of a line is its unit price
//! and refunds are whole multiples of it (uneven shares are covered by the golden refund
//! tests). Every step advances the clock by a second, so orders have distinct placement
//! times and "oldest first" is the order of placement.
//!
//! **Rules the model follows where the docs leave a choice** (each is ordo's documented or
//! evident behaviour): checkout holds that lapse are released by the next command that
//! reserves stock — `hold_stock`, `place_order` with a cart, `allocate_order`, a receipt,
//! adjustment or transfer that finds backorders to fill, a short pick — or by
//! `release_expired_holds`; until then they count as reserved (and network availability
//! counts them as available); receipts fill backorders of the SKU for orders in
//! fulfillment, oldest first, each order allocated in full, until no unit of the SKU is
//! available anywhere; a short pick takes the missing units off the books and allocates the
//! order again (hold reason `short_pick`).
//!
//! **Not modelled**: order edits, exchanges and repairs (follow-up orders), pickup orders,
//! counter sales, claims, channel eligibility lists and other allocation strategies (the
//! planner has its own tests), discounts, idempotency keys, events' contents.
//!
//! **Size.** By default 64 sequences of up to 60 steps on the memory store and 16 on SQLite.
//! `ORDO_MODEL_CASES=n` runs `n` sequences on memory and `n / 10` (at least one) on
//! SQLite; `ORDO_MODEL_STEPS=n` allows sequences of up to `n` steps. A long run:
//!
//! ```sh
//! ORDO_MODEL_CASES=5000 ORDO_MODEL_STEPS=100 cargo test -p ordo --test it random_sequences_match -- --nocapture
//! ```
//!
//! (about 8 minutes on two cores in a debug build: 5,000 sequences and about 310,000 steps
//! on memory, 500 sequences and about 32,000 steps on SQLite).
//!
//! Each run prints the number of sequences and steps checked and, per command, how often it
//! was accepted and refused (`--nocapture` shows it; `ORDO_MODEL_DEBUG=1` also prints every
//! refusal with its code). A mismatch fails with the step, the command, the list of
//! differences and the resolved commands that led there, for the smallest sequence
//! proptest finds.

mod commands;
mod compare;
mod reference;
mod regressions;

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use chrono::Duration;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use self::commands::{Op, Ordo, op, resolve};
use self::reference::{Cmd, Loc, Model, Refusal};
use crate::common::Backend;

pub use self::regressions::*;

/// Sequences and steps of a run.
#[derive(Default)]
struct Tally {
    sequences: Cell<usize>,
    steps: Cell<usize>,
    refused: Cell<usize>,
    /// Per command: (accepted, refused).
    commands: RefCell<BTreeMap<String, (usize, usize)>>,
}

fn env(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

pub fn random_sequences_match_the_reference_model(b: Backend) {
    let memory = matches!(b, Backend::Memory);
    let cases = match env("ORDO_MODEL_CASES") {
        Some(n) if memory => n,
        Some(n) => (n / 10).max(1),
        None if memory => 64,
        None => 16,
    };
    let steps = env("ORDO_MODEL_STEPS").unwrap_or(60).max(1);
    let tally = Tally::default();
    let mut runner = TestRunner::new(Config {
        cases: u32::try_from(cases).unwrap_or(u32::MAX),
        failure_persistence: None,
        max_shrink_iters: 2048,
        ..Config::default()
    });
    let result = runner.run(&proptest::collection::vec(op(), (steps / 3).max(1)..=steps), |ops| run_sequence(b, &ops, &tally));
    if let Err(e) = result {
        panic!("{e}");
    }
    eprintln!(
        "model ({b:?}): {} sequences, {} steps ({} refused as predicted) agree with the reference model",
        tally.sequences.get(),
        tally.steps.get(),
        tally.refused.get()
    );
    let per: Vec<String> = tally.commands.borrow().iter().map(|(c, (ok, no))| format!("{c} {ok}/{no}")).collect();
    eprintln!("  accepted/refused per command: {}", per.join(", "));
}

/// The stock every sequence starts with.
fn setup() -> Vec<Cmd> {
    vec![
        Cmd::Receive { sku: 0, loc: Loc::Nord, qty: 5 },
        Cmd::Receive { sku: 1, loc: Loc::Sued, qty: 3 },
        Cmd::Receive { sku: 2, loc: Loc::Nord, qty: 4 },
        Cmd::Receive { sku: 0, loc: Loc::Depot, qty: 2 },
    ]
}

fn run_sequence(b: Backend, ops: &[Op], tally: &Tally) -> Result<(), TestCaseError> {
    let mut ordo = Ordo::new(b);
    let mut model = Model::new();
    // The commands run so far, resolved, for the failure message.
    let mut log: Vec<String> = Vec::new();
    let with_log = |log: &[String], e: TestCaseError| match e {
        TestCaseError::Fail(why) => TestCaseError::fail(format!("{why}\ncommands run (resolved):\n  {}", log.join("\n  "))),
        other => other,
    };
    for cmd in setup() {
        step(&mut ordo, &mut model, "set-up".into(), &cmd)?;
    }
    let mut commands: Vec<(String, bool)> = Vec::new();
    for (n, op) in ops.iter().enumerate() {
        let Some(cmd) = resolve(&model, op) else { continue };
        log.push(format!("step {n}: {cmd:?}"));
        let refused = step(&mut ordo, &mut model, format!("step {n}"), &cmd).map_err(|e| with_log(&log, e))?;
        let name = format!("{cmd:?}");
        commands.push((name.split([' ', '{']).next().unwrap_or_default().to_owned(), refused));
    }
    let discrepancies = ordo.w.oms.verify_inventory().unwrap();
    prop_assert!(discrepancies.is_empty(), "verify_inventory after {} steps: {discrepancies:?}", ops.len());
    tally.sequences.set(tally.sequences.get() + 1);
    for (name, refused) in commands {
        tally.steps.set(tally.steps.get() + 1);
        tally.refused.set(tally.refused.get() + usize::from(refused));
        let mut all = tally.commands.borrow_mut();
        let e = all.entry(name).or_default();
        if refused {
            e.1 += 1;
        } else {
            e.0 += 1;
        }
    }
    Ok(())
}

/// What a refused command must leave as it was: the ledger's length and the pending events.
fn footprint(ordo: &Ordo) -> (usize, usize) {
    let oms = &ordo.w.oms;
    let mut events = oms.poll_events(10_000).unwrap();
    if events.len() >= 5_000 {
        oms.ack_events(&events.iter().map(|e| e.id).collect::<Vec<_>>()).unwrap();
        events = oms.poll_events(10_000).unwrap();
    }
    (oms.movements(None).unwrap().len(), events.len())
}

/// Runs one command on both; returns whether it was refused (as predicted).
fn step(ordo: &mut Ordo, model: &mut Model, at: String, cmd: &Cmd) -> Result<bool, TestCaseError> {
    model.now += 1;
    ordo.w.clock.advance(Duration::seconds(1));
    let expected = model.apply(cmd);
    let before = expected.is_err().then(|| footprint(ordo));
    let got = ordo.run(model, cmd);
    match (expected, &got) {
        (Ok(()), Ok(())) => {}
        (Err(Refusal(code)), Err(e)) => {
            prop_assert_eq!(e.code(), code, "{}: {:?} refused with {}, the model expects {}", at, cmd, e, code);
        }
        (Ok(()), Err(e)) => {
            return Err(TestCaseError::fail(format!("{at}: {cmd:?} refused by ordo ({}: {e}); the model accepts it", e.code())));
        }
        (Err(Refusal(code)), Ok(())) => {
            return Err(TestCaseError::fail(format!("{at}: {cmd:?} accepted by ordo; the model refuses it with {code}")));
        }
    }
    if let Some(before) = before {
        prop_assert_eq!(before, footprint(ordo), "{}: {:?} was refused but changed (movements, events)", at, cmd);
    }
    let diffs = compare::diff(ordo, model);
    if !diffs.is_empty() {
        return Err(TestCaseError::fail(format!("{at}: {cmd:?}\n  {}", diffs.join("\n  "))));
    }
    if let (Err(e), Ok(_)) = (&got, std::env::var("ORDO_MODEL_DEBUG")) {
        eprintln!("{at}: {cmd:?} -> {}", e.code());
    }
    Ok(got.is_err())
}
