//! Bit tables of keys that add up across shards: which n-grams may occur more than once in the
//! whole corpus, so that an engine need not add up the rest (n-grams seen once, which no report
//! keeps); and which windows of reuse's anchor length two documents may share (see
//! [`crate::reuse::stretches`]), so that reuse need not hash the whole corpus again.
//!
//! Each key ([`crate::count::ngram_key`], or a window's hash) sets [`HASHES`] bits of one 64-bit
//! word of a table of `2^log2` bits (a blocked Bloom filter): in `seen` always, and in `twice`
//! when another key set the bit before or the n-gram's count is 2 or more.
//! Tables add up (see [`KeyBits::add_table`]): `twice` becomes `twice₁ | twice₂ | (seen₁ & seen₂)`.
//! Shards size their tables for the whole corpus (`--shards`); should sizes differ, a smaller
//! table is added to a larger one as copies of itself side by side (a key's word is given by its hash's low bits, so its word in
//! the larger table is a copy of its word in the smaller): a small shard adds false `twice` bits
//! only at its own density, never takes a bit away.
//!
//! An n-gram whose bits are not all in the `twice` of the tables of every shard added up occurs
//! once in the whole corpus: no other row anywhere has its key, since that row would have set
//! each of those bits again. The test is by key alone, so n-grams that share a key are kept or
//! dropped together, and a key's rows are either all kept or all dropped.
//!
//! File layout (`ngram_keys.bits` and `reuse_windows.bits` in a partial): the 8 bytes
//! `tifakeys`, then little-endian u32 version (1), log2, hashes ([`HASHES`]) and what the keys
//! are (0: n-grams; `k`: windows of `k` characters); then `seen`, then `twice`, each `2^log2 / 8`
//! bytes with bit `p` in byte `p / 8` at `1 << (p % 8)` (little-endian 64-bit words).
//! `tifa add-tables` ([`add_up`], [`write`]) adds tables up in this layout for `spark/tifa_spark.py`.

use std::path::Path;

use crate::error::{Error, Result};

/// Bits each key sets.
pub const HASHES: u32 = 3;
/// Table bits per key of the whole corpus: with 3 bits per key in one word, about 4 % of the
/// n-grams seen once look as if they might recur.
const BITS_PER_KEY: f64 = 8.0;
const MAGIC: &[u8; 8] = b"tifakeys";
const VERSION: u32 = 1;
const HEADER: usize = 24;
/// The smallest and largest tables of n-gram keys (2^12 bits = 512 bytes; 2^30 bits = 128 MiB,
/// enough for 134 M distinct n-grams, about eight times xwlb's; a larger corpus fills the table
/// more densely, so that more of its n-grams seen once are kept, none dropped wrongly).
const LOG2: std::ops::RangeInclusive<u32> = 12..=30;
/// The largest table of windows (2^33 bits = 1 GiB a half, for a corpus of about 3 GB).
const MAX_WINDOWS_LOG2: u32 = 33;

/// One shard's table, or the tables of several shards added up: for each 64-bit word of the
/// table, the bits seen and the bits seen twice side by side, so that a key costs one cache
/// line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyBits {
    log2: u32,
    /// What the keys are: 0 for n-grams, `k` for windows of `k` characters.
    window: u32,
    words: Vec<[u64; 2]>,
}

impl KeyBits {
    /// An empty table for about `keys` keys of the whole corpus (every shard's: the tables are
    /// added up): the power of two nearest [`BITS_PER_KEY`] bits per key.
    pub fn for_keys(keys: usize) -> Self {
        Self::with_log2(Self::log2_for(keys, *LOG2.end()), 0)
    }

    /// An empty table for about `windows` windows of `k` characters (hashes, see
    /// [`crate::reuse::stretches`]) of the whole corpus.
    pub fn for_windows(windows: usize, k: usize) -> Self {
        Self::with_log2(Self::log2_for(windows, MAX_WINDOWS_LOG2), k as u32)
    }

    /// The power of two nearest [`BITS_PER_KEY`] bits for each of `keys`, at most `2^max`.
    fn log2_for(keys: usize, max: u32) -> u32 {
        ((keys.max(1) as f64 * BITS_PER_KEY).log2().round() as u32).clamp(*LOG2.start(), max)
    }

