#!/usr/bin/env bash
# Benchmark (prints figures, asserts nothing) of the generator on SailPoint's full upstream
# specs in ../shared/api-specs/idn:
#
#   1. generation: wall time and peak RSS of the release `xtask regenerate`, per version and
#      for all versions together; each run writes into a fresh directory; median of --runs;
#   2. crate-only `cargo check` of each version generated alone (runtime copied in, deps built
#      once untimed in a shared target dir, then `touch src/lib.rs` and one timed check);
#   3. with --with-openapi-generator: the same for openapi-generator 7.26.0 (`-g rust`), set up
#      in a virtualenv under target/bench/venv.
#
# Prints a Markdown table plus the machine facts on stdout (progress goes to stderr) and keeps a
# copy in target/bench/last-run.md. Logs of the last run are in target/bench/logs/.
#
# usage: bash scripts/bench.sh [--with-openapi-generator] [--runs N] [--versions "v3 beta v2024"]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

USAGE='usage: bash scripts/bench.sh [--with-openapi-generator] [--runs N] [--versions "v3 beta v2024"]'
OAG_VERSION="7.26.0"
RUNS=3
VERSIONS="v3 beta v2024"
WITH_OAG=0
while [ $# -gt 0 ]; do
  case "$1" in
    --with-openapi-generator) WITH_OAG=1 ;;
    --runs)
      [ $# -ge 2 ] || { echo "--runs needs a value" >&2; echo "$USAGE" >&2; exit 2; }
      RUNS="$2"; shift ;;
    --versions)
      [ $# -ge 2 ] || { echo "--versions needs a value" >&2; echo "$USAGE" >&2; exit 2; }
      VERSIONS="$2"; shift ;;
    -h|--help) echo "$USAGE"; exit 0 ;;
    *) echo "unknown argument \`$1\`" >&2; echo "$USAGE" >&2; exit 2 ;;
  esac
  shift
done
case "$RUNS" in
  ''|*[!0-9]*|0) echo "--runs must be a positive integer, got \`$RUNS\`" >&2; exit 2 ;;
esac
read -r -a VERSION_LIST <<<"$VERSIONS"
[ "${#VERSION_LIST[@]}" -gt 0 ] || { echo "--versions is empty" >&2; exit 2; }

SPECS_REL="../shared/api-specs/idn"
if [ ! -d "$SPECS_REL" ]; then
  echo "bench: upstream specs not found at $ROOT/$SPECS_REL (SailPoint's api-specs idn/ folder); nothing to benchmark" >&2
  exit 1
fi
SPECS="$(cd "$SPECS_REL" && pwd)"
for v in "${VERSION_LIST[@]}"; do
  if [ ! -f "$SPECS/sailpoint-api.$v.yaml" ]; then
    echo "bench: no root file $SPECS/sailpoint-api.$v.yaml for version \`$v\`" >&2
    exit 1
  fi
done

BENCH="$ROOT/target/bench"
WORK="$BENCH/work"   # temporary; removed on exit
LOGS="$BENCH/logs"   # kept until the next run, for looking into failures
XTASK="${CARGO_TARGET_DIR:-$ROOT/target}/release/xtask"
# Build the xtask with the caller's environment, before the bench's own target dir is set.
XTASK_BUILD_TARGET="${CARGO_TARGET_DIR:-}"
export CARGO_TARGET_DIR="$BENCH/target"  # shared by every checked crate: dependencies build once
export CARGO_TERM_COLOR=never
# Without this, the re-check after `touch src/lib.rs` reuses the incremental cache of the
# previous check and measures little more than a cache lookup (v2024: ~9 s instead of ~30 s CPU).
export CARGO_INCREMENTAL=0
mkdir -p "$BENCH"
rm -rf "$WORK" "$LOGS"
mkdir -p "$WORK" "$LOGS"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

STARTED=$SECONDS
progress() { printf '[bench %4ds] %s\n' "$((SECONDS - STARTED))" "$*" >&2; }
load1() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "n/a"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "n/a"; }
LOAD_START="$(loadavg)"

# ---- measuring ------------------------------------------------------------------------------
# run_timed RESULT LOG CMD...: runs CMD (stdout and stderr into LOG) and writes
# "wall_s user_s peak_rss_kb" into RESULT; returns CMD's exit status. Peak RSS is the largest
# resident set of CMD and the descendants it waited for (e.g. the JVM behind a wrapper).
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e' -o /dev/null true 2>/dev/null && [ -z "${BENCH_NO_GNU_TIME:-}" ]; then
  TIMER="/usr/bin/time"
else
  TIMER="bash time"
