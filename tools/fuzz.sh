#!/usr/bin/env bash
# Fuzzing for a bounded time, as CI runs it: every cargo-fuzz target of fuzz/ (or the targets named as arguments)
# runs for GLIA_FUZZ_SECONDS seconds (default 60) from its corpus in fuzz/corpus/<target>/, which is kept in the
# repository. A crash, a panic, a leak or a timeout fails the run and leaves the input in
# target/fuzz-artifacts/<target>/. New inputs the run finds go to target/fuzz-corpus/<target>/; with
# GLIA_FUZZ_MERGE=1 the ones that add coverage are merged into fuzz/corpus/<target>/ (then commit them).
#
# A new target needs nothing here: `cargo fuzz add <name>` lists it in fuzz/Cargo.toml, which is where this script
# reads the targets from; give it a seed corpus in fuzz/corpus/<name>/.
#
# Fuzzing needs cargo-fuzz (installed here, pinned, into target/fuzz-tools/ from crates.io), a C++ compiler (for
# libFuzzer) and a rustc that takes nightly flags (-Zsanitizer=address); a stable rustc does with RUSTC_BOOTSTRAP=1.
# Where any of these is missing, the script says so and skips, so CI on such a machine still passes the rest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${GLIA_FUZZ_SECONDS:-60}"
cargo_fuzz_version=0.13.2
tools="$PWD/target/fuzz-tools"

skip() {
  echo "fuzzing skipped: $*"
  exit 0
}

export RUSTC_BOOTSTRAP=1
rustc -Z help >/dev/null 2>&1 || skip "this rustc does not take -Z flags, even with RUSTC_BOOTSTRAP=1"
command -v c++ >/dev/null 2>&1 || skip "no C++ compiler to build libFuzzer with"
if ! "$tools/bin/cargo-fuzz" --version 2>/dev/null | grep -qF "$cargo_fuzz_version"; then
  echo "installing cargo-fuzz $cargo_fuzz_version into $tools"
  cargo install cargo-fuzz --version "$cargo_fuzz_version" --locked --root "$tools" --quiet \
    || skip "cargo-fuzz $cargo_fuzz_version could not be installed"
fi
export PATH="$tools/bin:$PATH"

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi
[ "${#targets[@]}" -gt 0 ] || skip "no fuzz targets in fuzz/Cargo.toml"

for target in "${targets[@]}"; do
  corpus="fuzz/corpus/$target"
  found="target/fuzz-corpus/$target"
  artifacts="target/fuzz-artifacts/$target/"
  [ -d "$corpus" ] || { echo "no corpus for $target: make $corpus with seed inputs" >&2; exit 1; }
  mkdir -p "$found" "$artifacts"
  echo "fuzzing $target for $seconds s from $(find "$corpus" -type f | wc -l) inputs"
  # New inputs go to the first folder; the repository's corpus is only read. libFuzzer's progress lines
  # (`#123 NEW cov: ...`) are left out of the log.
  if ! cargo fuzz run "$target" "$found" "$corpus" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -artifact_prefix="$artifacts" \
    -print_final_stats=1 2>&1 | { grep -v '^#[0-9]' || true; }; then
    echo "fuzzing $target failed: the input is in $artifacts" >&2
    exit 1
  fi
  if [ "${GLIA_FUZZ_MERGE:-0}" = 1 ]; then
    cargo fuzz run "$target" "$corpus" "$found" -- -merge=1 2>&1 | tail -n 2
  fi
done
echo "fuzzing: ${targets[*]} ran ${seconds} s each without a failure"
