//! Near-copies: passages that two documents share with light edits (a place word changed, a
//! synonym swapped, a clause dropped or inserted), aligned from the exact pieces they share.
//!
//! 1. **Anchors** are the maximal repeats of at least [`AlignOptions::anchor_chars`] characters
//!    (from a suffix array of the stretches their windows cover, see [`super::stretches`]) in
//!    at most `pair_max_docs` documents,
//!    so a formula every document has nominates no pair. Each pair of documents gets the
//!    anchors the two share; anchors of one pair on one diagonal that touch are joined.
//! 2. **Chains**: anchors of a pair in the same order on both sides, each at most
//!    [`AlignOptions::max_gap`] characters after the one before it on either side, are chained,
//!    the chain with the most anchored characters first; every anchor is in one chain.
//! 3. **Gaps**: the text between two chained anchors is aligned character by character (edit
//!    distance), and a chain is widened on both ends by the characters the two texts still share.
//!    Where both lines then end (or start) within a few characters with the same words, the rest
//!    of both lines is aligned too (a phrase inserted just before a paragraph's last words).
//!
//! A chain is an aligned passage when it spans at least [`AlignOptions::min_chars`] characters
//! on the longer side and its similarity (characters matched over the longer side) is at least
//! [`AlignOptions::min_similarity`]. Pairs are found through shared anchors only, never by
//! comparing every document with every other.

use rayon::prelude::*;

use super::{RankedBits, Text};

/// Thresholds of the alignment.
#[derive(Debug, Clone, Copy)]
pub struct AlignOptions {
    /// Shortest exact piece that anchors an alignment.
    pub anchor_chars: usize,
    /// Most characters between two chained anchors, on either side.
    pub max_gap: usize,
    /// Shortest aligned passage, in characters of its longer side.
    pub min_chars: usize,
    /// Least share of the longer side's characters matched.
    pub min_similarity: f64,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions { anchor_chars: 10, max_gap: 40, min_chars: 40, min_similarity: 0.75 }
    }
}

/// One stretch of an aligned passage: the same text on both sides, or `a` characters of one
/// side standing where `b` characters of the other do (a substitution, insertion or deletion).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Same(u32),
    Differ { a: u32, b: u32 },
}

/// An aligned passage of documents `a < b`: characters `a_start..a_end` of `a`'s clean text
/// and `b_start..b_end` of `b`'s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alignment {
    pub a: u32,
    pub b: u32,
    pub a_start: u32,
    pub a_end: u32,
    pub b_start: u32,
    pub b_end: u32,
    /// Characters that are the same on both sides.
    pub matched: u32,
    /// Edit distance between the two sides as aligned (characters substituted, inserted or
    /// deleted).
    pub edits: u32,
    /// The alignment, from the start.
    pub steps: Vec<Step>,
}

impl Alignment {
    pub fn chars_a(&self) -> usize {
        (self.a_end - self.a_start) as usize
    }

    pub fn chars_b(&self) -> usize {
        (self.b_end - self.b_start) as usize
    }

    /// Matched characters over the longer side.
    pub fn similarity(&self) -> f64 {
        self.matched as f64 / self.chars_a().max(self.chars_b()).max(1) as f64
    }

    /// The two sides' text (`text_a`, `text_b`: the clean texts of documents `a` and `b`).
    pub fn texts(&self, text_a: &str, text_b: &str) -> (String, String) {
        (chars(text_a, self.a_start, self.a_end), chars(text_b, self.b_start, self.b_end))
    }

    /// The passage as stretches the two sides share and stretches where they differ.
    pub fn pieces(&self, text_a: &str, text_b: &str) -> Vec<Piece> {
        let (a, b) = self.texts(text_a, text_b);
        let (mut a, mut b) = (a.chars(), b.chars());
        let take = |it: &mut std::str::Chars, n: u32| -> String { it.by_ref().take(n as usize).collect() };
        self.steps
            .iter()
            .map(|s| match *s {
                Step::Same(n) => {
                    let same = take(&mut a, n);
                    take(&mut b, n);
                    Piece::Same(same)
                }
                Step::Differ { a: x, b: y } => Piece::Differ(take(&mut a, x), take(&mut b, y)),
            })
            .collect()
    }

