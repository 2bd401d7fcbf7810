#!/usr/bin/env bash
# Benchmarks `sparkplan check` and `plan` (each format, and `--base HEAD`) on generated
# 1x, 4x and 16x workspaces (10,000 Spark Ads per advertiser), against the
# floor (bare YAML parsing with sparkplan's own YAML layer, same parallelism)
# and against JSON Schema validators run on the same files:
# check-jsonschema (Python) and ajv-cli (Node), both reading the YAML
# directly, so no YAML->JSON conversion is involved.
#
# Usage: bench/run.sh [--no-write]
#   Prints the results as Markdown and replaces the generated section of
#   BENCHMARKS.md (between the `bench:begin` / `bench:end` markers) unless
#   --no-write is given.
# Environment:
#   SCHEMA=FILE        the JSON Schema to validate with (default:
#                      schema/sparkplan.schema.json, else `sparkplan schema`)
#   BENCH_NOTE=TEXT    a note printed with the results (e.g. "machine shared")
#   BENCH_QUICK=1      1x corpus only, 3 runs each (to try the script out)
#   BENCH_BASELINE=BIN also time another sparkplan binary's `check` (e.g. a
#                      build of main), shown as `check (baseline)`
#   BENCH_FULL=1       also run check-jsonschema on the 4x and 16x corpora
#                      (slow: about a minute per run at 16x is optimistic)
#   CARGO_TARGET_DIR   honoured for finding the release binaries
#
# Tools are pinned and installed into bench/.tools/ (git-ignored):
# check-jsonschema (PyPI, in a venv) and ajv-cli + ajv + ajv-formats (npm).
# hyperfine and GNU time come from Debian packages (installed with apt-get
# when running as root); without hyperfine a plain timing loop is used.
set -euo pipefail

CHECK_JSONSCHEMA_VERSION=0.39.0
AJV_CLI_VERSION=5.0.0
AJV_VERSION=8.20.0
AJV_FORMATS_VERSION=3.0.1
TODAY=2026-11-29
ADS=10000
FILES=500
SCALES=(1 4 16)
[[ -n ${BENCH_QUICK:-} ]] && SCALES=(1)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=$ROOT/bench/.tools
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WRITE=1
[[ ${1:-} == --no-write ]] && WRITE=0

