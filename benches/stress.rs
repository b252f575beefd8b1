//! Contention at scale (`make stress`): at least 10⁶ one-unit reservation attempts on one hot
//! SKU set, from many threads on one `Oms` and from several processes on one SQLite file,
//! then a check that exactly the stock was granted. Not a timed bench: it prints what
//! happened and exits non-zero on any violation.
//!
//! Configurations (each on a fresh store):
//!
//! - `memory`: `--threads` threads on one in-memory `Oms`;
//! - `sqlite-normal`: the same on SQLite at `Durability::Normal`;
//! - `sqlite-full`: the same at `Durability::Full` with `--full-attempts` (fewer: every grant
//!   and every order waits for a disk flush);
//! - `processes`: `--processes` processes (this program again, with `--child`) of
//!   `--process-threads` threads each, on one SQLite file at `Durability::Normal`.
//!
//! Four hot SKUs at two warehouses start with one unit per SKU and warehouse; a supplier
//! thread (in each child, for processes) receives one unit at a time, in turn at every SKU
//! and warehouse, until there is one unit per 100 attempts, paced so the last arrives at
//! 80 % of the attempts: grants happen all through the run, each one racing the refusals
//! around it. An attempt asks for one unit of one SKU: 31 in 32 attempts are checkout holds
//! (`hold_stock`, one command), every 32nd is an order (`place_order`, `validate_order`, and
//! `allocate_order` if validation confirmed it). Demand exceeds stock a hundredfold, so most
//! attempts are refused (`InsufficientStock`, or the order is held). Workers go on past
//! their share until the last unit has arrived, plus a few hundred attempts, so the
//! attempts printed are slightly more than asked for.
//!
//! The checks: granted units equal the stock; no level reserves more than it has on hand and
//! every level is exhausted; `verify_inventory` finds nothing; the granted holds (looked up
//! by cart) plus the allocated orders' shipments account for every reserved unit, per SKU
//! and location. Busy errors (a writer waited longer than the busy timeout) are counted and
//! are not violations; any other error is one.
//!
//! ```sh
//! cargo run --release -p ordo --example stress -- [--attempts N] [--full-attempts N]
//!     [--threads N] [--processes N] [--process-threads N] [--only memory,sqlite-normal,sqlite-full,processes]
//! ```

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ordo::*;
use rust_decimal::Decimal;

type Failure = Box<dyn std::error::Error>;

/// The hot SKUs.
const HOT: [&str; 4] = ["HOT-1", "HOT-2", "HOT-3", "HOT-4"];
/// One attempt in this many is an order (place, validate, allocate); the others are holds.
const ORDER_EVERY: u64 = 32;
/// Attempts per unit of stock.
const ATTEMPTS_PER_UNIT: u64 = 100;
/// Attempts each worker makes after the last unit arrived (it arrives at 80 % of the
/// attempts, unless the supplier fell behind).
const DRAIN: u64 = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Config {
    Memory,
    SqliteNormal,
    SqliteFull,
    Processes,
}

impl Config {
    const ALL: [Config; 4] = [Config::Memory, Config::SqliteNormal, Config::SqliteFull, Config::Processes];

    fn name(self) -> &'static str {
        match self {
            Config::Memory => "memory",
            Config::SqliteNormal => "sqlite-normal",
            Config::SqliteFull => "sqlite-full",
            Config::Processes => "processes",
        }
    }
}

struct Args {
    attempts: u64,
    full_attempts: u64,
    threads: usize,
    processes: usize,
    process_threads: usize,
    only: Vec<Config>,
}

fn parse_args(args: &[String]) -> Result<Args, Failure> {
    let mut a =
        Args { attempts: 1_000_000, full_attempts: 100_000, threads: 8, processes: 4, process_threads: 2, only: Config::ALL.to_vec() };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--attempts" => a.attempts = value()?.parse()?,
            "--full-attempts" => a.full_attempts = value()?.parse()?,
            "--threads" => a.threads = value()?.parse()?,
            "--processes" => a.processes = value()?.parse()?,
            "--process-threads" => a.process_threads = value()?.parse()?,
            "--only" => {
                a.only = value()?
                    .split(',')
                    .map(|n| Config::ALL.into_iter().find(|c| c.name() == n).ok_or_else(|| format!("unknown configuration {n}")))
                    .collect::<Result<_, _>>()?;
            }
            "--help" | "-h" => {
                println!(
                    "usage: stress [--attempts N (1000000)] [--full-attempts N (100000)] [--threads N (8)] [--processes N (4)] \
                     [--process-threads N (2)] [--only memory,sqlite-normal,sqlite-full,processes]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other} (try --help)").into()),
        }
    }
    if a.threads == 0 || a.processes == 0 || a.process_threads == 0 {
        return Err("threads and processes must be at least 1".into());
    }
    Ok(a)
}

