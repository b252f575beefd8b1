#!/usr/bin/env python3
"""Builds benches/REPORT.md and the plots under benches/plots/ from the bench output.

Inputs (each optional: a missing one is "not measured" in the report):

- target/criterion/**/new/{benchmark,estimates}.json — criterion's results (median point
  estimates; the throughput and group of each bench);
- target/bench-results/memory.json — benches/memory.rs;
- target/bench-results/contention.json — the grant check of benches/contention.rs;
- target/bench-results/writers.json (and writers-before.json, the same bench on a build
  without the writers' queue) — benches/writers.rs;
- target/bench-results/{python,node}.json — bindings-*/bench.sh;
- target/bench-results/machine.json — written by ``report.py machine`` at the start of
  ``make bench-report`` (the machine, and its load before the benches ran);
- benches/report/notes.md — copied verbatim as "What was optimised and why".

    python3 benches/report/report.py machine   # record the machine (start of the run)
    python3 benches/report/report.py           # write REPORT.md and the plots

The plots need matplotlib (``make bench-report`` installs it in target/report-venv); without
it the report is written without plots.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
CRITERION = TARGET / "criterion"
RESULTS = TARGET / "bench-results"
REPORT = ROOT / "benches" / "REPORT.md"
PLOTS = ROOT / "benches" / "plots"
NOTES = ROOT / "benches" / "report" / "notes.md"

# Targets of issue #10. `None`: no target stated, the figure is reported only.
TARGETS = {
    "memory_place": None,  # orders/s, in memory, place_order alone (no target of its own)
    "memory_place_validate_allocate": 300_000,  # orders/s: "place + allocate" (allocation needs a validated order)
    "memory_lifecycle": 100_000,  # orders/s: the full lifecycle
    "sqlite_vs_raw": 0.5,  # per command, × raw insert at the same durability
    "import": 50_000,  # orders/s
    "planner_us": 50.0,  # µs, 5 lines × 1000 locations
    "memory_bytes": 2048,  # bytes per order
    "binding_overhead_us": 1.0,  # µs per call above Rust
}
STRATEGIES = ["FewestShipments", "Priority", "Nearest"]
LIFECYCLE_COMMANDS = 8  # place, validate, allocate, pick, pack, ship, in transit, delivered
NOT_MEASURED = "not measured"


# ---------------------------------------------------------------------------- the machine


def run(cmd: List[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def machine_now() -> Dict[str, Any]:
    cpuinfo = read("/proc/cpuinfo")
    model = next((l.split(":", 1)[1].strip() for l in cpuinfo.splitlines() if l.startswith("model name")), "")
    mem_kib = next((l.split()[1] for l in read("/proc/meminfo").splitlines() if l.startswith("MemTotal:")), "")
    mem = f"{int(mem_kib) / 2**20:.1f} GiB" if mem_kib.isdigit() else ""
    os_name = next((l.split("=", 1)[1].strip('"') for l in read("/etc/os-release").splitlines() if l.startswith("PRETTY_NAME=")), "")
    commit = run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    dirty = run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"])
    now = dt.datetime.now(dt.timezone.utc)
    return {
        "date": now.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "epoch": now.timestamp(),
        "nproc": run(["nproc"]) or str(os.cpu_count() or ""),
        "cpu": model,
        "memory": mem,
        "kernel": run(["uname", "-sr"]),
        "os": os_name,
        "rustc": run(["rustc", "-V"]),
        "python": sys.version.split()[0],
        "node": run(["node", "--version"]),
        "loadavg": " ".join(read("/proc/loadavg").split()[:3]),
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "bench_args": os.environ.get("BENCH_ARGS", ""),
    }


def record_machine() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    m = machine_now()
    (RESULTS / "machine.json").write_text(json.dumps(m, indent=2) + "\n")
    print(f"machine recorded in {RESULTS / 'machine.json'}: {m['nproc']} × {m['cpu']}, load {m['loadavg']}")


# ---------------------------------------------------------------------------- the inputs


class Bench:
    """One criterion result: the median time per iteration and the elements per iteration."""

    def __init__(self, full_id: str, group: str, function: str, value: Optional[str], ns: float, elements: Optional[float], mtime: float):
        self.full_id, self.group, self.function, self.value = full_id, group, function, value
        self.ns, self.elements, self.mtime = ns, elements, mtime

    @property
    def us(self) -> float:
        return self.ns / 1000.0

    @property
    def per_second(self) -> Optional[float]:
        """Elements per second (orders, commands, …), from the throughput of the bench."""
        return self.elements / (self.ns * 1e-9) if self.elements and self.ns > 0 else None


def load_criterion() -> Dict[str, Bench]:
    out: Dict[str, Bench] = {}
    if not CRITERION.is_dir():
        return out
    for bj in sorted(CRITERION.glob("**/new/benchmark.json")):
        est = bj.with_name("estimates.json")
        try:
            b = json.loads(bj.read_text())
            e = json.loads(est.read_text())
            ns = float(e["median"]["point_estimate"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        tp = b.get("throughput") or {}
        elements = None
        if isinstance(tp, dict):
            elements = tp.get("Elements") or tp.get("ElementsAndBytes", {}).get("elements") if tp else None
        full_id = b.get("full_id") or b.get("title") or str(bj.parent.parent.relative_to(CRITERION))
        out[full_id] = Bench(full_id, b.get("group_id", ""), b.get("function_id") or "", b.get("value_str"), ns, elements, est.stat().st_mtime)
    return out


def load_json(name: str) -> Tuple[Optional[Dict[str, Any]], float]:
    path = RESULTS / name
    try:
        return json.loads(path.read_text()), path.stat().st_mtime
    except (OSError, ValueError):
        return None, 0.0


# ---------------------------------------------------------------------------- formatting


def f_int(x: float) -> str:
    return f"{x:,.0f}"


def f_rate(x: Optional[float], unit: str = "orders/s") -> str:
    return NOT_MEASURED if x is None else f"{f_int(x)} {unit}"


def f_us(x: Optional[float]) -> str:
    if x is None:
        return NOT_MEASURED
    if x >= 10_000:
        return f"{x / 1000:,.1f} ms"
    return f"{x:,.1f} µs" if x >= 10 else f"{x:.2f} µs"


def f_bytes(x: Optional[float]) -> str:
    return NOT_MEASURED if x is None else f"{f_int(x)} B"


def f_ratio(a: Optional[float], b: Optional[float]) -> str:
    if a is None or b is None or b == 0:
        return "—"
    r = a / b
    return f"{r:.2f}×" if r < 100 else f"{r:,.0f}×"


def verdict(ok: Optional[bool]) -> str:
    return "" if ok is None else ("✅ met" if ok else "❌ not met")


class Report:
    def __init__(self, start: float):
        self.start = start
        self.stale = False
        self.rows: List[List[str]] = []

    def mark(self, mtime: Optional[float]) -> str:
        """† on figures older than this run (left over from an earlier one)."""
        if mtime and self.start and mtime < self.start - 60:
            self.stale = True
            return " †"
        return ""

    def section(self, title: str) -> None:
        self.rows.append([f"**{title}**", "", "", "", "", ""])

    def row(self, figure: str, measured: str, baseline: str, ratio: str, target: str, status: str) -> None:
        self.rows.append([figure, measured, baseline, ratio, target, status])


# ---------------------------------------------------------------------------- the table


def writers_rows(rep: Report, after: Optional[Dict[str, Any]], after_t: float, before: Optional[Dict[str, Any]]) -> None:
    """benches/writers.rs: this build (`writers.json`) against a build without the writers'
    queue (`writers-before.json`, written by the same bench with ORDO_BENCH_LABEL=before)."""
    rep.section("Writers on one SQLite file, Full: lifecycles and command latency (benches/writers.rs)")
    runs = {(r["writers"], r["oms"]): r for r in (after or {}).get("runs", [])}
    old = {(r["writers"], r["oms"]): r for r in (before or {}).get("runs", [])}
    single = runs.get((1, "shared"))
    if not runs:
        rep.row("lifecycles with 1, 4 and 16 writers", NOT_MEASURED, "—", "—", "—", "")
        return
    mark = rep.mark(after_t)
    for key in sorted(runs):
        r = runs[key]
        b = old.get(key)
        cell = (f"{r['lifecycles_per_s']:.0f} lifecycles/s; p50 {r['p50_us'] / 1000:.1f} ms, p99 {r['p99_us'] / 1000:.1f} ms, "
                f"max {r['max_us'] / 1000:.0f} ms; {r['busy']} Busy{mark}")
        base = (f"without the queue: {b['lifecycles_per_s']:.0f}/s; p99 {b['p99_us'] / 1000:.1f} ms, max {b['max_us'] / 1000:.0f} ms; "
                f"{b['busy']} Busy") if b else "—"
        ratio = f_ratio(r["lifecycles_per_s"], b["lifecycles_per_s"]) if b else "—"
        target, ok = "—", ""
        if key[0] == 16 and single:
            p99_limit = 20 * single["p50_us"]
            target = f"p99 ≤ 20× the 1-writer median ({p99_limit / 1000:.1f} ms), max ≤ 1 s, throughput ≥ before"
            ok = verdict(r["p99_us"] <= p99_limit and r["max_us"] <= 1_000_000 and (b is None or r["lifecycles_per_s"] >= b["lifecycles_per_s"]))
        rep.row(f"{key[0]} writer{'s' if key[0] > 1 else ''}, {key[1]} Oms", cell, base, ratio, target, ok)


def build_table(rep: Report, c: Dict[str, Bench], memory: Optional[Dict[str, Any]], mem_t: float,
                contention: Optional[Dict[str, Any]], cont_t: float, bindings: Dict[str, Tuple[Optional[Dict[str, Any]], float]]) -> None:
    def get(key: str) -> Optional[Bench]:
        return c.get(key)

    def rate(key: str, factor: float = 1.0) -> Optional[float]:
        b = get(key)
        return b.per_second * factor if b and b.per_second else None

    def rate_cell(key: str, unit: str = "orders/s", factor: float = 1.0, per: str = "order") -> str:
        b = get(key)
        r = rate(key, factor)
        if b is None or r is None:
            return NOT_MEASURED
        return f"{f_rate(r, unit)} ({f_us(1e6 / r)}/{per}){rep.mark(b.mtime)}"

    def at_least(x: Optional[float], target: Optional[float]) -> Optional[bool]:
        return None if x is None or target is None else x >= target

    def at_most(x: Optional[float], target: Optional[float]) -> Optional[bool]:
        return None if x is None or target is None else x <= target

    # In memory
    rep.section("In memory (benches/place_order.rs)")
    bulk = rate("import_1000/memory")
    bulk_cell = f"bulk import, memory store: {f_rate(bulk)}" if bulk else f"bulk import, memory store: {NOT_MEASURED}"
    place = rate("memory/place_order")
    t = TARGETS["memory_place"]
    rep.row("place_order", rate_cell("memory/place_order"), bulk_cell, f_ratio(place, bulk), f"≥ {f_int(t)} orders/s" if t else "—", verdict(at_least(place, t)))
    place_cell = f"place_order: {f_rate(place)}"
    for key, name, tkey in [
        ("memory/place_validate_allocate", "place + validate + allocate", "memory_place_validate_allocate"),
        ("memory/lifecycle", "lifecycle (place … delivered)", "memory_lifecycle"),
    ]:
        r = rate(key)
        t = TARGETS[tkey]
        rep.row(name, rate_cell(key), place_cell, f_ratio(r, place), f"≥ {f_int(t)} orders/s" if t else "— (none stated)", verdict(at_least(r, t)))

    # SQLite
    rep.section("SQLite store, per command vs a raw one-row insert transaction (benches/sqlite.rs)")
    tr = TARGETS["sqlite_vs_raw"]
    for dur in ["full", "normal"]:
        raw = rate(f"raw_insert/{dur}")
        raw_cell = f"raw insert {dur.upper()}: {f_rate(raw, 'commits/s')}"
        pva = rate(f"place_validate_allocate/{dur}")  # throughput is in commands
        cell = rate_cell(f"place_validate_allocate/{dur}", "commands/s", per="command")
        rep.row(f"place + validate + allocate, {dur.upper()}", cell, raw_cell, f_ratio(pva, raw), f"≥ {tr}× raw insert",
                verdict(None if pva is None or raw is None else pva / raw >= tr))
        life = rate(f"lifecycle/{dur}", LIFECYCLE_COMMANDS)
        cell = rate_cell(f"lifecycle/{dur}", "commands/s", LIFECYCLE_COMMANDS, per="command")
        if life is not None:
            cell += f"; {f_rate(rate(f'lifecycle/{dur}'))}"
        rep.row(f"lifecycle ({LIFECYCLE_COMMANDS} commands), {dur.upper()}", cell, raw_cell, f_ratio(life, raw), f"≥ {tr}× raw insert",
                verdict(None if life is None or raw is None else life / raw >= tr))
    ti = TARGETS["import"]
    for dur in ["full", "normal"]:
        r = rate(f"import_1000/{dur}")
        rep.row(f"bulk import (1000 orders per call), {dur.upper()}", rate_cell(f"import_1000/{dur}"), bulk_cell, f_ratio(r, bulk),
                f"≥ {f_int(ti)} orders/s", verdict(at_least(r, ti)))

    # Planner
    rep.section("Allocation planner, 5 lines × 1000 locations (benches/allocation.rs)")
    tp = TARGETS["planner_us"]
    for s in STRATEGIES:
        b = get(f"planner/{s}/5_lines/1000")
        base = get(f"planner/{s}/1_lines/1000")
        us = b.us if b else None
        rep.row(f"plan, {s}", (f_us(us) + rep.mark(b.mtime)) if b else NOT_MEASURED,
                f"1 line × 1000 locations: {f_us(base.us) if base else NOT_MEASURED}", f_ratio(us, base.us if base else None),
                f"≤ {tp:g} µs", verdict(at_most(us, tp)))

    # Fulfillment
    rep.section("Picking (benches/fulfillment.rs)")
    b = get("fulfillment/create_pick_list_10000_shipments")
    rep.row("create_pick_list over 10,000 shipments", (f"{f_us(b.us)} ({f_rate(b.per_second, 'shipments/s')})" + rep.mark(b.mtime)) if b else NOT_MEASURED,
            "—", "—", "— (none stated)", "")

    # Memory
    rep.section("Memory (benches/memory.rs)")
    tb = TARGETS["memory_bytes"]
    m = memory or {}
    mark = rep.mark(mem_t) if memory else ""
    rss = m.get("memory_rss_bytes_per_order")
    json_bytes = m.get("order_json_bytes")
    json_cell = f"the order as JSON: {f_bytes(json_bytes)}" if json_bytes else "—"
    n = m.get("memory_orders")
    rep.row(f"resident memory per order, memory store ({f_int(n) if n else '?'} 3-line orders)", (f_bytes(rss) + mark) if rss is not None else NOT_MEASURED,
            json_cell, f_ratio(rss, json_bytes), f"≤ {f_int(tb)} B (2 KiB)", verdict(at_most(rss, tb)))
    placed = m.get("sqlite_bytes_per_order_placed")
    allocated = m.get("sqlite_bytes_per_order_allocated")
    sn = m.get("sqlite_orders")
    rep.row(f"SQLite file per order, placed ({f_int(sn) if sn else '?'} orders)", (f_bytes(placed) + mark) if placed is not None else NOT_MEASURED,
            json_cell, f_ratio(placed, json_bytes), "— (none stated)", "")
    rep.row("SQLite file per order, placed + validated + allocated", (f_bytes(allocated) + mark) if allocated is not None else NOT_MEASURED,
            f"placed only: {f_bytes(placed)}" if placed is not None else "—", f_ratio(allocated, placed), "— (none stated)", "")

    # Bindings
    rep.section("Call overhead of the bindings vs the same calls in Rust (bindings-*/bench.sh)")
    to = TARGETS["binding_overhead_us"]
    for lang, key, label in [("python", "python", "Python"), ("node", "node", "Node")]:
        data, mtime = bindings[lang]
        mark = rep.mark(mtime) if data else ""
        calls = [("available", "available (a trivial call)"), ("place_order", "place_order (3 lines)")]
        for call, what in calls:
            rust = (data or {}).get("rust", {}).get(call)
            mine = (data or {}).get(key, {}).get(call)
            if rust is None or mine is None:
                rep.row(f"{label} {what}", NOT_MEASURED, "Rust: " + NOT_MEASURED, "—", f"overhead ≤ {to:g} µs", "")
                continue
            over = (mine - rust) * 1e6
            rep.row(f"{label} {what}", f"{f_us(mine * 1e6)}/call, overhead {over:.2f} µs{mark}", f"Rust: {f_us(rust * 1e6)}/call",
                    f_ratio(mine, rust), f"overhead ≤ {to:g} µs", verdict(over <= to))
        if data and key == "node" and data.get("node", {}).get("place_order_64_in_flight") is not None:
            rust = data.get("rust", {}).get("place_order")
            mine = data["node"]["place_order_64_in_flight"]
            rep.row("Node placeOrder, 64 Promises in flight", f"{f_us(mine * 1e6)}/call{mark}", f"Rust: {f_us(rust * 1e6) if rust else NOT_MEASURED}/call",
                    f_ratio(mine, rust), "— (none stated)", "")

    # Contention
    rep.section("Two threads contending for one SKU on one Oms (benches/contention.rs)")
    for store, label in [("memory", "memory store"), ("sqlite_normal", "SQLite NORMAL")]:
        one = rate(f"contention/{store}/1_thread")
        two = rate(f"contention/{store}/2_threads")
        rep.row(f"2 threads, {label}", rate_cell(f"contention/{store}/2_threads"), f"1 thread, same work: {f_rate(one)}", f_ratio(two, one),
                "— (none stated)", "")
    for store, label in [("memory", "memory store"), ("sqlite_normal", "SQLite NORMAL")]:
        g = (contention or {}).get(store)
        if not g:
            rep.row(f"grant count, {label}", NOT_MEASURED, "—", "—", "exactly the stock", "")
            continue
        rep.row(f"grant count, {label}",
                f"{f_int(g['granted'])} units granted to {g['threads']} threads for {f_int(g['orders'])} one-unit orders; {f_int(g['not_granted'])} held{rep.mark(cont_t)}",
                f"stock: {f_int(g['stock'])}", f_ratio(g["granted"], g["stock"]), "exactly the stock", verdict(g["granted"] == g["stock"] and bool(g.get("exact"))))


def table_md(rows: List[List[str]]) -> str:
    out = ["| Figure | Measured | Baseline (same run) | Ratio | Target | |", "|---|---|---|---|---|---|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def all_figures_md(rep: Report, c: Dict[str, Bench]) -> str:
    out = ["| Bench | Median per iteration | Throughput |", "|---|---|---|"]
    def natural(text: str) -> List[Any]:
        """Numbers inside names compare as numbers: 5_lines before 20_lines."""
        return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]

    for key in sorted(c, key=lambda k: (natural(c[k].group), natural(c[k].function), natural(c[k].value or ""), k)):
        b = c[key]
        per = f"{f_int(b.per_second)} elements/s" if b.per_second else "—"
        out.append(f"| `{key}` | {f_us(b.us)}{rep.mark(b.mtime)} | {per} |")
    return "\n".join(out)


# ---------------------------------------------------------------------------- the plots


def make_plots(c: Dict[str, Bench], memory: Optional[Dict[str, Any]], bindings: Dict[str, Tuple[Optional[Dict[str, Any]], float]]) -> Tuple[List[Tuple[str, str, str]], str]:
    """The PNGs written: (file name, title, caption); and why none were, if so."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return [], "matplotlib is not installed: no plots (`make bench-report` installs it in target/report-venv)."
    PLOTS.mkdir(parents=True, exist_ok=True)
    for old in PLOTS.glob("*.png"):
        old.unlink()
    made: List[Tuple[str, str, str]] = []

    from matplotlib.ticker import FuncFormatter

    thousands = FuncFormatter(lambda v, _: f"{v:,.0f}")

    def save(fig: Any, name: str, title: str, caption: str) -> None:
        fig.tight_layout()
        fig.savefig(PLOTS / name, dpi=110)
        plt.close(fig)
        made.append((name, title, caption))

    planner: Dict[str, Dict[int, Dict[int, float]]] = {}
    for b in c.values():
        if b.group.startswith("planner/") and b.function.endswith("_lines") and b.value and b.value.isdigit():
            s = b.group.split("/", 1)[1]
            lines = int(b.function.split("_")[0])
            planner.setdefault(s, {}).setdefault(lines, {})[int(b.value)] = b.us
    strategies = [s for s in STRATEGIES if s in planner] + sorted(s for s in planner if s not in STRATEGIES)
    if strategies:
        # (a) time vs locations, one line per line count, one panel per strategy
        fig, axes = plt.subplots(1, len(strategies), figsize=(5 * len(strategies), 4.2), sharey=True, squeeze=False)
        for ax, s in zip(axes[0], strategies):
            for lines in sorted(planner[s]):
                pts = sorted(planner[s][lines].items())
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=f"{lines} line{'s' if lines > 1 else ''}")
            ax.axhline(TARGETS["planner_us"], color="grey", linestyle="--", linewidth=1, label=f"target {TARGETS['planner_us']:g} µs (5 × 1000)")
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_title(s)
            ax.set_xlabel("candidate locations")
            ax.grid(True, which="both", alpha=0.3)
        axes[0][0].set_ylabel("median time per plan (µs)")
        axes[0][0].legend(fontsize=8)
        fig.suptitle("Allocation planner: time vs locations (log-log)")
        save(fig, "planner_locations.png", "Planner time vs locations",
             "Median time of one `plan()` against the number of candidate locations, one line per number of order lines, per strategy (log-log).")
        # (b) time vs lines, one line per location count
        fig, axes = plt.subplots(1, len(strategies), figsize=(5 * len(strategies), 4.2), sharey=True, squeeze=False)
        for ax, s in zip(axes[0], strategies):
            locs = sorted({loc for per in planner[s].values() for loc in per})
            for loc in locs:
                pts = sorted((lines, per[loc]) for lines, per in planner[s].items() if loc in per)
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=f"{loc:,} locations")
            ax.set_xscale("log")
            ax.set_yscale("log")
            ticks = sorted(planner[s])
            ax.set_xticks(ticks)
            ax.set_xticklabels([str(t) for t in ticks])
            ax.minorticks_off()
            ax.set_title(s)
            ax.set_xlabel("order lines")
            ax.grid(True, which="both", alpha=0.3)
        axes[0][0].set_ylabel("median time per plan (µs)")
        axes[0][0].legend(fontsize=8)
        fig.suptitle("Allocation planner: time vs order lines (log-log)")
        save(fig, "planner_lines.png", "Planner time vs order lines",
             "Median time of one `plan()` against the number of order lines, one line per number of locations, per strategy (log-log).")

    # (c) SQLite per command vs raw insert
    durs = [d for d in ["full", "normal"] if any(f"{k}/{d}" in c for k in ["raw_insert", "place_validate_allocate", "lifecycle"])]
    if durs:
        fig, axes = plt.subplots(1, len(durs), figsize=(5.5 * len(durs), 4.2), squeeze=False)
        for ax, d in zip(axes[0], durs):
            names, values = [], []
            for key, label, factor in [("raw_insert", "raw insert\n(1 row/commit)", 1), ("place_validate_allocate", "place+validate+\nallocate, per cmd", 1),
                                       ("lifecycle", "lifecycle,\nper cmd", LIFECYCLE_COMMANDS)]:
                b = c.get(f"{key}/{d}")
                if b and b.per_second:
                    names.append(label)
                    values.append(b.per_second * factor)
            bars = ax.bar(names, values, color=["#888888", "#1f77b4", "#2ca02c"][: len(values)])
            for bar, v in zip(bars, values):
                ax.annotate(f_int(v), (bar.get_x() + bar.get_width() / 2, v), ha="center", va="bottom", fontsize=8)
            raw = c.get(f"raw_insert/{d}")
            if raw and raw.per_second:
                ax.axhline(raw.per_second * TARGETS["sqlite_vs_raw"], color="red", linestyle="--", linewidth=1, label=f"target: {TARGETS['sqlite_vs_raw']}× raw insert")
                ax.legend(fontsize=8)
            ax.set_title(f"synchronous = {d.upper()}")
            ax.set_ylabel("commits (commands) per second")
            ax.yaxis.set_major_formatter(thousands)
            ax.grid(True, axis="y", alpha=0.3)
        fig.suptitle("SQLite store: commands per second vs a raw insert transaction")
        save(fig, "sqlite_commands.png", "SQLite per command vs raw insert",
             "Commands per second of the SQLite store (each command one transaction) against a raw one-row insert transaction with the same pragmas, at FULL and NORMAL.")

    # In-memory throughput against the targets
    mem = [(k, label, TARGETS[t] if t else None) for k, label, t in [("memory/place_order", "place", "memory_place"),
                                                      ("memory/place_validate_allocate", "place+validate\n+allocate", "memory_place_validate_allocate"),
                                                      ("memory/lifecycle", "lifecycle", "memory_lifecycle"),
                                                      ("import_1000/memory", "bulk import\n(1000/call)", None)] if k in c and c[k].per_second]
    if mem:
        fig, ax = plt.subplots(figsize=(6.5, 4.2))
        xs = list(range(len(mem)))
        values = [c[k].per_second for k, _, _ in mem]
        bars = ax.bar(xs, values, color="#1f77b4")
        for bar, v in zip(bars, values):
            ax.annotate(f_int(v), (bar.get_x() + bar.get_width() / 2, v), ha="center", va="bottom", fontsize=8)
        labelled = False
        for x, (_, _, t) in zip(xs, mem):
            if t:
                ax.hlines(t, x - 0.4, x + 0.4, color="red", linestyle="--", linewidth=1.5, label=None if labelled else "target")
                labelled = True
        ax.set_xticks(xs)
        ax.set_xticklabels([label for _, label, _ in mem])
        ax.set_ylabel("orders per second")
        ax.yaxis.set_major_formatter(thousands)
        ax.set_title("Memory store: orders per second vs targets")
        ax.grid(True, axis="y", alpha=0.3)
        if labelled:
            ax.legend(fontsize=8)
        save(fig, "memory_throughput.png", "In-memory throughput", "Orders per second on the memory store (medians), with the targets as red dashes.")

    # Resident memory as orders are added
    curve = (memory or {}).get("memory_rss_curve") or []
    if len(curve) >= 2:
        fig, ax = plt.subplots(figsize=(6.5, 4.2))
        xs = [p["orders"] for p in curve]
        ys = [p["rss_bytes"] / 2**20 for p in curve]
        ax.plot(xs, ys, marker="o", label="resident memory (VmRSS)")
        base = curve[0]["rss_bytes"]
        ax.plot(xs, [(base + x * TARGETS["memory_bytes"]) / 2**20 for x in xs], color="red", linestyle="--", linewidth=1, label="target: 2 KiB per order")
        ax.set_xlabel("3-line orders held by the memory store")
        ax.set_ylabel("MiB")
        ax.xaxis.set_major_formatter(thousands)
        ax.yaxis.set_major_formatter(thousands)
        ax.set_title("Resident memory vs orders held")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
        save(fig, "memory_rss.png", "Resident memory vs orders", "Resident memory of the process as 3-line orders are imported into the memory store.")

    # Contention
    stores = [(s, label) for s, label in [("memory", "memory store"), ("sqlite_normal", "SQLite NORMAL")]
              if f"contention/{s}/1_thread" in c or f"contention/{s}/2_threads" in c]
    if stores:
        fig, axes = plt.subplots(1, len(stores), figsize=(4.5 * len(stores), 4), squeeze=False)
        for ax, (s, label) in zip(axes[0], stores):
            names, values = [], []
            for fn, n in [("1_thread", "1 thread"), ("2_threads", "2 threads")]:
                b = c.get(f"contention/{s}/{fn}")
                if b and b.per_second:
                    names.append(n)
                    values.append(b.per_second)
            bars = ax.bar(names, values, color=["#888888", "#ff7f0e"][: len(values)])
            for bar, v in zip(bars, values):
                ax.annotate(f_int(v), (bar.get_x() + bar.get_width() / 2, v), ha="center", va="bottom", fontsize=8)
            ax.set_title(label)
            ax.set_ylabel("orders per second (place+validate+allocate)")
            ax.yaxis.set_major_formatter(thousands)
            ax.grid(True, axis="y", alpha=0.3)
        fig.suptitle("One hot SKU: 2 threads vs 1 thread, same work")
        save(fig, "contention.png", "Contention", "Orders per second for one hot SKU with limited stock: the same orders on one thread or split over two threads sharing one `Oms`.")

    # Bindings
    langs = [(lang, label) for lang, label in [("python", "Python"), ("node", "Node")] if bindings[lang][0]]
    if langs:
        fig, ax = plt.subplots(figsize=(6.5, 4.2))
        calls = ["available", "place_order"]
        series: List[Tuple[str, List[float]]] = []
        rust = next((bindings[lang][0] or {}).get("rust") for lang, _ in langs)
        if rust:
            series.append(("Rust", [rust.get(k, 0) * 1e6 for k in calls]))
        for lang, label in langs:
            d = bindings[lang][0] or {}
            series.append((label, [d.get(lang, {}).get(k, 0) * 1e6 for k in calls]))
        width = 0.8 / len(series)
        for i, (label, vals) in enumerate(series):
            xs = [x + (i - (len(series) - 1) / 2) * width for x in range(len(calls))]
            bars = ax.bar(xs, vals, width, label=label)
            for bar, v in zip(bars, vals):
                ax.annotate(f"{v:.2f}", (bar.get_x() + bar.get_width() / 2, v), ha="center", va="bottom", fontsize=7)
        ax.set_xticks(range(len(calls)))
        ax.set_xticklabels(["available (trivial call)", "place_order (3 lines)"])
        ax.set_yscale("log")
        ax.set_ylabel("µs per call (median, log scale)")
        ax.set_title("Call cost through the bindings vs Rust")
        ax.grid(True, axis="y", which="both", alpha=0.3)
        ax.legend(fontsize=8)
        save(fig, "bindings.png", "Binding call cost", "Median µs per call of the same calls from Rust, Python and Node (log scale).")
    return made, ""