fi
# Fallback peak RSS: run CMD under python3 and read the children's rusage.
PY_RSS='import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as f:
    f.write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)'
run_timed() {
  local result="$1" log="$2" rc=0
  shift 2
  if [ "$TIMER" = "/usr/bin/time" ]; then
    /usr/bin/time -f '%e %U %M' -o "$result.raw" "$@" >"$log" 2>&1 || rc=$?
    # On failure GNU time puts "Command exited with non-zero status N" first.
    tail -n 1 "$result.raw" >"$result"
  else
    local TIMEFORMAT='%R %U' rss="n/a"
    if command -v python3 >/dev/null; then
      { time { python3 -c "$PY_RSS" "$result.rss" "$@" >"$log" 2>&1 || rc=$?; }; } 2>"$result.raw"
      [ -s "$result.rss" ] && rss="$(cat "$result.rss")"
    else
      { time { "$@" >"$log" 2>&1 || rc=$?; }; } 2>"$result.raw"
    fi
    echo "$(tail -n 1 "$result.raw") $rss" >"$result"
  fi
  return "$rc"
}
field() { cut -d' ' -f"$2" "$1"; }
median() {  # median of the numeric arguments ("n/a" ignored)
  printf '%s\n' "$@" | awk '/^[0-9.]+$/' | sort -g |
    awk '{a[NR]=$1} END {if (NR==0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}
fmt_s() { case "$1" in ''|n/a) echo "n/a" ;; *) awk -v x="$1" 'BEGIN{printf "%.2f", x}' ;; esac; }
fmt_mib() { case "$1" in ''|n/a) echo "n/a" ;; *) awk -v x="$1" 'BEGIN{printf "%.0f", x/1024}' ;; esac; }
fmt_int() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
rust_size() {  # "files / lines" of the .rs files under DIR/src
  local files lines
  files="$(find "$1/src" -name '*.rs' | wc -l)"
  lines="$(find "$1/src" -name '*.rs' -print0 | xargs -0 cat | wc -l)"
  echo "$(fmt_int "$files") / $(fmt_int "$lines")"
}
error_count() {  # number of compile errors cargo reported in LOG, or "?"
  local n
  n="$(grep -oE 'due to [0-9]+ previous errors?' "$1" | grep -oE '[0-9]+' | tail -n 1 || true)"
  if [ -z "$n" ]; then
    n="$(grep -cE '^error(\[E[0-9]+\])?: ' "$1" || true)"
    [ "$n" -gt 0 ] 2>/dev/null || n="?"
  fi
  echo "$n"
}

# Results, keyed "<generator>:<version>" (generator: isc | oag).
declare -A GEN_WALL GEN_RSS GEN_SIZE GEN_LOAD CHK_RESULT CHK_WALL CHK_USER CHK_RSS CHK_LOAD

# gen_bench KEY LABEL CMD_BUILDER: runs the generation RUNS times, each into a fresh directory;
# the command is built by calling CMD_BUILDER OUTDIR (fills the global CMD array). The output of
# the last run is kept in $WORK/out-<generator>-<version> for the cargo check.
gen_bench() {
  local key="$1" label="$2" builder="$3" i out walls=() rsss=() ok=1
  GEN_LOAD[$key]="$(load1)"
  for ((i = 1; i <= RUNS; i++)); do
    out="$WORK/gen-${key/:/-}-$i"
    rm -rf "$out"
    "$builder" "$out"
    progress "$label: run $i/$RUNS"
    if run_timed "$WORK/t" "$LOGS/gen-${key/:/-}-$i.log" "${CMD[@]}"; then
      walls+=("$(field "$WORK/t" 1)")
      rsss+=("$(field "$WORK/t" 3)")
      [ -n "${GEN_SIZE[$key]:-}" ] || GEN_SIZE[$key]="$(rust_size "$out")"
    else
      ok=0
      progress "$label: FAILED, see $LOGS/gen-${key/:/-}-$i.log"
    fi
    if [ "$ok" = 1 ] && [ "$i" = "$RUNS" ] && [ "$key" != "isc:all" ]; then
      mv "$out" "$WORK/out-${key/:/-}"
    else
      rm -rf "$out"
    fi
    [ "$ok" = 1 ] || break
  done
  if [ "$ok" = 1 ]; then
    GEN_WALL[$key]="$(fmt_s "$(median "${walls[@]}")")"
    GEN_RSS[$key]="$(fmt_mib "$(median "${rsss[@]}")")"
  else
    GEN_WALL[$key]="failed"
    GEN_RSS[$key]="—"
    GEN_SIZE[$key]="—"
  fi
}

