# ordo — every command in one place. `make help` lists them.
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: help quickstart test lint fmt bench scenarios doc check-toolchain

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

check-toolchain:
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: install Rust from https://rustup.rs (rustup, stable toolchain)"; exit 1; }

quickstart: check-toolchain ## Run the quickstart: one order through all seven steps
	$(CARGO) run --quiet --example quickstart

test: check-toolchain lint ## Run every check and test (formatting, clippy, Rust tests, doctests, scenarios)
	$(CARGO) test --workspace --all-targets
	$(CARGO) test --workspace --doc

lint: check-toolchain ## Formatting and clippy, warnings are errors
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt: ## Format the code
	$(CARGO) fmt --all

scenarios: check-toolchain ## Replay the cross-language scenario files in Rust
	$(CARGO) test -p ordo --test it scenarios

bench: check-toolchain ## Run the criterion benches
	$(CARGO) bench --workspace

doc: check-toolchain ## Build the API docs
	$(CARGO) doc --workspace --no-deps
