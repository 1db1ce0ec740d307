"""The reduce step of `tifa merge` for token and n-gram counts, as one DuckDB query per table.

Partials written by `tifa analyze --partial DIR` are plain Parquet, so any engine that reads
Parquet can add their counts up; this is the query in DuckDB. It writes tokens.parquet/.csv and
ngrams.parquet/.csv into OUT, and with --check REPORT compares them, row by row and in order,
with the tables of a tifa report (made by `tifa merge` or by one `tifa analyze` over all shards).

    python scripts/merge_duckdb.py OUT PARTIAL... [--min-count 2] [--check REPORT]

Needs: pip install duckdb (listed in notebooks/requirements.txt).
"""

import argparse
import math
import sys
from pathlib import Path

import duckdb

TOKENS = """
WITH summed AS (
    SELECT token, sum(count)::BIGINT AS count, sum(doc_count)::BIGINT AS doc_count,
           bool_or(stopword) AS stopword
    FROM read_parquet($files) GROUP BY token
), total AS (SELECT sum(count) AS n FROM summed)
SELECT token, count, doc_count, round(count * 10000.0 / greatest(n, 1), 4) AS per_10k, stopword
FROM summed, total
ORDER BY count DESC, token
"""

NGRAMS = """
SELECT replace(tokens, ' ', '') AS ngram, tokens, n, sum(count)::BIGINT AS count,
       sum(doc_count)::BIGINT AS doc_count, bool_or(stopword_edge) AS stopword_edge
FROM read_parquet($files)
GROUP BY tokens, n
HAVING sum(count) >= $min_count
ORDER BY count DESC, ngram, tokens
"""


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)
    return a == b


def check(con, name, query, params, report):
    mine = con.execute(query, params).fetchall()
    theirs = con.execute(f"SELECT * FROM read_parquet('{report / (name + '.parquet')}')").fetchall()
    if len(mine) != len(theirs):
        sys.exit(f"{name}: {len(mine)} rows from DuckDB, {len(theirs)} in {report}")
    for i, (a, b) in enumerate(zip(mine, theirs)):
        if len(a) != len(b) or not all(same(x, y) for x, y in zip(a, b)):
            sys.exit(f"{name}: row {i + 1} differs:\n  duckdb {a}\n  tifa   {b}")
    print(f"{name}: {len(mine)} rows, equal to {report / (name + '.parquet')}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("partials", type=Path, nargs="+")
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--check", type=Path, metavar="REPORT")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    for name, query in (("tokens", TOKENS), ("ngrams", NGRAMS)):
        params = {"files": [str(p / f"{name}.parquet") for p in args.partials]}
        if "$min_count" in query:
            params["min_count"] = args.min_count
        for fmt in ("parquet", "csv"):
            target = args.out / f"{name}.{fmt}"
            con.execute(f"COPY ({query}) TO '{target}' (FORMAT {fmt})", params)
        rows = con.execute(f"SELECT count(*) FROM read_parquet('{args.out / (name + '.parquet')}')").fetchone()[0]
        print(f"{name}: {rows} rows → {args.out / (name + '.parquet')}")
        if args.check:
            check(con, name, query, params, args.check)


if __name__ == "__main__":
    main()