    fn with_log2(log2: u32, window: u32) -> Self {
        KeyBits { log2, window, words: vec![[0; 2]; (1usize << log2) / 64] }
    }

    /// The length of the windows whose hashes the table holds; 0 for n-gram keys.
    pub fn window(&self) -> usize {
        self.window as usize
    }

    /// What the table's keys are, in words: "n-gram keys" or "10-character windows".
    pub fn kind(&self) -> String {
        match self.window {
            0 => "n-gram keys".to_string(),
            w => format!("{w}-character windows"),
        }
    }

    /// The word of `key` (its hash's low bits) and its bits in that word (three 6-bit fields of
    /// its hash's top bits, which no table's word index reaches).
    fn place(&self, key: i64) -> (usize, u64) {
        place(self.words.len() - 1, key)
    }

    /// Count one n-gram of `key` that occurs `count` times in the shard.
    pub fn add(&mut self, key: i64, count: u64) {
        let (w, bits) = self.place(key);
        let [seen, twice] = &mut self.words[w];
        *twice |= if count >= 2 { bits } else { *seen & bits };
        *seen |= bits;
    }

    /// Count one occurrence of each key that `keys(p)` gives, for each part `p` of `parts` (a
    /// power of two up to the table's words): the table is cut into `parts` runs of words, and
    /// `keys(p)` gives the keys whose word is in run `p` alone (see [`KeyBits::part_of`]). Each
    /// run is filled by one thread, so that no bit is set by a locked instruction; which bits
    /// end up set does not depend on the order.
    pub(crate) fn add_by_part<I: Iterator<Item = i64>>(&mut self, parts: usize, keys: impl Fn(usize) -> I + Sync) {
        use rayon::prelude::*;
        let (mask, part_words) = (self.words.len() - 1, self.words.len() / parts);
        self.words.par_chunks_mut(part_words).enumerate().for_each(|(p, words)| {
            let first = p * part_words;
            for key in keys(p) {
                let (w, bits) = place(mask, key);
                let [seen, twice] = &mut words[w - first];
                *twice |= *seen & bits;
                *seen |= bits;
            }
        });
    }

    /// The part of `key` when the table is cut into `parts` (see [`KeyBits::add_by_part`]).
    pub(crate) fn part_of(&self, key: i64, parts: usize) -> usize {
        self.place(key).0 / (self.words.len() / parts)
    }

    /// The number of 64-bit words of each half of the table.
    pub(crate) fn words(&self) -> usize {
        self.words.len()
    }

    /// Whether an n-gram of `key` may occur more than once in the corpus of the tables added
    /// up: every bit of the key is set twice.
    pub fn may_recur(&self, key: i64) -> bool {
        let (w, bits) = self.place(key);
        self.words[w][1] & bits == bits
    }

    /// Whether every bit of `key` is set at all: true of every key of every table added up.
    pub fn has_seen(&self, key: i64) -> bool {
        let (w, bits) = self.place(key);
        self.words[w][0] & bits == bits
    }

    /// This table grown to `2^log2` bits (`log2` at least its own): each half a copy of the
    /// last. A key's bits in the grown table are set wherever they were in this one, since its
    /// word there is its word here with higher bits of its hash added.
    fn grown(mut self, log2: u32) -> Self {
        while self.log2 < log2 {
            self.words.extend_from_within(..);
            self.log2 += 1;
        }
        self
    }

    /// Add another shard's table (or tables added up) to this one; the sum has the larger size.
    /// Both must hold keys of one kind ([`KeyBits::window`]).
    pub fn add_table(self, other: KeyBits) -> KeyBits {
        assert_eq!(self.window, other.window, "tables of keys of one kind");
        let log2 = self.log2.max(other.log2);
        let (mut a, b) = (self.grown(log2), other.grown(log2));
        for ([sa, ta], [sb, tb]) in a.words.iter_mut().zip(&b.words) {
            *ta |= tb | (*sa & sb);
            *sa |= sb;
        }
        a
    }

