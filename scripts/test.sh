#!/usr/bin/env bash
# Runs every check of the project: formatting, clippy (generated code included), the test
# suite, the staleness check of the generated crate, each API version building alone, and
# the OpenAPI validator on the embedded specs. This is the README's test command.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, all features, warnings denied)"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "cargo test --workspace"
cargo test --workspace

step "generated crate is up to date"
cargo xtask regenerate --check --quiet

step "each API version builds alone, and each tag of each version crate"
for version in $(sed -n 's/^\([a-z0-9_]*\) = \["dep:.*\]$/\1/p' generated-client/sailpoint-isc/Cargo.toml); do
  echo "-- sailpoint-isc, feature $version"
  cargo check --quiet -p sailpoint-isc --no-default-features --features "$version"
  crate="sailpoint-isc-${version//_/-}"
  for tag in $(sed -n 's/^\([a-z0-9_-]*\) = \[\]$/\1/p' "generated-client/$crate/Cargo.toml"); do
    echo "-- $crate, feature $tag"
    cargo check --quiet -p "$crate" --no-default-features --features "$tag"
  done
done

step "the published crates document cleanly (broken intra-doc links fail)"
RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps -p sailpoint-isc-runtime \
  $(for dir in generated-client/*/; do printf -- '-p %s ' "$(basename "$dir")"; done)

step "the embedded crate set packages for crates.io (limits checked, every crate verified)"
cargo xtask package

step "OpenAPI validator on the embedded specs"
bash scripts/validate-specs.sh
