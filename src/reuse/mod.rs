//! Reuse: passages of at least `min_chars` characters that two or more documents share, found
//! exactly on the clean text as the maximal repeats of a suffix array; how much of each document
//! they cover (its boilerplate ratio); which documents share text with which; and clusters of
//! near-duplicate documents.
//!
//! A passage is maximal: it cannot be extended by a character on either side without losing an
//! occurrence. It stays within a line (a paragraph of the clean text). Repeats inside a single
//! document are not reuse. No text is folded beyond what cleaning already did, so a passage ends
//! where two copies differ by a single character; copies edited here and there are the near-copies
//! of [`align`], chained from shorter exact pieces.

mod align;
pub mod stretches;

use std::collections::BTreeMap;

use polars::prelude::*;
use rayon::prelude::*;

use crate::error::{Result, TableContext};
use crate::frame::round4;
use crate::ingest::DocMeta;
use crate::keybits::KeyBits;
use crate::suffix::DocStarts;
use align::Anchor;
pub use align::{AlignOptions, Alignment, Piece, Step};

/// Thresholds of reuse detection.
#[derive(Debug, Clone, Copy)]
pub struct ReuseOptions {
    /// Shortest passage, in characters.
    pub min_chars: usize,
    /// Documents a passage must be in to count as corpus-wide boilerplate (`common_ratio`).
    pub common_docs: usize,
    /// Passages in more documents than this are boilerplate, not copying between a pair: they do
    /// not feed `reuse_pairs`.
    pub pair_max_docs: usize,
    /// Two documents are near-duplicates when each has at least this share in common with the other.
    pub duplicate_share: f64,
    /// Near-copy alignment.
    pub align: AlignOptions,
}

impl Default for ReuseOptions {
    fn default() -> Self {
        ReuseOptions {
            min_chars: 20,
            common_docs: 3,
            pair_max_docs: 20,
            duplicate_share: 0.8,
            align: AlignOptions::default(),
        }
    }
}

/// Who a document is, for naming where a passage first appears.
#[derive(Debug, Clone, Copy)]
pub struct DocRef<'a> {
    pub doc_id: &'a str,
    pub date: Option<&'a str>,
}

impl<'a> DocRef<'a> {
    /// The references of `docs`, in order.
    pub fn all(docs: &'a [DocMeta]) -> Vec<DocRef<'a>> {
        docs.iter().map(|m| DocRef { doc_id: m.doc_id.as_str(), date: m.date.as_deref() }).collect()
    }
}

/// One occurrence of a passage in a document: characters `start..start + len` of its clean text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub doc: u32,
    pub start: u32,
}

/// A passage shared by two or more documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub text: String,
    pub chars: usize,
    pub occurrences: Vec<Occurrence>,
    /// Distinct documents, ascending.
    pub docs: Vec<u32>,
}

/// Everything reuse detection finds.
#[derive(Debug, Clone, PartialEq)]
pub struct Reuse {
    /// Sorted by documents (descending), length (descending), text.
    pub passages: Vec<Passage>,
    /// Per document: characters covered by text shared with at least one other document.
    pub shared_chars: Vec<usize>,
    /// Per document: characters covered by passages in at least `common_docs` documents.
    pub common_chars: Vec<usize>,
    /// Per document: its length in characters.
    pub doc_chars: Vec<usize>,
    /// Document pairs (a < b) with the characters of each covered by text the other has.
    pub pairs: Vec<Pair>,
    /// Per document: its near-duplicate cluster (numbered from 1 in document order), if any.
    pub cluster: Vec<Option<u32>>,
    /// Aligned passages (near-copies and exact copies), sorted by documents, then position.
    pub alignments: Vec<Alignment>,
    /// Per document: characters inside an aligned passage.
    pub copied_chars: Vec<usize>,
}

/// Two documents that share text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    pub a: u32,
    pub b: u32,
    /// Characters of `a` in passages that `b` also has.
    pub shared_a: usize,
    /// Characters of `b` in passages that `a` also has.
    pub shared_b: usize,
    /// Characters of `a` (of `b`) inside the pair's aligned passages.
    pub aligned_a: usize,
    pub aligned_b: usize,
}

/// The concatenated corpus: each document's characters as symbols, then a separator unique to it.
struct Text {
    symbols: Vec<u32>,
    chars: Vec<char>,
    doc_starts: DocStarts,
    docs: usize,
}

impl Text {
    fn new(texts: &[&str]) -> Text {
        // the distinct characters in code point order, from a bit set over code points
        let seen = texts
            .par_iter()
            .fold(
                || vec![0u64; (char::MAX as usize + 1).div_ceil(64)],
                |mut bits, t| {
                    t.chars().for_each(|c| bits[c as usize / 64] |= 1 << (c as usize % 64));
                    bits
                },
            )
            .reduce_with(|mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x |= y);
                a
            })
            .unwrap_or_default();
        // the line break sorts before every other character, so that a match cut at it sorts
        // like a prefix
        let mut distinct = vec!['\n'];
        distinct.extend(
            (0..=char::MAX as u32)
                .filter(|&cp| seen.get(cp as usize / 64).is_some_and(|w| w & (1 << (cp % 64)) != 0))
                .filter_map(char::from_u32)
                .filter(|&c| c != '\n'),
        );
        let docs = texts.len();
        // each character's symbol, looked up in a table over code points
        let mut table = vec![0u32; char::MAX as usize + 1];
        for (rank, &c) in distinct.iter().enumerate() {
            table[c as usize] = (docs + rank) as u32;
        }
        // each document's characters, then a separator unique to it (separators sort before
        // every character and differ from each other), filled in parallel
        let lens: Vec<usize> = texts.par_iter().map(|t| t.chars().count() + 1).collect();
        let mut doc_starts = Vec::with_capacity(docs);
        let mut total = 0usize;
        for &len in &lens {
            doc_starts.push(total as u32);
            total += len;
        }
        let mut symbols = vec![0u32; total];
        let mut slices: Vec<&mut [u32]> = Vec::with_capacity(docs);
        let mut rest = symbols.as_mut_slice();
        for &len in &lens {
            let (here, after) = rest.split_at_mut(len);
            slices.push(here);
            rest = after;
        }
        slices.into_par_iter().zip(texts.par_iter()).enumerate().for_each(|(d, (out, t))| {
            for (slot, c) in out.iter_mut().zip(t.chars()) {
                *slot = table[c as usize];
            }
            out[out.len() - 1] = d as u32;
        });
        Text { symbols, chars: distinct, doc_starts: DocStarts::new(doc_starts, total), docs }
    }

    /// The document of position `pos`.
    fn doc_of(&self, pos: usize) -> u32 {
        self.doc_starts.doc_of(pos)
    }

    /// A character inside a line: neither a document's separator nor a line break (the symbol
    /// right after the separators).
    fn in_line(&self, pos: usize) -> bool {
        self.symbols[pos] as usize > self.docs
    }

    fn string(&self, pos: usize, len: usize) -> String {
        self.symbols[pos..pos + len].iter().map(|&s| self.chars[s as usize - self.docs]).collect()
    }
}

/// Union length of intervals (start, end), sorted in place.
fn union_len(intervals: &mut [(u32, u32)]) -> usize {
    intervals.sort_unstable();
    let (mut total, mut reach) = (0usize, 0u32);
    for &(s, e) in intervals.iter() {
        let s = s.max(reach);
        if e > s {
            total += (e - s) as usize;
            reach = e;
        }
        reach = reach.max(e);
    }
    total
}

