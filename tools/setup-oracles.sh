#!/usr/bin/env bash
# Creates the project-local virtual environments the tests run the real tools in, from pinned, hash-checked wheels
# (installed without dependency resolution, so nothing unpinned comes in):
#
#   .venv           the compilers used as oracles and driven by the builds — NEURON 9.0.2 (nocmodl, nrnivmodl) and
#                   Arbor 0.12.2 (modcc) — and the tools the tests use (jsonschema, flit-core, pytest); no Glia
#                   package, so tests choose the packages an environment has (PYTHONPATH);
#   .venv-original  nmodl-glia 8.0.2, the original Glia, with the same compilers (and nrn-patch 8.0.2, which it
#                   loads NEURON through): the behaviour oracle;
#   .glia-packages  the Glia packages dbbs-catalogue 6.0.1 and nrn-patch 8.0.2 from PyPI, unchanged, in a plain
#                   folder that tests put on PYTHONPATH to give either environment these packages.
#
# Idempotent: an environment that already satisfies its pins is left alone; one that does not is made anew.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

make_environment() {
  local venv="$1" requirements="$2"
  local stamp="$venv/.glia-oracles-stamp"
  local wanted
  wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
    return 0
  fi
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --require-hashes --only-binary=:all: --no-deps -r "$requirements"
  # The wheel ships nocmodl without a wrapper in bin/: it lives in the package's data folder.
  local nocmodl modcc
  nocmodl="$(ls "$venv"/lib/python3*/site-packages/neuron/.data/bin/nocmodl)"
  "$nocmodl" --version >/dev/null
  modcc="$(ls "$venv"/lib/python3*/site-packages/arbor/bin/modcc)"
  "$modcc" --help >/dev/null
  "$venv/bin/python" -c 'import arbor, neuron' >/dev/null
  echo "$wanted" > "$stamp"
  echo "ready: $venv"
}

make_environment "$root/.venv" "$root/tools/requirements-oracle.txt"
make_environment "$root/.venv-original" "$root/tools/requirements-original.txt"
"$root/.venv-original/bin/python" -c 'import importlib.metadata as m; assert m.version("nmodl-glia") == "8.0.2"'

packages="$root/.glia-packages"
packages_wanted="$(sha256sum "$root/tools/requirements-packages.txt" | cut -d' ' -f1)"
if [ ! -f "$packages/.glia-stamp" ] || [ "$(cat "$packages/.glia-stamp")" != "$packages_wanted" ]; then
  rm -rf "$packages"
  "$root/.venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes --only-binary=:all: \
    --no-deps --target "$packages" -r "$root/tools/requirements-packages.txt"
  echo "$packages_wanted" > "$packages/.glia-stamp"
  echo "ready: $packages"
fi
