//! Where reuse can be: the stretches of each document covered by a window of `min_chars`
//! characters, within one line, that some other document also has. Every exact passage lies in
//! them, and the passages found in the stretches alone (each stretch a line of its own) are the
//! passages of the whole text: each window of a passage is in two documents, so all of it is
//! covered; and a character that every occurrence of a passage has next to it would make a
//! window two documents have, so it is covered too, and no stretch ends where the whole text
//! would go on. Stretches that cover more than that (a window taken for shared by a hash that
//! collides) find the same passages.
//!
//! [`super::find_reuse`] finds the passages in the stretches of 20-character windows and the
//! near-copies' anchors in those of 10-character windows, a sixth and two fifths of xwlb's
//! text; across shards, which windows two documents have is what the shards' tables of seen
//! and twice-seen buckets say together (twice in one, or seen in two).

use rayon::prelude::*;

use super::{Passage, Repeats, Reuse, ReuseOptions, finish, repeats};
use crate::keybits::KeyBits;

/// Character ranges `start..end` of one document, in order.
pub type Spans = Vec<(u32, u32)>;

/// The stretches of `text` (character ranges `start..end`, in order, apart) covered by the
/// windows of `min_chars` characters within one line that `shared` accepts.
pub fn stretches(text: &str, min_chars: usize, shared: impl Fn(&[char]) -> bool) -> Spans {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for line in lines(&chars) {
        let starts = line.start..(line.end + 1).saturating_sub(min_chars.max(1)).max(line.start);
        for i in starts.filter(|&i| shared(&chars[i..i + min_chars])) {
            cover(&mut out, i, min_chars);
        }
    }
    out
}

/// The lines of `chars`, as ranges without their line breaks.
fn lines(chars: &[char]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        (start <= chars.len()).then(|| {
            let end = chars[start..].iter().position(|&c| c == '\n').map_or(chars.len(), |k| start + k);
            let line = start..end;
            start = end + 1;
            line
        })
    })
}

/// Add the `len` characters at `start` to the stretches `out` (ordered by start).
fn cover(out: &mut Spans, start: usize, len: usize) {
    let (s, e) = (start as u32, (start + len) as u32);
    match out.last_mut() {
        Some(last) if last.1 >= s => last.1 = e,
        _ => out.push((s, e)),
    }
}

/// The stretches of `chars` for windows of `small` characters that `shared` takes (by hash),
/// and for windows of `big` characters (at least `small`) all of whose windows of `small` it
/// takes.
fn both_stretches(chars: &[char], small: usize, big: usize, mut shared: impl FnMut(u64) -> bool) -> (Spans, Spans) {
    let (mut out_small, mut out_big) = (Vec::new(), Vec::new());
    // a window of `big` at i is taken when the windows of `small` at i..=i + span all are: in a
    // run of windows taken at from..to, those at from..to - span
    let span = big - small;
    let close = |out_big: &mut Spans, start: usize, from: usize, to: usize| {
        for i in from..to.saturating_sub(span).max(from) {
            cover(out_big, start + i, big);
        }
    };
    for line in lines(chars) {
        let mut run: Option<usize> = None;
        for (i, h) in line_hashes(&chars[line.clone()], small) {
            if shared(h) {
                cover(&mut out_small, line.start + i, small);
                run.get_or_insert(i);
            } else if let Some(from) = run.take() {
                close(&mut out_big, line.start, from, i);
            }
        }
        if let Some(from) = run {
            close(&mut out_big, line.start, from, (line.len() + 1).saturating_sub(small));
        }
    }
    (out_small, out_big)
}

/// The hash of every window of `k` characters of one line, with its place (a rolling
/// polynomial hash, mixed).
fn line_hashes(line: &[char], k: usize) -> impl Iterator<Item = (usize, u64)> + '_ {
    const BASE: u64 = 0x100_0000_01b3;
    let top = (1..k).fold(1u64, |p, _| p.wrapping_mul(BASE));
    let mut h = line.iter().take(k.saturating_sub(1)).fold(0u64, |h, &c| h.wrapping_mul(BASE).wrapping_add(c as u64));
    (0..(line.len() + 1).saturating_sub(k.max(1))).map(move |i| {
        if i > 0 {
            h = h.wrapping_sub((line[i - 1] as u64).wrapping_mul(top));
        }
        h = h.wrapping_mul(BASE).wrapping_add(line[i + k - 1] as u64);
        (i, mix(h))
    })
}