    /// The same passage seen from document `b`.
    pub fn flipped(&self) -> Alignment {
        Alignment {
            a: self.b,
            b: self.a,
            a_start: self.b_start,
            a_end: self.b_end,
            b_start: self.a_start,
            b_end: self.a_end,
            matched: self.matched,
            edits: self.edits,
            steps: self
                .steps
                .iter()
                .map(|s| match *s {
                    Step::Differ { a, b } => Step::Differ { a: b, b: a },
                    same => same,
                })
                .collect(),
        }
    }
}

/// A stretch of an aligned passage, for showing it: the same text on both sides, or one
/// side's text (possibly empty) where the other has another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Same(String),
    Differ(String, String),
}

/// Characters `start..end` of `text`.
fn chars(text: &str, start: u32, end: u32) -> String {
    text.chars().skip(start as usize).take((end - start) as usize).collect()
}

/// An exact piece two documents share: `len` symbols at global positions `pa` (in `a`) and `pb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Anchor {
    pub a: u32,
    pub b: u32,
    pub pa: u32,
    pub pb: u32,
    pub len: u32,
}

/// Anchors before an anchor (in its pair, by position) that may be the one before it in a chain:
/// more lie only where two documents repeat the same short text over and over.
const LOOK_BACK: usize = 64;

/// Most characters between a short passage and the kept passage it neighbours, on the side
/// where they lie further apart (a dropped or inserted clause).
pub const NEIGHBOUR_GAP: usize = 160;

/// What the anchor search reads from the suffix array.
pub(super) struct Sorted<'s> {
    pub sa: &'s [u32],
    pub text: &'s Text,
    pub lcp: &'s [u32],
    pub other_doc: &'s RankedBits,
    pub other_left: &'s RankedBits,
    pub left: &'s (dyn Fn(usize) -> Option<u32> + Sync),
}

impl Sorted<'_> {
    /// The document of the suffix of rank `r`.
    pub fn doc(&self, r: usize) -> u32 {
        self.text.doc_of(self.sa[r] as usize)
    }
}

/// Every aligned passage of the corpus from the `anchors` of every pair (sorted by pair and
/// position, at global positions of `text`), sorted by documents, then by position.
pub(super) fn align(text: &Text, anchors: &[Anchor], opts: AlignOptions) -> Vec<Alignment> {
    anchors.par_chunk_by(|x, y| (x.a, x.b) == (y.a, y.b)).flat_map_iter(|pair| chains(text, pair, opts)).collect()
}

/// The anchors of every pair, sorted by pair and position.
pub(super) fn anchors(s: &Sorted, max_docs: usize, min: usize) -> Vec<Anchor> {
    // an interval with more occurrences than this is a repeat within documents or in too many
    let max_occurrences = 2 * max_docs.max(1);
    let mut intervals: Vec<(u32, u32, u32)> = Vec::new();
    crate::suffix::lcp_intervals(
        s.sa.len(),
        |i| s.lcp[i] as usize,
        |len, lb, rb| {
            let left_maximal = || (s.left)(lb).is_none() || s.other_left.any(lb, rb);
            if len >= min && rb - lb < max_occurrences && s.other_doc.any(lb, rb) && left_maximal() {
                intervals.push((len as u32, lb as u32, rb as u32));
            }
        },
    );
    let mut anchors: Vec<Anchor> = intervals
        .par_iter()
        .flat_map_iter(|&(len, lb, rb)| {
            let ranks = lb as usize..=rb as usize;
            let mut docs: Vec<u32> = ranks.clone().map(|r| s.doc(r)).collect();
            docs.sort_unstable();
            docs.dedup();
            let mut out = Vec::new();
            if docs.len() > max_docs {
                return out;
            }
            // the ranks of a longer repeat inside this one share more than `len` characters:
            // their pairs come from that repeat, longer, so only pairs across such runs are here
            let mut run = 0u32;
            let runs: Vec<u32> = ranks
                .clone()
                .map(|r| {
                    if r > lb as usize && s.lcp[r] <= len {
                        run += 1;
                    }
                    run
                })
                .collect();
            for i in ranks.clone() {
                for j in (i + 1..=rb as usize).filter(|&j| runs[j - lb as usize] != runs[i - lb as usize]) {
                    let (di, dj) = (s.doc(i), s.doc(j));
                    if di == dj {
                        continue;
                    }
                    let ((x, dx), (y, dy)) = if di < dj { ((i, di), (j, dj)) } else { ((j, dj), (i, di)) };
                    out.push(Anchor { a: dx, b: dy, pa: s.sa[x], pb: s.sa[y], len });
                }
            }
            out
        })
        .collect();
    drop(intervals);
    // one pair's anchors on one diagonal that overlap or touch are one anchor
    let diagonal = |x: &Anchor| (x.a, x.b, x.pa as i64 - x.pb as i64);
    anchors.par_sort_unstable_by_key(|x| (diagonal(x), x.pa));
    anchors.dedup_by(|x, kept| {
        let joins = diagonal(x) == diagonal(kept) && x.pa <= kept.pa + kept.len;
        if joins {
            kept.len = kept.len.max(x.pa + x.len - kept.pa);
        }
        joins
    });
    anchors.shrink_to_fit();
    anchors.par_chunk_by_mut(|x, y| (x.a, x.b) == (y.a, y.b)).for_each(|pair| pair.sort_unstable());
    anchors
}