# check_bench KEY LABEL CRATE_DIR CARGO_ARGS...: untimed check (builds deps), touch, timed check.
check_bench() {
  local key="$1" label="$2" crate="$3" log rc=0
  shift 3
  log="$LOGS/check-${key/:/-}.log"
  progress "$label: cargo check $* (untimed, builds dependencies)"
  (cd "$crate" && cargo check "$@") >"$LOGS/check-${key/:/-}-deps.log" 2>&1 || true
  touch "$crate/src/lib.rs"
  progress "$label: cargo check $* (timed)"
  CHK_LOAD[$key]="$(load1)"
  (cd "$crate" && run_timed "$WORK/t" "$log" cargo check "$@") || rc=$?
  CHK_WALL[$key]="$(fmt_s "$(field "$WORK/t" 1)")"
  CHK_USER[$key]="$(fmt_s "$(field "$WORK/t" 2)")"
  CHK_RSS[$key]="$(fmt_mib "$(field "$WORK/t" 3)")"
  if [ "$rc" = 0 ]; then
    CHK_RESULT[$key]="ok"
  else
    CHK_RESULT[$key]="failed ($(error_count "$log") errors)"
  fi
  progress "$label: ${CHK_RESULT[$key]}, ${CHK_WALL[$key]} s wall, ${CHK_USER[$key]} s user"
}

# ---- our generator ------------------------------------------------------------------------------
progress "cargo build --release -p xtask"
build_xtask() {
  if [ -n "$XTASK_BUILD_TARGET" ]; then
    CARGO_TARGET_DIR="$XTASK_BUILD_TARGET" cargo build --release -p xtask
  else
    env -u CARGO_TARGET_DIR cargo build --release -p xtask
  fi
}
if ! build_xtask >"$LOGS/build-xtask.log" 2>&1; then
  cat "$LOGS/build-xtask.log" >&2
  exit 1
fi

ISC_VERSION_ARGS=()
isc_cmd() { CMD=("$XTASK" regenerate --specs "$SPECS" "${ISC_VERSION_ARGS[@]}" --out "$1" --quiet); }

ALL_KEY=""
for v in "${VERSION_LIST[@]}"; do
  ISC_VERSION_ARGS=(--version "$v")
  gen_bench "isc:$v" "xtask regenerate $v" isc_cmd
done
if [ "${#VERSION_LIST[@]}" -gt 1 ]; then
  ALL_KEY="all"
  ISC_VERSION_ARGS=()
  for v in "${VERSION_LIST[@]}"; do ISC_VERSION_ARGS+=(--version "$v"); done
  gen_bench "isc:all" "xtask regenerate ${VERSION_LIST[*]}" isc_cmd
fi

# ---- openapi-generator: generation --------------------------------------------------------------
if [ "$WITH_OAG" = 1 ]; then
  VENV="$BENCH/venv"
  OAG="$VENV/bin/openapi-generator-cli"
  installed_oag() {
    "$VENV/bin/python" -c 'from importlib.metadata import version; print(version("openapi-generator-cli"))' 2>/dev/null || true
  }
  if [ ! -x "$VENV/bin/python" ] || [ "$(installed_oag)" != "$OAG_VERSION" ]; then
    progress "setting up $VENV with openapi-generator-cli==$OAG_VERSION"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "openapi-generator-cli==$OAG_VERSION" >&2
  fi
  command -v java >/dev/null || { echo "bench: java not found (openapi-generator needs Java 11+)" >&2; exit 1; }
  OAG_V=""
  oag_cmd() {
    CMD=("$OAG" generate -g rust -i "$SPECS/sailpoint-api.$OAG_V.yaml" -o "$1" --skip-validate-spec)
  }
  for v in "${VERSION_LIST[@]}"; do
    OAG_V="$v"
    gen_bench "oag:$v" "openapi-generator $v" oag_cmd
  done
fi

# ---- crate-only cargo check -------------------------------------------------------------------
# The crates are the last generation run of each version alone.
for v in "${VERSION_LIST[@]}"; do
  crate="$WORK/out-isc-$v"
  [ -d "$crate" ] || continue  # generation failed
  cp -R "$ROOT/generated-client/src/runtime" "$crate/src/runtime"
  cp "$ROOT/Cargo.lock" "$crate/Cargo.lock"  # same dependency versions as the workspace
  printf '\n[workspace]\n' >>"$crate/Cargo.toml"
  check_bench "isc:$v" "sailpoint-isc $v" "$crate" --no-default-features --features "$v"
  rm -rf "$crate"
done

