#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing: a C++ compiler and make (glia nrnivmodl
# compiles with g++; NEURON's own nrnivmodl, the reference in the equivalence tests, runs make), python3-venv
# (the oracle venv), and the compiler launchers ccache and sccache (tests/build_launchers.rs runs them in front of
# glia's compiles). Does nothing when all are present, so it is safe to re-run and needs no root then.
set -euo pipefail
missing=()
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v make >/dev/null 2>&1 || missing+=(make)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
command -v ccache >/dev/null 2>&1 || missing+=(ccache)
command -v sccache >/dev/null 2>&1 || missing+=(sccache)
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "missing: ${missing[*]}; install them with your system's package manager" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo)
fi
echo "installing ${missing[*]} with apt-get"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