    /// The table in the file layout (see the module's documentation).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + 16 * self.words.len());
        self.write_to(&mut out).expect("a Vec takes every byte");
        out
    }

    /// Write the table in the file layout to `out`, a few kilobytes at a time.
    pub fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        out.write_all(MAGIC)?;
        for v in [VERSION, self.log2, HASHES, self.window] {
            out.write_all(&v.to_le_bytes())?;
        }
        let mut buf = Vec::with_capacity(1 << 16);
        for half in 0..2 {
            for chunk in self.words.chunks(1 << 12) {
                buf.clear();
                chunk.iter().for_each(|w| buf.extend_from_slice(&w[half].to_le_bytes()));
                out.write_all(&buf)?;
            }
        }
        Ok(())
    }

    /// A table read from `bytes` in the file layout; `path` names it in errors.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Self> {
        let bad = |why: &str| Error::Partials(format!("{} is no table of keys: {why}", path.display()));
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err(bad("it does not begin with `tifakeys`"));
        }
        let word = |i: usize| u32::from_le_bytes(bytes[8 + 4 * i..12 + 4 * i].try_into().expect("4 bytes"));
        let (version, log2, hashes, window) = (word(0), word(1), word(2), word(3));
        let max = if window == 0 { *LOG2.end() } else { MAX_WINDOWS_LOG2 };
        if version != VERSION || hashes != HASHES || !(*LOG2.start()..=max).contains(&log2) {
            return Err(bad(&format!("version {version}, 2^{log2} bits, {hashes} bits per key")));
        }
        let mut table = Self::with_log2(log2, window);
        let words = table.words.len();
        if bytes.len() != HEADER + 16 * words {
            return Err(bad(&format!("{} bytes where 2^{log2} bits take {}", bytes.len(), HEADER + 16 * words)));
        }
        let mut chunks = bytes[HEADER..].chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")));
        for half in 0..2 {
            for w in table.words.iter_mut() {
                w[half] = chunks.next().expect("length checked");
            }
        }
        Ok(table)
    }

    /// The table in the file `path`.
    pub fn read(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
        Self::from_bytes(&bytes, path)
    }
}

/// The tables of keys in `paths` (one per shard, or sums of them) added up; refused when they
/// hold keys of different kinds ([`KeyBits::window`]), naming the first table of another kind.
pub fn add_up(paths: &[std::path::PathBuf]) -> Result<KeyBits> {
    let mut sum: Option<KeyBits> = None;
    for path in paths {
        let table = KeyBits::read(path)?;
        sum = Some(match sum {
            None => table,
            Some(s) if s.window == table.window => s.add_table(table),
            Some(s) => {
                return Err(Error::Partials(format!(
                    "{} is a table of {}, where {} is of {}: tables of one kind add up",
                    path.display(),
                    table.kind(),
                    paths[0].display(),
                    s.kind()
                )));
            }
        });
    }
    sum.ok_or_else(|| Error::Partials("no tables to add up".into()))
}

