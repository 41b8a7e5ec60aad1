#!/usr/bin/env bash
# Measures `collectmaxx convert` against the floor (a plain csv-crate copy) in one run.
#
#   scripts/bench.sh                  # 1,000,000 rows (100,000 for the XLSX)
#   ROWS=100000 scripts/bench.sh      # a quick run
#
# Environment: ROWS (default 1000000), XLSX_ROWS (default ROWS/10), SEED (default 7),
# BENCH_DIR (default /tmp/collectmaxx-bench; generated inputs are kept there and reused).
# Method and results: docs/performance.md.
#
# No `set -e`: convert exits 1 when rows are rejected and 2 when a reader is missing, and the
# table must still be printed. Build and generation failures stop the script explicitly.
set -uo pipefail

ROWS=${ROWS:-1000000}
XLSX_ROWS=${XLSX_ROWS:-$((ROWS / 10))}
SEED=${SEED:-7}
BENCH_DIR=${BENCH_DIR:-/tmp/collectmaxx-bench}
TODAY=2026-11-22
SERVICES=sms,paylink

cd "$(dirname "$0")/.." || exit 2
root=$(pwd)

die() { echo "bench.sh: $*" >&2; exit 2; }

[ -x /usr/bin/time ] || die "/usr/bin/time is missing (it measures peak RSS): install the 'time' package (apt-get install time)"

echo "== build (release, once)"
cargo build --release --examples --bins || die "the release build failed"
target=${CARGO_TARGET_DIR:-$root/target}/release
tool=$target/collectmaxx
gen=$target/examples/gen
floor=$target/examples/floor

mkdir -p "$BENCH_DIR" || die "cannot create $BENCH_DIR"
work=$BENCH_DIR/run
rm -rf "$work" && mkdir -p "$work" && : >"$work/empty.toml" || die "cannot create $work"

# generate FILE ARGS...: skipped when FILE exists (delete it to regenerate).
generate() {
    local file=$1
    shift
    if [ -s "$file" ]; then
        echo "   $file exists, kept"
        return
    fi
    echo "   $file"
    "$gen" --seed "$SEED" --out "$file.partial" "$@" || die "generating $file failed"
    mv "$file.partial" "$file"
}

echo "== inputs in $BENCH_DIR (seed $SEED)"
clean=$BENCH_DIR/clean-$ROWS.csv
messy=$BENCH_DIR/messy-$ROWS.csv
errors=$BENCH_DIR/errors-$ROWS.csv
xml=$BENCH_DIR/records-$ROWS.xml
xlsx=$BENCH_DIR/sheet-$XLSX_ROWS.xlsx
generate "$clean" --rows "$ROWS"
generate "$messy" --rows "$ROWS" --messy
generate "$errors" --rows "$ROWS" --errors
generate "$xml" --rows "$ROWS" --format xml
generate "$xlsx" --rows "$XLSX_ROWS" --format xlsx

# The uncompressed size of the sheet inside the XLSX (the XLSX memory target): the worksheet
# XML plus the shared strings it refers to.
sheet_bytes=$(python3 - "$xlsx" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    print(sum(i.file_size for i in z.infolist()
              if i.filename.startswith("xl/worksheets/") or i.filename == "xl/sharedStrings.xml"))
EOF
) || sheet_bytes=0

rows_out=()
floor_wall=""

# measure LABEL ROWS CMD...: runs CMD under /usr/bin/time -v, records wall, rows/s, RSS, exit.
measure() {
    local label=$1 n=$2
    shift 2
    local tv=$work/time.txt err=$work/stderr.txt
    sync
    local start end
    start=$(date +%s%N)
    /usr/bin/time -v -o "$tv" "$@" >"$work/stdout.txt" 2>"$err"
    local status=$?
    end=$(date +%s%N)
    local wall rss_kb
    wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
    rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tv")
    # CPU seconds (user + system): CPU / wall shows how much of the 2 cores a run used.
    local cpu
    cpu=$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$tv")
    # /usr/bin/time exits with the command's status; "Exit status" in its report says the same.
    local code
    code=$(awk -F': ' '/Exit status/ { print $2 }' "$tv")
    code=${code:-$status}
    if [ "$code" = 2 ] && grep -q "not built yet" "$err"; then
        rows_out+=("| $label | n/a (reader not built) | | | | | 2 |")
        echo "   $label: reader not built"
        return
    fi
    if [ "$code" -ge 2 ] 2>/dev/null; then
        echo "   $label failed (exit $code):" >&2
        tail -5 "$err" >&2
        rows_out+=("| $label | failed: $(tail -1 "$err" | cut -c1-120) | | | | | $code |")
        return
    fi
    local rate ratio rss
    rate=$(awk -v n="$n" -v w="$wall" 'BEGIN { if (w > 0) printf "%.0f", n / w; else print "-" }')
    rss=$(awk -v k="${rss_kb:-0}" 'BEGIN { printf "%.1f", k / 1024 }')
    if [ -z "$floor_wall" ]; then
        floor_wall=$wall
        floor_rows=$n
    fi
    # Ratio to the floor, scaled to this run's row count.
    ratio=$(awk -v w="$wall" -v f="$floor_wall" -v n="$n" -v fn="$floor_rows" \
        'BEGIN { s = f * n / fn; if (s > 0) printf "%.2f×", w / s; else print "-" }')
    rows_out+=("| $label | $wall | $cpu | $rate | $ratio | $rss | $code |")
    LAST_RSS_KB=${rss_kb:-0}
    echo "   $label: ${wall}s, ${rss} MiB, exit $code"
}