/// Find the reuse in `texts` (one per document).
///
/// The exact passages are the maximal repeats of the stretches that windows of `min_chars`
/// characters two documents have cover, and the near-copies' anchors those of the stretches of
/// `anchor_chars` windows (see [`stretches`]): each is found in a fraction of the text, and is
/// what the whole text would give. The anchors are then aligned over the whole text.
pub fn find_reuse(texts: &[&str], opts: ReuseOptions) -> Reuse {
    let doc_chars: Vec<usize> = texts.iter().map(|t| t.chars().count()).collect();
    let cut = stretches::Stretched::of_both(texts, opts.align.anchor_chars, opts.min_chars, doc_chars.iter().sum());
    reuse_in(texts, doc_chars, cut, opts)
}

/// [`find_reuse`] with the windows two documents may share taken from `windows`, the window
/// table ([`stretches::window_table`]) of a corpus's shards added up, instead of a table made of
/// `texts`: the same reuse, the whole corpus hashed only where the shards are. `None` when a
/// window of `texts` is not in `windows` (a table of other texts), or when `windows` is not of
/// `opts.align.anchor_chars` characters, or `opts.min_chars` is fewer.
pub fn find_reuse_with(texts: &[&str], opts: ReuseOptions, windows: KeyBits) -> Option<Reuse> {
    if windows.window() != opts.align.anchor_chars || opts.min_chars < windows.window() {
        return None;
    }
    let (cut, seen) = stretches::Stretched::of_both_in(texts, opts.min_chars, windows);
    seen.then(|| reuse_in(texts, texts.iter().map(|t| t.chars().count()).collect(), cut, opts))
}

/// The reuse of `texts` (of `doc_chars` characters each) from their stretches: `cut_passages`'
/// for the passages, `cut`'s for the anchors.
fn reuse_in(
    texts: &[&str],
    doc_chars: Vec<usize>,
    (cut, cut_passages): (stretches::Stretched, stretches::Stretched),
    opts: ReuseOptions,
) -> Reuse {
    let window = opts.align.anchor_chars;
    let Repeats { mut passages, shared_chars, .. } = repeats(&cut_passages.refs(), opts.min_chars, None);
    cut_passages.place_passages(&mut passages);
    drop(cut_passages);

    let local = repeats(&cut.refs(), window, Some(opts.pair_max_docs)).anchors;
    let text = Text::new(texts);
    let at = |d: u32, p: u32| text.doc_starts[d as usize] + cut.place(d as usize, p);
    let mut anchors: Vec<Anchor> =
        local.into_par_iter().map(|x| Anchor { pa: at(x.a, x.pa), pb: at(x.b, x.pb), ..x }).collect();
    drop(cut);
    anchors.par_sort_unstable();
    let alignments = align::align(&text, &anchors, opts.align);
    drop((anchors, text));
    finish(texts, doc_chars, passages, shared_chars, alignments, opts)
}

/// What the suffix array of a text finds: its passages of at least `min_chars` characters with
/// the characters they cover, or the near-copies' anchors (at places within their documents).
struct Repeats {
    passages: Vec<Passage>,
    shared_chars: Vec<usize>,
    anchors: Vec<Anchor>,
}

/// The passages of `texts` (one per document) and the characters they cover; or, with
/// `anchors` (the most documents of an anchor), the anchors of at least `min_chars` characters,
/// each at its places within its two documents.
fn repeats(texts: &[&str], min_chars: usize, anchors: Option<usize>) -> Repeats {
    if texts.iter().all(|t| !t.is_empty()) {
        return repeats_in(texts, min_chars, anchors);
    }
    // an empty document (one without stretches) holds no repeat, and libsais's 16-bit code
    // sorts only documents of one character or more: the others are left out and the
    // documents numbered back (in the same order, so every sorted list stays sorted)
    let kept: Vec<u32> = (0..texts.len() as u32).filter(|&d| !texts[d as usize].is_empty()).collect();
    let some: Vec<&str> = kept.iter().map(|&d| texts[d as usize]).collect();
    let mut found = if some.is_empty() {
        Repeats { passages: Vec::new(), shared_chars: Vec::new(), anchors: Vec::new() }
    } else {
        repeats_in(&some, min_chars, anchors)
    };
    for p in &mut found.passages {
        p.occurrences.iter_mut().for_each(|o| o.doc = kept[o.doc as usize]);
        p.docs.iter_mut().for_each(|d| *d = kept[*d as usize]);
    }
    for x in &mut found.anchors {
        (x.a, x.b) = (kept[x.a as usize], kept[x.b as usize]);
    }
    if anchors.is_none() {
        let mut shared = vec![0; texts.len()];
        for (&d, &n) in kept.iter().zip(&found.shared_chars) {
            shared[d as usize] = n;
        }
        found.shared_chars = shared;
    }
    found
}

/// [`repeats`] of documents none of which is empty.
fn repeats_in(texts: &[&str], min_chars: usize, anchors: Option<usize>) -> Repeats {
    let mut text = Text::new(texts);
    let alphabet = text.docs + text.chars.len();
    let (sa, mut lcp) = crate::suffix::documents_with_lcp(&mut text.symbols, text.docs, alphabet.max(1));
    // the separators sort first: leave them out
    let sa = &sa[text.docs.min(sa.len())..];
    lcp.drain(..text.docs.min(lcp.len()));
    if let Some(first) = lcp.first_mut() {
        *first = 0;
    }
    // matches stop at a line break: cap each LCP at the distance to the next line break or
    // document end (`stops`: their positions, in order)
    // next_stop[p]: the first line break or document end at or after p (one pass from the end;
    // the buffer becomes `reach` below)
    let mut next_stop = vec![0u32; text.symbols.len()];
    let mut stop = text.symbols.len() as u32;
    for p in (0..text.symbols.len()).rev() {
        if !text.in_line(p) {
            stop = p as u32;
        }
        next_stop[p] = stop;
    }
    lcp.par_iter_mut().zip(sa.par_iter()).for_each(|(l, &p)| *l = (*l).min(next_stop[p as usize] - p));
    let doc_of = |r: usize| text.doc_of(sa[r] as usize);

    // bit r: rank r + 1 has another document (another left character) than rank r. An interval
    // holds two documents (is left-maximal) exactly when a bit in lb..rb is set; the test reads
    // two rank lookups, so long repetitive documents (one line of 主题教育主题教育…, whose
    // intervals nest millions deep) stay linear.
    let differing = |differs: &(dyn Fn(usize) -> bool + Sync)| -> RankedBits {
        let words = (0..sa.len().div_ceil(64))
            .into_par_iter()
            .map(|w| {
                let end = ((w + 1) * 64).min(sa.len().saturating_sub(1));
                (w * 64..end).filter(|&r| differs(r)).fold(0u64, |bits, r| bits | 1 << (r % 64))
            })
            .collect();
        RankedBits::new(words)
    };
    let other_doc = differing(&|r| doc_of(r + 1) != doc_of(r));

    let shared_chars = if anchors.is_none() {
        // Longest prefix of each suffix that some other document also has: the LCP with the nearest
        // suffix of another document on either side in suffix order. `reach[p]` holds it for the
        // suffix at p, first from the left side, then turned into how far a covering match from p
        // reaches (0 for none of at least `min_chars`).
        let n = sa.len();
        let mut reach = next_stop;
        reach.par_iter_mut().for_each(|x| *x = 0);
        let mut run = 0u32;
        for r in 1..n {
            run = if other_doc.get(r - 1) { lcp[r] } else { run.min(lcp[r]) };
            reach[sa[r] as usize] = run;
        }
        let mut run = 0u32;
        for r in (0..n).rev() {
            if r + 1 < n {
                run = if other_doc.get(r) { lcp[r + 1] } else { run.min(lcp[r + 1]) };
            } else {
                run = 0;
            }
            let p = sa[r] as usize;
            let longest = reach[p].max(run) as usize;
            reach[p] = if longest >= min_chars { (p + longest) as u32 } else { 0 };
        }
        let shared_chars = coverage(&text, &reach);
        drop(reach);
        shared_chars
    } else {
        drop(next_stop);
        Vec::new()
    };

    // the character before each suffix; None at a boundary a passage cannot cross (the start of
    // a document or of a line), so that an occurrence at a boundary makes a repeat left-maximal
    let left = |r: usize| {
        let p = sa[r] as usize;
        (p > 0 && text.in_line(p - 1)).then(|| text.symbols[p - 1])
    };
    let other_left = differing(&|r| left(r + 1) != left(r));
    let sorted =
        align::Sorted { sa, text: &text, lcp: &lcp, other_doc: &other_doc, other_left: &other_left, left: &left };
    let found = match anchors {
        None => Repeats { passages: maximal_repeats(&text, &sorted, min_chars), shared_chars, anchors: Vec::new() },
        Some(max_docs) => {
            // at places within their documents
            let mut found = align::anchors(&sorted, max_docs, min_chars);
            for x in &mut found {
                x.pa -= text.doc_starts[x.a as usize];
                x.pb -= text.doc_starts[x.b as usize];
            }
            Repeats { passages: Vec::new(), shared_chars, anchors: found }
        }
    };
    drop((lcp, other_doc, other_left));
    found
}

