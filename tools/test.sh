#!/usr/bin/env bash
# The test command: installs missing system packages (g++, make, python3-venv), the oracles (pinned NEURON and
# Arbor wheels in .venv, nmodl-glia 8.0.2 in .venv-original, Glia packages from PyPI in .glia-packages), fetches the
# pinned real-world mod files into corpus/real/, builds and installs the Python module into .venv, then runs every
# test. Safe to re-run: each step skips work already done.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/setup-system.sh
bash tools/setup-oracles.sh
python3 tools/fetch-corpus.py
python3 tools/fetch-sarif-schema.py
bash tools/build-python-module.sh
cargo test --locked
