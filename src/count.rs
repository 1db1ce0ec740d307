//! Count: intern every token to an integer id once, then count tokens (one array pass) and word
//! n-grams (n = 2..4, never across punctuation; packed integer keys in hash maps, one per thread,
//! each holding its own share of the keys); polars gets the counted keys and makes the sorted
//! tables. Stopwords are marked, not dropped.

use std::hash::Hash;

use polars::prelude::*;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::error::{Result, TableContext};
use crate::frame::{round4, u64s};
use crate::segment::Segmented;

/// Token strings by id.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    pub words: Vec<String>,
}

/// One document's tokens as vocabulary ids, with the same clause boundaries as [`Segmented`].
#[derive(Debug, Clone, Default)]
pub struct DocTokens {
    pub ids: Vec<u32>,
    pub clause_starts: Vec<u32>,
}

impl DocTokens {
    /// The positions of each clause's words.
    fn clause_ranges(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        let ends = self.clause_starts.iter().map(|&i| i as usize).chain([self.ids.len()]);
        let starts = std::iter::once(0).chain(self.clause_starts.iter().map(|&i| i as usize));
        starts.zip(ends).map(|(s, e)| s..e)
    }

    /// Visit every window of `n` words inside a clause, with the position of its first word.
    fn windows(&self, n: usize, mut visit: impl FnMut(usize, &[u32])) {
        for r in self.clause_ranges() {
            for i in r.start..(r.end + 1).saturating_sub(n).max(r.start) {
                visit(i, &self.ids[i..i + n]);
            }
        }
    }

    pub fn clauses(&self) -> impl Iterator<Item = &[u32]> {
        self.clause_ranges().map(|r| &self.ids[r])
    }
}

/// Documents interned together in the first, parallel step of [`intern`].
const INTERN_RUN: usize = 256;

/// Give every distinct token an id, in order of first appearance. Runs of documents are
/// interned in parallel, each with ids of its own in its own order of first appearance; their
/// words are then numbered run after run (which is the order of first appearance in the
/// corpus), and each run's ids are translated.
pub fn intern(texts: &[&str], segs: &[Segmented]) -> (Vocab, Vec<DocTokens>) {
    let docs: Vec<(&str, &Segmented)> = texts.iter().copied().zip(segs).collect();
    let runs: Vec<(Vec<&str>, Vec<DocTokens>)> = docs
        .par_chunks(INTERN_RUN)
        .map(|run| {
            let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
            let mut words: Vec<&str> = Vec::new();
            let tokens = run
                .iter()
                .map(|&(text, seg)| DocTokens {
                    ids: seg
                        .words(text)
                        .map(|w| {
                            *ids.entry(w).or_insert_with(|| {
                                words.push(w);
                                (words.len() - 1) as u32
                            })
                        })
                        .collect(),
                    clause_starts: seg.clause_starts.clone(),
                })
                .collect();
            (words, tokens)
        })
        .collect();
    let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
    let mut words: Vec<String> = Vec::new();
    let global: Vec<Vec<u32>> = runs
        .iter()
        .map(|(local, _)| {
            local
                .iter()
                .map(|&w| {
                    *ids.entry(w).or_insert_with(|| {
                        words.push(w.to_string());
                        (words.len() - 1) as u32
                    })
                })
                .collect()
        })
        .collect();
    let docs = runs
        .into_par_iter()
        .zip(global)
        .flat_map_iter(|((_, mut tokens), global)| {
            for t in &mut tokens {
                t.ids.iter_mut().for_each(|id| *id = global[*id as usize]);
            }
            tokens
        })
        .collect();
    (Vocab { words }, docs)
}

pub(crate) fn sort_desc(lf: LazyFrame, by: &[&str]) -> LazyFrame {
    let mut desc = vec![true];
    desc.resize(by.len(), false);
    lf.sort(
        by.iter().map(|s| PlSmallStr::from(*s)).collect::<Vec<_>>(),
        SortMultipleOptions::default().with_order_descending_multi(desc).with_maintain_order(true),
    )
}

/// Occurrences and documents of a key, and the last document it was seen in (16 bytes: the
/// n-gram maps of a large corpus hold tens of millions of these; documents are numbered in 32
/// bits everywhere).
#[derive(Clone, Copy)]
struct Tally {
    count: u64,
    docs: u32,
    last: u32,
}

