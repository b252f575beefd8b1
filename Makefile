# ordo — every command in one place. `make help` lists them.
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: help quickstart test lint fmt bench bench-report stress scenarios doc check-toolchain test-node bench-node test-python bench-python test-swift

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

check-toolchain:
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: install Rust from https://rustup.rs (rustup, stable toolchain)"; exit 1; }

quickstart: check-toolchain ## Run the quickstart: one order through all seven steps
	$(CARGO) run --quiet --example quickstart

test: check-toolchain lint ## Run every check and test (formatting, clippy, Rust tests, doctests, scenarios)
	$(CARGO) test --workspace --all-targets
	$(CARGO) test --workspace --doc
	$(MAKE) --no-print-directory fuzz-smoke
	$(MAKE) --no-print-directory test-node
	$(MAKE) --no-print-directory test-python
	$(MAKE) --no-print-directory test-swift

lint: check-toolchain ## Formatting and clippy, warnings are errors
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt: ## Format the code
	$(CARGO) fmt --all

scenarios: check-toolchain ## Replay the cross-language scenario files in Rust
	$(CARGO) test -p ordo --test it scenarios

bench: check-toolchain ## Run the criterion benches
	$(CARGO) bench --workspace

# Criterion settings of bench-report: short enough that the whole run (builds included)
# stays well under 25 minutes on 2 cores.
BENCH_ARGS ?= --warm-up-time 1 --measurement-time 2
REPORT_VENV := target/report-venv

# `cargo bench -p ordo --bench '*'` runs every bench target of the core (not the lib's unit
# tests, whose harness refuses criterion's options): the criterion benches and the memory
# program (benches/memory.rs, which skips criterion's options).
bench-report: check-toolchain ## Run every bench and regenerate benches/REPORT.md and plots
	@$(REPORT_VENV)/bin/python -c 'import matplotlib' 2>/dev/null || { python3 -m venv $(REPORT_VENV) && $(REPORT_VENV)/bin/pip install --quiet matplotlib; }
	BENCH_ARGS="$(BENCH_ARGS)" $(REPORT_VENV)/bin/python benches/report/report.py machine
	$(CARGO) bench -p ordo --bench '*' -- $(BENCH_ARGS)
	$(MAKE) --no-print-directory bench-python
	$(MAKE) --no-print-directory bench-node
	$(REPORT_VENV)/bin/python benches/report/report.py

# Arguments of the stress program, e.g. STRESS_ARGS="--attempts 200000 --only memory,processes"
# (`cargo run --release -p ordo --example stress -- --help` lists them).
STRESS_ARGS ?=

stress: check-toolchain ## Contention at scale: 10⁶ one-unit reservations from threads and processes, memory and SQLite; exact grants checked (minutes)
	$(CARGO) run --release -p ordo --example stress -- $(STRESS_ARGS)

# Fuzzing (fuzz/README.md): its own workspace in fuzz/, cargo-fuzz on the stable toolchain
# through RUSTC_BOOTSTRAP=1 (set by fuzz/run.sh, which also installs cargo-fuzz when missing).
.PHONY: fuzz-smoke fuzz
FUZZ_SECONDS ?= 3600
fuzz-smoke: check-toolchain ## Build the fuzz targets and run each 15 s over the committed corpus; fails on a crash
	bash fuzz/run.sh smoke

fuzz: check-toolchain ## Long fuzz runs, one target after another, FUZZ_SECONDS each (default 3600)
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash fuzz/run.sh long

doc: check-toolchain ## Build the API docs
	$(CARGO) doc --workspace --no-deps

# `napi build` always compiles for an explicit `--target <host triple>` (into target/<triple>/):
# the Rust checks of `make test` use the same target, so the workspace compiles once.
HOST_TRIPLE := $(shell rustc -vV 2>/dev/null | sed -n 's/^host: //p')
test test-node test-swift bench-node bench-report stress: export CARGO_BUILD_TARGET ?= $(HOST_TRIPLE)

test-node: check-toolchain ## Build the Node package (napi-rs) and run its tests and examples
	bash bindings-node/test.sh

bench-node: check-toolchain ## Node vs Rust: a trivial call and placeOrder (release builds)
	bash bindings-node/bench.sh

test-python: check-toolchain ## Build the Python package (pyo3 + maturin) in target/py-venv; stubtest, mypy, pytest
	bash bindings-python/test.sh

bench-python: check-toolchain ## Python vs Rust: a trivial call and place_order (release builds)
	bash bindings-python/bench.sh

test-swift: check-toolchain ## Swift (XCTest, Debian trixie chroot) and Kotlin tests of the uniffi binding; SKIP_SWIFT=1 skips Swift
	bash bindings-swift/test.sh
