#!/usr/bin/env bash
# Generates a standalone crate set from a specs folder into target/generated/NAME and proves
# it: clippy with warnings denied (every crate, tests included), each version building alone
# through the facade, and the examples conformance test of each version crate.
#
#   bash scripts/check-generated.sh SPECS_DIR NAME [--report-only]
#
# Every example must conform, unless --report-only: then the conformance report is saved
# to target/generated/NAME-conformance.txt for scripts/conformance-report.py, which tells
# examples that contradict their own schema (SailPoint's upstream has many) from failures
# of ours. Used by scripts/test.sh on the fixture specs and by .ci/run on the upstream specs.
set -euo pipefail
cd "$(dirname "$0")/.."

usage="usage: check-generated.sh SPECS_DIR NAME [--report-only]"
specs="${1:?$usage}"
name="${2:?$usage}"
report_only=no
[ "${3:-}" = "--report-only" ] && report_only=yes

out="target/generated/$name"
mkdir -p "$out"
cargo xtask regenerate --specs "$specs" --out "$out" --quiet

export CARGO_TARGET_DIR="$PWD/target/generated-target"
manifest="$out/Cargo.toml"

echo "-- $name: clippy, every crate, warnings denied"
cargo clippy --quiet --manifest-path "$manifest" --workspace --all-features --all-targets -- -D warnings

for version in $(sed -n 's/^\([a-z0-9_]*\) = \["dep:.*\]$/\1/p' "$out/sailpoint-isc/Cargo.toml"); do
  echo "-- $name: version $version alone"
  cargo check --quiet --manifest-path "$out/sailpoint-isc/Cargo.toml" --no-default-features --features "$version"
done

report="target/generated/$name-conformance.txt"
: > "$report"
for test in "$out"/*/tests/conformance.rs; do
  [ -f "$test" ] || continue
  crate="$(basename "$(dirname "$(dirname "$test")")")"
  echo "-- $name: examples conformance of $crate"
  if [ "$report_only" = yes ]; then
    CONFORMANCE_REPORT_ONLY=1 cargo test --quiet --manifest-path "$manifest" -p "$crate" --all-features \
      --test conformance -- --nocapture --test-threads 1 | tee -a "$report"
  else
    cargo test --quiet --manifest-path "$manifest" -p "$crate" --all-features --test conformance -- --nocapture --test-threads 1
  fi
done