/// What a set of attempts did.
#[derive(Debug, Default)]
struct Tally {
    attempts: u64,
    hold_grants: u64,
    order_grants: u64,
    refused: u64,
    busy: u64,
    other: u64,
    /// Units received while the workers ran.
    supplied: u64,
    /// The carts whose hold was granted.
    holds: Vec<String>,
    /// The first unexpected errors.
    errors: Vec<String>,
}

impl Tally {
    fn add(&mut self, o: Tally) {
        self.attempts += o.attempts;
        self.hold_grants += o.hold_grants;
        self.order_grants += o.order_grants;
        self.refused += o.refused;
        self.busy += o.busy;
        self.other += o.other;
        self.supplied += o.supplied;
        self.holds.extend(o.holds);
        self.errors.extend(o.errors.into_iter().take(5));
    }

    fn granted(&self) -> u64 {
        self.hold_grants + self.order_grants
    }

    fn error(&mut self, e: &Error) {
        if matches!(e, Error::Store(StoreError::Busy(_))) {
            self.busy += 1;
        } else {
            self.other += 1;
            if self.errors.len() < 5 {
                self.errors.push(e.to_string());
            }
        }
    }
}

/// One unit by order: placed, validated and (if confirmed) allocated. Whether it was granted.
fn reserve_by_order(oms: &Oms, sku: &str) -> Result<bool> {
    let order = oms.place_order(
        NewOrder::new("web", "EUR", vec![NewLine::new(sku, 1, Decimal::new(500, 2))])
            .ship_to(Address::new("Anna Muster", "Hauptstr. 1", "10115", "Berlin", "DE"))
            .payment_method(PaymentMethod::Invoice),
    )?;
    if oms.validate_order(order.id)?.state != OrderState::Confirmed {
        return Ok(false);
    }
    Ok(oms.allocate_order(order.id)?.order.lines.first().is_some_and(|l| l.quantities.allocated == 1))
}

/// What the workers and the supplier of one [`run_threads`] share.
struct Shared {
    /// Attempts made so far.
    progress: AtomicU64,
    /// Set once the supplier has received all its units (or given up).
    supplied: AtomicBool,
}

/// Attempt `i` of worker `worker`: one unit of a hot SKU, by hold or (every
/// [`ORDER_EVERY`]th) by order.
fn attempt(oms: &Oms, worker: &str, offset: usize, i: u64, t: &mut Tally) {
    t.attempts += 1;
    let sku = HOT[(i as usize + offset) % HOT.len()];
    if i % ORDER_EVERY == ORDER_EVERY - 1 {
        match reserve_by_order(oms, sku) {
            Ok(true) => t.order_grants += 1,
            Ok(false) => t.refused += 1,
            Err(e) => t.error(&e),
        }
        return;
    }
    let cart = format!("{worker}-{i}");
    match oms.hold_stock(HoldRequest::new(cart.as_str(), "web", vec![HoldLine::new(sku, 1)], MAX_HOLD_TTL_SECONDS)) {
        Ok(_) => {
            t.hold_grants += 1;
            t.holds.push(cart);
        }
        Err(Error::InsufficientStock { .. }) => t.refused += 1,
        Err(e) => t.error(&e),
    }
}

/// `n` attempts; then more until the supplier is done, and [`DRAIN`] after that, so every
/// unit supplied meets demand.
fn work(oms: &Oms, shared: &Shared, worker: &str, offset: usize, n: u64) -> Tally {
    let mut t = Tally::default();
    let mut i = 0;
    let mut drain = DRAIN;
    while i < n || drain > 0 {
        attempt(oms, worker, offset, i, &mut t);
        shared.progress.fetch_add(1, Ordering::Relaxed);
        i += 1;
        if i >= n && shared.supplied.load(Ordering::Acquire) {
            drain -= 1;
        }
    }
    t
}