/// The reuse of `texts` from its passages, the characters they cover and the aligned passages:
/// corpus-wide boilerplate, pairs, clusters of near-duplicates, characters copied.
fn finish(
    texts: &[&str],
    doc_chars: Vec<usize>,
    passages: Vec<Passage>,
    shared_chars: Vec<usize>,
    alignments: Vec<Alignment>,
    opts: ReuseOptions,
) -> Reuse {
    // corpus-wide boilerplate: passages in at least `common_docs` documents
    let mut common: Vec<Vec<(u32, u32)>> = vec![Vec::new(); texts.len()];
    for p in passages.iter().filter(|p| p.docs.len() >= opts.common_docs) {
        for o in &p.occurrences {
            common[o.doc as usize].push((o.start, o.start + p.chars as u32));
        }
    }
    let common_chars: Vec<usize> = common.par_iter_mut().map(|iv| union_len(iv)).collect();
    drop(common);

    let pairs = pairs(&passages, &alignments, opts.pair_max_docs);
    let cluster = clusters(texts, &passages, &pairs, &doc_chars, opts);
    let mut copied: Vec<Vec<(u32, u32)>> = vec![Vec::new(); texts.len()];
    for x in &alignments {
        copied[x.a as usize].push((x.a_start, x.a_end));
        copied[x.b as usize].push((x.b_start, x.b_end));
    }
    let copied_chars: Vec<usize> = copied.par_iter_mut().map(|iv| union_len(iv)).collect();
    Reuse { passages, shared_chars, common_chars, doc_chars, pairs, cluster, alignments, copied_chars }
}

/// Characters of each document covered by [p, reach[p]) for every position p.
fn coverage(text: &Text, reach: &[u32]) -> Vec<usize> {
    text.doc_starts
        .par_iter()
        .enumerate()
        .map(|(d, &start)| {
            let end = text.doc_starts.get(d + 1).map_or(text.symbols.len(), |&s| s as usize - 1);
            let (mut covered, mut until) = (0usize, 0u32);
            for (p, &r) in reach.iter().enumerate().take(end).skip(start as usize) {
                until = until.max(r);
                if until > p as u32 {
                    covered += 1;
                }
            }
            covered
        })
        .collect()
}

/// Bits over suffix ranks with the number of set bits before each 64-bit word, so that "is any
/// bit of a range set" costs two lookups however wide the range (an LCP interval of a long
/// repetitive document spans millions of ranks, and such intervals nest millions deep).
struct RankedBits {
    words: Vec<u64>,
    /// Set bits in `words[..w]`.
    before: Vec<u32>,
}

impl RankedBits {
    fn new(words: Vec<u64>) -> Self {
        let mut before = Vec::with_capacity(words.len() + 1);
        let mut total = 0u32;
        before.push(0);
        for w in &words {
            total += w.count_ones();
            before.push(total);
        }
        RankedBits { words, before }
    }

    /// Set bits in `0..i`.
    fn rank(&self, i: usize) -> u32 {
        let (w, b) = (i / 64, i % 64);
        let partial = if b == 0 { 0 } else { (self.words[w] & (u64::MAX >> (64 - b))).count_ones() };
        self.before[w] + partial
    }

    /// Bit `i`.
    fn get(&self, i: usize) -> bool {
        self.words[i / 64] >> (i % 64) & 1 == 1
    }

    /// True when a bit in `lb..rb` (rb excluded) is set.
    fn any(&self, lb: usize, rb: usize) -> bool {
        lb < rb && self.rank(rb) > self.rank(lb)
    }
}

/// Every maximal repeat of at least `min` characters that occurs in two or more documents.
fn maximal_repeats(text: &Text, s: &align::Sorted, min: usize) -> Vec<Passage> {
    let sa = s.sa;
    let mut intervals: Vec<(usize, usize, usize)> = Vec::new();
    crate::suffix::lcp_intervals(
        sa.len(),
        |i| s.lcp[i] as usize,
        |len, lb, rb| {
            if len >= min {
                intervals.push((len, lb, rb));
            }
        },
    );
    let mut passages: Vec<Passage> = intervals
        .par_iter()
        .filter_map(|&(len, lb, rb)| {
            if !s.other_doc.any(lb, rb) {
                return None;
            }
            // left-maximal: not every occurrence follows the same character
            if (s.left)(lb).is_some() && !s.other_left.any(lb, rb) {
                return None;
            }
            let mut docs: Vec<u32> = (lb..=rb).map(|r| s.doc(r)).collect();
            docs.sort_unstable();
            docs.dedup();
            let start = sa[lb] as usize;
            let mut occurrences: Vec<Occurrence> = (lb..=rb)
                .map(|r| {
                    let d = s.doc(r);
                    Occurrence { doc: d, start: sa[r] - text.doc_starts[d as usize] }
                })
                .collect();
            occurrences.sort_unstable_by_key(|o| (o.doc, o.start));
            Some(Passage { text: text.string(start, len), chars: len, occurrences, docs })
        })
        .collect();
    passages.par_sort_unstable_by(|a, b| {
        b.docs.len().cmp(&a.docs.len()).then(b.chars.cmp(&a.chars)).then(a.text.cmp(&b.text))
    });
    passages
}