/// Count the keys `emit` gives for every document, in disjoint parts: part `p` of `parts`
/// holds the keys whose `part_of` is `p`, counted by one task that reads every document in
/// order (so a key's documents are counted once, as it moves on from the last one it was seen
/// in). No key is held twice and no maps are merged, where per-thread maps over runs of
/// documents each held the common n-grams again; what the parts hold does not depend on their
/// number. `emit` hands each key with its part.
fn tally_keys<K: Hash + Eq + Copy + Send>(
    docs: &[DocTokens],
    parts: usize,
    emit: impl Fn(usize, &DocTokens, usize, &mut dyn FnMut(K)) + Sync,
) -> Vec<FxHashMap<K, Tally>> {
    (0..parts)
        .into_par_iter()
        .map(|part| {
            let mut map: FxHashMap<K, Tally> = FxHashMap::default();
            for (i, dt) in docs.iter().enumerate() {
                let d = i as u32;
                emit(i, dt, part, &mut |k| {
                    let t = map.entry(k).or_insert(Tally { count: 0, docs: 0, last: u32::MAX });
                    t.count += 1;
                    if t.last != d {
                        t.last = d;
                        t.docs += 1;
                    }
                });
            }
            map
        })
        .collect()
}

/// The part (of `parts`) a key belongs to: its high bits after a multiplicative mix, so that the
/// keys of one part still spread over all of a hash map's buckets.
fn part_of(k1: u64, k2: u64, parts: usize) -> usize {
    let mixed = (k1 ^ k2.rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((mixed >> 32) % parts as u64) as usize
}

/// The `tokens` table: token, count, doc_count, per_10k (per 10,000 tokens), stopword.
pub fn token_table(vocab: &Vocab, docs: &[DocTokens], stopwords: &rustc_hash::FxHashSet<String>) -> Result<DataFrame> {
    const T: &str = "tokens";
    let total: usize = docs.iter().map(|d| d.ids.len()).sum();
    let n = vocab.words.len();
    let (mut count, mut doc_count, mut last) = (vec![0u64; n], vec![0u64; n], vec![u32::MAX; n]);
    for (d, dt) in docs.iter().enumerate() {
        for &id in &dt.ids {
            let i = id as usize;
            count[i] += 1;
            if last[i] != d as u32 {
                last[i] = d as u32;
                doc_count[i] += 1;
            }
        }
    }
    let seen: Vec<usize> = (0..n).filter(|&i| count[i] > 0).collect();
    let lf = DataFrame::new(
        seen.len(),
        vec![
            Column::new("token".into(), seen.iter().map(|&i| vocab.words[i].as_str()).collect::<Vec<_>>()),
            Column::new("count".into(), seen.iter().map(|&i| count[i]).collect::<Vec<_>>()),
            Column::new("doc_count".into(), seen.iter().map(|&i| doc_count[i]).collect::<Vec<_>>()),
            Column::new(
                "stopword".into(),
                seen.iter().map(|&i| stopwords.contains(&vocab.words[i])).collect::<Vec<_>>(),
            ),
        ],
    )
    .table(T)?
    .lazy();
    let mut df = sort_desc(lf, &["count", "token"]).collect().table(T)?;
    let per_10k: Vec<f64> =
        u64s(&df, "count", T)?.into_iter().map(|c| round4(c as f64 * 10_000.0 / total.max(1) as f64)).collect();
    df.insert_column(3, Column::new("per_10k".into(), per_10k)).table(T)?;
    Ok(df)
}

/// How n-gram ids are packed into integer keys: `n` ids of `bits` bits each go into one u64
/// when they fit, otherwise into two (the first two ids and the rest).
#[derive(Debug, Clone, Copy)]
struct Packing {
    n: usize,
    bits: u32,
    split: bool,
}

impl Packing {
    fn new(n: usize, vocab: usize) -> Self {
        let bits = (usize::BITS - vocab.max(2).leading_zeros()).max(1);
        Packing { n, bits, split: n as u32 * bits > 64 }
    }

    fn pack(self, ids: &[u32]) -> u64 {
        ids.iter().fold(0u64, |k, &id| (k << self.bits) | id as u64)
    }

    /// The one or two keys of an n-gram.
    fn keys(self, w: &[u32]) -> (u64, u64) {
        if self.split { (self.pack(&w[..2]), self.pack(&w[2..])) } else { (self.pack(w), 0) }
    }

    fn unpack(self, k1: u64, k2: u64) -> Vec<u32> {
        let mask = (1u64 << self.bits) - 1;
        let part = |k: u64, len: usize| (0..len).rev().map(move |i| ((k >> (i as u32 * self.bits)) & mask) as u32);
        if self.split { part(k1, 2).chain(part(k2, self.n - 2)).collect() } else { part(k1, self.n).collect() }
    }
}

/// The `ngrams` table for n in `ns`: ngram (joined), tokens (space-separated), n, count,
/// doc_count, stopword_edge (first or last word is a stopword). Only n-grams seen at least
/// `min_count` times are kept.
pub fn ngram_table(
    vocab: &Vocab,
    docs: &[DocTokens],
    ns: std::ops::RangeInclusive<usize>,
    min_count: u64,
    stopwords: &rustc_hash::FxHashSet<String>,
) -> Result<DataFrame> {
    count_ngrams(vocab, docs, ns, min_count).table(vocab, stopwords)
}

/// The n-grams counted (or summed and taken out of [`NgramSums`]), as word ids: made into the
/// `ngrams` table by [`NgramCounts::table`], which needs only the vocabulary, so the words as
/// ids can go first.
#[derive(Default)]
pub struct NgramCounts {
    rows: Vec<Counted>,
}

impl NgramCounts {
    /// Add the rows of other counts (of other n-grams).
    pub fn extend(&mut self, other: NgramCounts) {
        self.rows.extend(other.rows);
    }

    /// The `ngrams` table (see [`ngram_table`]).
    pub fn table(self, vocab: &Vocab, stopwords: &rustc_hash::FxHashSet<String>) -> Result<DataFrame> {
        let is_stop = stop_flags(vocab, stopwords);
        sorted_ngrams(vocab, &is_stop, self.rows)
    }

    /// The `ngrams` table (see [`ngram_table`]) a slice of `rows` rows at a time, in order, each
    /// handed to `write`: the words of only one slice are held as text at once.
    pub fn table_in_slices(
        mut self,
        vocab: &Vocab,
        stopwords: &rustc_hash::FxHashSet<String>,
        rows: usize,
        mut write: impl FnMut(DataFrame) -> Result<()>,
    ) -> Result<()> {
        let is_stop = stop_flags(vocab, stopwords);
        sort_rows(vocab, &mut self.rows);
        for slice in self.rows.chunks(rows.max(1)) {
            write(ngram_frame(vocab, &is_stop, slice)?)?;
        }
        Ok(())
    }

    /// A partial's `ngrams` table (see [`crate::partial`]) a slice of `rows` rows at a time:
    /// a `key` column ([`ngram_key`]), then the columns of the `ngrams` table but `ngram` (its
    /// words without the spaces of `tokens`), in key order (then by word ids: the same rows in
    /// the same order on any number of threads). An engine adds partials up by key, so no order
    /// of the words themselves is made here. Each row's key and count go into `keys`.
    pub fn partial_slices(
        self,
        vocab: &Vocab,
        stopwords: &rustc_hash::FxHashSet<String>,
        rows: usize,
        keys: &mut crate::keybits::KeyBits,
        mut write: impl FnMut(DataFrame) -> Result<()>,
    ) -> Result<()> {
        let is_stop = stop_flags(vocab, stopwords);
        let word = |i: &u32| vocab.words[*i as usize].as_str();
        let mut keyed: Vec<(i64, Counted)> =
            self.rows.into_par_iter().map(|r| (ngram_key(r.ids().iter().map(word)), r)).collect();
        keyed.par_sort_unstable_by(|(ka, a), (kb, b)| ka.cmp(kb).then_with(|| a.ids().cmp(b.ids())));
        for (k, r) in &keyed {
            keys.add(*k, r.tally.count);
        }
        for slice in keyed.chunks(rows.max(1)) {
            write(partial_frame(vocab, &is_stop, slice)?)?;
        }
        Ok(())
    }

    /// The columns of a partial's `ngrams` table, with no rows (see [`NgramCounts::partial_slices`]).
    pub fn partial_schema(vocab: &Vocab) -> Result<DataFrame> {
        partial_frame(vocab, &[], &[])
    }

    /// Rows counted.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Count the n-grams for n in `ns` seen at least `min_count` times (see [`ngram_table`]).
pub fn count_ngrams(
    vocab: &Vocab,
    docs: &[DocTokens],
    ns: std::ops::RangeInclusive<usize>,
    min_count: u64,
) -> NgramCounts {
    let mut rows: Vec<Counted> = Vec::new();
    // the kept (n-1)-grams: an n-gram seen min_count times has its first and last n-1 words seen
    // at least as often, so only windows whose both ends are kept need counting; looked up once
    // per window into a bit per document position (the (n-1)-gram starting there is kept)
    let mut shorter: Option<Vec<Vec<u64>>> = None;
    let tasks = rayon::current_num_threads().max(1);
    let longest = *ns.end();
    for n in ns {
        let packing = Packing::new(n, vocab.words.len());
        let ends_kept = |d: usize, i: usize| {
            shorter.as_ref().is_none_or(|bits| {
                let bit = |i: usize| bits[d][i / 64] & (1 << (i % 64)) != 0;
                bit(i) && bit(i + 1)
            })
        };
        // the windows of one part whose ends are kept, with their one or two keys
        let windows = |d: usize, dt: &DocTokens, part: usize, f: &mut dyn FnMut((u64, u64))| {
            dt.windows(n, |i, w| {
                let (k1, k2) = packing.keys(w);
                if part_of(k1, k2, tasks) == part && ends_kept(d, i) {
                    f((k1, k2));
                }
            });
        };
        // one u64 key when the n ids fit, two otherwise
        let kept: Vec<((u64, u64), Tally)> = if packing.split {
            tally_keys(docs, tasks, |d, dt, part, f| windows(d, dt, part, f))
                .into_iter()
                .flatten()
                .filter(|(_, t)| t.count >= min_count)
                .collect()
        } else {
            tally_keys(docs, tasks, |d, dt, part, f| windows(d, dt, part, &mut |(k, _)| f(k)))
                .into_iter()
                .flatten()
                .filter(|(_, t)| t.count >= min_count)
                .map(|(k, t)| ((k, 0), t))
                .collect()
        };
        // (not wanted after the longest n-grams)
        shorter = (min_count > 1 && n < longest).then(|| {
            let set: rustc_hash::FxHashSet<(u64, u64)> = kept.iter().map(|(k, _)| *k).collect();
            docs.par_iter()
                .map(|dt| {
                    let mut bits = vec![0u64; dt.ids.len().div_ceil(64)];
                    dt.windows(n, |i, w| {
                        if set.contains(&packing.keys(w)) {
                            bits[i / 64] |= 1 << (i % 64);
                        }
                    });
                    bits
                })
                .collect()
        });
        rows.extend(kept.into_iter().map(|(k, t)| Counted::new(packing, k, t)));
    }
    NgramCounts { rows }
}

/// The `key` of an n-gram in a partial: a 64-bit hash of its words (the `tokens` cell: the
/// words' UTF-8 joined by single spaces), FNV-1a mixed by MurmurHash3's finaliser, the same in
/// every shard and on every machine. Engines add the partials' n-grams up by it; `tifa merge
/// --sums` takes the words back from the partials, so two n-grams that share a key (at 2^-64 a
/// pair) are still counted apart.
pub fn ngram_key<'a>(words: impl Iterator<Item = &'a str>) -> i64 {
    const PRIME: u64 = 0x0000_0100_0000_01B3;
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for (k, w) in words.enumerate() {
        if k > 0 {
            h = (h ^ u64::from(b' ')).wrapping_mul(PRIME);
        }
        for &b in w.as_bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(PRIME);
        }
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^= h >> 33;
    h as i64
}

/// One counted n-gram: its words' ids (the first `n`) and its tally.
#[derive(Clone, Copy)]
struct Counted {
    ids: [u32; 4],
    n: u8,
    tally: Tally,
}

impl Counted {
    fn new(packing: Packing, (a, b): (u64, u64), tally: Tally) -> Self {
        let mut ids = [0; 4];
        for (slot, id) in ids.iter_mut().zip(packing.unpack(a, b)) {
            *slot = id;
        }
        Counted { ids, n: packing.n as u8, tally }
    }

    fn ids(&self) -> &[u32] {
        &self.ids[..self.n as usize]
    }
}

/// The pieces of the n-gram `ids` as the `ngram` column writes them (words joined) or, with
/// `spaced`, as the `tokens` column does (words separated by a space).
fn ngram_pieces<'v>(vocab: &'v Vocab, ids: &'v [u32], spaced: bool) -> impl Iterator<Item = &'v [u8]> + 'v {
    ids.iter().enumerate().flat_map(move |(k, &i)| {
        let space: &[u8] = if spaced && k > 0 { b" " } else { b"" };
        [space, vocab.words[i as usize].as_bytes()]
    })
}

