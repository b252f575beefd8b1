#!/usr/bin/env bash
# Builds the `ordo` npm package and runs its tests (called by `make test-node`, and so by
# `make test`):
#   1. npm ci                     (pinned @napi-rs/cli, typescript)
#   2. napi build --platform      (debug; regenerates index.js and index.d.ts)
#   3. npm install <this folder>  into a throwaway project: it installs from the local path
#                                 (packed, so the "files" list is what ships), the
#                                 TypeScript example type-checks against the generated
#                                 index.d.ts (tsc --noEmit) and quickstart.mjs runs there
#   4. node --test test/          (the API tests and the replay of tests/scenarios/*.json)
#
# Build directory: `napi build` always passes `--target <host triple>`, so cargo builds into
# target/<triple>/ and, next to a plain `cargo test` (target/debug/), would compile every
# dependency a second time. `make test` therefore exports CARGO_BUILD_TARGET=<host triple>
# for all its cargo commands: clippy, the Rust tests and this build then share one
# target/<triple>/ directory. Run alone, this script sets the same variable for itself.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$here"

for tool in node npm cargo rustc; do
  command -v "$tool" >/dev/null || { echo "test-node: '$tool' not found (Node 18+ with npm, and Rust, are needed)"; exit 1; }
done
export CARGO_BUILD_TARGET="${CARGO_BUILD_TARGET:-$(rustc -vV | sed -n 's/^host: //p')}"

echo "== npm ci"
npm ci --no-audit --no-fund --loglevel=error

echo "== napi build --platform (debug, target $CARGO_BUILD_TARGET)"
npx napi build --platform
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1 && ! git -C "$root" diff --quiet -- bindings-node/index.d.ts bindings-node/index.js; then
  echo "test-node: the generated index.d.ts / index.js differ from the committed ones; commit them:"
  git -C "$root" --no-pager diff --stat -- bindings-node/index.d.ts bindings-node/index.js
  [ "${CI:-}" = "true" ] && exit 1
fi

echo "== npm install $here (into a throwaway project)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp "$root/examples/node/quickstart.mjs" "$root/examples/node/quickstart.ts" "$root/examples/node/tsconfig.json" "$scratch/"
(
  cd "$scratch"
  echo '{ "name": "ordo-install-check", "version": "0.0.0", "private": true, "type": "module" }' > package.json
  npm install --install-links --no-audit --no-fund --loglevel=error "$here"
  ln -s "$here/node_modules/@types" node_modules/@types   # @types/node for console/process
  echo "== tsc --noEmit examples/node/quickstart.ts"
  "$here/node_modules/.bin/tsc" -p tsconfig.json
  echo "== node examples/node/quickstart.mjs"
  node quickstart.mjs
)

echo "== node --test"
node --test test/