/// Document pairs from passages in at most `max_docs` documents and from aligned passages: for
/// each ordered pair, the characters of the first covered by passages the second also has, and
/// inside their aligned passages.
fn pairs(passages: &[Passage], alignments: &[Alignment], max_docs: usize) -> Vec<Pair> {
    // (document, other document, start, end) of every occurrence, sorted
    let mut spans: Vec<(u32, u32, u32, u32)> = passages
        .par_iter()
        .filter(|p| p.docs.len() <= max_docs)
        .flat_map_iter(|p| {
            p.occurrences.iter().flat_map(move |o| {
                let span = (o.start, o.start + p.chars as u32);
                p.docs.iter().filter(move |&&other| other != o.doc).map(move |&other| (o.doc, other, span.0, span.1))
            })
        })
        .collect();
    spans.par_sort_unstable();
    // characters of the first document covered, per ordered pair, sorted by pair
    let union_by_pair = |spans: &[(u32, u32, u32, u32)]| -> Vec<((u32, u32), usize)> {
        spans
            .chunk_by(|x, y| (x.0, x.1) == (y.0, y.1))
            .map(|c| ((c[0].0, c[0].1), union_len(&mut c.iter().map(|s| (s.2, s.3)).collect::<Vec<_>>())))
            .collect()
    };
    let covered = union_by_pair(&spans);
    drop(spans);
    let mut sides: Vec<(u32, u32, u32, u32)> =
        alignments.iter().flat_map(|x| [(x.a, x.b, x.a_start, x.a_end), (x.b, x.a, x.b_start, x.b_end)]).collect();
    sides.par_sort_unstable();
    let aligned = union_by_pair(&sides);
    drop(sides);
    let find = |list: &[((u32, u32), usize)], key: (u32, u32)| {
        list.binary_search_by_key(&key, |e| e.0).map_or(0, |i| list[i].1)
    };
    let mut keys: Vec<(u32, u32)> = covered.iter().chain(&aligned).map(|e| e.0).filter(|(a, b)| a < b).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter()
        .map(|(a, b)| Pair {
            a,
            b,
            shared_a: find(&covered, (a, b)),
            shared_b: find(&covered, (b, a)),
            aligned_a: find(&aligned, (a, b)),
            aligned_b: find(&aligned, (b, a)),
        })
        .collect()
}

/// Near-duplicate clusters, numbered from 1 in document order. Two documents are joined when
/// their pair shares at least `duplicate_share` of each; when one passage in more than
/// `pair_max_docs` documents (which feeds no pair) covers that share of each; or when their
/// clean texts are identical and at least `min_chars` long. Clusters are the connected groups.
fn clusters(
    texts: &[&str],
    passages: &[Passage],
    pairs: &[Pair],
    chars: &[usize],
    opts: ReuseOptions,
) -> Vec<Option<u32>> {
    let docs = texts.len();
    let share = opts.duplicate_share;
    let mut sets = DisjointSets::new(docs);
    for p in pairs {
        let (a, b) = (p.a as usize, p.b as usize);
        let share_a = p.shared_a as f64 / chars[a].max(1) as f64;
        let share_b = p.shared_b as f64 / chars[b].max(1) as f64;
        if share_a >= share && share_b >= share {
            sets.join(a, b);
        }
    }
    for p in passages.iter().filter(|p| p.docs.len() > opts.pair_max_docs) {
        let mut first: Option<usize> = None;
        for run in p.occurrences.chunk_by(|x, y| x.doc == y.doc) {
            let d = run[0].doc as usize;
            let mut spans: Vec<(u32, u32)> = run.iter().map(|o| (o.start, o.start + p.chars as u32)).collect();
            if union_len(&mut spans) as f64 / chars[d].max(1) as f64 >= share {
                match first {
                    Some(f) => sets.join(f, d),
                    None => first = Some(d),
                }
            }
        }
    }
    let mut by_text: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (d, t) in texts.iter().enumerate().filter(|(d, _)| chars[*d] >= opts.min_chars.max(1)) {
        match by_text.get(t) {
            Some(&f) => sets.join(f, d),
            None => {
                by_text.insert(t, d);
            }
        }
    }
    sets.numbered()
}

/// Union-find over documents that remembers which were joined to another.
struct DisjointSets {
    parent: Vec<usize>,
    linked: Vec<bool>,
}

impl DisjointSets {
    fn new(n: usize) -> Self {
        DisjointSets { parent: (0..n).collect(), linked: vec![false; n] }
    }

    fn root(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        self.parent[ra.max(rb)] = ra.min(rb);
        self.linked[a] = true;
        self.linked[b] = true;
    }

    /// Each joined element's group, numbered from 1 in order of the group's first element.
    fn numbered(mut self) -> Vec<Option<u32>> {
        let mut number: BTreeMap<usize, u32> = BTreeMap::new();
        (0..self.parent.len())
            .map(|d| {
                self.linked[d].then(|| {
                    let r = self.root(d);
                    let next = number.len() as u32 + 1;
                    *number.entry(r).or_insert(next)
                })
            })
            .collect()
    }
}

impl Reuse {
    /// The `reuse_passages` table: passage, chars, doc_count, occurrences, first_doc, first_date.
    /// The first document is the earliest dated one, else the first in input order.
    pub fn passages_table(&self, docs: &[DocRef]) -> Result<DataFrame> {
        const T: &str = "reuse_passages";
        let first = |p: &Passage| {
            let d = *p
                .docs
                .iter()
                .min_by(|&&a, &&b| {
                    let (da, db) = (docs[a as usize].date, docs[b as usize].date);
                    da.is_none().cmp(&db.is_none()).then(da.cmp(&db)).then(a.cmp(&b))
                })
                .unwrap_or(&0);
            docs[d as usize]
        };
        let n = self.passages.len();
        DataFrame::new(
            n,
            vec![
                Column::new("passage".into(), self.passages.iter().map(|p| p.text.as_str()).collect::<Vec<_>>()),
                Column::new("chars".into(), self.passages.iter().map(|p| p.chars as u64).collect::<Vec<_>>()),
                Column::new("doc_count".into(), self.passages.iter().map(|p| p.docs.len() as u64).collect::<Vec<_>>()),
                Column::new(
                    "occurrences".into(),
                    self.passages.iter().map(|p| p.occurrences.len() as u64).collect::<Vec<_>>(),
                ),
                Column::new("first_doc".into(), self.passages.iter().map(|p| first(p).doc_id).collect::<Vec<_>>()),
                Column::new("first_date".into(), self.passages.iter().map(|p| first(p).date).collect::<Vec<_>>()),
            ],
        )
        .table(T)
    }

    /// The `reuse_pairs` table: doc_a, doc_b, shared_chars (of doc_a), shared_chars_b, share_a,
    /// share_b, aligned_share_a, aligned_share_b (inside the pair's aligned passages), sorted by
    /// shared characters, then by aligned characters, then by the documents.
    pub fn pairs_table(&self, docs: &[DocRef]) -> Result<DataFrame> {
        const T: &str = "reuse_pairs";
        let mut pairs = self.pairs.clone();
        pairs.sort_by(|x, y| {
            (y.shared_a + y.shared_b)
                .cmp(&(x.shared_a + x.shared_b))
                .then((y.aligned_a + y.aligned_b).cmp(&(x.aligned_a + x.aligned_b)))
                .then((x.a, x.b).cmp(&(y.a, y.b)))
        });
        let share = |c: usize, d: u32| round4(c as f64 / self.doc_chars[d as usize].max(1) as f64);
        let n = pairs.len();
        let column =
            |name: &str, f: &dyn Fn(&Pair) -> f64| Column::new(name.into(), pairs.iter().map(f).collect::<Vec<_>>());
        DataFrame::new(
            n,
            vec![
                Column::new("doc_a".into(), pairs.iter().map(|p| docs[p.a as usize].doc_id).collect::<Vec<_>>()),
                Column::new("doc_b".into(), pairs.iter().map(|p| docs[p.b as usize].doc_id).collect::<Vec<_>>()),
                Column::new("shared_chars".into(), pairs.iter().map(|p| p.shared_a as u64).collect::<Vec<_>>()),
                Column::new("shared_chars_b".into(), pairs.iter().map(|p| p.shared_b as u64).collect::<Vec<_>>()),
                column("share_a", &|p| share(p.shared_a, p.a)),
                column("share_b", &|p| share(p.shared_b, p.b)),
                column("aligned_share_a", &|p| share(p.aligned_a, p.a)),
                column("aligned_share_b", &|p| share(p.aligned_b, p.b)),
            ],
        )
        .table(T)
    }