/// The words in byte order, so that two n-grams' joined bytes are compared from their words'
/// ranks (two small arrays) and not their bytes, except where one word is a prefix of the other.
struct WordOrder {
    /// Each word's rank in byte order.
    rank: Vec<u32>,
    /// By rank: one past the last rank of the words that begin with this word (they follow it).
    prefix_end: Vec<u32>,
}

impl WordOrder {
    fn new(vocab: &Vocab) -> Self {
        let mut by_rank: Vec<u32> = (0..vocab.words.len() as u32).collect();
        by_rank.par_sort_unstable_by(|&a, &b| vocab.words[a as usize].cmp(&vocab.words[b as usize]));
        let mut rank = vec![0u32; by_rank.len()];
        for (r, &w) in by_rank.iter().enumerate() {
            rank[w as usize] = r as u32;
        }
        // the words beginning with word r are the run right after it; a stack of open prefixes
        let mut prefix_end = vec![0u32; by_rank.len()];
        let mut open: Vec<usize> = Vec::new();
        for (r, &w) in by_rank.iter().enumerate() {
            let word = &vocab.words[w as usize];
            while let Some(&p) = open.last() {
                if word.starts_with(vocab.words[by_rank[p] as usize].as_str()) {
                    break;
                }
                prefix_end[p] = r as u32;
                open.pop();
            }
            open.push(r);
        }
        for p in open {
            prefix_end[p] = by_rank.len() as u32;
        }
        WordOrder { rank, prefix_end }
    }

