#!/usr/bin/env bash
# Time whole runs side by side and print a Markdown table for BENCHMARKS.md:
#   floor    bare jieba-rs segmentation of every file on all cores (examples/segment_floor.rs)
#   tifa     tifa analyze with every output (reuse included)
#   counting tifa analyze --no-reuse (tokens, n-grams, slogans, co-occurrence, charts)
#   python   jieba + collections.Counter + polars, as in a notebook (scripts/baseline.py)
# Corpora: data/sample, and when ../shared/corpus is present gov-reports and slices of xwlb
# (10, 20, 50 MB and all of it). The Python baseline runs on the corpora up to 20 MB.
# Usage: scripts/bench.sh            (needs python3; installs the baseline into .benchvenv)
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --locked --quiet --bin tifa --example segment_floor
tifa="$target/release/tifa"
floor="$target/release/examples/segment_floor"
if [ ! -x .benchvenv/bin/python ]; then
    python3 -m venv .benchvenv
    .benchvenv/bin/pip install -q -r scripts/requirements-bench.txt
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# slice NAME MB: the first xwlb files (by name) that add up to MB megabytes, as links
slice() {
    local dir="$work/$1" limit=$(($2 * 1000000)) total=0
    mkdir -p "$dir"
    for f in $(find ../shared/corpus/xwlb -name '*.txt' | sort); do
        [ "$total" -ge "$limit" ] && break
        ln -s "$(realpath "$f")" "$dir/$(basename "$f")"
        total=$((total + $(stat -c %s "$f")))
    done
    echo "$dir"
}

corpora=("sample=data/sample")
if [ -d ../shared/corpus/xwlb ]; then
    corpora+=("gov-reports=../shared/corpus/gov-reports")
    corpora+=("xwlb-10MB=$(slice xwlb-10MB 10)" "xwlb-20MB=$(slice xwlb-20MB 20)" "xwlb-50MB=$(slice xwlb-50MB 50)")
    corpora+=("xwlb=../shared/corpus/xwlb")
fi

# run LABEL CORPUS MB COMMAND…: one table row
run() {
    local label="$1" corpus="$2" mb="$3"
    shift 3
    if ! /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err"; then
        cat "$work/err" >&2
        exit 1
    fi
    read -r wall rss <"$work/time"
    awk -v c="$corpus" -v l="$label" -v mb="$mb" -v w="$wall" -v r="$rss" \
        'BEGIN { printf "| %s | %.1f | %s | %.2f | %.1f | %.0f |\n", c, mb, l, w, mb / (w > 0 ? w : 0.01), r / 1024 }'
}

echo "| corpus | MB | run | wall s | MB/s | peak RSS MB |"
echo "|---|---|---|---|---|---|"
for entry in "${corpora[@]}"; do
    name="${entry%%=*}"
    dir="${entry#*=}"
    mb=$(du -L -b -s "$dir" | awk '{ print $1 / 1e6 }')
    run floor "$name" "$mb" "$floor" "$dir"
    run "tifa analyze" "$name" "$mb" "$tifa" analyze "$dir" -o "$work/out-$name" -q --force
    run "tifa analyze --no-reuse" "$name" "$mb" "$tifa" analyze "$dir" -o "$work/out-$name-counting" -q --force --no-reuse
    if awk -v mb="$mb" 'BEGIN { exit !(mb <= 25) }'; then
        run "python (jieba + Counter + polars)" "$name" "$mb" .benchvenv/bin/python scripts/baseline.py "$dir"
    fi
done
