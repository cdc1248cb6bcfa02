#!/usr/bin/env bash
# The test command: installs missing system packages (g++, make, python3-venv) and the oracles (pinned NEURON and
# Arbor wheels in .venv), fetches the pinned real-world mod files into corpus/real/, then runs every test. Safe to
# re-run: each step skips work already done.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/setup-system.sh
bash tools/setup-oracles.sh
python3 tools/fetch-corpus.py
python3 tools/fetch-sarif-schema.py
cargo test --locked