    /// True when the word ranked `a` begins the word ranked `b` or the other way round.
    fn prefix_related(&self, a: u32, b: u32) -> bool {
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        hi < self.prefix_end[lo as usize]
    }

    /// The order of the joined bytes of the n-grams `x` and `y`.
    fn cmp(&self, vocab: &Vocab, x: &[u32], y: &[u32]) -> std::cmp::Ordering {
        // the words before the first that differs are equal, so the bytes are aligned there
        match x.iter().zip(y).position(|(a, b)| a != b) {
            None => x.len().cmp(&y.len()),
            Some(k) => {
                let (a, b) = (self.rank[x[k] as usize], self.rank[y[k] as usize]);
                if self.prefix_related(a, b) {
                    cmp_pieces(ngram_pieces(vocab, &x[k..], false), ngram_pieces(vocab, &y[k..], false))
                } else {
                    a.cmp(&b)
                }
            }
        }
    }
}

/// Compare two byte strings given as pieces (their concatenations), a run of bytes at a time.
fn cmp_pieces<'a>(mut a: impl Iterator<Item = &'a [u8]>, mut b: impl Iterator<Item = &'a [u8]>) -> std::cmp::Ordering {
    let (mut x, mut y): (&[u8], &[u8]) = (&[], &[]);
    loop {
        while x.is_empty() {
            match a.next() {
                Some(p) => x = p,
                None => break,
            }
        }
        while y.is_empty() {
            match b.next() {
                Some(p) => y = p,
                None => break,
            }
        }
        if x.is_empty() || y.is_empty() {
            return x.len().cmp(&y.len());
        }
        let k = x.len().min(y.len());
        match x[..k].cmp(&y[..k]) {
            std::cmp::Ordering::Equal => (x, y) = (&x[k..], &y[k..]),
            other => return other,
        }
    }
}

