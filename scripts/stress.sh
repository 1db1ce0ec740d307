#!/usr/bin/env bash
# Stress cases too slow for the test suite: 100,000 tiny files, and one 100 MB line without
# punctuation (skipped by the default --max-doc-chars, then read with the limit raised).
# Prints wall time and peak memory of each run; fails if a run fails or a check does not hold.
# Usage: scripts/stress.sh [path/to/tifa]   (default: target/release/tifa)
set -euo pipefail
cd "$(dirname "$0")/.."
tifa="${1:-${CARGO_TARGET_DIR:-target}/release/tifa}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

measure() { # label, command…
    local label="$1"
    shift
    /usr/bin/time -f "$label: %e s, peak %M KB" "$@"
}

echo "== 100,000 tiny files"
python3 - "$work/tiny" <<'PY'
import os, sys
root = sys.argv[1]
lines = ["要增强“四个意识”、坚定“四个自信”、做到“两个维护”。", "学思想、强党性、重实践、建新功。", "推动主题教育走深走实。"]
for i in range(100_000):
    d = os.path.join(root, f"{i // 1000:03d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"{i:06d}.txt"), "w", encoding="utf-8") as f:
        f.write(f"第{i}号简报\n{lines[i % 3]}{lines[(i + 1) % 3]}\n")
PY
measure "100,000 files" "$tifa" analyze "$work/tiny" -o "$work/out-tiny" -q --no-reuse
python3 - "$work/out-tiny/run.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["counts"]
assert c["files"] == 100_000 and c["documents"] == 100_000 and c["skipped"] == 0, c
print("  documents:", c["documents"], "skipped:", c["skipped"])
PY

echo "== one 100 MB line without punctuation"
python3 -c "import sys; open(sys.argv[1], 'w', encoding='utf-8').write('主题教育学习贯彻' * 4_400_000)" "$work/line.txt"
mkdir -p "$work/with-line" && mv "$work/line.txt" "$work/with-line/" && cp data/sample/*.txt "$work/with-line/"
measure "default limit" "$tifa" analyze "$work/with-line" -o "$work/out-line" -q
python3 - "$work/out-line/run.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
skipped = [s for s in r["skipped"] if "line.txt" in s["path"]]
assert len(skipped) == 1 and "--max-doc-chars" in skipped[0]["reason"], r["skipped"]
print("  skipped:", skipped[0]["path"], "-", skipped[0]["reason"])
PY
measure "limit raised" "$tifa" analyze "$work/with-line" -o "$work/out-line-all" -q --max-doc-chars 50000000
echo "== ok"
