//! Writers on one SQLite file at `Durability::Full`: lifecycle throughput and command
//! latency (p50, p99, max) with 1, 4 and 16 writer threads, sharing one `Oms` or each with
//! its own `Oms` on the same file (as separate worker processes are). Not a criterion
//! bench: each configuration runs a fixed number of order lifecycles (eight commands each)
//! once and measures every command.
//!
//! ```text
//! cargo bench -p ordo --bench writers              # 320 lifecycles per configuration
//! cargo bench -p ordo --bench writers -- 640       # more
//! ORDO_BENCH_LABEL=before cargo bench -p ordo --bench writers   # writes writers-before.json
//! ```
//!
//! Prints a table and writes `target/bench-results/writers[-LABEL].json`. Without `--bench`
//! (as under `cargo test --benches`) it runs 16 lifecycles per configuration and writes
//! nothing. `Busy` errors are counted, not fatal; any other error ends the run.
#![allow(clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ordo::*;

#[path = "common/mod.rs"]
mod common;
use common::{order, stock_up};

/// One configuration's measurements.
struct Run {
    writers: usize,
    shared: bool,
    lifecycles: u64,
    busy: u64,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Run {
    fn quantile(&self, q: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let i = ((self.latencies.len() - 1) as f64 * q).round() as usize;
        self.latencies[i.min(self.latencies.len() - 1)]
    }

    fn json(&self) -> String {
        format!(
            r#"{{"writers": {}, "oms": "{}", "lifecycles": {}, "commands": {}, "busy": {}, "seconds": {:.3}, "lifecycles_per_s": {:.1}, "p50_us": {}, "p99_us": {}, "max_us": {}}}"#,
            self.writers,
            if self.shared { "shared" } else { "separate" },
            self.lifecycles,
            self.latencies.len(),
            self.busy,
            self.elapsed.as_secs_f64(),
            self.lifecycles as f64 / self.elapsed.as_secs_f64(),
            self.quantile(0.5).as_micros(),
            self.quantile(0.99).as_micros(),
            self.latencies.last().copied().unwrap_or_default().as_micros()
        )
    }
}

/// Order `i` through every step to delivered; each command timed. `Ok(false)` when a
/// command failed with `Busy` (the rest of that lifecycle is not run).
fn lifecycle(oms: &Oms, i: u64, times: &mut Vec<Duration>) -> ordo::Result<bool> {
    fn step<T>(times: &mut Vec<Duration>, f: impl FnOnce() -> ordo::Result<T>) -> ordo::Result<Option<T>> {
        let start = Instant::now();
        let r = f();
        times.push(start.elapsed());
        match r {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.variant_and_details().0 == "Busy" => Ok(None),
            Err(e) => Err(e),
        }
    }
    let Some(o) = step(times, || oms.place_order(order(i)))? else { return Ok(false) };
    let Some(_) = step(times, || oms.validate_order(o.id))? else { return Ok(false) };
    let Some(a) = step(times, || oms.allocate_order(o.id))? else { return Ok(false) };
    let s = a.shipments[0].id;
    let tracking = format!("T{i}");
    let done = step(times, || oms.confirm_pick(s, vec![]))?.is_some()
        && step(times, || oms.pack_shipment(s, vec![Package::new(900)]))?.is_some()
        && step(times, || oms.ship(s, ShipInput::new("DHL", tracking.clone())))?.is_some()
        && step(times, || oms.record_tracking_event(TrackingEventInput::by_tracking(tracking.clone(), "in_transit")))?.is_some()
        && step(times, || oms.record_tracking_event(TrackingEventInput::by_tracking(tracking.clone(), "delivered")))?.is_some();
    Ok(done)
}

fn run(dir: &Path, writers: usize, shared: bool, lifecycles: u64) -> Run {
    let path = dir.join(format!("writers-{writers}-{shared}.db"));
    let first = Oms::open(&path).expect("open");
    stock_up(&first);
    let per_writer = lifecycles / writers as u64;
    let start = Instant::now();
    let results: Vec<(Vec<Duration>, u64)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..writers)
            .map(|w| {
                let oms = if shared { first.clone() } else { Oms::open(&path).expect("open") };
                s.spawn(move || {
                    let mut times = Vec::with_capacity(per_writer as usize * 8);
                    let mut busy = 0;
                    for n in 0..per_writer {
                        if !lifecycle(&oms, w as u64 * 1_000_000 + n, &mut times).expect("a command failed") {
                            busy += 1;
                        }
                    }
                    (times, busy)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("writer thread")).collect()
    });
    let elapsed = start.elapsed();
    let busy = results.iter().map(|r| r.1).sum();
    let mut latencies: Vec<Duration> = results.into_iter().flat_map(|r| r.0).collect();
    latencies.sort();
    Run { writers, shared, lifecycles: per_writer * writers as u64 - busy, busy, elapsed, latencies }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let full = args.iter().any(|a| a == "--bench");
    let lifecycles: u64 = args.iter().find_map(|a| a.parse().ok()).unwrap_or(if full { 320 } else { 16 });
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut runs = Vec::new();
    println!("writers  oms       lifecycles/s   p50 ms   p99 ms   max ms   busy");
    for writers in [1, 4, 16] {
        for shared in [true, false] {
            if writers == 1 && !shared {
                continue;
            }
            let r = run(dir.path(), writers, shared, lifecycles);
            println!(
                "{:>7}  {:<8}  {:>12.1}  {:>7.2}  {:>7.2}  {:>7.2}  {:>5}",
                r.writers,
                if r.shared { "shared" } else { "separate" },
                r.lifecycles as f64 / r.elapsed.as_secs_f64(),
                r.quantile(0.5).as_secs_f64() * 1e3,
                r.quantile(0.99).as_secs_f64() * 1e3,
                r.latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
                r.busy
            );
            runs.push(r.json());
        }
    }
    if full {
        let name = match std::env::var("ORDO_BENCH_LABEL") {
            Ok(l) if !l.is_empty() => format!("writers-{l}.json"),
            _ => "writers.json".to_owned(),
        };
        let out: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "target", "bench-results"].iter().collect();
        std::fs::create_dir_all(&out).expect("results folder");
        let json = format!("{{\"lifecycles\": {lifecycles}, \"runs\": [\n  {}\n]}}\n", runs.join(",\n  "));
        std::fs::write(out.join(&name), json).expect("write results");
        println!("written to target/bench-results/{name}");
    }
}