if [ "$WITH_OAG" = 1 ]; then
  for v in "${VERSION_LIST[@]}"; do
    crate="$WORK/out-oag-$v"
    [ -d "$crate" ] || continue  # generation failed
    printf '\n[workspace]\n' >>"$crate/Cargo.toml"
    check_bench "oag:$v" "openapi-generator $v" "$crate"
    rm -rf "$crate"
  done
fi

# ---- report -----------------------------------------------------------------------------------
LOAD_END="$(loadavg)"
ELAPSED=$((SECONDS - STARTED))
CPU_MODEL="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)"
MEM_TOTAL="$(awk '/^MemTotal:/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo 2>/dev/null || echo "n/a")"
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo "n/a")"
if [ -n "$(git status --porcelain 2>/dev/null)" ]; then COMMIT="$COMMIT (uncommitted changes)"; fi

OAG_NAME="openapi-generator $OAG_VERSION"
row() {  # row KEY VERSION_LABEL GENERATOR_LABEL
  local key="$1"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s |\n' "$2" "$3" \
    "${GEN_WALL[$key]:-—}" "${GEN_RSS[$key]:-—}" "${GEN_SIZE[$key]:-—}" \
    "${CHK_RESULT[$key]:-—}" "${CHK_WALL[$key]:-—}" "${CHK_USER[$key]:-—}" "${CHK_RSS[$key]:-—}" \
    "${GEN_LOAD[$key]:-—}" "${CHK_LOAD[$key]:-—}"
}
report() {
  echo "### Benchmark: full upstream specs ($(date -u '+%Y-%m-%d'))"
  echo
  echo "| Version | Generator | Generate: wall (s) | Generate: peak RSS (MiB) | Rust files / lines | \`cargo check\` (crate only) | Check: wall (s) | Check: user CPU (s) | Check: peak RSS (MiB) | Load 1 min (gen / check) |"
  echo "|---|---|--:|--:|--:|---|--:|--:|--:|--:|"
  for v in "${VERSION_LIST[@]}"; do
    row "isc:$v" "$v" "sailpoint-isc (\`xtask\`)"
    if [ "$WITH_OAG" = 1 ]; then row "oag:$v" "$v" "$OAG_NAME"; fi
  done
  if [ -n "$ALL_KEY" ]; then
    row "isc:all" "all (${VERSION_LIST[*]})" "sailpoint-isc (\`xtask\`)"
    if [ "$WITH_OAG" = 1 ]; then
      local sum
      sum="$(printf '%s\n' "${VERSION_LIST[@]}" | while read -r v; do echo "${GEN_WALL[oag:$v]}"; done |
        awk '/^[0-9.]+$/ {s+=$1; n++} END {if (n) printf "%.2f", s; else print "n/a"}')"
      printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "all (${VERSION_LIST[*]})" "$OAG_NAME" \
        "$sum (sum of the medians above)" "—" "—" "—" "—" "—" "—" "—"
    fi
  fi
  echo
  echo "- Generate: median of $RUNS run(s), each into a fresh directory; peak RSS of the whole process tree"
  echo "  (for openapi-generator, the JVM behind the Python wrapper). Ours: \`target/release/xtask regenerate"
  echo "  --specs ../shared/api-specs/idn --version V --out DIR --quiet\`. openapi-generator: \`openapi-generator-cli"
  echo "  generate -g rust -i ../shared/api-specs/idn/sailpoint-api.V.yaml -o DIR --skip-validate-spec\`."
  echo "- \`cargo check\`: the version generated alone, dependencies built beforehand (untimed) in a shared"
  echo "  target dir, then \`touch src/lib.rs\` and one timed run with \`CARGO_INCREMENTAL=0\` (the whole crate"
  echo "  is checked again, no incremental cache). Ours: \`cargo check --no-default-features"
  echo "  --features V\` with \`src/runtime/\` copied in; openapi-generator: \`cargo check\` of the crate it"
  echo "  generates (default features). User CPU is summed over all threads and includes rustc."
  echo "- Rust files / lines: \`.rs\` files under \`src/\` of the generated crate (ours: runtime not included)."
  echo
  echo "Machine: $(nproc) CPUs, ${CPU_MODEL:-unknown CPU}, $MEM_TOTAL RAM; $(rustc --version);"
  if [ "$WITH_OAG" = 1 ]; then
    echo "$(java -version 2>&1 | head -n 1); openapi-generator-cli $(installed_oag);"
  fi
  echo "timer: $TIMER; date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $COMMIT."
  echo "Load average (1/5/15 min): $LOAD_START at start, $LOAD_END at end (other builds may share the machine)."
  echo "Benchmark run took $((ELAPSED / 60)) min $((ELAPSED % 60)) s."
}
report | tee "$BENCH/last-run.md"