    /// The `reuse_alignments` table: doc_a, doc_b, a_start, a_end, b_start, b_end (characters of
    /// the clean texts), chars_a, chars_b, matched_chars, similarity, edits, text_a, text_b; by
    /// documents in input order, then position. `texts` are the clean texts reuse ran on.
    pub fn alignments_table(&self, docs: &[DocRef], texts: &[&str]) -> Result<DataFrame> {
        const T: &str = "reuse_alignments";
        let al = &self.alignments;
        let u64s =
            |name: &str, f: &dyn Fn(&Alignment) -> u64| Column::new(name.into(), al.iter().map(f).collect::<Vec<_>>());
        let sides: Vec<(String, String)> =
            al.par_iter().map(|x| x.texts(texts[x.a as usize], texts[x.b as usize])).collect();
        DataFrame::new(
            al.len(),
            vec![
                Column::new("doc_a".into(), al.iter().map(|x| docs[x.a as usize].doc_id).collect::<Vec<_>>()),
                Column::new("doc_b".into(), al.iter().map(|x| docs[x.b as usize].doc_id).collect::<Vec<_>>()),
                u64s("a_start", &|x| x.a_start as u64),
                u64s("a_end", &|x| x.a_end as u64),
                u64s("b_start", &|x| x.b_start as u64),
                u64s("b_end", &|x| x.b_end as u64),
                u64s("chars_a", &|x| x.chars_a() as u64),
                u64s("chars_b", &|x| x.chars_b() as u64),
                u64s("matched_chars", &|x| x.matched as u64),
                Column::new("similarity".into(), al.iter().map(|x| round4(x.similarity())).collect::<Vec<_>>()),
                u64s("edits", &|x| x.edits as u64),
                Column::new("text_a".into(), sides.iter().map(|s| s.0.as_str()).collect::<Vec<_>>()),
                Column::new("text_b".into(), sides.iter().map(|s| s.1.as_str()).collect::<Vec<_>>()),
            ],
        )
        .table(T)
    }

    /// Share of document `d` inside an aligned passage (a near-copy or exact copy of at least
    /// the aligned length) that another document also has.
    pub fn copied_ratio(&self, d: usize) -> f64 {
        round4(self.copied_chars[d] as f64 / self.doc_chars[d].max(1) as f64)
    }

    /// Share of document `d` covered by text shared with another document.
    pub fn ratio(&self, d: usize) -> f64 {
        round4(self.shared_chars[d] as f64 / self.doc_chars[d].max(1) as f64)
    }

    /// Share of document `d` covered by passages in at least `common_docs` documents.
    pub fn common_ratio(&self, d: usize) -> f64 {
        round4(self.common_chars[d] as f64 / self.doc_chars[d].max(1) as f64)
    }
}

/// One occurrence of a shared passage in a document, and who else has it.
#[derive(Debug, Clone)]
pub struct SharedPassage {
    /// Character offset in the document's clean text.
    pub start: usize,
    pub chars: usize,
    pub text: String,
    /// The other documents with this passage, in input order.
    pub others: Vec<String>,
}

/// What one document shares with the others.
#[derive(Debug, Clone)]
pub struct DocumentReuse {
    pub doc_id: String,
    pub title: String,
    pub chars: usize,
    pub boilerplate_ratio: f64,
    pub common_ratio: f64,
    pub copied_ratio: f64,
    /// Passages in text order (longer first where two start together).
    pub passages: Vec<SharedPassage>,
    /// Aligned passages in text order, each seen from this document (its side is `a`).
    pub aligned: Vec<AlignedPassage>,
}

/// An aligned passage of one document with another.
#[derive(Debug, Clone)]
pub struct AlignedPassage {
    pub other: String,
    pub alignment: Alignment,
    pub pieces: Vec<Piece>,
}

impl Reuse {
    /// What document `d` of `docs` (the documents reuse ran on, with clean texts `texts`)
    /// shares with the others.
    pub fn document(&self, docs: &[DocMeta], texts: &[&str], d: usize) -> DocumentReuse {
        let mut passages: Vec<SharedPassage> = self
            .passages
            .iter()
            .flat_map(|p| {
                let others: Vec<String> =
                    p.docs.iter().filter(|&&o| o as usize != d).map(|&o| docs[o as usize].doc_id.clone()).collect();
                p.occurrences.iter().filter(|o| o.doc as usize == d).map(move |o| SharedPassage {
                    start: o.start as usize,
                    chars: p.chars,
                    text: p.text.clone(),
                    others: others.clone(),
                })
            })
            .collect();
        passages.sort_by(|a, b| a.start.cmp(&b.start).then(b.chars.cmp(&a.chars)).then(a.text.cmp(&b.text)));
        DocumentReuse {
            doc_id: docs[d].doc_id.clone(),
            title: docs[d].title.clone(),
            chars: self.doc_chars[d],
            boilerplate_ratio: self.ratio(d),
            common_ratio: self.common_ratio(d),
            copied_ratio: self.copied_ratio(d),
            passages,
            aligned: self.aligned_with(docs, texts, d),
        }
    }

