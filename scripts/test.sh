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

step "each API version builds alone"
for version in $(sed -n 's/^\([a-z0-9_]*\) = \[\]$/\1/p' generated-client/Cargo.toml); do
  echo "-- feature $version"
  cargo check --quiet -p sailpoint-isc --no-default-features --features "$version"
done

step "the fixture specs generate a crate that compiles clean"
bash scripts/check-generated.sh generator/tests/fixtures/constructs fixtures

step "OpenAPI validator on the embedded specs"
bash scripts/validate-specs.sh
