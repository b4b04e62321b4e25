#!/usr/bin/env bash
# Generates a client crate from a specs folder into target/, next to a copy of the
# hand-written runtime, and proves it: clippy with warnings denied (all versions, tests
# included), each version building alone, and the examples conformance test.
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
rm -rf "$out/src/runtime"
cp -r generated-client/src/runtime "$out/src/runtime"
# The crate lives inside this workspace's target/: make it its own workspace root.
grep -q '^\[workspace\]' "$out/Cargo.toml" || printf '\n[workspace]\n' >> "$out/Cargo.toml"

export CARGO_TARGET_DIR="$PWD/target/generated-target"
manifest="$out/Cargo.toml"

echo "-- $name: clippy, all versions, warnings denied"
cargo clippy --quiet --manifest-path "$manifest" --all-features --all-targets -- -D warnings

for version in $(sed -n 's/^\([a-z0-9_]*\) = \[\]$/\1/p' "$manifest"); do
  echo "-- $name: version $version alone"
  cargo check --quiet --manifest-path "$manifest" --no-default-features --features "$version"
done

if [ -f "$out/tests/conformance.rs" ]; then
  echo "-- $name: examples conformance"
  if [ "$report_only" = yes ]; then
    CONFORMANCE_REPORT_ONLY=1 cargo test --quiet --manifest-path "$manifest" --all-features \
      --test conformance -- --nocapture --test-threads 1 | tee "target/generated/$name-conformance.txt"
  else
    cargo test --quiet --manifest-path "$manifest" --all-features --test conformance -- --nocapture --test-threads 1
  fi
fi