/// A 64-bit finaliser (splitmix64), so that the bits of a hash are all alike.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Bytes of text whose windows are hashed before their bits are set (about 3 MB of hashes).
const HASH_BATCH: usize = 1 << 20;

/// Which windows of `k` characters within a line of `texts` two documents or more may have: a
/// table of keys ([`KeyBits`]) sized for `windows` windows (the whole corpus's, when `texts` is
/// one shard of it), in which every window's hash counts once. A window is taken for shared
/// when its bits were all seen twice (in the tables of every shard added up, when there are
/// shards): every shared window is, and a few others too (a window repeated within one
/// document, or whose bits other windows set), which only widens the stretches.
pub fn window_table(texts: &[&str], k: usize, windows: usize) -> KeyBits {
    fill(KeyBits::for_windows(windows, k.max(1)), texts, HASH_BATCH)
}

/// The windows of `texts` (one per document) counted into `table`, a batch of documents (of
/// about `batch` bytes) at a time: the batch's hashes first, document by document in parallel,
/// then each thread sets the bits of its own part of the table (see [`KeyBits::add_by_part`]).
fn fill(mut table: KeyBits, texts: &[&str], batch: usize) -> KeyBits {
    let k = table.window();
    let parts = rayon::current_num_threads().next_power_of_two().min(table.words());
    // the hashes of a batch, by run of documents and by part of the table: the same buffers
    // serve every batch, so that no batch's memory goes back to the system and is taken again
    // by the next
    let runs = 4 * rayon::current_num_threads();
    let mut hashes: Vec<Vec<Vec<i64>>> = vec![vec![Vec::new(); parts]; runs];
    let mut start = 0;
    while start < texts.len() {
        let mut end = start;
        let mut bytes = 0;
        while end < texts.len() && (end == start || bytes + texts[end].len() <= batch) {
            bytes += texts[end].len();
            end += 1;
        }
        hashes.iter_mut().flatten().for_each(Vec::clear);
        let docs = &texts[start..end];
        let shared = &table;
        hashes.par_iter_mut().zip(docs.par_chunks(docs.len().div_ceil(runs))).for_each_init(
            Vec::new,
            |chars, (by_part, docs)| {
                for t in docs {
                    chars.clear();
                    chars.extend(t.chars());
                    for (_, h) in chars.split(|&c| c == '\n').flat_map(|line| line_hashes(line, k)) {
                        by_part[shared.part_of(h as i64, parts)].push(h as i64);
                    }
                }
            },
        );
        table.add_by_part(parts, |p| hashes.iter().flat_map(move |run| run[p].iter().copied()));
        start = end;
    }
    table
}

/// The stretches of a corpus as a text of their own: each document is its stretches, one to a
/// line.
pub struct Stretched {
    texts: Vec<String>,
    /// Per document: where each stretch starts in it and in the document's whole text.
    back: Vec<Spans>,
}

impl Stretched {
    /// The `stretches` of each of `texts`.
    pub fn new(texts: &[&str], stretches: &[Spans]) -> Stretched {
        texts
            .par_iter()
            .zip(stretches)
            .map_init(Vec::new, |chars, (t, st)| {
                chars.clear();
                chars.extend(t.chars());
                cut(chars, st)
            })
            .unzip()
            .into()
    }