/// Receives `units` units one at a time, in turn for every hot SKU at every warehouse,
/// paced so that the last arrives when the workers have made 80 % of `attempts`: grants
/// happen all through the run, each one racing the refusals around it.
fn supply(oms: &Oms, shared: &Shared, units: u64, attempts: u64) -> Tally {
    let mut t = Tally::default();
    let levels: Vec<(&str, LocationId)> = match oms.locations() {
        Ok(locs) => HOT.iter().flat_map(|sku| locs.iter().map(move |l| (*sku, l.id))).collect(),
        Err(e) => {
            t.error(&e);
            Vec::new()
        }
    };
    let pace = u128::from(attempts) * 8 / 10;
    while t.supplied < units && !levels.is_empty() {
        let due = u128::from(units) * u128::from(shared.progress.load(Ordering::Relaxed)) / pace.max(1);
        if u128::from(t.supplied) >= due {
            std::thread::sleep(Duration::from_micros(200));
            continue;
        }
        let (sku, location) = levels[t.supplied as usize % levels.len()];
        match oms.receive_stock(ReceiveStock::new(sku, location, 1)) {
            Ok(_) => t.supplied += 1,
            // Tried again: the units promised must arrive.
            Err(Error::Store(StoreError::Busy(_))) => t.busy += 1,
            Err(e) => {
                t.error(&e);
                break;
            }
        }
    }
    shared.supplied.store(true, Ordering::Release);
    t
}

/// `attempts` attempts over `threads` threads on `oms` while `units` units arrive; the
/// tally and the wall time.
fn run_threads(oms: &Oms, tag: &str, threads: usize, attempts: u64, units: u64) -> Result<(Tally, Duration), Failure> {
    let per = attempts / threads as u64;
    let shared = Shared { progress: AtomicU64::new(0), supplied: AtomicBool::new(false) };
    let start = Instant::now();
    let tallies = std::thread::scope(|s| {
        let shared = &shared;
        let mut handles: Vec<_> = (0..threads)
            .map(|t| {
                let n = per + if t == 0 { attempts % threads as u64 } else { 0 };
                s.spawn(move || work(oms, shared, &format!("{tag}{t}"), t, n))
            })
            .collect();
        handles.push(s.spawn(move || supply(oms, shared, units, attempts)));
        handles.into_iter().map(|h| h.join().map_err(|_| "a thread panicked")).collect::<Result<Vec<_>, _>>()
    })?;
    let elapsed = start.elapsed();
    let mut total = Tally::default();
    for t in tallies {
        total.add(t);
    }
    Ok((total, elapsed))
}

/// The units that arrive during a run of `attempts`: one per [`ATTEMPTS_PER_UNIT`], less
/// the `initial` stock.
fn units(attempts: u64, initial: u64) -> u64 {
    (attempts / ATTEMPTS_PER_UNIT).saturating_sub(initial)
}

/// A channel, two warehouses and one unit of each hot SKU at each; returns the units.
fn stock_up(oms: &Oms) -> Result<u64> {
    oms.add_channel(NewChannel::new("web", "Web shop"))?;
    let nord = oms.add_location(NewLocation::warehouse("nord", "Lager Nord").priority(1))?.id;
    let sued = oms.add_location(NewLocation::warehouse("sued", "Lager Süd").priority(2))?.id;
    for sku in HOT {
        oms.receive_stock(ReceiveStock::new(sku, nord, 1))?;
        oms.receive_stock(ReceiveStock::new(sku, sued, 1))?;
    }
    Ok(2 * HOT.len() as u64)
}

