"""Compare a report folder of the Spark job with one of `tifa analyze` over the same inputs.

    python spark/compare.py ONE SPARK

Every table (CSV and Parquet) and chart must be the same bytes. For the slogans table it also
lists any slogan only one side has and any slogan whose count or doc_count differ, so that a
difference says what it is. index.html and run.json hold timings and the command, and are
compared only for the counts in run.json. Exits 1 on any difference.
"""

import csv
import json
import sys
from pathlib import Path


def slogans(folder):
    with open(folder / "slogans.csv", encoding="utf-8-sig", newline="") as f:
        return {r["slogan"]: (r["count"], r["doc_count"]) for r in csv.DictReader(f)}


def main():
    one, spark = Path(sys.argv[1]), Path(sys.argv[2])
    bad = []
    names = sorted(p.name for p in one.iterdir() if p.is_file() and p.suffix in (".csv", ".parquet", ".png", ".graphml"))
    for name in names:
        theirs = spark / name
        if not theirs.is_file():
            bad.append(f"{name}: missing from {spark}")
        elif (one / name).read_bytes() != theirs.read_bytes():
            bad.append(f"{name}: differs")
    extra = sorted(p.name for p in spark.iterdir() if p.is_file() and p.suffix in (".csv", ".parquet", ".png") and p.name not in names)
    bad += [f"{name}: only in {spark}" for name in extra]
    a, b = slogans(one), slogans(spark)
    for s in sorted(a.keys() - b.keys()):
        print(f"slogan only in one run: {s} {a[s]}")
    for s in sorted(b.keys() - a.keys()):
        print(f"slogan only in the Spark run: {s} {b[s]}")
    for s in sorted(a.keys() & b.keys()):
        if a[s] != b[s]:
            bad.append(f"slogan {s}: count, doc_count {a[s]} in one run, {b[s]} in the Spark run")
    ca = json.loads((one / "run.json").read_text(encoding="utf-8"))["counts"]
    cb = json.loads((spark / "run.json").read_text(encoding="utf-8"))["counts"]
    bad += [f"run.json counts.{k}: {ca[k]} and {cb.get(k)}" for k in ca if ca[k] != cb.get(k)]
    for line in bad:
        print(line)
    print(f"{len(names)} files compared, {len(bad)} differences, {len(a)} and {len(b)} slogans")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