/// The aligned passages of one pair from its anchors (sorted by position in `a`).
fn chains(text: &Text, anchors: &[Anchor], opts: AlignOptions) -> Vec<Alignment> {
    let gap = opts.max_gap as u32;
    let longest = anchors.iter().map(|x| x.len).max().unwrap_or(0);
    // best[i]: the most anchored characters of a chain ending with anchor i; pred[i]: the
    // anchor before it
    let mut best: Vec<u32> = Vec::with_capacity(anchors.len());
    let mut pred: Vec<Option<usize>> = Vec::with_capacity(anchors.len());
    for (i, x) in anchors.iter().enumerate() {
        let mut choice: Option<(u32, u32, usize)> = None; // (score, -gap as tie-break, j)
        for j in (i.saturating_sub(LOOK_BACK)..i).rev() {
            let y = &anchors[j];
            if y.pa + longest + gap < x.pa {
                break;
            }
            let (ya_end, yb_end) = (y.pa + y.len, y.pb + y.len);
            if ya_end > x.pa || yb_end > x.pb || x.pa - ya_end > gap || x.pb - yb_end > gap {
                continue;
            }
            let spread = (x.pa - ya_end).max(x.pb - yb_end);
            let candidate = (best[j], u32::MAX - spread, j);
            if choice.is_none_or(|c| (candidate.0, candidate.1) > (c.0, c.1)) {
                choice = Some(candidate);
            }
        }
        best.push(choice.map_or(0, |c| c.0) + x.len);
        pred.push(choice.map(|c| c.2));
    }
    // chains, the best first; each anchor in one
    let mut order: Vec<usize> = (0..anchors.len()).collect();
    order.sort_by(|&i, &j| best[j].cmp(&best[i]).then(i.cmp(&j)));
    let mut used = vec![false; anchors.len()];
    let mut out = Vec::new();
    let mut short = Vec::new();
    for end in order {
        if used[end] {
            continue;
        }
        let mut chain = vec![end];
        used[end] = true;
        while let Some(p) = pred[*chain.last().unwrap_or(&end)].filter(|&p| !used[p]) {
            used[p] = true;
            chain.push(p);
        }
        chain.reverse();
        let links: Vec<Anchor> = chain.iter().map(|&i| anchors[i]).collect();
        split_passages(text, &links, opts, &mut out, &mut short);
    }
    join_neighbours(&mut out, short, opts);
    out.sort_by_key(|x| (x.a_start, x.b_start));
    out
}