/// The `ngrams` table of counted n-grams of all lengths, in its order (count descending, then
/// ngram, then tokens, as bytes). The rows are sorted as word ids, comparing the words' bytes
/// without building strings, and each string is made once, in its final place: no second copy
/// of the table exists while it is sorted.
fn sorted_ngrams(vocab: &Vocab, is_stop: &[bool], mut rows: Vec<Counted>) -> Result<DataFrame> {
    sort_rows(vocab, &mut rows);
    ngram_frame(vocab, is_stop, &rows)
}

/// The table's order: most frequent first, then by words.
fn sort_rows(vocab: &Vocab, rows: &mut [Counted]) {
    let order = WordOrder::new(vocab);
    rows.par_sort_unstable_by(|x, y| {
        y.tally
            .count
            .cmp(&x.tally.count)
            .then_with(|| order.cmp(vocab, x.ids(), y.ids()))
            .then_with(|| cmp_pieces(ngram_pieces(vocab, x.ids(), true), ngram_pieces(vocab, y.ids(), true)))
    });
}

/// The `ngrams` table of `rows`, in their order.
fn ngram_frame(vocab: &Vocab, is_stop: &[bool], rows: &[Counted]) -> Result<DataFrame> {
    let (df, ngram) = rayon::join(
        || tokens_frame(vocab, is_stop, rows),
        || StringChunked::from_iter_values("ngram".into(), rows.iter().map(|r| joined(vocab, r, ""))),
    );
    let mut df = df?;
    df.insert_column(0, ngram.into_column()).table("ngrams")?;
    Ok(df)
}

/// A partial's `ngrams` table of `keyed` rows, in their order: key, then the columns of
/// [`tokens_frame`].
fn partial_frame(vocab: &Vocab, is_stop: &[bool], keyed: &[(i64, Counted)]) -> Result<DataFrame> {
    let counted: Vec<Counted> = keyed.iter().map(|k| k.1).collect();
    let mut df = tokens_frame(vocab, is_stop, &counted)?;
    let keys = Column::new("key".into(), keyed.iter().map(|k| k.0).collect::<Vec<_>>());
    df.insert_column(0, keys).table("ngrams")?;
    Ok(df)
}

/// Each word's stopword flag, by id.
fn stop_flags(vocab: &Vocab, stopwords: &rustc_hash::FxHashSet<String>) -> Vec<bool> {
    vocab.words.iter().map(|w| stopwords.contains(w)).collect()
}