    /// The stretches of `texts` for windows of `small` and of `big` characters, from one look at
    /// the windows of `small`: a window of `big` is taken when every window of `small` inside it
    /// is (every one two documents have still is). With `big` below `small`, each is looked at
    /// on its own. `windows`: about how many windows there are (the texts' characters), which
    /// sizes the table.
    pub fn of_both(texts: &[&str], small: usize, big: usize, windows: usize) -> (Stretched, Stretched) {
        // a window holds a character at least
        let (small, big) = (small.max(1), big.max(1));
        if big < small {
            let once = |k| Stretched::of_both(texts, k, k, windows).0;
            return (once(small), once(big));
        }
        let (cut, _) = Stretched::of_both_in(texts, big, window_table(texts, small, windows));
        cut
    }

    /// [`Stretched::of_both`] for windows of `table.window()` characters and of `big` (at
    /// least as many), taken from `table`: the window table of `texts`, or of a corpus of which
    /// `texts` are one shard, added up. Also says whether every window of `texts` was seen in
    /// `table` (false: the table is of other texts).
    pub fn of_both_in(texts: &[&str], big: usize, table: KeyBits) -> ((Stretched, Stretched), bool) {
        let small = table.window().max(1);
        let big = big.max(small);
        let (seen, (st_small, st_big)): (Vec<bool>, (Vec<_>, Vec<_>)) = texts
            .par_iter()
            .map_init(Vec::new, |chars, t| {
                chars.clear();
                chars.extend(t.chars());
                let mut seen = true;
                let cut = both_stretches(chars, small, big, |h| {
                    seen &= table.has_seen(h as i64);
                    table.may_recur(h as i64)
                });
                (seen, cut)
            })
            .unzip();
        drop(table);
        // one after the other: the passages' texts, freed first, leave no holes between the
        // anchors' texts that the suffix arrays could not use (30 MB more on xwlb)
        ((Stretched::new(texts, &st_small), Stretched::new(texts, &st_big)), seen.iter().all(|&s| s))
    }

    pub fn refs(&self) -> Vec<&str> {
        self.texts.iter().map(String::as_str).collect()
    }

    /// Where character `at` of document `doc`'s stretches stands in its whole text.
    pub fn place(&self, doc: usize, at: u32) -> u32 {
        let starts = &self.back[doc];
        let k = starts.partition_point(|&(s, _)| s <= at) - 1;
        at - starts[k].0 + starts[k].1
    }

    /// Move the occurrences of passages found in the stretches to their places.
    pub fn place_passages(&self, passages: &mut [Passage]) {
        passages.par_iter_mut().for_each(|p| {
            for o in &mut p.occurrences {
                o.start = self.place(o.doc as usize, o.start);
            }
        });
    }
}

impl From<(Vec<String>, Vec<Spans>)> for Stretched {
    fn from((texts, back): (Vec<String>, Vec<Spans>)) -> Stretched {
        Stretched { texts, back }
    }
}

/// The `stretches` of a document's characters as one text, one to a line, and where each
/// starts in it and in the document.
fn cut(chars: &[char], stretches: &[(u32, u32)]) -> (String, Spans) {
    let mut out = String::new();
    let mut starts = Vec::with_capacity(stretches.len());
    let mut at = 0u32;
    for &(s, e) in stretches {
        if !out.is_empty() {
            out.push('\n');
            at += 1;
        }
        starts.push((at, s));
        out.extend(&chars[s as usize..e as usize]);
        at += e - s;
    }
    (out, starts)
}