/// Keep the short passages (at least half [`AlignOptions::min_chars`], similar enough) that
/// follow or precede a kept passage of the pair in order on both sides, at most
/// [`AlignOptions::max_gap`] characters from it on one side and at most [`NEIGHBOUR_GAP`] on
/// the other: the pieces of one copied paragraph that a dropped or inserted clause cut apart.
/// A short passage next to one kept this way is kept too.
fn join_neighbours(out: &mut Vec<Alignment>, mut short: Vec<Alignment>, opts: AlignOptions) {
    let (near, far) = (opts.max_gap as i64, NEIGHBOUR_GAP as i64);
    let follows = |p: &Alignment, q: &Alignment| {
        // q after p on both sides, where the two may share a few characters widened onto both
        let (ga, gb) = (i64::from(q.a_start) - i64::from(p.a_end), i64::from(q.b_start) - i64::from(p.b_end));
        q.a_start > p.a_start
            && q.b_start > p.b_start
            && ga.min(gb) >= -(BAND as i64)
            && ga.min(gb) <= near
            && ga.max(gb) <= far
    };
    let overlaps = |p: &Alignment, q: &Alignment| {
        (p.a_start < q.a_end && q.a_start < p.a_end) && (p.b_start < q.b_end && q.b_start < p.b_end)
    };
    short.sort_by_key(|x| (x.a_start, x.b_start));
    while !short.is_empty() {
        let before = out.len();
        short.retain(|q| {
            let next_to = out.iter().any(|p| follows(p, q) || follows(q, p));
            if next_to && !out.iter().any(|p| overlaps(p, q)) {
                out.push(q.clone());
                return false;
            }
            true
        });
        if out.len() == before {
            break;
        }
    }
}

/// Steps joined as they are added: two stretches of one kind are one.
fn push(steps: &mut Vec<Step>, s: Step) {
    match (steps.last_mut(), s) {
        (Some(Step::Same(n)), Step::Same(m)) => *n += m,
        (Some(Step::Differ { a, b }), Step::Differ { a: x, b: y }) => {
            *a += x;
            *b += y;
        }
        (_, s) => steps.push(s),
    }
}

/// What a widening of a passage adds: its steps (outward), and the characters matched and edited.
#[derive(Default)]
struct Widening {
    steps: Vec<Step>,
    matched: u32,
    edits: u32,
}

/// Widen a passage outward from global positions `pa` (in `a`) and `pb` (in `b`): forward from
/// its end or backward from its start, within a line. First by the characters both sides
/// share; then, where they differ, by the best local alignment of the next [`WIDEN_WINDOW`]
/// characters (match +1, edit −1) when it gains something; and again, until nothing is gained.
/// Returns the widening and the new positions.
fn widen(text: &Text, mut pa: usize, mut pb: usize, forward: bool) -> (Widening, usize, usize) {
    let sym = &text.symbols;
    // the symbol `k` steps outward from position p, if the line goes on
    let at = |p: usize, k: usize| -> Option<u32> {
        let q = if forward { p.checked_add(k).filter(|&q| q < sym.len())? } else { p.checked_sub(k + 1)? };
        text.in_line(q).then_some(sym[q])
    };
    let mut w = Widening::default();
    loop {
        let mut same = 0;
        while let (Some(x), Some(y)) = (at(pa, same), at(pb, same)) {
            if x != y {
                break;
            }
            same += 1;
        }
        if same > 0 {
            push(&mut w.steps, Step::Same(same as u32));
            w.matched += same as u32;
        }
        let step = |p: &mut usize, n: usize| if forward { *p += n } else { *p -= n };
        step(&mut pa, same);
        step(&mut pb, same);
        // the next characters of each side, on the stack (this runs for every chain)
        let (mut a, mut b) = ([0u32; WIDEN_WINDOW], [0u32; WIDEN_WINDOW]);
        let (mut n, mut m) = (0, 0);
        while let (true, Some(x)) = (n < WIDEN_WINDOW, at(pa, n)) {
            a[n] = x;
            n += 1;
        }
        while let (true, Some(y)) = (m < WIDEN_WINDOW, at(pb, m)) {
            b[m] = y;
            m += 1;
        }
        match local_extension(&a[..n], &b[..m]) {
            Some((i, j, steps)) => {
                for s in steps {
                    match s {
                        Step::Same(n) => w.matched += n,
                        // one character on one side or both: one edit
                        Step::Differ { .. } => w.edits += 1,
                    }
                    push(&mut w.steps, s);
                }
                step(&mut pa, i);
                step(&mut pb, j);
            }
            None => break,
        }
    }
    (w, pa, pb)
}

/// Characters past a passage's end that one round of widening aligns, and how far the two
/// sides may drift apart in it (the most characters inserted on one side).
const WIDEN_WINDOW: usize = 24;
const BAND: usize = 8;