log() { echo "bench: $*" >&2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sparkplan-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
RESULTS=$WORK/results.tsv
: >"$RESULTS"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

# --- 1. Build -------------------------------------------------------------
log "building release binaries"
(cd "$ROOT" && cargo build --release --quiet --bin sparkplan --example gen_corpus --example parse_only) >&2
# Private copies: a target folder shared with other builds may be rebuilt
# under the benchmark.
mkdir -p "$WORK/bin"
cp "$TARGET/release/sparkplan" "$TARGET/release/examples/gen_corpus" "$TARGET/release/examples/parse_only" "$WORK/bin/"
BIN=$WORK/bin/sparkplan
GEN=$WORK/bin/gen_corpus
PARSE=$WORK/bin/parse_only
BASELINE=${BENCH_BASELINE:-}
[[ -z $BASELINE || -x $BASELINE ]] || { log "BENCH_BASELINE=$BASELINE is not an executable"; exit 2; }

# --- 2. Corpora -----------------------------------------------------------
for s in "${SCALES[@]}"; do
  "$GEN" --out "$WORK/c$s" --ads "$ADS" --files "$FILES" --scale "$s" >"$WORK/gen$s.txt"
  log "$(cat "$WORK/gen$s.txt")"
done

# Each corpus is also a git repository whose working tree has one line
# changed (a campaign's budget), for `plan --base HEAD`.
for s in "${SCALES[@]}"; do
  git -C "$WORK/c$s" init -q
  git -C "$WORK/c$s" add -A
  git -C "$WORK/c$s" -c user.name=bench -c user.email=bench@sparkplan.invalid -c commit.gpgsign=false commit -qm corpus
  sed -i 's/amount: 450 }/amount: 475 }/' "$WORK/c$s/acme/campaigns/c_0007.yaml"
done

# --- 3. Tools -------------------------------------------------------------
as_root() { [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; }
apt_install() {
  as_root || return 1
  apt-get install -y -qq "$@" >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$@" >/dev/null 2>&1; }
}
if ! command -v hyperfine >/dev/null; then
  log "installing hyperfine (Debian package)"
  apt_install hyperfine || log "hyperfine unavailable (needs root and apt-get): using a plain timing loop"
fi
HYPERFINE=$(command -v hyperfine || true)
if [[ ! -x /usr/bin/time ]]; then
  log "installing GNU time (Debian package)"
  apt_install time || log "GNU time unavailable: peak memory is not measured"
fi

mkdir -p "$TOOLS"
CJS=$TOOLS/venv/bin/check-jsonschema
if ! "$CJS" --version 2>/dev/null | grep -qF "$CHECK_JSONSCHEMA_VERSION"; then
  log "installing check-jsonschema==$CHECK_JSONSCHEMA_VERSION into bench/.tools/venv"
  { python3 -m venv "$TOOLS/venv" &&
    "$TOOLS/venv/bin/pip" install -q "check-jsonschema==$CHECK_JSONSCHEMA_VERSION"; } >&2 ||
    log "could not install check-jsonschema: skipped"
fi
[[ -x $CJS ]] || CJS=""
AJV=$TOOLS/node/node_modules/.bin/ajv
if ! grep -qF "\"version\": \"$AJV_CLI_VERSION\"" "$TOOLS/node/node_modules/ajv-cli/package.json" 2>/dev/null; then
  log "installing ajv-cli@$AJV_CLI_VERSION into bench/.tools/node"
  npm install --silent --no-audit --no-fund --save-exact --prefix "$TOOLS/node" \
    "ajv-cli@$AJV_CLI_VERSION" "ajv@$AJV_VERSION" "ajv-formats@$AJV_FORMATS_VERSION" >&2 ||
    log "could not install ajv-cli: skipped"
fi
[[ -x $AJV ]] || AJV=""

# --- 4. Schema ------------------------------------------------------------
SCHEMA_FILE=${SCHEMA:-}
if [[ -z $SCHEMA_FILE && -f $ROOT/schema/sparkplan.schema.json ]]; then
  SCHEMA_FILE=$ROOT/schema/sparkplan.schema.json
fi
if [[ -z $SCHEMA_FILE ]] && "$BIN" schema >"$WORK/schema.json" 2>/dev/null; then
  SCHEMA_FILE=$WORK/schema.json
fi
if [[ -z $SCHEMA_FILE ]]; then
  log "no JSON Schema (schema/sparkplan.schema.json missing, no \`sparkplan schema\`): validators skipped"
  CJS="" AJV=""
fi
HAVE_PLAN=0
if "$BIN" plan --help >/dev/null 2>&1; then HAVE_PLAN=1; else log "no \`sparkplan plan\`: plan skipped"; fi

# --- 5. Sanity: the corpora are valid for every tool -------------------------
declare -A STATUS
for s in "${SCALES[@]}"; do
  set +e
  "$BIN" check "$WORK/c$s" --today "$TODAY" --format json >"$WORK/check$s.json"
  rc=$?
  set -e
  codes=$(grep -o '"code": *"SP[0-9]*"' "$WORK/check$s.json" | grep -o 'SP[0-9]*' | sort | uniq -c |
    awk '{ printf "%s%s×%s", sep, $2, $1; sep = ", " }' || true)
  STATUS[check$s]="exit $rc${codes:+; $codes}"
  log "check ${s}x: ${STATUS[check$s]}"
done
if ((HAVE_PLAN)); then
  set +e
  "$BIN" plan "$WORK/c1" --format json --today "$TODAY" >"$WORK/plan1.json" 2>/dev/null
  STATUS[plan1]="exit $?; $(wc -c <"$WORK/plan1.json" | awk '{ printf "%.1f MiB of JSON", $1 / 1048576 }')"
  set -e
  log "plan 1x: ${STATUS[plan1]}"
fi
if [[ -n $CJS ]]; then
  for s in "${SCALES[@]}"; do
    find "$WORK/c$s" -name '*.yaml' | sort >"$WORK/files$s.txt"
    printf '#!/usr/bin/env bash\nexec %q --schemafile %q $(cat %q)\n' "$CJS" "$SCHEMA_FILE" "$WORK/files$s.txt" >"$WORK/cjs$s.sh"
  done
  set +e
  bash "$WORK/cjs1.sh" >"$WORK/cjs1.out" 2>&1
  STATUS[cjs1]="exit $?"
  set -e
  log "check-jsonschema 1x: ${STATUS[cjs1]} ($(tail -1 "$WORK/cjs1.out"))"
fi
if [[ -n $AJV ]]; then
  set +e
  "$AJV" validate --spec=draft7 -c ajv-formats --strict=false -s "$SCHEMA_FILE" -d "$WORK/c1/**/*.yaml" >"$WORK/ajv1.out" 2>&1
  STATUS[ajv1]="exit $?"
  set -e
  STATUS[ajv1]+="; $(grep -c ' valid$' "$WORK/ajv1.out" || true) valid, $(grep -c ' invalid$' "$WORK/ajv1.out" || true) invalid"
  log "ajv 1x: ${STATUS[ajv1]}"
fi

# --- 6. Timing --------------------------------------------------------------
# measure SCALE NAME RUNS WARMUP CMD... : appends "scale name median mean min max runs" (seconds).
measure() {
  local scale=$1 name=$2 runs=$3 warmup=$4
  shift 4
  log "timing $name at ${scale}x ($runs runs)"
  if [[ -n $HYPERFINE ]]; then
    local cmd
    cmd=$(printf '%q ' "$@")
    "$HYPERFINE" -N -i --style none --warmup "$warmup" --runs "$runs" \
      --export-json "$WORK/h.json" -- "$cmd" >/dev/null 2>&1
    python3 - "$WORK/h.json" "$scale" "$name" "$runs" >>"$RESULTS" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("\t".join([sys.argv[2], sys.argv[3], f"{r['median']:.6f}", f"{r['mean']:.6f}",
                 f"{r['min']:.6f}", f"{r['max']:.6f}", sys.argv[4]]))
PY
  else
    local i t0 t1
    for ((i = 0; i < warmup; i++)); do "$@" >/dev/null 2>&1 || true; done
    : >"$WORK/loop.txt"
    for ((i = 0; i < runs; i++)); do
      t0=$(date +%s%N)
      "$@" >/dev/null 2>&1 || true
      t1=$(date +%s%N)
      echo $(((t1 - t0) / 1000)) >>"$WORK/loop.txt"
    done
    sort -n "$WORK/loop.txt" | awk -v s="$scale" -v n="$name" -v r="$runs" '
      { v[NR] = $1 / 1e6; sum += v[NR] }
      END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
            printf "%s\t%s\t%.6f\t%.6f\t%.6f\t%.6f\t%s\n", s, n, m, sum / NR, v[1], v[NR], r }' >>"$RESULTS"
  fi
}

runs_for() {
  [[ -n ${BENCH_QUICK:-} ]] && { echo 3; return; }
  case $1 in 1) echo 20 ;; 4) echo 10 ;; *) echo 5 ;; esac
}
for s in "${SCALES[@]}"; do
  r=$(runs_for "$s")
  measure "$s" parse_only "$r" 2 "$PARSE" "$WORK/c$s"
  measure "$s" check "$r" 2 "$BIN" check "$WORK/c$s" --today "$TODAY"
  if [[ -n $BASELINE ]]; then
    measure "$s" "check (baseline)" "$r" 2 "$BASELINE" check "$WORK/c$s" --today "$TODAY"
  fi
  if ((HAVE_PLAN)); then
    # As many runs as `check`: the plan's 2x verdicts compare medians within
    # a few milliseconds of each other.
    for f in json text markdown; do
      measure "$s" "plan --format $f" "$r" 1 "$BIN" plan "$WORK/c$s" --format "$f" --today "$TODAY"
    done
    # From the corpus's directory, as CI runs it (the base is the commit).
    measure "$s" "plan --base HEAD --format json" "$r" 1 \
      bash -c 'cd "$1" && exec "$2" plan . --base HEAD --format json --today "$3"' _ "$WORK/c$s" "$BIN" "$TODAY"
  fi
  if [[ -n $AJV ]]; then
    measure "$s" ajv "$(((r + 1) / 2))" 1 "$AJV" validate --spec=draft7 -c ajv-formats --strict=false \
      -s "$SCHEMA_FILE" -d "$WORK/c$s/**/*.yaml"
  fi
  if [[ -n $CJS && ($s == 1 || -n ${BENCH_FULL:-}) ]]; then
    measure "$s" check-jsonschema 3 1 bash "$WORK/cjs$s.sh"
  fi
