#!/usr/bin/env bash
# Creates the project-local virtual environment `.venv` holding the real compilers used as test oracles:
# NEURON 9.0.2 (nocmodl, nrnivmodl) and Arbor 0.12.2 (modcc), installed from pinned, hash-checked wheels.
# Idempotent: a venv that already satisfies the pins is left alone.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
requirements="$root/tools/requirements-oracle.txt"
stamp="$venv/.glia-oracles-stamp"
wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  --require-hashes --only-binary=:all: --no-deps -r "$requirements"
# The wheel ships nocmodl without a wrapper in .venv/bin: it lives in the package's data folder.
nocmodl="$(ls "$venv"/lib/python3*/site-packages/neuron/.data/bin/nocmodl)"
"$nocmodl" --version >/dev/null
modcc="$(ls "$venv"/lib/python3*/site-packages/arbor/bin/modcc)"
"$modcc" --help >/dev/null
"$venv/bin/python" -c 'import arbor' >/dev/null
echo "$wanted" > "$stamp"
echo "oracles ready in $venv"