# convert_cmd OUT_DIR INPUT [FLAGS...]: sets CMD to the convert command line (a fresh OUT_DIR,
# a fixed delivery date so the file names are the same in every run).
convert_cmd() {
    local out=$1 input=$2
    shift 2
    rm -rf "$out" "$out.state"
    # Each run gets its own empty delivery history (or the second run would see every
    # identifier as already delivered) and an empty configuration file (no user settings).
    CMD=("$tool" convert "$input" --client bench --date 20261122 --out-dir "$out"
        --state-dir "$out.state" --config "$work/empty.toml"
        --services "$SERVICES" --today "$TODAY" --quiet "$@")
}

delivery_in() { ls "$1"/*.csv 2>/dev/null | grep -v report | head -1; }

echo "== measure ($(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg))"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
measure "floor: csv copy, clean CSV" "$ROWS" "$floor" "$clean" "$work/floor.csv"
rm -f "$work/floor.csv"
measure "floor: csv copy, messy CSV" "$ROWS" "$floor" "$messy" "$work/floor.csv"
rm -f "$work/floor.csv"
convert_cmd "$work/clean" "$clean"
measure "convert clean CSV" "$ROWS" "${CMD[@]}"
convert_cmd "$work/clean1" "$clean" --threads 1
measure "convert clean CSV, --threads 1" "$ROWS" "${CMD[@]}"
a=$(delivery_in "$work/clean")
b=$(delivery_in "$work/clean1")
if [ -n "$a" ] && [ -n "$b" ] && cmp -s "$a" "$b"; then
    identical="identical"
else
    identical="DIFFERENT (or missing: '$a' '$b')"
fi
rm -rf "$work/clean1"
convert_cmd "$work/messy" "$messy"
measure "convert messy CSV" "$ROWS" "${CMD[@]}"
rm -rf "$work/messy"
convert_cmd "$work/errors" "$errors"
measure "convert CSV, 3 errors every row" "$ROWS" "${CMD[@]}"
report_mb=$(du -m "$work"/errors/*.report.json 2>/dev/null | cut -f1)
rm -rf "$work/errors"
convert_cmd "$work/xml" "$xml" --input-format xml
measure "convert XML" "$ROWS" "${CMD[@]}"
rm -rf "$work/xml"
LAST_RSS_KB=0
convert_cmd "$work/xlsx" "$xlsx" --input-format xlsx
measure "convert XLSX ($XLSX_ROWS rows)" "$XLSX_ROWS" "${CMD[@]}"
xlsx_rss_kb=$LAST_RSS_KB
rm -rf "$work/xlsx"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "ROWS=$ROWS, XLSX_ROWS=$XLSX_ROWS, seed $SEED, $(nproc) cores, load before $load_before, after $load_after"
echo "inputs: clean $(du -m "$clean" | cut -f1) MB, messy $(du -m "$messy" | cut -f1) MB, 3 errors $(du -m "$errors" | cut -f1) MB, XML $(du -m "$xml" | cut -f1) MB, XLSX $(du -k "$xlsx" | cut -f1) KB"
echo
echo "| run | wall s | CPU s | rows/s | × floor | peak RSS MiB | exit |"
echo "|---|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows_out[@]}"
echo
echo "delivery with --threads 1 vs all cores: $identical"
echo "report of the 3-errors run: ${report_mb:-?} MB"
if [ "$sheet_bytes" -gt 0 ] && [ "$xlsx_rss_kb" -gt 0 ]; then
    awk -v r="$xlsx_rss_kb" -v s="$sheet_bytes" 'BEGIN {
        printf "XLSX: uncompressed sheet (worksheet XML + shared strings) %.1f MiB; peak RSS %.1f MiB = %.2f× the sheet (target ≤ 3×)\n",
            s / 1048576, r / 1024, r * 1024 / s }'
else
    awk -v s="$sheet_bytes" 'BEGIN { printf "XLSX: uncompressed sheet (worksheet XML + shared strings) %.1f MiB; no RSS measured\n", s / 1048576 }'
fi
rm -rf "$work/clean"