/// The prefixes `a[..i]`, `b[..j]` (with `i` and `j` at most [`BAND`] apart; `a` and `b` at
/// most [`WIDEN_WINDOW`] long) whose alignment scores best (match +1, substitution, insertion or
/// deletion −1), ending on a match, when the score is above 0: `(i, j, steps)`. Each step is a
/// single character (an edit of one character on one side or both).
fn local_extension(a: &[u32], b: &[u32]) -> Option<(usize, usize, Vec<Step>)> {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return None;
    }
    let w = m + 1;
    // cells off the band are never on a path
    let mut score = [i32::MIN / 2; (WIDEN_WINDOW + 1) * (WIDEN_WINDOW + 1)];
    let mut best = (0i32, 0usize, 0usize);
    for i in 0..=n {
        for j in i.saturating_sub(BAND)..=(i + BAND).min(m) {
            score[i * w + j] = if i == 0 {
                -(j as i32)
            } else if j == 0 {
                -(i as i32)
            } else {
                let same = a[i - 1] == b[j - 1];
                let diag = score[(i - 1) * w + j - 1] + if same { 1 } else { -1 };
                let v = diag.max(score[(i - 1) * w + j] - 1).max(score[i * w + j - 1] - 1);
                if same && v == diag && v > best.0 {
                    best = (v, i, j);
                }
                v
            };
        }
    }
    let (_, bi, bj) = best;
    if bi == 0 {
        return None;
    }
    let mut back = Vec::new();
    let (mut i, mut j) = (bi, bj);
    while i > 0 || j > 0 {
        let here = score[i * w + j];
        if i > 0 && j > 0 && here == score[(i - 1) * w + j - 1] + if a[i - 1] == b[j - 1] { 1 } else { -1 } {
            back.push(if a[i - 1] == b[j - 1] { Step::Same(1) } else { Step::Differ { a: 1, b: 1 } });
            (i, j) = (i - 1, j - 1);
        } else if i > 0 && here == score[(i - 1) * w + j] - 1 {
            back.push(Step::Differ { a: 1, b: 0 });
            i -= 1;
        } else {
            back.push(Step::Differ { a: 0, b: 1 });
            j -= 1;
        }
    }
    back.reverse();
    Some((bi, bj, back))
}

/// The aligned passages of one chain: the whole chain when it is long and similar enough, else
/// the passages of its two halves either side of its widest gap (a dropped or inserted clause).
/// A passage that overlaps one already found for the pair on both sides is left out (a second
/// chain over the same text, on a diagonal shifted by a repeated character). A chain whose
/// anchors hold less than half of the characters a passage must match is not looked at. A
/// passage similar enough but shorter than [`AlignOptions::min_chars`] and at least half of it
/// goes to `short`, for [`join_neighbours`].
fn split_passages(
    text: &Text,
    links: &[Anchor],
    opts: AlignOptions,
    out: &mut Vec<Alignment>,
    short: &mut Vec<Alignment>,
) {
    // a chain whose anchors hold less than half the characters a passage must match is not
    // widened (most chains are one short anchor that two documents share by chance)
    let anchored: u32 = links.iter().map(|x| x.len).sum();
    if f64::from(2 * anchored) < opts.min_similarity * opts.min_chars as f64 {
        return;
    }
    let Some(mut p) = passage(text, links) else { return };
    if p.similarity() >= opts.min_similarity
        && let Some(whole) = to_line_ends(text, &p).filter(|w| w.similarity() >= opts.min_similarity)
    {
        p = whole;
    }
    let longer = p.chars_a().max(p.chars_b());
    if p.similarity() >= opts.min_similarity {
        if longer >= opts.min_chars {
            let overlaps = |x: &Alignment| {
                (x.a_start < p.a_end && p.a_start < x.a_end) && (x.b_start < p.b_end && p.b_start < x.b_end)
            };
            if !out.iter().any(overlaps) {
                out.push(p);
            }
            return;
        }
        if 2 * longer >= opts.min_chars {
            short.push(p);
        }
        return;
    }
    let gap = |k: usize| {
        let (x, y) = (&links[k - 1], &links[k]);
        (y.pa - (x.pa + x.len)).max(y.pb - (x.pb + x.len))
    };
    // the first of the widest gaps
    if let Some(k) = (1..links.len()).rev().max_by_key(|&k| gap(k)) {
        split_passages(text, &links[..k], opts, out, short);
        split_passages(text, &links[k..], opts, out, short);
    }
}

