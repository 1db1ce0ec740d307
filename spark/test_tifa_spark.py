"""Tests of the Spark job's own logic (no Spark started): the cut into shards, checked against
its properties on generated file lists, the --min-count the reduce applies, and the n-gram key
tables added up.

    .sparkvenv/bin/python -m unittest discover -s spark
"""

import os
import random
import tempfile
import unittest
from functools import reduce

from tifa_spark import add_keys, cut, min_count, read_keys, write_keys


class Cut(unittest.TestCase):
    def test_contiguous_balanced_and_no_shard_left_empty(self):
        rng = random.Random(7)
        for _ in range(3000):
            n, shards = rng.randrange(0, 40), rng.randrange(1, 12)
            shape = rng.choice(["equal", "random", "one huge", "empty files"])
            sizes = [
                {"equal": 100, "random": rng.randrange(1, 1000), "one huge": 10**6 if k == 0 else 10, "empty files": rng.choice([0, 0, 5])}[shape]
                for k in range(n)
            ]
            got = cut(sizes, shards)
            self.assertEqual(len(got), n)
            self.assertTrue(all(0 <= s < shards for s in got), (sizes, shards, got))
            # in name order, a shard at a time, none skipped
            self.assertTrue(all(b - a in (0, 1) for a, b in zip(got, got[1:])), (sizes, shards, got))
            if n >= shards:
                self.assertEqual(sorted(set(got)), list(range(shards)), (sizes, shards, got))
                self.assertEqual(got[0], 0)
            if n >= shards and shape == "equal":
                # equal files: the shards differ by at most one file... or two where the first
                # shards give way to the rule that every shard gets one
                counts = [got.count(k) for k in range(shards)]
                self.assertLessEqual(max(counts) - min(counts), 1, (n, shards, counts))

    def test_bytes_decide_where_files_are_many(self):
        # 100 files of 1 and one of 100 at the end: half the bytes are in the last file
        self.assertEqual(cut([1] * 100 + [100], 2), [0] * 100 + [1])
        self.assertEqual(cut([5, 5, 5, 5], 2), [0, 0, 1, 1])
        self.assertEqual(cut([], 3), [])
        # fewer files than shards: one each, the last shards
        self.assertEqual(cut([1, 1], 3), [1, 2])


class MinCount(unittest.TestCase):
    def test_the_merge_option_or_its_default(self):
        self.assertEqual(min_count([]), 2)
        self.assertEqual(min_count(["--min-count", "5", "--track", "x"]), 5)
        self.assertEqual(min_count(["-q", "--min-count=3"]), 3)


class KeyTables(unittest.TestCase):
    def test_tables_of_any_sizes_add_up_bit_by_bit(self):
        # a bit of the sum (the largest size) is seen when a table has it at its own size
        # (the bit's place modulo that size), and seen twice when a table says so or two saw it
        rng = random.Random(3)
        for _ in range(200):
            tables = []
            for _ in range(rng.randrange(1, 6)):
                log2 = rng.randrange(6, 10)
                density = rng.random()
                seen = sum(1 << p for p in range(1 << log2) if rng.random() < density)
                twice = seen & rng.getrandbits(1 << log2)
                tables.append((log2, (3, 0), seen, twice))
            log2, hashes, seen, twice = reduce(add_keys, tables)
            self.assertEqual((log2, hashes), (max(t[0] for t in tables), (3, 0)))
            for p in range(1 << log2):
                has = [t[2] >> (p % (1 << t[0])) & 1 for t in tables]
                doubled = [t[3] >> (p % (1 << t[0])) & 1 for t in tables]
                self.assertEqual(seen >> p & 1, int(any(has)), p)
                self.assertEqual(twice >> p & 1, int(any(doubled) or sum(has) >= 2), p)

    def test_a_table_is_written_as_it_is_read(self):
        rng = random.Random(4)
        table = (12, (3, 10), rng.getrandbits(1 << 12), rng.getrandbits(1 << 12) >> 7)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "ngram_keys.bits")
            write_keys(path, table)
            self.assertEqual(os.path.getsize(path), 24 + 2 * 512)
            self.assertEqual(read_keys(path), table)
            with open(path, "r+b") as f:
                f.write(b"parquet!")
            with self.assertRaisesRegex(RuntimeError, "no table of keys"):
                read_keys(path)

    def test_tables_of_two_kinds_are_not_added_up(self):
        keys, windows = (12, (3, 0), 1, 0), (12, (3, 10), 1, 0)
        with self.assertRaisesRegex(RuntimeError, "two kinds"):
            add_keys(keys, windows)


if __name__ == "__main__":
    unittest.main()
