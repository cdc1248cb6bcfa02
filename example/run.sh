#!/usr/bin/env bash
# The bundled example: builds glia and checks the example mod files in both dialects.
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
echo "exit status: neuron $neuron_status (expected 0), arbor $arbor_status (expected 1)"
[ "$neuron_status" -eq 0 ] && [ "$arbor_status" -eq 1 ]
