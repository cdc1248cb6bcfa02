#!/usr/bin/env bash
# The bundled example: builds glia, checks the example mod files in both dialects, then builds them for NEURON with
# `glia nrnivmodl` (twice: the second run finds everything up to date and starts no process).
# Both files are valid NEURON; the second uses NEURON-only syntax, so the Arbor check reports why modcc would
# refuse it (that check exits 1, as it should; this script reports it and carries on).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --release --quiet || exit 2
echo "== glia check --dialect neuron example/mods"
./target/release/glia check --dialect neuron example/mods
neuron_status=$?
echo
echo "== glia check --dialect arbor example/mods"
./target/release/glia check --dialect arbor example/mods
arbor_status=$?
echo
# NEURON (the pinned wheel in .venv) and a C++ compiler, installed if missing.
bash tools/setup-system.sh && bash tools/setup-oracles.sh || exit 2
export VIRTUAL_ENV="$PWD/.venv"
echo "== glia nrnivmodl -o example/build example/mods"
./target/release/glia nrnivmodl -o example/build example/mods
build_status=$?
echo
echo "== again: nothing changed"
./target/release/glia nrnivmodl -o example/build example/mods
rebuild_status=$?
echo
echo "exit status: neuron $neuron_status (expected 0), arbor $arbor_status (expected 1)," \
  "nrnivmodl $build_status then $rebuild_status (expected 0)"
[ "$neuron_status" -eq 0 ] && [ "$arbor_status" -eq 1 ] && [ "$build_status" -eq 0 ] && [ "$rebuild_status" -eq 0 ]
