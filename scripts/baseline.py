"""The pipeline a researcher writes in a notebook today, for scripts/bench.sh to compare with:
read every .txt file, segment with jieba, count word 2-4-grams within sentences with
collections.Counter, and keep the top rows in a polars DataFrame.

Usage: python scripts/baseline.py FOLDER...   (pip install -r scripts/requirements-bench.txt)"""

import collections
import pathlib
import re
import sys

import jieba
import polars as pl

jieba.setLogLevel(60)
SENTENCE = re.compile(r"[。！？；，、：\n]+")


def main(folders):
    counts = collections.Counter()
    words_total = 0
    for folder in folders:
        for path in sorted(pathlib.Path(folder).rglob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            for sentence in SENTENCE.split(text):
                words = [w for w in jieba.lcut(sentence) if w.strip()]
                words_total += len(words)
                for n in (2, 3, 4):
                    counts.update("".join(words[i : i + n]) for i in range(len(words) - n + 1))
    top = pl.DataFrame({"ngram": list(counts.keys()), "count": list(counts.values())})
    top = top.sort(["count", "ngram"], descending=[True, False]).head(1000)
    print(f"{words_total} words, {len(counts)} distinct n-grams; top: {top['ngram'][0]} ({top['count'][0]})")


if __name__ == "__main__":
    main(sys.argv[1:])