/// The exact-grant checks; `Err` names the first violation.
fn verify(oms: &Oms, stock: u64, t: &Tally) -> Result<String, Failure> {
    let mut violations = Vec::new();
    if t.other > 0 {
        violations.push(format!("{} unexpected errors, e.g. {:?}", t.other, t.errors));
    }
    if t.granted() != stock {
        violations.push(format!("granted {} units, but the stock was {stock}", t.granted()));
    }
    let mut reserved: BTreeMap<(String, LocationId), u64> = BTreeMap::new();
    for sku in HOT {
        for level in oms.stock(sku)? {
            if level.reserved > level.on_hand {
                violations.push(format!("{sku} at {}: reserved {} > on hand {}", level.location, level.reserved, level.on_hand));
            }
            if level.available() != 0 {
                violations.push(format!("{sku} at {}: {} units never granted", level.location, level.available()));
            }
            reserved.insert((sku.to_owned(), level.location), u64::from(level.reserved));
        }
    }
    let discrepancies = oms.verify_inventory()?;
    if !discrepancies.is_empty() {
        violations.push(format!("verify_inventory: {discrepancies:?}"));
    }
    // Every reserved unit belongs to a granted hold or an allocated order.
    let mut held: BTreeMap<(String, LocationId), u64> = BTreeMap::new();
    for cart in &t.holds {
        for l in oms.stock_hold(cart)?.lines {
            *held.entry((l.sku, l.location)).or_default() += u64::from(l.quantity);
        }
    }
    let orders = oms.list_orders(&OrderQuery::default())?;
    let mut allocated_orders = 0;
    for o in orders.iter().filter(|o| o.lines.iter().any(|l| l.quantities.allocated > 0)) {
        allocated_orders += 1;
        for s in oms.shipments(o.id)? {
            for l in &s.lines {
                *held.entry((l.sku.clone(), s.location)).or_default() += u64::from(l.quantity);
            }
        }
    }
    if allocated_orders != t.order_grants {
        violations.push(format!("{allocated_orders} orders hold an allocation, the workers were granted {}", t.order_grants));
    }
    if held != reserved {
        violations.push(format!("holds and allocations {held:?} differ from the reserved units {reserved:?}"));
    }
    if violations.is_empty() {
        let sum: u64 = held.values().sum();
        Ok(format!(
            "exact: granted {} = stock {stock} over {} levels, reserved = on hand, verify_inventory clean, {} holds + {} orders = {sum} reserved",
            t.granted(),
            reserved.len(),
            t.holds.len(),
            allocated_orders
        ))
    } else {
        Err(violations.join("; ").into())
    }
}

/// One configuration's result line.
struct Outcome {
    name: String,
    tally: Tally,
    elapsed: Duration,
}

impl Outcome {
    fn print(&self) {
        let t = &self.tally;
        let secs = self.elapsed.as_secs_f64();
        println!(
            "{:<34} {:>9} {:>8} {:>9} {:>6} {:>6} {:>9.1} s {:>10.0}/s",
            self.name,
            t.attempts,
            t.granted(),
            t.refused,
            t.busy,
            t.other,
            secs,
            t.attempts as f64 / secs.max(1e-9)
        );
    }
}

fn header() {
    println!(
        "{:<34} {:>9} {:>8} {:>9} {:>6} {:>6} {:>11} {:>12}",
        "configuration", "attempts", "granted", "refused", "busy", "other", "elapsed", "attempts/s"
    );
}

/// Runs one configuration on a fresh store, prints its line and checks.
fn run(config: Config, args: &Args, dir: &Path) -> Result<Outcome, Failure> {
    let (attempts, oms) = match config {
        Config::Memory => (args.attempts, Oms::in_memory()),
        Config::SqliteNormal => {
            (args.attempts, Oms::open_with(dir.join("threads-normal.db"), SqliteOptions::default().durability(Durability::Normal))?)
        }
        Config::SqliteFull => {
            (args.full_attempts, Oms::open_with(dir.join("threads-full.db"), SqliteOptions::default().durability(Durability::Full))?)
        }
        Config::Processes => return run_processes(args, dir),
    };
    let initial = stock_up(&oms)?;
    let (tally, elapsed) = run_threads(&oms, "t", args.threads, attempts, units(attempts, initial))?;
    let outcome = Outcome { name: format!("{}, {} threads", config.name(), args.threads), tally, elapsed };
    outcome.print();
    println!("    {}", verify(&oms, initial + outcome.tally.supplied, &outcome.tally)?);
    Ok(outcome)
}

