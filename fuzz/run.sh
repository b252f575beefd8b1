#!/usr/bin/env bash
# Builds and runs the fuzz targets (cargo-fuzz + libFuzzer). See fuzz/README.md.
#
#   fuzz/run.sh smoke            every target for SMOKE_SECONDS (15) over the committed corpus
#   fuzz/run.sh long [TARGET…]   every (or the named) target for FUZZ_SECONDS (3600) each
#   fuzz/run.sh build            build the targets only (optimized)
#
# `build` runs `cargo fuzz build`; the runs start the built binaries directly.
# cargo-fuzz needs nightly compiler flags: on a stable toolchain RUSTC_BOOTSTRAP=1 allows
# them. cargo-fuzz is installed (cargo install --locked) when missing. libFuzzer keeps what
# it learns in fuzz/target/corpus/<target> (seeded from fuzz/corpus/<target>, which it never
# writes); a crash stops the run with a non-zero exit and leaves the input in
# fuzz/artifacts/<target>/.
set -euo pipefail

cd "$(dirname "$0")/.."
export RUSTC_BOOTSTRAP=1
# The targets build for the host, whatever the main workspace's make sets.
unset CARGO_BUILD_TARGET
CARGO=${CARGO:-cargo}
TARGETS=(ops_execute money sqlite_decode sqlite_file)
SMOKE_SECONDS=${SMOKE_SECONDS:-15}
FUZZ_SECONDS=${FUZZ_SECONDS:-3600}
# No sanitizer: the core forbids unsafe code, and ASan would halve the executions.
SANITIZER=${SANITIZER:-none}
HOST=$(rustc -vV | sed -n 's/^host: //p')
# smoke builds unoptimized (--dev: a third of the build time, fast enough for seconds of
# fuzzing); long runs build optimized.
PROFILE=release

ensure_cargo_fuzz() {
    if ! $CARGO fuzz --version >/dev/null 2>&1; then
        echo "installing cargo-fuzz (cargo install cargo-fuzz --locked)"
        $CARGO install cargo-fuzz --locked
    fi
}

build() {
    ensure_cargo_fuzz
    if [ "$PROFILE" = debug ]; then
        $CARGO fuzz build --dev -s "$SANITIZER"
    else
        $CARGO fuzz build -s "$SANITIZER"
    fi
}

# run TARGET SECONDS WORK_CORPUS [extra libFuzzer flags]
run() {
    local target=$1 seconds=$2 work=$3
    shift 3
    mkdir -p "$work"
    local flags=(-max_total_time="$seconds" -print_final_stats=1 -timeout=30 -rss_limit_mb=4096)
    # A database file seed is ~45 KB; the other targets' inputs stay small.
    case $target in
    sqlite_file) flags+=(-max_len=65536) ;;
    *) flags+=(-max_len=16384) ;;
    esac
    echo "== $target: ${seconds}s"
    # The binary `build` made (cargo fuzz run would rebuild first whenever the core changed).
    mkdir -p "fuzz/artifacts/$target"
    "fuzz/target/$HOST/$PROFILE/$target" -artifact_prefix="fuzz/artifacts/$target/" "${flags[@]}" "$@" "$work" "fuzz/corpus/$target"
}

case ${1:-smoke} in
build)
    build
    ;;
smoke)
    PROFILE=debug
    build
    for t in "${TARGETS[@]}"; do
        log=fuzz/target/smoke-$t.log
        # A fresh working corpus: the smoke replays the seeds, then mutates for the rest.
        rm -rf "fuzz/target/smoke-corpus/$t"
        if ! run "$t" "$SMOKE_SECONDS" "fuzz/target/smoke-corpus/$t" >"$log" 2>&1; then
            tail -n 60 "$log"
            echo "fuzz-smoke: $t crashed: the input is in fuzz/artifacts/$t/ (full log: $log)" >&2
            exit 1
        fi
        grep -E '^(== |Done |stat::number_of_executed_units|stat::average_exec_per_sec)' "$log" || true
    done
    echo "fuzz-smoke: no crash"
    ;;
long)
    shift
    build
    targets=("$@")
    [ ${#targets[@]} -gt 0 ] || targets=("${TARGETS[@]}")
    for t in "${targets[@]}"; do
        run "$t" "$FUZZ_SECONDS" "fuzz/target/corpus/$t"
    done
    ;;
*)
    sed -n '2,12p' "$0"
    exit 2
    ;;
esac