/// The passage of one chain, widened at both ends.
fn passage(text: &Text, links: &[Anchor]) -> Option<Alignment> {
    let first = links.first()?;
    let sym = &text.symbols;
    let mut steps: Vec<Step> = Vec::new();
    let (head, sa, sb) = widen(text, first.pa as usize, first.pb as usize, false);
    for s in head.steps.iter().rev() {
        push(&mut steps, *s);
    }
    let (mut matched, mut edits) = (head.matched, head.edits);
    let (mut at_a, mut at_b) = (first.pa as usize, first.pb as usize);
    for x in links {
        let (gap_a, gap_b) = (&sym[at_a..x.pa as usize], &sym[at_b..x.pb as usize]);
        let (m, e) = align_gap(gap_a, gap_b, &mut |s| push(&mut steps, s));
        matched += m;
        edits += e;
        push(&mut steps, Step::Same(x.len));
        matched += x.len;
        (at_a, at_b) = ((x.pa + x.len) as usize, (x.pb + x.len) as usize);
    }
    let (tail, ea, eb) = widen(text, at_a, at_b, true);
    for s in tail.steps {
        push(&mut steps, s);
    }
    matched += tail.matched;
    edits += tail.edits;
    let (da, db) = (text.doc_of(sa), text.doc_of(sb));
    let (oa, ob) = (text.doc_starts[da as usize], text.doc_starts[db as usize]);
    Some(Alignment {
        a: da,
        b: db,
        a_start: sa as u32 - oa,
        a_end: ea as u32 - oa,
        b_start: sb as u32 - ob,
        b_end: eb as u32 - ob,
        matched,
        edits,
        steps,
    })
}

/// Most characters left of a line, on each side, that [`to_line_ends`] aligns.
const LINE_REST: usize = WIDEN_WINDOW;
/// Least characters both lines must end (or start) with for [`to_line_ends`] to align the rest.
const SHARED_LINE_END: usize = 4;

/// The symbols of the rest of the line from global position `p`, forward to its end or
/// backward to its start (in text order), when there are at most `limit` of them.
fn line_rest(text: &Text, p: usize, forward: bool, limit: usize) -> Option<&[u32]> {
    let sym = &text.symbols;
    let inside = |n: usize| {
        let q = if forward { Some(p + n).filter(|&q| q < sym.len()) } else { p.checked_sub(n + 1) };
        q.is_some_and(|q| text.in_line(q))
    };
    let n = (0..=limit).find(|&n| !inside(n))?;
    Some(if forward { &sym[p..p + n] } else { &sym[p - n..p] })
}

/// The passage carried to the ends of its lines where both lines end (or start) within
/// [`LINE_REST`] characters of it and with the same [`SHARED_LINE_END`] characters: the rest is
/// aligned by edit distance, so a phrase inserted or a clause changed just before a copied
/// paragraph's last words (or just after its first) does not cut them off. `None` when neither
/// end moves.
fn to_line_ends(text: &Text, p: &Alignment) -> Option<Alignment> {
    let (oa, ob) = (text.doc_starts[p.a as usize] as usize, text.doc_starts[p.b as usize] as usize);
    let rests = |forward: bool, (pa, pb): (usize, usize)| -> Option<(&[u32], &[u32])> {
        let (ra, rb) = (line_rest(text, pa, forward, LINE_REST)?, line_rest(text, pb, forward, LINE_REST)?);
        let shared = if forward {
            ra.iter().rev().zip(rb.iter().rev()).take_while(|(x, y)| x == y).count()
        } else {
            ra.iter().zip(rb).take_while(|(x, y)| x == y).count()
        };
        (shared >= SHARED_LINE_END && (!ra.is_empty() || !rb.is_empty())).then_some((ra, rb))
    };
    let head = rests(false, (oa + p.a_start as usize, ob + p.b_start as usize));
    let tail = rests(true, (oa + p.a_end as usize, ob + p.b_end as usize));
    if head.is_none() && tail.is_none() {
        return None;
    }
    let mut whole = Alignment { steps: Vec::with_capacity(p.steps.len() + 4), ..p.clone() };
    if let Some((ra, rb)) = head {
        let (m, e) = align_gap(ra, rb, &mut |s| push(&mut whole.steps, s));
        (whole.matched, whole.edits) = (whole.matched + m, whole.edits + e);
        whole.a_start -= ra.len() as u32;
        whole.b_start -= rb.len() as u32;
    }
    p.steps.iter().for_each(|&s| push(&mut whole.steps, s));
    if let Some((ra, rb)) = tail {
        let (m, e) = align_gap(ra, rb, &mut |s| push(&mut whole.steps, s));
        (whole.matched, whole.edits) = (whole.matched + m, whole.edits + e);
        whole.a_end += ra.len() as u32;
        whole.b_end += rb.len() as u32;
    }
    Some(whole)
}