fn run_processes(args: &Args, dir: &Path) -> Result<Outcome, Failure> {
    let db = dir.join("processes.db");
    let oms = Oms::open_with(&db, SqliteOptions::default().durability(Durability::Normal))?;
    let initial = stock_up(&oms)?;
    let per = args.attempts / args.processes as u64;
    let units_per = units(args.attempts, initial) / args.processes as u64;
    let exe = std::env::current_exe()?;
    let start = Instant::now();
    let children = (0..args.processes)
        .map(|p| {
            let n = per + if p == 0 { args.attempts % args.processes as u64 } else { 0 };
            let mut cmd = Command::new(&exe);
            cmd.arg("--child")
                .arg(&db)
                .arg(format!("p{p}-"))
                .arg(n.to_string())
                .arg(args.process_threads.to_string())
                .arg(units_per.to_string());
            cmd.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn()
        })
        .collect::<std::io::Result<Vec<_>>>()?;
    let mut total = Tally::default();
    for mut child in children {
        let out = child.stdout.take().ok_or("no child stdout")?;
        for line in BufReader::new(out).lines() {
            let line = line?;
            if let Some(cart) = line.strip_prefix("HOLD ") {
                total.holds.push(cart.to_owned());
            } else if let Some(rest) = line.strip_prefix("TALLY ") {
                let n: Vec<u64> = rest.split_whitespace().map(str::parse).collect::<Result<_, _>>()?;
                let [attempts, hold_grants, order_grants, refused, busy, other, supplied] = n[..] else {
                    return Err(format!("bad child line {line}").into());
                };
                let (holds, errors) = (Vec::new(), Vec::new());
                total.add(Tally { attempts, hold_grants, order_grants, refused, busy, other, supplied, holds, errors });
            } else if let Some(e) = line.strip_prefix("ERROR ") {
                total.errors.push(e.to_owned());
            }
        }
        if !child.wait()?.success() {
            return Err("a child process failed".into());
        }
    }
    let elapsed = start.elapsed();
    let outcome =
        Outcome { name: format!("processes, {} × {} threads (NORMAL)", args.processes, args.process_threads), tally: total, elapsed };
    outcome.print();
    println!("    {}", verify(&oms, initial + outcome.tally.supplied, &outcome.tally)?);
    Ok(outcome)
}

/// A child of the `processes` configuration: `--child <db> <tag> <attempts> <threads> <units>`;
/// it supplies its share of the units itself.
fn child(args: &[String]) -> Result<(), Failure> {
    let [db, tag, attempts, threads, units] = args else {
        return Err("usage: --child <db> <tag> <attempts> <threads> <units>".into());
    };
    let oms = Oms::open_with(db, SqliteOptions::default().durability(Durability::Normal))?;
    let (t, _) = run_threads(&oms, tag, threads.parse()?, attempts.parse()?, units.parse()?)?;
    let mut out = String::with_capacity(t.holds.len() * 16 + 64);
    for cart in &t.holds {
        out.push_str(&format!("HOLD {cart}\n"));
    }
    for e in &t.errors {
        out.push_str(&format!("ERROR {e}\n"));
    }
    let counts = [t.attempts, t.hold_grants, t.order_grants, t.refused, t.busy, t.other, t.supplied];
    out.push_str(&format!("TALLY {}\n", counts.map(|c| c.to_string()).join(" ")));
    print!("{out}");
    Ok(())
}

fn main() -> Result<(), Failure> {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if argv.first().map(String::as_str) == Some("--child") {
        return child(&argv[1..]);
    }
    let args = parse_args(&argv)?;
    let dir = tempfile::tempdir()?;
    println!(
        "stress: {} attempts per configuration ({} at FULL), 1 unit each, {} hot SKUs at 2 warehouses, 1 unit of stock per {ATTEMPTS_PER_UNIT} attempts, 1 attempt in {ORDER_EVERY} by order",
        args.attempts,
        args.full_attempts,
        HOT.len()
    );
    header();
    let mut outcomes = Vec::new();
    for config in &args.only {
        outcomes.push(run(*config, &args, dir.path())?);
    }
    let total: u64 = outcomes.iter().map(|o| o.tally.attempts).sum();
    println!("all checks passed: {total} attempts in {} configurations", outcomes.len());
    Ok(())
}