/// The exact passages of `texts` (one per document), with how much of each document they
/// cover, found in the `stretches` of each (see [`stretches`]) alone: [`Reuse::passages`],
/// [`Reuse::shared_chars`], [`Reuse::common_chars`] and [`Reuse::doc_chars`] as [`super::find_reuse`]
/// finds them in the whole text. Pairs are those that share a passage, and no near-copies are
/// aligned.
pub fn passages_in(texts: &[&str], stretches: &[Spans], opts: ReuseOptions) -> Reuse {
    let cut = Stretched::new(texts, stretches);
    let Repeats { mut passages, shared_chars, .. } = repeats(&cut.refs(), opts.min_chars, None);
    cut.place_passages(&mut passages);
    let doc_chars = texts.iter().map(|t| t.chars().count()).collect();
    finish(texts, doc_chars, passages, shared_chars, Vec::new(), opts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testgen::Lcg;

    #[test]
    fn both_stretches_are_the_windows_taken_and_the_big_windows_all_of_whose_small_ones_are() {
        let pieces = ["学", "思", "想", "\n", "党", "性"];
        for seed in 0..40u64 {
            let mut g = Lcg(seed);
            let chars: Vec<char> = (0..g.next(90)).flat_map(|_| pieces[g.next(pieces.len())].chars()).collect();
            let keep = g.next(5) as u64 + 1;
            let taken = |h: u64| !h.is_multiple_of(keep) || keep == 1;
            for (small, big) in [(1, 1), (1, 4), (2, 2), (3, 5), (4, 11)] {
                let (mut want_small, mut want_big) = (Vec::new(), Vec::new());
                for line in lines(&chars) {
                    let t: Vec<bool> = line_hashes(&chars[line.clone()], small).map(|(_, h)| taken(h)).collect();
                    for i in 0..t.len() {
                        if t[i] {
                            cover(&mut want_small, line.start + i, small);
                        }
                        if i + big - small < t.len() && t[i..=i + big - small].iter().all(|&x| x) {
                            cover(&mut want_big, line.start + i, big);
                        }
                    }
                }
                let got = both_stretches(&chars, small, big, taken);
                assert_eq!(got, (want_small, want_big), "seed {seed}, windows {small} and {big}: {chars:?}");
            }
        }
    }

    #[test]
    fn every_window_two_documents_have_is_taken_for_shared() {
        let mut g = Lcg(7);
        let alphabet: Vec<char> = "党的建设发展改革人民，。\n".chars().collect();
        let texts: Vec<String> = (0..40)
            .map(|d| {
                let own: String = (0..g.next(300)).map(|_| alphabet[g.next(alphabet.len())]).collect();
                if d > 0 && g.next(3) == 0 { format!("{own}{}", "改革发展人民建设党的改革") } else { own }
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        for k in [3, 5, 10] {
            let windows = refs.iter().map(|t| t.chars().count()).sum();
            let shared = window_table(&refs, k, windows);
            assert_eq!(shared.window(), k);
            let mut docs_of: std::collections::HashMap<Vec<char>, std::collections::BTreeSet<usize>> =
                Default::default();
            for (d, t) in refs.iter().enumerate() {
                let chars: Vec<char> = t.chars().collect();
                for line in chars.split(|&c| c == '\n') {
                    for (i, h) in line_hashes(line, k) {
                        assert_eq!(
                            h,
                            line_hashes(&line[i..i + k], k).next().unwrap().1,
                            "a rolling hash is the window's"
                        );
                        docs_of.entry(line[i..i + k].to_vec()).or_default().insert(d);
                    }
                }
            }
            let mut taken = 0;
            for (w, docs) in &docs_of {
                let h = line_hashes(w, k).next().unwrap().1 as i64;
                if docs.len() >= 2 {
                    assert!(shared.may_recur(h), "{w:?} in {docs:?}");
                }
                assert!(shared.has_seen(h));
                taken += usize::from(shared.may_recur(h));
            }
            // the same bits set window by window, in document order, and in batches of any size
            let mut by_window = KeyBits::for_windows(windows, k);
            for t in &refs {
                let chars: Vec<char> = t.chars().collect();
                for (_, h) in chars.split(|&c| c == '\n').flat_map(|line| line_hashes(line, k)) {
                    by_window.add(h as i64, 1);
                }
            }
            assert!(shared == by_window, "k {k}: the tables differ");
            for (batch, threads) in [(1, 1), (1, 2), (500, 2), (4000, 3), (usize::MAX, 4)] {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                let batched = pool.install(|| fill(KeyBits::for_windows(windows, k), &refs, batch));
                assert!(batched == by_window, "k {k}, batch {batch}, {threads} threads: the tables differ");
            }
            let two = docs_of.values().filter(|d| d.len() >= 2).count();
            assert!(two > 0 && taken < docs_of.len(), "k {k}: {two} shared, {taken} taken of {}", docs_of.len());
        }
    }
}