done

# Peak memory (maximum resident set size) with GNU time: the median of 3 runs
# (one run varies by a few MiB: transparent huge pages are 2 MiB each).
peak() { # prints MiB
  local i
  for i in 1 2 3; do
    { /usr/bin/time -v "$@" 2>&1 >/dev/null || true; } | awk -F: '/Maximum resident set size/ { print $2 / 1024 }'
  done | sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.1f", v[int((NR + 1) / 2)] }'
}
declare -A PEAK
if [[ -x /usr/bin/time ]]; then
  for s in "${SCALES[@]}"; do
    PEAK[check$s]=$(peak "$BIN" check "$WORK/c$s" --today "$TODAY")
    PEAK[parse_only$s]=$(peak "$PARSE" "$WORK/c$s")
    if ((HAVE_PLAN)); then
      for f in json text markdown; do
        PEAK[plan_$f$s]=$(peak "$BIN" plan "$WORK/c$s" --format "$f" --today "$TODAY")
      done
      PEAK[plan_base$s]=$(peak bash -c 'cd "$1" && exec "$2" plan . --base HEAD --format json --today "$3"' _ "$WORK/c$s" "$BIN" "$TODAY")
    fi
  done
fi
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

# --- 7. Report ----------------------------------------------------------------
get() { awk -F'\t' -v s="$1" -v n="$2" '$1 == s && $2 == n { print $3 }' "$RESULTS"; }
ms() { [[ -n $1 ]] && awk -v x="$1" 'BEGIN { printf "%.1f", x * 1000 }' || echo "—"; }
ratio() { [[ -n $1 && -n $2 ]] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }' || echo "—"; }
verdict() { # value op target
  [[ $1 == "—" ]] && { echo "not measured"; return; }
  awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN { ok = (op == "<=") ? (v <= t) : (v >= t); print ok ? "met" : "**missed**" }'
}

