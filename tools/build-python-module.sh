#!/usr/bin/env bash
# Builds the Python module (an abi3 wheel for CPython >= 3.9, with maturin pinned in .venv) into target-wheels/ and
# installs it into .venv, replacing any earlier build. Run tools/setup-oracles.sh first (it makes .venv).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rm -rf target-wheels
.venv/bin/maturin build --release --locked --quiet --out target-wheels --interpreter .venv/bin/python
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall target-wheels/nmodl_glia-*.whl
.venv/bin/python -c 'import glia._native'
echo "glia module installed in $root/.venv"