/// Align two short stretches by edit distance, and among the alignments with the fewest edits
/// one with the most characters matched; hand the steps to `step` in order and return
/// (characters matched, edit distance).
fn align_gap(a: &[u32], b: &[u32], step: &mut dyn FnMut(Step)) -> (u32, u32) {
    if a.is_empty() && b.is_empty() {
        return (0, 0);
    }
    let (n, m) = (a.len(), b.len());
    // cost = edits × edit − matches: fewer edits always win, then more matches
    let edit = (n + m + 1) as i64;
    let w = m + 1;
    let mut d = vec![0i64; (n + 1) * w];
    let diag = |d: &[i64], i: usize, j: usize| d[(i - 1) * w + j - 1] + if a[i - 1] == b[j - 1] { -1 } else { edit };
    for i in 0..=n {
        for j in 0..=m {
            d[i * w + j] = if i == 0 {
                j as i64 * edit
            } else if j == 0 {
                i as i64 * edit
            } else {
                diag(&d, i, j).min(d[(i - 1) * w + j] + edit).min(d[i * w + j - 1] + edit)
            };
        }
    }
    // trace back from the end, then hand the steps over from the start
    let mut back: Vec<Step> = Vec::new();
    let (mut i, mut j, mut matched, mut edits) = (n, m, 0u32, 0u32);
    while i > 0 || j > 0 {
        let here = d[i * w + j];
        if i > 0 && j > 0 && here == diag(&d, i, j) {
            if a[i - 1] == b[j - 1] {
                back.push(Step::Same(1));
                matched += 1;
            } else {
                back.push(Step::Differ { a: 1, b: 1 });
                edits += 1;
            }
            (i, j) = (i - 1, j - 1);
        } else if i > 0 && here == d[(i - 1) * w + j] + edit {
            back.push(Step::Differ { a: 1, b: 0 });
            edits += 1;
            i -= 1;
        } else {
            back.push(Step::Differ { a: 0, b: 1 });
            edits += 1;
            j -= 1;
        }
    }
    back.into_iter().rev().for_each(step);
    (matched, edits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps_of(a: &str, b: &str) -> (Vec<Step>, u32, u32) {
        let sym = |s: &str| s.chars().map(|c| c as u32).collect::<Vec<_>>();
        let mut out = Vec::new();
        let (m, e) = align_gap(&sym(a), &sym(b), &mut |s| out.push(s));
        (out, m, e)
    }

    #[test]
    fn gaps_align_by_edit_distance() {
        let (steps, matched, edits) = steps_of("我省加强", "我市强化");
        assert_eq!((matched, edits), (2, 3));
        let same: u32 = steps.iter().map(|s| if let Step::Same(n) = s { *n } else { 0 }).sum();
        assert_eq!(same, 2);
        assert_eq!(steps_of("", "新增"), (vec![Step::Differ { a: 0, b: 1 }, Step::Differ { a: 0, b: 1 }], 0, 2));
        assert_eq!(steps_of("删去", ""), (vec![Step::Differ { a: 1, b: 0 }, Step::Differ { a: 1, b: 0 }], 0, 2));
        assert_eq!(steps_of("相同", "相同"), (vec![Step::Same(1), Step::Same(1)], 2, 0));
    }
}