/// The words of `r` joined by `sep`, in one allocation.
fn joined(vocab: &Vocab, r: &Counted, sep: &str) -> String {
    let mut out = String::new();
    for (k, &i) in r.ids().iter().enumerate() {
        if k > 0 {
            out.push_str(sep);
        }
        out.push_str(&vocab.words[i as usize]);
    }
    out
}

/// The `ngrams` table of `rows` without its `ngram` column (the words joined without spaces),
/// as partials hold it: tokens, n, count, doc_count, stopword_edge.
fn tokens_frame(vocab: &Vocab, is_stop: &[bool], rows: &[Counted]) -> Result<DataFrame> {
    const T: &str = "ngrams";
    let h = rows.len();
    let tokens = StringChunked::from_iter_values("tokens".into(), rows.iter().map(|r| joined(vocab, r, " ")));
    let edge: Vec<bool> =
        rows.iter().map(|r| is_stop[r.ids()[0] as usize] || is_stop[r.ids()[r.n as usize - 1] as usize]).collect();
    DataFrame::new(
        h,
        vec![
            tokens.into_column(),
            Column::new("n".into(), rows.iter().map(|r| r.n as u32).collect::<Vec<_>>()),
            Column::new("count".into(), rows.iter().map(|r| r.tally.count).collect::<Vec<_>>()),
            Column::new("doc_count".into(), rows.iter().map(|r| r.tally.docs as u64).collect::<Vec<_>>()),
            Column::new("stopword_edge".into(), edge),
        ],
    )
    .table(T)
}

/// N-gram counts added up from several tables (the partials of `tifa merge`), keyed by word ids
/// as [`ngram_table`] keys them, then made into the same table.
pub struct NgramSums {
    vocab_len: usize,
    by_n: std::collections::BTreeMap<usize, FxHashMap<(u64, u64), Tally>>,
    /// With [`NgramSums::of_summed`]: the rows as they come, added up in [`NgramSums::drain`].
    listed: Option<Vec<Counted>>,
}

impl NgramSums {
    pub fn new(vocab: &Vocab) -> Self {
        NgramSums { vocab_len: vocab.words.len(), by_n: Default::default(), listed: None }
    }

    /// For tables already added up, where each n-gram comes once: the rows are listed as they
    /// come instead of kept in hash maps (a third of the memory), and any n-gram that does come
    /// again is still added up, when the table is made.
    pub fn of_summed(vocab: &Vocab) -> Self {
        NgramSums { listed: Some(Vec::new()), ..NgramSums::new(vocab) }
    }

    /// Add `count` occurrences in `docs` documents of the n-gram of words `ids` (n = 2..=4).
    pub fn add(&mut self, ids: &[u32], count: u64, docs: u64) {
        let packing = Packing::new(ids.len(), self.vocab_len);
        let key = packing.keys(ids);
        // a shard's document count fits in 32 bits (documents are numbered so); a larger value
        // in a corrupt partial stops at the largest
        let docs = u32::try_from(docs).unwrap_or(u32::MAX);
        if let Some(rows) = &mut self.listed {
            rows.push(Counted::new(packing, key, Tally { count, docs, last: 0 }));
            return;
        }
        let t = self.by_n.entry(ids.len()).or_default().entry(key).or_insert(Tally { count: 0, docs: 0, last: 0 });
        t.count += count;
        t.docs = t.docs.saturating_add(docs);
    }

    /// Take out the sums seen at least `min_count` times, leaving these sums empty: the n-grams
    /// of one part of the keys at a time (see [`NgramSums::part_of`]) are added up, drained and
    /// the sums used again for the next part.
    pub fn drain(&mut self, min_count: u64) -> NgramCounts {
        if let Some(rows) = &mut self.listed {
            let mut rows = std::mem::take(rows);
            rows.par_sort_unstable_by(|a, b| (a.n, a.ids).cmp(&(b.n, b.ids)));
            rows.dedup_by(|later, first| {
                let same = (later.n, later.ids) == (first.n, first.ids);
                if same {
                    first.tally.count += later.tally.count;
                    first.tally.docs = first.tally.docs.saturating_add(later.tally.docs);
                }
                same
            });
            rows.retain(|r| r.tally.count >= min_count);
            return NgramCounts { rows };
        }
        let mut rows: Vec<Counted> = Vec::new();
        for (n, sums) in std::mem::take(&mut self.by_n) {
            let packing = Packing::new(n, self.vocab_len);
            rows.extend(
                sums.into_iter().filter(|(_, t)| t.count >= min_count).map(|(k, t)| Counted::new(packing, k, t)),
            );
        }
        NgramCounts { rows }
    }

