#!/usr/bin/env bash
# Python binding: build the native module into a virtual environment and run the checks
# (stubtest against the native module, mypy on the package, pytest incl. the scenario replay).
# The venv lives in target/py-venv and is reused when present; delete it for a cold run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
venv="${ORDO_PY_VENV:-$root/target/py-venv}"
python="${PYTHON:-python3}"

# Pinned tools (tested together; see /work/shared/TOOLCHAIN.md).
requirements=(maturin==1.16.0 pytest==9.2.0 mypy==2.4.1 pandas==3.1.1)

if [[ ! -x "$venv/bin/python" ]]; then
    echo "== creating $venv"
    "$python" -m venv "$venv"
fi
stamp="$venv/.ordo-requirements"
if [[ "$(cat "$stamp" 2>/dev/null)" != "${requirements[*]}" ]]; then
    echo "== installing ${requirements[*]}"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${requirements[@]}"
    echo "${requirements[*]}" > "$stamp"
fi

echo "== maturin develop (debug)"
(cd "$here" && VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" "$venv/bin/maturin" develop --quiet 2>&1 | grep -v "^📦\|^🔗\|^🐍\|^📡" || true)
# `maturin develop` exits non-zero on a build error, but the pipe above hides it: check.
"$venv/bin/python" -c "import ordo._ordo" || { echo "the native module did not build"; exit 1; }

cd "$here"
echo "== stubtest"
"$venv/bin/python" -m mypy.stubtest ordo._ordo
echo "== mypy"
"$venv/bin/python" -m mypy --config-file pyproject.toml
echo "== pytest"
"$venv/bin/python" -m pytest -q "$@"