    /// The aligned passages of document `d`, seen from it, in text order.
    fn aligned_with(&self, docs: &[DocMeta], texts: &[&str], d: usize) -> Vec<AlignedPassage> {
        let d = d as u32;
        let mut mine: Vec<Alignment> = self
            .alignments
            .iter()
            .filter(|x| x.a == d || x.b == d)
            .map(|x| if x.a == d { x.clone() } else { x.flipped() })
            .collect();
        mine.sort_by_key(|x| (x.a_start, x.b, x.b_start));
        mine.into_iter()
            .map(|x| AlignedPassage {
                other: docs[x.b as usize].doc_id.clone(),
                pieces: x.pieces(texts[x.a as usize], texts[x.b as usize]),
                alignment: x,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(r: &Reuse) -> Vec<(String, usize, usize)> {
        r.passages.iter().map(|p| (p.text.clone(), p.docs.len(), p.occurrences.len())).collect()
    }

    const SHARED: &str = "共同把党锻造成一块攻无不克、战无不胜的坚硬钢铁";

    #[test]
    fn documents_without_shared_windows_change_no_other_documents_reuse() {
        // copied and edited sentences among six documents, then the same corpus with empty and
        // too short documents (no window, so no stretch) put before, between and after them
        let sentences = [
            "坚持以人民为中心的发展思想，不断实现人民对美好生活的向往",
            "全面贯彻新时代中国特色社会主义思想，推动高质量发展",
            "统筹发展和安全，以新安全格局保障新发展格局",
            "深化改革开放，增强发展内生动力和活力",
        ];
        let mut g = crate::testgen::Lcg(7);
        let docs: Vec<String> = (0..6)
            .map(|_| {
                (0..4)
                    .map(|_| {
                        let mut s: Vec<char> = sentences[g.next(sentences.len())].chars().collect();
                        let k = g.next(s.len());
                        s[k] = '新'; // a near-copy, now and then
                        s.into_iter().collect::<String>() + "。"
                    })
                    .collect()
            })
            .collect();
        let lone = ["", "短文", ""];
        let mut with: Vec<&str> = Vec::new();
        let mut place = Vec::new(); // where each of `docs` stands in `with`
        for (i, d) in docs.iter().enumerate() {
            if i % 2 == 0 {
                with.push(lone[i / 2]);
            }
            place.push(with.len() as u32);
            with.push(d);
        }
        with.push("");
        let plain: Vec<&str> = docs.iter().map(String::as_str).collect();
        let (a, b) = (find_reuse(&plain, ReuseOptions::default()), find_reuse(&with, ReuseOptions::default()));
        assert!(!a.passages.is_empty() && !a.alignments.is_empty());
        let moved = |d: u32| place[d as usize];
        let passages: Vec<Passage> = a
            .passages
            .iter()
            .map(|p| Passage {
                occurrences: p.occurrences.iter().map(|o| Occurrence { doc: moved(o.doc), ..*o }).collect(),
                docs: p.docs.iter().map(|&d| moved(d)).collect(),
                ..p.clone()
            })
            .collect();
        assert_eq!(b.passages, passages);
        let alignments: Vec<Alignment> =
            a.alignments.iter().map(|x| Alignment { a: moved(x.a), b: moved(x.b), ..x.clone() }).collect();
        assert_eq!(b.alignments, alignments);
        let pairs: Vec<(u32, u32, usize, usize)> =
            a.pairs.iter().map(|p| (moved(p.a), moved(p.b), p.shared_a, p.aligned_b)).collect();
        assert_eq!(b.pairs.iter().map(|p| (p.a, p.b, p.shared_a, p.aligned_b)).collect::<Vec<_>>(), pairs);
        for (d, &n) in a.shared_chars.iter().enumerate() {
            assert_eq!(b.shared_chars[moved(d as u32) as usize], n);
        }
        assert_eq!(b.shared_chars.iter().sum::<usize>(), a.shared_chars.iter().sum::<usize>());
    }

    #[test]
    fn exact_boundaries_of_a_passage_shared_by_three_documents() {
        let docs = [format!("甲说：{SHARED}。好"), format!("乙讲，{SHARED}！"), SHARED.to_string()];
        let refs: Vec<&str> = docs.iter().map(String::as_str).collect();
        let r = find_reuse(&refs, ReuseOptions { min_chars: 10, ..Default::default() });
        // the passage starts where the three texts start to agree and ends where they stop
        assert_eq!(texts(&r), [(SHARED.to_string(), 3, 3)]);
        let n = SHARED.chars().count();
        assert_eq!(r.shared_chars, [n, n, n]);
        assert_eq!(r.common_chars, [n, n, n]);
        assert_eq!(r.passages[0].occurrences[0], Occurrence { doc: 0, start: 3 });
    }

    #[test]
    fn overlapping_passages_and_a_longer_one_shared_by_two() {
        // a and b share "ABCDEFGHIJKLMNOP" (16); c shares only "GHIJKLMNOP" (10) with them
        let a = "一二三四五六七八九十甲乙丙丁戊己。";
        let b = "问一二三四五六七八九十甲乙丙丁戊己答";
        let c = "七八九十甲乙丙丁戊己！";
        let r = find_reuse(&[a, b, c], ReuseOptions { min_chars: 8, ..Default::default() });
        assert_eq!(
            texts(&r),
            [("七八九十甲乙丙丁戊己".to_string(), 3, 3), ("一二三四五六七八九十甲乙丙丁戊己".to_string(), 2, 2)]
        );
        assert_eq!(r.shared_chars, [16, 16, 10]);
        assert_eq!(r.common_chars, [10, 10, 10]);
        assert_eq!(r.pairs.len(), 3);
        let ab = r.pairs.iter().find(|p| (p.a, p.b) == (0, 1)).unwrap();
        assert_eq!((ab.shared_a, ab.shared_b), (16, 16));
    }

    #[test]
    fn passages_stop_at_line_breaks() {
        let a = "央视网消息（新闻联播）：第一条新闻\n央视网消息（新闻联播）：第二条";
        let b = "标题\n央视网消息（新闻联播）：另一条消息";
        let r = find_reuse(&[a, b], ReuseOptions { min_chars: 10, ..Default::default() });
        assert_eq!(texts(&r), [("央视网消息（新闻联播）：".to_string(), 2, 3)]);
    }

    #[test]
    fn ranked_bits_answer_every_range_like_a_scan() {
        let mut state = 7u64;
        let mut one_in_ten = || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33).is_multiple_of(10)
        };
        for len in [1usize, 63, 64, 65, 200, 1000] {
            let bits: Vec<bool> = (0..len).map(|_| one_in_ten()).collect();
            let mut words = vec![0u64; len.div_ceil(64)];
            for (i, _) in bits.iter().enumerate().filter(|(_, b)| **b) {
                words[i / 64] |= 1 << (i % 64);
            }
            let ranked = RankedBits::new(words);
            for lb in 0..=len {
                for rb in lb..=len {
                    assert_eq!(ranked.any(lb, rb), bits[lb..rb].iter().any(|b| *b), "{len} {lb}..{rb}");
                }
            }
        }
    }

    /// A 4-million-character line of one repeated phrase, shared with a second document: found
    /// in linear time (the nested LCP intervals once took minutes).
    #[test]
    fn a_long_repetitive_line_is_fast_and_exact() {
        let long = "主题教育学习贯彻".repeat(500_000);
        let r = find_reuse(&[&long, "主题教育学习贯彻主题教育学习贯彻主题教育学习贯彻"], ReuseOptions::default());
        assert_eq!(r.shared_chars[1], 24);
        assert_eq!(r.shared_chars[0], long.chars().count());
    }

    #[test]
    fn repeats_within_one_document_are_not_reuse() {
        let a = "学思想强党性重实践建新功。学思想强党性重实践建新功。";
        let b = "完全不同的另一篇讲话稿件内容。";
        let r = find_reuse(&[a, b], ReuseOptions { min_chars: 5, ..Default::default() });
        assert!(r.passages.is_empty());
        assert_eq!(r.shared_chars, [0, 0]);
    }

    #[test]
    fn a_paragraph_that_fills_a_whole_line_is_a_passage() {
        let body = "今天我们召开学习贯彻主题教育工作会议，主要任务是深入学习贯彻重要讲话精神。";
        let a = format!("标题甲\n{body}");
        let b = format!("第二篇的标题\n{body}\n结尾不同");
        let r = find_reuse(&[a.as_str(), b.as_str()], ReuseOptions::default());
        let n = body.chars().count();
        assert_eq!(texts(&r), [(body.to_string(), 2, 2)]);
        assert_eq!(r.shared_chars, [n, n]);
        // 37 characters: shorter than an aligned passage
        assert_eq!(r.pairs, [Pair { a: 0, b: 1, shared_a: n, shared_b: n, aligned_a: 0, aligned_b: 0 }]);
    }

    #[test]
    fn identical_documents_share_every_line() {
        let doc = "我的心得体会\n通过这次主题教育，我深刻认识到理论学习的重要性和紧迫性。\n今后要把学习成果转化为推动工作的实际成效！";
        let r = find_reuse(&[doc, doc, doc], ReuseOptions { min_chars: 5, ..Default::default() });
        let lines: Vec<&str> = doc.lines().collect();
        assert_eq!(r.passages.len(), 3);
        assert!(r.passages.iter().all(|p| p.docs == [0, 1, 2] && lines.contains(&p.text.as_str())));
        let chars = doc.chars().filter(|&c| c != '\n').count();
        assert_eq!(r.shared_chars, [chars; 3]);
        assert_eq!(r.common_chars, [chars; 3]);
        assert!(r.pairs.iter().all(|p| (p.shared_a, p.shared_b) == (chars, chars)));
        assert_eq!(r.cluster, [Some(1); 3]);
    }

    #[test]
    fn near_duplicates_cluster() {
        let body = "今天我们召开学习贯彻主题教育工作会议，主要任务是深入学习贯彻重要讲话精神，对全市开展主题教育进行安排部署。";
        let a = format!("提纲一{body}");
        let b = format!("提纲二{body}");
        let c = "一篇完全无关的新闻稿，讲的是天气和交通情况。".to_string();
        let r = find_reuse(&[a.as_str(), b.as_str(), c.as_str()], ReuseOptions::default());
        assert_eq!(r.cluster, [Some(1), Some(1), None]);
    }
}

#[cfg(test)]
mod reference {
    //! Reuse recomputed by brute force on generated corpora: a character of document `a` is shared
    //! with `b` exactly when some `min_chars`-character window within one line of `a` that holds
    //! it also occurs in `b`.