# ---------------------------------------------------------------------------- the report


def main() -> None:
    if sys.argv[1:2] == ["machine"]:
        record_machine()
        return
    machine, _ = load_json("machine.json")
    at_report = machine is None
    if machine is None:
        machine = machine_now()
    start = float(machine.get("epoch") or 0.0)
    c = load_criterion()
    memory, mem_t = load_json("memory.json")
    contention, cont_t = load_json("contention.json")
    bindings = {lang: load_json(f"{lang}.json") for lang in ["python", "node"]}

    rep = Report(0.0 if at_report else start)
    build_table(rep, c, memory, mem_t, contention, cont_t, bindings)
    writers, writers_t = load_json("writers.json")
    writers_before, _ = load_json("writers-before.json")
    writers_rows(rep, writers, writers_t, writers_before)
    plots, no_plots = make_plots(c, memory, bindings)
    # How long the run took: from the start to the newest result it wrote (so the figure
    # stays the same when the report alone is regenerated later).
    newest = max([b.mtime for b in c.values()] + [t for _, t in bindings.values()] + [mem_t, cont_t], default=0.0)
    elapsed = (newest - start) / 60 if not at_report and newest > start else None

    md: List[str] = []
    md.append("# Benchmark report\n")
    md.append("Generated by `benches/report/report.py` from the output of `make bench-report`; do not edit by hand "
              "(the last section comes from `benches/report/notes.md`).\n")
    md.append("## How to run\n")
    md.append("```sh\nmake bench-report\n```\n")
    md.append("One command runs every bench and rewrites this file and `benches/plots/*.png`:\n")
    md.append("1. `report.py machine` records the machine and its load before anything runs;")
    md.append("2. `cargo bench -p ordo --bench '*' -- $(BENCH_ARGS)`: every bench of the core — the criterion benches "
              "(`place_order`, `sqlite`, `allocation`, `fulfillment`, `contention`; each compares with its baseline in the same run) "
              "and `memory` (resident memory for 1,000,000 orders, SQLite bytes per order);")
    md.append("3. `make bench-python` and `make bench-node`: the same calls from Python, Node and Rust (release builds);")
    md.append("4. `report.py` reads `target/criterion/**/new/estimates.json` (medians) and `target/bench-results/*.json` and writes this report.\n")
    args = machine.get("bench_args") or ""
    took = f" This run took {elapsed:.0f} minutes." if elapsed is not None else ""
    md.append(f"Criterion settings of this run: `{args or 'criterion defaults'}` (`make bench-report BENCH_ARGS=…` changes them).{took} "
              "Run alone: `cargo bench -p ordo --bench contention`, `cargo bench -p ordo --bench memory -- 200000`, "
              "`python3 benches/report/report.py` (report only, from the last results).\n")
    md.append("## The machine\n")
    when = "at report time (no machine.json from the start of the run)" if at_report else "at the start of the run"
    md.append("| | |\n|---|---|")
    for key, label in [("nproc", "CPUs (`nproc`)"), ("cpu", "CPU model"), ("memory", "Memory"), ("os", "OS"), ("kernel", "Kernel"),
                       ("rustc", "rustc"), ("python", "Python (report)"), ("node", "Node"), ("commit", "Commit"), ("date", "Date"),
                       ("loadavg", f"Load average {when}")]:
        md.append(f"| {label} | {machine.get(key) or 'unknown'} |")
    md.append("")
    md.append("The machine may be shared: a load average well above 0 at the start means other work ran alongside, and figures "
              "(especially the two-thread ones) are then noisy.\n")
    md.append("## Figures\n")
    md.append("Medians. Orders/s and commands/s are the criterion throughput (elements per iteration ÷ median time per iteration); "
              "the ratio is measured ÷ baseline, both from the same run.\n")
    md.append(table_md(rep.rows))
    md.append("")
    if rep.stale:
        md.append("† from an earlier run (older than the start of this one).\n")
    if plots or no_plots:
        md.append("## Plots\n")
        if no_plots:
            md.append(no_plots + "\n")
        for name, title, caption in plots:
            md.append(f"### {title}\n\n![{title}](plots/{name})\n\n{caption}\n")
    md.append("## Every criterion figure\n")
    md.append(all_figures_md(rep, c) if c else NOT_MEASURED)
    md.append("")
    notes = read(str(NOTES)).strip()
    md.append(notes if notes else "## What was optimised and why\n\n" + NOT_MEASURED.replace("measured", "written yet"))
    md.append("")
    REPORT.write_text("\n".join(md))
    print(f"wrote {REPORT.relative_to(ROOT)} ({len(rep.rows)} rows) and {len(plots)} plots in {PLOTS.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