/// Write `table` into the file `path`, whole or not at all (through a file beside it, renamed).
pub fn write(table: &KeyBits, path: &Path) -> Result<()> {
    let err = |source| Error::Write { path: path.to_path_buf(), source };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
    {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, tmp.as_file_mut());
        table.write_to(&mut out).map_err(err)?;
        std::io::Write::flush(&mut out).map_err(err)?;
    }
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// The word of `key` in a table of `mask + 1` words, and its bits there (see [`KeyBits::place`]).
fn place(mask: usize, key: i64) -> (usize, u64) {
    let h = key as u64;
    let bits = (0..HASHES).fold(0u64, |m, j| m | 1 << ((h >> (58 - 6 * j)) & 63));
    ((h as usize) & mask, bits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testgen::Lcg;
    use rustc_hash::FxHashMap;

    /// A well-mixed 64-bit key, as [`crate::count::ngram_key`] gives (SplitMix64's finaliser).
    fn key_of(x: usize) -> i64 {
        let mut z = (x as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) as i64
    }

    /// Shards of generated n-gram rows (key, count): keys from a small pool, so that many
    /// recur across shards; some keys held by two rows of one shard (two n-grams sharing a key).
    fn shards(g: &mut Lcg) -> Vec<Vec<(i64, u64)>> {
        let pool: Vec<i64> = (0..1 + g.next(3000)).map(|_| key_of(g.next(usize::MAX >> 1))).collect();
        (0..1 + g.next(5))
            .map(|_| {
                (0..g.next(2000))
                    .map(|_| {
                        let count = if g.next(5) > 0 { 1 } else { 2 + g.next(7) as u64 };
                        (pool[g.next(pool.len())], count)
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn rows_of_a_key_seen_once_in_the_corpus_are_dropped_and_no_other() {
        let mut g = Lcg(11);
        for round in 0..150 {
            let shards = shards(&mut g);
            // tables sized for every shard's rows, or smaller ones (many keys share bits), or
            // of many sizes
            let all_rows: usize = shards.iter().map(Vec::len).sum();
            let scale = if round % 3 == 0 { 1 } else { 1 << g.next(8) };
            let tables: Vec<KeyBits> = shards
                .iter()
                .map(|rows| {
                    let keys = if round % 3 == 1 { rows.len() } else { all_rows / scale };
                    let mut t = KeyBits::for_keys(keys);
                    rows.iter().for_each(|&(k, c)| t.add(k, c));
                    t
                })
                .collect();
            let all = tables.iter().cloned().reduce(KeyBits::add_table).expect("a shard");
            // the plain answer: a key's rows and their total count over all shards
            let mut total: FxHashMap<i64, (usize, u64)> = FxHashMap::default();
            for &(k, c) in shards.iter().flatten() {
                let e = total.entry(k).or_default();
                *e = (e.0 + 1, e.1 + c);
            }
            let mut kept_or_not: FxHashMap<i64, bool> = FxHashMap::default();
            for &(k, c) in shards.iter().flatten() {
                let keep = c >= 2 || all.may_recur(k);
                // a row is dropped only if its key is in no other row, with count 1
                if !keep {
                    assert_eq!(total[&k], (1, 1), "round {round}: key {k} dropped");
                }
                // every row of a key is kept, or none
                assert_eq!(*kept_or_not.entry(k).or_insert(keep), keep, "round {round}: key {k}");
            }
            // with tables of the expected size, few rows of keys seen once are kept
            if round % 3 == 0 {
                let once: Vec<i64> = total.iter().filter(|(_, t)| **t == (1, 1)).map(|(k, _)| *k).collect();
                let kept = once.iter().filter(|k| all.may_recur(**k)).count();
                assert!(kept * 10 <= once.len() + 20, "round {round}: {kept} of {} kept", once.len());
            }
        }
    }

    #[test]
    fn tables_add_up_in_any_order_and_size_and_round_trip_through_bytes() {
        let mut g = Lcg(5);
        for _ in 0..40 {
            let shards = shards(&mut g);
            let tables: Vec<KeyBits> = shards
                .iter()
                .map(|rows| {
                    let mut t = KeyBits::for_keys(rows.len() >> g.next(6));
                    rows.iter().for_each(|&(k, c)| t.add(k, c));
                    t
                })
                .collect();
            let forward = tables.iter().cloned().reduce(KeyBits::add_table).expect("a shard");
            let backward = tables.iter().rev().cloned().reduce(KeyBits::add_table).expect("a shard");
            assert_eq!(forward, backward);
            // tables of one size: the sum is one table over every row
            let log2 = forward.log2;
            let same: Vec<KeyBits> = shards
                .iter()
                .map(|rows| {
                    let mut t = KeyBits::with_log2(log2, 0);
                    rows.iter().for_each(|&(k, c)| t.add(k, c));
                    t
                })
                .collect();
            let mut one = KeyBits::with_log2(log2, 0);
            shards.iter().flatten().for_each(|&(k, c)| one.add(k, c));
            assert_eq!(same.into_iter().reduce(KeyBits::add_table).expect("a shard"), one);
            let path = Path::new("t.bits");
            assert_eq!(KeyBits::from_bytes(&forward.to_bytes(), path).expect("read"), forward);
        }
    }

    #[test]
    fn a_file_of_another_layout_is_refused_by_name() {
        let t = KeyBits::for_keys(10);
        let mut bytes = t.to_bytes();
        let path = Path::new("part-3/ngram_keys.bits");
        bytes.pop();
        let e = KeyBits::from_bytes(&bytes, path).expect_err("short").to_string();
        assert!(e.contains("part-3/ngram_keys.bits") && e.contains("bytes"), "{e}");
        let e = KeyBits::from_bytes(b"parquet file, not bits", path).expect_err("magic").to_string();
        assert!(e.contains("tifakeys"), "{e}");
        let mut v2 = t.to_bytes();
        v2[8] = 2;
        assert!(KeyBits::from_bytes(&v2, path).expect_err("version").to_string().contains("version 2"));
    }
}