    use super::*;
    use crate::testgen::Lcg;

    const ALPHABET: &str =
        "党的建设发展改革人民群众思想政治工作会议精神学习贯彻落实全面从严治理国家社会经济文化，。、；";

    /// `min` to `min + spread - 1` random characters.
    fn random_text(g: &mut Lcg, min: usize, spread: usize) -> String {
        let len = min + g.next(spread.max(1));
        let chars: Vec<char> = ALPHABET.chars().collect();
        (0..len).map(|_| chars[g.next(chars.len())]).collect()
    }

    /// Documents with the awkward cases: paragraphs copied as whole lines and at the start,
    /// middle and end of lines, a paragraph cut by a line break, repeats within one document,
    /// and whole documents copied `copies` times.
    fn corpus(seed: u64, copies: &[usize]) -> Vec<String> {
        let mut g = Lcg(seed);
        let paragraphs: Vec<String> = (0..8).map(|i| random_text(&mut g, 15 + i * 9, 1)).collect();
        let mut docs: Vec<String> = Vec::new();
        for d in 0..10 {
            let mut lines: Vec<String> = vec![format!("第{d}篇{}", random_text(&mut g, 6, 1))];
            for _ in 0..4 + g.next(4) {
                let p = &paragraphs[g.next(paragraphs.len())];
                let line = match g.next(7) {
                    0 => p.clone(),
                    1 => format!("{p}{}", random_text(&mut g, 1, 10)),
                    2 => format!("{}{p}", random_text(&mut g, 1, 10)),
                    3 => format!("{}{p}{}", random_text(&mut g, 3, 1), random_text(&mut g, 3, 1)),
                    4 => {
                        let cut = p.char_indices().nth(p.chars().count() / 2).map_or(0, |(i, _)| i);
                        format!("{}\n{}", &p[..cut], &p[cut..])
                    }
                    5 => format!("{p}{p}"),
                    _ => random_text(&mut g, 10, 40),
                };
                lines.push(line);
            }
            docs.push(lines.join("\n"));
        }
        for (i, &n) in copies.iter().enumerate() {
            let copy = docs[i].clone();
            docs.extend(std::iter::repeat_n(copy, n - 1));
        }
        docs
    }

    /// For each document, which of its characters lie in a window of `min` characters, within
    /// one line, that `inside(window)` accepts.
    fn covered(text: &str, min: usize, inside: impl Fn(&str) -> bool) -> Vec<bool> {
        let chars: Vec<char> = text.chars().collect();
        let mut cover = vec![false; chars.len()];
        for i in 0..chars.len().saturating_sub(min - 1) {
            let window = &chars[i..i + min];
            if !window.contains(&'\n') && inside(&window.iter().collect::<String>()) {
                cover[i..i + min].iter_mut().for_each(|c| *c = true);
            }
        }
        cover
    }

    fn count(cover: &[bool]) -> usize {
        cover.iter().filter(|&&c| c).count()
    }

    #[test]
    fn the_shards_window_tables_added_up_find_the_reuse_of_one_table() {
        // whole documents copied (into other shards, or the same), lines copied, and lines
        // of one document copied within it
        for (seed, copies) in [(21, &[3, 2][..]), (22, &[2, 2, 2][..]), (23, &[][..]), (24, &[7][..])] {
            let docs = corpus(seed, copies);
            let refs: Vec<&str> = docs.iter().map(String::as_str).collect();
            let opts = ReuseOptions::default();
            let k = opts.align.anchor_chars;
            let whole = find_reuse(&refs, opts);
            assert!(!whole.passages.is_empty() && !whole.alignments.is_empty(), "seed {seed}");
            let chars: usize = refs.iter().map(|t| t.chars().count()).sum();
            for shards in [1, 2, 3, 5] {
                // documents dealt to the shards in turn; tables sized for the whole corpus, or
                // smaller (added up as copies of themselves)
                let sum = (0..shards)
                    .map(|s| {
                        let mine: Vec<&str> = refs.iter().skip(s).step_by(shards).copied().collect();
                        stretches::window_table(&mine, k, chars >> (s % 3))
                    })
                    .reduce(KeyBits::add_table)
                    .expect("a shard");
                let got = find_reuse_with(&refs, opts, sum.clone()).expect("the shards' own tables");
                assert!(got == whole, "seed {seed}, {shards} shards: the reuse differs");
                // a table that lacks a shard's windows, or is of other windows, is refused
                if shards > 1 {
                    let some: Vec<&str> = refs.iter().skip(1).step_by(shards).copied().collect();
                    let part = stretches::window_table(&some, k, chars);
                    assert!(find_reuse_with(&refs, opts, part).is_none(), "seed {seed}, {shards} shards");
                }
                let other = stretches::window_table(&refs, k + 1, chars);
                assert!(find_reuse_with(&refs, opts, other).is_none());
                let short = ReuseOptions { min_chars: k - 1, ..opts };
                assert!(find_reuse_with(&refs, short, sum).is_none());
            }
        }
    }

    #[test]
    fn the_passages_of_the_stretches_are_the_whole_texts() {
        for (seed, copies) in [(11, &[][..]), (12, &[3, 2][..]), (13, &[25][..]), (14, &[2, 2, 2][..])] {
            let docs = corpus(seed, copies);
            let refs: Vec<&str> = docs.iter().map(String::as_str).collect();
            let opts = ReuseOptions::default();
            let whole = find_reuse(&refs, opts);
            assert!(!whole.passages.is_empty(), "seed {seed}");
            // the windows two documents have, counted by brute force; and with every fifth
            // window taken for shared too, as a colliding hash would
            let min = opts.min_chars;
            let mut docs_of: std::collections::HashMap<Vec<char>, Vec<usize>> = Default::default();
            for (d, t) in refs.iter().enumerate() {
                for line in t.split('\n') {
                    let chars: Vec<char> = line.chars().collect();
                    for w in chars.windows(min) {
                        let ds = docs_of.entry(w.to_vec()).or_default();
                        if ds.last() != Some(&d) {
                            ds.push(d);
                        }
                    }
                }
            }
            for loose in [false, true] {
                let shared =
                    |w: &[char]| docs_of[w].len() >= 2 || (loose && (w[0] as u32 + w[1] as u32).is_multiple_of(5));
                let st: Vec<Vec<(u32, u32)>> = refs.iter().map(|t| stretches::stretches(t, min, shared)).collect();
                let cut = stretches::passages_in(&refs, &st, opts);
                assert_eq!(cut.passages, whole.passages, "seed {seed}, loose {loose}");
                assert_eq!(cut.shared_chars, whole.shared_chars, "seed {seed}");
                assert_eq!(cut.common_chars, whole.common_chars, "seed {seed}");
                assert_eq!(cut.doc_chars, whole.doc_chars, "seed {seed}");
                for p in &cut.passages {
                    for o in &p.occurrences {
                        let at: String = refs[o.doc as usize].chars().skip(o.start as usize).take(p.chars).collect();
                        assert_eq!(at, p.text);
                    }
                }
                let shared_pairs = |r: &Reuse| -> Vec<(u32, u32, usize, usize)> {
                    r.pairs.iter().filter(|p| p.shared_a > 0).map(|p| (p.a, p.b, p.shared_a, p.shared_b)).collect()
                };
                assert_eq!(shared_pairs(&cut), shared_pairs(&whole), "seed {seed}");
                // the stretches hold less than the whole text
                let kept: u32 = st.iter().flatten().map(|&(s, e)| e - s).sum();
                assert!((kept as usize) < whole.doc_chars.iter().sum::<usize>(), "seed {seed}");
            }
        }
    }