CPU=$(lscpu 2>/dev/null | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }')
MEM=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
C1=$(get 1 check) P1=$(get 1 parse_only) J1=$(get 1 check-jsonschema) A1=$(get 1 ajv)
R_PARSE=$(ratio "$C1" "$P1")
R_CJS=$(ratio "$J1" "$C1")
R_AJV=$(ratio "$A1" "$C1")
LIN4=$(ratio "$(get 4 check)" "$(awk -v x="$C1" 'BEGIN { print 4 * x }')")
LIN16=$(ratio "$(get 16 check)" "$(awk -v x="$C1" 'BEGIN { print 16 * x }')")

report() {
  echo "<!-- bench:begin (generated by bench/run.sh; do not edit by hand) -->"
  echo "### Results"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') at commit \`$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')\`$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')."
  echo
  echo "- Machine: ${CPU:-unknown CPU}, $(nproc) CPUs, $MEM memory; load average $LOAD_START at start, $LOAD_END at end."
  [[ -n ${BENCH_NOTE:-} ]] && echo "- Note: $BENCH_NOTE"
  local hf="timing loop (no hyperfine)" cjs="skipped" ajv="skipped" schema="none (validators skipped)"
  [[ -n $HYPERFINE ]] && hf=$("$HYPERFINE" --version)
  [[ -n $CJS ]] && cjs=$CHECK_JSONSCHEMA_VERSION
  [[ -n $AJV ]] && ajv="$AJV_CLI_VERSION (ajv $AJV_VERSION, ajv-formats $AJV_FORMATS_VERSION, \`--spec=draft7 --strict=false\`)"
  [[ -n $SCHEMA_FILE ]] && schema="\`${SCHEMA_FILE#"$ROOT"/}\`"
  echo "- Tools: $("$BIN" --version); $(rustc --version 2>/dev/null); $hf; check-jsonschema $cjs; ajv-cli $ajv; node $(node --version 2>/dev/null || echo '?'); $(python3 --version 2>/dev/null)."
  echo "- Schema: $schema."
  [[ -n $BASELINE ]] && echo "- \`check (baseline)\`: \`$("$BASELINE" --version)\` built from another revision (see the note)."
  for s in "${SCALES[@]}"; do echo "- ${s}x corpus: $(sed 's/ to [^:]*:/:/' "$WORK/gen$s.txt"); \`check\`: ${STATUS[check$s]}."; done
  [[ -n ${STATUS[plan1]:-} ]] && echo "- \`plan --format json\` on 1x: ${STATUS[plan1]}."
  [[ -n ${STATUS[cjs1]:-} ]] && echo "- check-jsonschema on 1x: ${STATUS[cjs1]}."
  [[ -n ${STATUS[ajv1]:-} ]] && echo "- ajv on 1x: ${STATUS[ajv1]}."
  echo
  echo "Wall-clock medians in milliseconds (hyperfine, warm file cache, every tool reading the same YAML files):"
  echo
  echo "| tool | 1x | 4x | 16x | runs (1x/4x/16x) |"
  echo "|---|---:|---:|---:|---|"
  local plans=("plan --format json" "plan --format text" "plan --format markdown" "plan --base HEAD --format json")
  local names=(parse_only check "${plans[@]}" ajv check-jsonschema)
  [[ -n $BASELINE ]] && names=(parse_only check "check (baseline)" "${plans[@]}" ajv check-jsonschema)
  for n in "${names[@]}"; do
    local row="" any=0 runs=""
    for s in 1 4 16; do
      local v
      v=$(get "$s" "$n")
      [[ -n $v ]] && any=1
      row+=" $(ms "$v") |"
      runs+="$(awk -F'\t' -v s="$s" -v n="$n" '$1 == s && $2 == n { print $7 }' "$RESULTS" | grep . || echo —)/"
    done
    ((any)) && echo "| \`$n\` |$row ${runs%/} |"
  done
  echo
  echo "Peak memory (maximum resident set size, MiB, 1x / 4x / 16x):"
  echo
  echo "| tool | 1x | 4x | 16x |"
  echo "|---|---:|---:|---:|"
  echo "| \`check\` | ${PEAK[check1]:-—} | ${PEAK[check4]:-—} | ${PEAK[check16]:-—} |"
  echo "| \`parse_only\` | ${PEAK[parse_only1]:-—} | ${PEAK[parse_only4]:-—} | ${PEAK[parse_only16]:-—} |"
  local k
  for k in json text markdown; do
    [[ -n ${PEAK[plan_${k}1]:-} ]] && echo "| \`plan --format $k\` | ${PEAK[plan_${k}1]} | ${PEAK[plan_${k}4]:-—} | ${PEAK[plan_${k}16]:-—} |"
  done
  [[ -n ${PEAK[plan_base1]:-} ]] && echo "| \`plan --base HEAD --format json\` | ${PEAK[plan_base1]} | ${PEAK[plan_base4]:-—} | ${PEAK[plan_base16]:-—} |"
  echo
  echo "| target (10,000 Spark Ads, 1x) | measured | |"
  echo "|---|---:|---|"
  echo "| \`check\` ≤ 1.5× bare parse | ${R_PARSE}× | $(verdict "$R_PARSE" '<=' 1.5) |"
  echo "| ≥ 50× faster than check-jsonschema | ${R_CJS}× | $(verdict "$R_CJS" '>=' 50) |"
  echo "| ≥ 3× faster than ajv-cli | ${R_AJV}× | $(verdict "$R_AJV" '>=' 3) |"
  echo "| peak memory ≤ 150 MiB | ${PEAK[check1]:-—} MiB | $(verdict "${PEAK[check1]:-—}" '<=' 150) |"
  echo "| 4× corpus within 15% of linear | ${LIN4}× of 4 × (1x time) | $(verdict "$LIN4" '<=' 1.15) |"
  echo "| 16× corpus within 15% of linear | ${LIN16}× of 16 × (1x time) | $(verdict "$LIN16" '<=' 1.15) |"
  if ((HAVE_PLAN)); then
    local f t m l16 pb
    for f in json text markdown; do
      t=$(ratio "$(get 1 "plan --format $f")" "$C1")
      m=$(ratio "${PEAK[plan_${f}1]:-}" "${PEAK[check1]:-}")
      l16=$(ratio "$(get 16 "plan --format $f")" "$(awk -v x="$(get 1 "plan --format $f")" 'BEGIN { print 16 * x }')")
      echo "| \`plan --format $f\` ≤ 2× \`check\` time | ${t}× | $(verdict "$t" '<=' 2) |"
      echo "| \`plan --format $f\` ≤ 2× \`check\` peak memory | ${m}× | $(verdict "$m" '<=' 2) |"
      [[ -n $(get 16 "plan --format $f") ]] && echo "| \`plan --format $f\` at 16× within 15% of linear | ${l16}× of 16 × (1x time) | $(verdict "$l16" '<=' 1.15) |"
    done
    pb=$(ratio "$(get 1 "plan --base HEAD --format json")" "$(get 1 "plan --format json")")
    echo "| \`plan --base HEAD\` ≤ 1.3× \`plan\` (json) | ${pb}× | $(verdict "$pb" '<=' 1.3) |"
  fi
  echo "<!-- bench:end -->"
}

report >"$WORK/report.md"
cat "$WORK/report.md"
if ((WRITE)); then
  MD=$ROOT/BENCHMARKS.md
  if [[ -f $MD ]] && grep -q '<!-- bench:begin' "$MD"; then
    python3 - "$MD" "$WORK/report.md" <<'PY'
import re, sys
md, new = open(sys.argv[1]).read(), open(sys.argv[2]).read().rstrip("\n")
out = re.sub(r"<!-- bench:begin.*?<!-- bench:end -->", lambda _: new, md, count=1, flags=re.S)
open(sys.argv[1], "w").write(out)
PY
  else
    { [[ -f $MD ]] && cat "$MD" && echo; cat "$WORK/report.md"; } >"$WORK/md.new"
    mv "$WORK/md.new" "$MD"
  fi
  log "wrote $MD"
fi
