"""Tests of the Spark job's own logic (no Spark started): the cut into shards, checked against
its properties on generated file lists, and the --min-count the reduce applies. (The shards'
tables of keys are added up by `tifa add-tables`, tested with tifa.)

    .sparkvenv/bin/python -m unittest discover -s spark
"""

import random
import unittest

from tifa_spark import cut, min_count, slogan_args


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


class SloganArgs(unittest.TestCase):
    def test_the_merge_options_the_slogan_decisions_read_go_to_tifa_ask(self):
        self.assertEqual(slogan_args([], None), [])
        got = slogan_args(["-q", "--period", "year", "--min-docs", "3", "--track=两个维护,新质生产力", "--group-by", "kind"], "data")
        self.assertEqual(got, ["--min-docs=3", "--track=两个维护,新质生产力", "--data", "data"])
        self.assertEqual(slogan_args(["--max-phrases=10", "--max-set-phrases", "5", "--min-count", "4"], None), ["--min-count=4", "--max-phrases=10", "--max-set-phrases=5"])


if __name__ == "__main__":
    unittest.main()