    fn check(docs: &[String], min: usize) {
        let refs: Vec<&str> = docs.iter().map(String::as_str).collect();
        let opts = ReuseOptions { min_chars: min, pair_max_docs: usize::MAX, ..Default::default() };
        let r = find_reuse(&refs, opts);
        let n = docs.len();
        for a in 0..n {
            let shared = covered(&docs[a], min, |w| (0..n).any(|b| b != a && docs[b].contains(w)));
            assert_eq!(r.shared_chars[a], count(&shared), "shared_chars of document {a}");
            let common = covered(&docs[a], min, |w| docs.iter().filter(|t| t.contains(w)).count() >= opts.common_docs);
            assert_eq!(r.common_chars[a], count(&common), "common_chars of document {a}");
            for b in 0..n {
                if a == b {
                    continue;
                }
                let want = count(&covered(&docs[a], min, |w| docs[b].contains(w)));
                let pair = r.pairs.iter().find(|p| (p.a as usize, p.b as usize) == (a.min(b), a.max(b)));
                let got = pair.map_or(0, |p| if a < b { p.shared_a } else { p.shared_b });
                assert_eq!(got, want, "characters of document {a} shared with {b}");
            }
        }
        for p in &r.passages {
            assert!(p.chars >= min && p.docs.len() >= 2 && !p.text.contains('\n'), "{p:?}");
            let mut found = Vec::new();
            for (d, t) in docs.iter().enumerate() {
                for (start, (byte, _)) in t.char_indices().enumerate() {
                    if t[byte..].starts_with(&p.text) {
                        found.push(Occurrence { doc: d as u32, start: start as u32 });
                    }
                }
            }
            assert_eq!(p.occurrences, found, "occurrences of {}", p.text);
        }
    }

    /// Edit distance by the textbook recurrence over whole strings.
    fn levenshtein(a: &[char], b: &[char]) -> u32 {
        let mut row: Vec<u32> = (0..=b.len() as u32).collect();
        for i in 1..=a.len() {
            let mut prev = row[0];
            row[0] = i as u32;
            for j in 1..=b.len() {
                let here = (prev + u32::from(a[i - 1] != b[j - 1])).min(row[j] + 1).min(row[j - 1] + 1);
                prev = row[j];
                row[j] = here;
            }
        }
        row[b.len()]
    }

    /// Every aligned passage is what its steps say on the two texts, within the thresholds, with
    /// no fewer edits than the true edit distance; and every character of `a` in a window of
    /// the aligned length, within a line, that `b` has exactly is inside a passage of the pair.
    fn check_alignments(docs: &[String]) {
        let refs: Vec<&str> = docs.iter().map(String::as_str).collect();
        let opts =
            ReuseOptions { align: AlignOptions { min_chars: 30, ..AlignOptions::default() }, ..Default::default() };
        let r = find_reuse(&refs, opts);
        let chars: Vec<Vec<char>> = docs.iter().map(|d| d.chars().collect()).collect();
        for x in &r.alignments {
            let (a, b) = (&chars[x.a as usize], &chars[x.b as usize]);
            let (sa, sb) = (&a[x.a_start as usize..x.a_end as usize], &b[x.b_start as usize..x.b_end as usize]);
            let (mut i, mut j, mut matched) = (0usize, 0usize, 0u32);
            for s in &x.steps {
                match *s {
                    Step::Same(n) => {
                        assert_eq!(sa[i..i + n as usize], sb[j..j + n as usize], "{x:?}");
                        (i, j, matched) = (i + n as usize, j + n as usize, matched + n);
                    }
                    Step::Differ { a, b } => (i, j) = (i + a as usize, j + b as usize),
                }
            }
            assert_eq!((i, j, matched), (sa.len(), sb.len(), x.matched), "{x:?}");
            assert!(x.edits >= levenshtein(sa, sb), "{x:?}");
            assert!(x.similarity() >= opts.align.min_similarity, "{x:?}");
            // shorter than the least length only next to another passage of the pair, in order
            let longer = sa.len().max(sb.len());
            let next_to = |p: &Alignment| {
                let gaps = |p: &Alignment, q: &Alignment| {
                    (i64::from(q.a_start) - i64::from(p.a_end), i64::from(q.b_start) - i64::from(p.b_end))
                };
                let ((ga, gb), (ha, hb)) = (gaps(p, x), gaps(x, p));
                let close = |a: i64, b: i64| a.min(b) >= -8 && a.min(b) <= 40 && a.max(b) <= 160;
                p != x && (p.a, p.b) == (x.a, x.b) && (close(ga, gb) || close(ha, hb))
            };
            assert!(longer >= 30 || (longer >= 15 && r.alignments.iter().any(next_to)), "{x:?}");
        }
        let n = docs.len();
        for a in 0..n {
            for b in (0..n).filter(|&b| b != a) {
                let want = covered(&docs[a], 30, |w| docs[b].contains(w));
                let mut got = vec![false; want.len()];
                for x in r.alignments.iter().filter(|x| (x.a as usize, x.b as usize) == (a.min(b), a.max(b))) {
                    let (s, e) = if a < b { (x.a_start, x.a_end) } else { (x.b_start, x.b_end) };
                    got[s as usize..e as usize].iter_mut().for_each(|c| *c = true);
                }
                for (k, (&w, &g)) in want.iter().zip(&got).enumerate() {
                    assert!(!w || g, "character {k} of document {a}, shared with {b}, is in no aligned passage");
                }
            }
        }
    }

    #[test]
    fn aligned_passages_hold_what_they_say_and_cover_every_exact_copy() {
        for seed in 1..=6 {
            check_alignments(&corpus(seed, &[]));
        }
        check_alignments(&corpus(7, &[2, 3]));
    }

    #[test]
    fn shared_characters_pairs_and_occurrences_equal_a_brute_force_count() {
        for seed in 1..=6 {
            check(&corpus(seed, &[]), 12);
        }
        check(&corpus(7, &[2, 3]), 12);
        check(&corpus(8, &[50]), 20);
    }

    #[test]
    fn identical_documents_form_one_cluster_whatever_their_number() {
        for n in [2, 3, 50] {
            let docs = corpus(9, &[n]);
            let refs: Vec<&str> = docs.iter().map(String::as_str).collect();
            let r = find_reuse(&refs, ReuseOptions::default());
            let copies: Vec<usize> = std::iter::once(0).chain(10..10 + n - 1).collect();
            let cluster = r.cluster[0].expect("the copied document is in a cluster");
            for &d in &copies {
                assert_eq!(r.cluster[d], Some(cluster), "copy {d} of {n}");
            }
            assert_eq!(r.cluster.iter().filter(|c| **c == Some(cluster)).count(), n);
        }
    }
}