    /// Which of `parts` parts of the keys the n-gram of words `ids` falls in (a hash of them).
    pub fn part_of(ids: &[u32], parts: usize) -> usize {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        ids.hash(&mut h);
        // the high bits: FxHash mixes them best
        ((h.finish() >> 32) % parts.max(1) as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(lines: &[&[&[&str]]]) -> (Vocab, Vec<DocTokens>) {
        // build DocTokens directly from clauses of words
        let mut vocab = Vocab::default();
        let mut ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut out = Vec::new();
        for doc in lines {
            let mut dt = DocTokens::default();
            for clause in doc.iter() {
                if !dt.ids.is_empty() {
                    dt.clause_starts.push(dt.ids.len() as u32);
                }
                for w in clause.iter() {
                    let id = *ids.entry(w.to_string()).or_insert_with(|| {
                        vocab.words.push(w.to_string());
                        (vocab.words.len() - 1) as u32
                    });
                    dt.ids.push(id);
                }
            }
            out.push(dt);
        }
        (vocab, out)
    }

    fn stop() -> rustc_hash::FxHashSet<String> {
        ["的"].iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn token_counts_doc_counts_and_per_10k() {
        let (v, d) = docs(&[&[&["主题", "教育", "的"], &["主题"]], &[&["主题", "教育"]]]);
        let df = token_table(&v, &d, &stop()).unwrap();
        let tok: Vec<&str> = crate::frame::strs(&df, "token", "t").unwrap();
        let count: Vec<u64> = crate::frame::u64s(&df, "count", "t").unwrap();
        let dc: Vec<u64> = crate::frame::u64s(&df, "doc_count", "t").unwrap();
        assert_eq!(tok, ["主题", "教育", "的"]);
        assert_eq!(count, [3, 2, 1]);
        assert_eq!(dc, [2, 2, 1]);
        let per: Vec<f64> = crate::frame::f64s(&df, "per_10k", "t").unwrap();
        assert_eq!(per, [5000.0, 3333.3333, 1666.6667]);
        let sw: Vec<bool> = crate::frame::bools(&df, "stopword", "t").unwrap();
        assert_eq!(sw, [false, false, true]);
    }

    #[test]
    fn pieces_compare_as_their_concatenations() {
        let words = ["", "主", "主题", "题", "a", "ab", "b", " ", "教育"];
        let mut g = crate::testgen::Lcg(7);
        let mut next = move |m: usize| g.next(m);
        for _ in 0..5000 {
            let a: Vec<&str> = (0..next(5)).map(|_| words[next(words.len())]).collect();
            let b: Vec<&str> = (0..next(5)).map(|_| words[next(words.len())]).collect();
            let got = cmp_pieces(a.iter().map(|w| w.as_bytes()), b.iter().map(|w| w.as_bytes()));
            assert_eq!(got, a.concat().cmp(&b.concat()), "{a:?} {b:?}");
        }
    }

    #[test]
    fn ngrams_compare_by_word_ranks_as_their_joined_bytes() {
        let words = ["主", "主题", "主题教育", "题", "教育", "a", "ab", "abc", "b", "ba"];
        let vocab = Vocab { words: words.iter().map(|w| w.to_string()).collect() };
        let order = WordOrder::new(&vocab);
        let mut g = crate::testgen::Lcg(11);
        let mut next = move |m: usize| g.next(m);
        for _ in 0..20_000 {
            let x: Vec<u32> = (0..1 + next(4)).map(|_| next(words.len()) as u32).collect();
            let y: Vec<u32> = (0..1 + next(4)).map(|_| next(words.len()) as u32).collect();
            let joined = |ids: &[u32]| ids.iter().map(|&i| words[i as usize]).collect::<String>();
            assert_eq!(order.cmp(&vocab, &x, &y), joined(&x).cmp(&joined(&y)), "{x:?} {y:?}");
        }
    }

    #[test]
    fn interned_in_runs_as_in_one_pass() {
        // more documents than one run holds, words first seen in later runs and seen again
        let texts: Vec<String> = (0..3 * INTERN_RUN + 7).map(|d| format!("主题{}教育{}", d % 11, d / 97)).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let segs: Vec<Segmented> = refs
            .iter()
            .map(|t| {
                // a word per character
                let tokens = t.char_indices().map(|(b, c)| (b as u32, (b + c.len_utf8()) as u32)).collect();
                Segmented { tokens, clause_starts: vec![2] }
            })
            .collect();
        let (vocab, docs) = intern(&refs, &segs);
        let mut want_words: Vec<String> = Vec::new();
        for (t, d) in refs.iter().zip(&docs) {
            let words: Vec<String> = t.chars().map(String::from).collect();
            for w in &words {
                if !want_words.contains(w) {
                    want_words.push(w.clone());
                }
            }
            let got: Vec<&str> = d.ids.iter().map(|&i| vocab.words[i as usize].as_str()).collect();
            assert_eq!(got, words);
            assert_eq!(d.clause_starts, [2]);
        }
        assert_eq!(vocab.words, want_words);
    }

    #[test]
    fn packing_round_trips() {
        for (n, vocab) in [(2, 10), (3, 196_904), (4, 196_904), (4, 3), (2, u32::MAX as usize)] {
            let p = Packing::new(n, vocab);
            let ids: Vec<u32> = (0..n as u32).map(|i| (vocab as u32 - 1).saturating_sub(i)).collect();
            let (a, b) = p.keys(&ids);
            assert_eq!(p.unpack(a, b), ids, "n={n} vocab={vocab}");
        }
    }

    #[test]
    fn sums_of_two_halves_equal_the_table_of_the_whole() {
        let (v, d) = docs(&[
            &[&["主题", "教育", "的"], &["主题", "教育", "的", "意义"]],
            &[&["主题", "教育", "的", "意义"]],
            &[&["两个", "维护"], &["主题", "教育"]],
        ]);
        let whole = ngram_table(&v, &d, 2..=4, 2, &stop()).unwrap();
        // hashed as they come, and (as for tables added up already) listed and added up at the end;
        // all keys at once, or a part of them at a time, each part drained before the next
        for (mut sums, parts) in [
            (NgramSums::new(&v), 1),
            (NgramSums::of_summed(&v), 1),
            (NgramSums::new(&v), 3),
            (NgramSums::of_summed(&v), 2),
        ] {
            let mut kept = NgramCounts::default();
            for p in 0..parts {
                for half in [&d[..1], &d[1..]] {
                    let part = ngram_table(&v, half, 2..=4, 1, &stop()).unwrap();
                    let tokens = crate::frame::strs(&part, "tokens", "t").unwrap();
                    let (c, dc) = (
                        crate::frame::u64s(&part, "count", "t").unwrap(),
                        crate::frame::u64s(&part, "doc_count", "t").unwrap(),
                    );
                    for i in 0..part.height() {
                        let ids: Vec<u32> =
                            tokens[i].split(' ').map(|w| v.words.iter().position(|x| x == w).unwrap() as u32).collect();
                        if NgramSums::part_of(&ids, parts) == p {
                            sums.add(&ids, c[i], dc[i]);
                        }
                    }
                }
                kept.extend(sums.drain(2));
            }
            let merged = kept.table(&v, &stop()).unwrap();
            assert!(merged.equals(&whole), "{parts} parts: {merged}\n{whole}");
        }
        // the parts split the keys: not all in one
        let ids: Vec<Vec<u32>> = (0..20u32).map(|i| vec![i, i + 1]).collect();
        let parts: std::collections::BTreeSet<usize> = ids.iter().map(|k| NgramSums::part_of(k, 3)).collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(whole.height(), 6, "{whole}");
        assert_eq!(NgramSums::new(&v).drain(2).table(&v, &stop()).unwrap().width(), whole.width());
    }

    #[test]
    fn ngrams_stay_inside_clauses() {
        // "教育 主题" spans a clause boundary in doc 1 and must not be counted there
        let (v, d) = docs(&[&[&["主题", "教育"], &["主题", "教育", "的"]], &[&["主题", "教育", "的", "意义"]]]);
        let df = ngram_table(&v, &d, 2..=4, 1, &stop()).unwrap();
        let (ng, n) = (crate::frame::strs(&df, "ngram", "t").unwrap(), crate::frame::u32s(&df, "n", "t").unwrap());
        let (c, dc) =
            (crate::frame::u64s(&df, "count", "t").unwrap(), crate::frame::u64s(&df, "doc_count", "t").unwrap());
        let edge = crate::frame::bools(&df, "stopword_edge", "t").unwrap();
        let rows: Vec<(String, u32, u64, u64, bool)> =
            (0..df.height()).map(|i| (ng[i].to_string(), n[i], c[i], dc[i], edge[i])).collect();
        let want = [
            ("主题教育", 2, 3, 2, false),
            ("主题教育的", 3, 2, 2, true),
            ("教育的", 2, 2, 2, true),
            ("主题教育的意义", 4, 1, 1, false),
            ("教育的意义", 3, 1, 1, false),
            ("的意义", 2, 1, 1, true),
        ];
        let want: Vec<(String, u32, u64, u64, bool)> =
            want.iter().map(|(a, b, c, d, e)| (a.to_string(), *b, *c, *d, *e)).collect();
        assert_eq!(rows, want);
        assert!(!rows.iter().any(|r| r.0 == "教育主题"));
        let min2 = ngram_table(&v, &d, 2..=4, 2, &stop()).unwrap();
        assert_eq!(min2.height(), 3);
    }
}
