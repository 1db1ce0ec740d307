//! Suffix arrays and LCP arrays of integer texts, built with libsais; shared by the slogan index
//! and the reuse detector. A text whose symbols fit in 16 bits (a corpus of fewer than 65,536
//! distinct characters, every real one) is sorted by libsais's 16-bit code, which is faster than
//! its integer-alphabet code for the same suffix array; larger alphabets take the integer code.

use libsais::suffix_array::AlphabetSize;
use libsais::{SuffixArrayConstruction, ThreadCount};
use rayon::prelude::*;

/// Where each document of a text of several begins, with the document of every
/// [`DOC_BLOCK`]th position, so that finding a position's document steps over a document or two
/// instead of searching all their starts. Read as the starts themselves (`[u32]`).
#[derive(Debug)]
pub struct DocStarts {
    starts: Vec<u32>,
    blocks: Vec<u32>,
}

/// Positions per entry of [`DocStarts`]' table.
const DOC_BLOCK: usize = 64;

impl DocStarts {
    /// The documents that begin at `starts` (the first at 0, in order; an empty document begins
    /// where the next does) of a text of `len` positions.
    pub fn new(starts: Vec<u32>, len: usize) -> DocStarts {
        let mut blocks = Vec::with_capacity(len.div_ceil(DOC_BLOCK));
        let mut d = 0usize;
        for start in (0..len).step_by(DOC_BLOCK) {
            while starts.get(d + 1).is_some_and(|&s| s as usize <= start) {
                d += 1;
            }
            blocks.push(d as u32);
        }
        DocStarts { starts, blocks }
    }

    /// The documents' first positions, the table dropped.
    pub fn into_starts(self) -> Vec<u32> {
        self.starts
    }

    /// The document of position `pos`: the last to begin at or before it.
    pub fn doc_of(&self, pos: usize) -> u32 {
        let mut d = self.blocks[pos / DOC_BLOCK] as usize;
        while self.starts.get(d + 1).is_some_and(|&s| s as usize <= pos) {
            d += 1;
        }
        d as u32
    }
}

impl std::ops::Deref for DocStarts {
    type Target = [u32];

    fn deref(&self) -> &[u32] {
        &self.starts
    }
}

/// Symbols as libsais wants them, with their alphabet size checked.
/// libsais (OpenMP) uses as many threads as the run's pool (`--threads`).
fn threads() -> ThreadCount {
    ThreadCount::fixed(rayon::current_num_threads().clamp(1, u16::MAX as usize) as u16)
}

/// `text` reinterpreted in place as libsais wants it, with its alphabet size checked; taken
/// from `text`, which [`give_back`] restores.
fn ints(text: &mut Vec<u32>, alphabet: usize) -> Vec<i32> {
    assert!(alphabet <= i32::MAX as usize && text.len() < i32::MAX as usize, "text too large for a suffix array");
    assert!(text.iter().all(|&s| (s as usize) < alphabet), "symbol outside the alphabet");
    std::mem::take(text).into_iter().map(|s| s as i32).collect()
}

fn give_back(text: &mut Vec<u32>, ints: Vec<i32>) {
    *text = ints.into_iter().map(|s| s as u32).collect();
}

/// Largest alphabet libsais's 16-bit code sorts.
const ALPHABET_16: usize = 1 << 16;

/// The suffix array of a text of 16-bit symbols, by libsais's 16-bit code.
pub fn suffix_array_16(text: &[u16]) -> Vec<u32> {
    if text.is_empty() {
        return Vec::new();
    }
    let sa = SuffixArrayConstruction::for_text(text)
        .in_owned_buffer32()
        .multi_threaded(threads())
        .run()
        .expect("suffix array construction")
        .into_vec();
    sa.into_iter().map(|p| p as u32).collect()
}

/// The suffix array of `text`, whose symbols are all below `alphabet`. The text is lent to
/// libsais as it is (no copy; libsais restores it) and is the same when this returns.
pub fn suffix_array(text: &mut Vec<u32>, alphabet: usize) -> Vec<u32> {
    if text.is_empty() {
        return Vec::new();
    }
    if alphabet <= ALPHABET_16 {
        assert!(text.par_iter().all(|&s| (s as usize) < alphabet), "symbol outside the alphabet");
        // the wide text is not held while the suffixes are sorted
        let narrow: Vec<u16> = std::mem::take(text).into_par_iter().map(|s| s as u16).collect();
        let sa = suffix_array_16(&narrow);
        *text = narrow.into_par_iter().map(u32::from).collect();
        return sa;
    }
    let mut ints = ints(text, alphabet);
    let mut construction =
        SuffixArrayConstruction::for_text_mut(&mut ints).in_owned_buffer32().multi_threaded(threads());
    // SAFETY: `ints` checked every symbol to be in 0..alphabet.
    unsafe {
        construction = construction.with_alphabet_size(AlphabetSize::new(alphabet as i32));
    }
    let sa = construction.run().expect("suffix array construction").into_vec();
    give_back(text, ints);
    sa.into_iter().map(|p| p as u32).collect()
}

/// The suffix array of `text` and its LCP array: `lcp[i]` is the length of the longest common
/// prefix of the suffixes at `sa[i - 1]` and `sa[i]`, and `lcp[0]` is 0. The text is lent to
/// libsais as it is (no copy) and is the same when this returns.
pub fn with_lcp(text: &mut Vec<u32>, alphabet: usize) -> (Vec<u32>, Vec<u32>) {
    if text.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let mut ints = ints(text, alphabet);
    let mut construction =
        SuffixArrayConstruction::for_text_mut(&mut ints).in_owned_buffer32().multi_threaded(threads());
    // SAFETY: `ints` checked every symbol to be in 0..alphabet.
    unsafe {
        construction = construction.with_alphabet_size(AlphabetSize::new(alphabet as i32));
    }
    let with_sa = construction.run().expect("suffix array construction");
    let with_plcp = with_sa.plcp_construction().multi_threaded(threads()).run().expect("plcp construction");
    let with_lcp = with_plcp.lcp_construction().multi_threaded(threads()).run().expect("lcp construction");
    let (sa, lcp, plcp, _) = with_lcp.into_parts();
    drop(plcp);
    give_back(text, ints);
    // both converted in place: no second copy of either array
    let sa: Vec<u32> = sa.into_iter().map(|p| p as u32).collect();
    let mut lcp: Vec<u32> = lcp.into_iter().map(|l| l.max(0) as u32).collect();
    if let Some(first) = lcp.first_mut() {
        *first = 0;
    }
    (sa, lcp)
}

/// The suffix and LCP arrays of a text of documents, each ended by a separator: the symbols
/// below `separators` are the separators, each used once, increasing along the text (so that
/// they differ from each other and sort before every other symbol), and the text ends with one;
/// the rest are below `alphabet`. The same arrays as [`with_lcp`] gives, built by libsais's
/// generalized suffix array of 16-bit texts (every separator written as 0) when the other
/// symbols fit in 16 bits.
pub fn documents_with_lcp(text: &mut Vec<u32>, separators: usize, alphabet: usize) -> (Vec<u32>, Vec<u32>) {
    let fits = alphabet - separators.min(alphabet) < ALPHABET_16;
    let is_sep = |s: u32| (s as usize) < separators;
    // libsais's generalized suffix array takes no empty document (two separators in a row)
    let empty_doc = || is_sep(text[0]) || text.par_windows(2).any(|w| is_sep(w[0]) && is_sep(w[1]));
    if text.is_empty() || !fits || !text.last().is_some_and(|&s| is_sep(s)) || empty_doc() {
        return with_lcp(text, alphabet);
    }
    assert!(text.par_iter().all(|&s| (s as usize) < alphabet), "symbol outside the alphabet");
    // the wide text is not held while the arrays are built
    let narrow: Vec<u16> = std::mem::take(text)
        .into_par_iter()
        .map(|s| if is_sep(s) { 0 } else { (s as usize - separators + 1) as u16 })
        .collect();
    let with_sa = SuffixArrayConstruction::for_text(&narrow)
        .in_owned_buffer32()
        .multi_threaded(threads())
        .generalized_suffix_array()
        .run()
        .expect("suffix array construction");
    let with_plcp = with_sa.plcp_construction().multi_threaded(threads()).run().expect("plcp construction");
    let with_lcp = with_plcp.lcp_construction().multi_threaded(threads()).run().expect("lcp construction");
    let (sa, lcp, plcp, _) = with_lcp.into_parts();
    drop(plcp);
    // the separators numbered again in text order
    let mut seen = 0u32;
    *text = narrow
        .into_iter()
        .map(|s| match s {
            0 => {
                seen += 1;
                seen - 1
            }
            s => (s as usize - 1 + separators) as u32,
        })
        .collect();
    let sa: Vec<u32> = sa.into_iter().map(|p| p as u32).collect();
    let mut lcp: Vec<u32> = lcp.into_iter().map(|l| l.max(0) as u32).collect();
    if let Some(first) = lcp.first_mut() {
        *first = 0;
    }
    (sa, lcp)
}

/// Visit every LCP interval of an LCP array, bottom-up: `(len, lb, rb)` for each run of suffix
/// ranks `lb..=rb` that share exactly `len` leading symbols and continue differently (the
/// right-maximal repeats). `lcp(i)` is the LCP of ranks `i - 1` and `i`, for `i` in `1..n`.
pub fn lcp_intervals(n: usize, lcp: impl Fn(usize) -> usize, mut visit: impl FnMut(usize, usize, usize)) {
    let mut stack: Vec<(usize, usize)> = vec![(0, 0)]; // (lcp, lb)
    for i in 1..=n {
        let l = if i < n { lcp(i) } else { 0 };
        let mut lb = i - 1;
        while let Some(&(top, top_lb)) = stack.last().filter(|t| l < t.0) {
            stack.pop();
            lb = top_lb;
            visit(top, top_lb, i - 1);
        }
        if l > stack.last().map_or(0, |t| t.0) {
            stack.push((l, lb));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_and_lcp_arrays_of_a_small_text() {
        // banana$ with $ = 0
        let text = [2, 1, 3, 1, 3, 1, 0];
        let (sa, lcp) = with_lcp(&mut text.to_vec(), 4);
        assert_eq!(sa, [6, 5, 3, 1, 0, 4, 2]);
        assert_eq!(lcp, [0, 0, 1, 3, 0, 0, 2]);
        assert_eq!(suffix_array(&mut text.to_vec(), 4), sa);
        let mut found = Vec::new();
        lcp_intervals(sa.len(), |i| lcp[i] as usize, |len, lb, rb| found.push((len, lb, rb)));
        // "ana" (ranks 2–3), "a" (1–3), "na" (5–6)
        assert_eq!(found, [(3, 2, 3), (1, 1, 3), (2, 5, 6)]);
    }

    /// Suffixes sorted by comparing them, and the LCP of neighbours, counted.
    fn brute(text: &[u32]) -> (Vec<u32>, Vec<u32>) {
        let mut sa: Vec<u32> = (0..text.len() as u32).collect();
        sa.sort_by(|&a, &b| text[a as usize..].cmp(&text[b as usize..]));
        let lcp = (0..sa.len())
            .map(|i| {
                if i == 0 {
                    return 0;
                }
                let (a, b) = (&text[sa[i - 1] as usize..], &text[sa[i] as usize..]);
                a.iter().zip(b).take_while(|(x, y)| x == y).count() as u32
            })
            .collect();
        (sa, lcp)
    }

    #[test]
    fn every_construction_equals_sorting_the_suffixes() {
        // documents of a few characters (repeats across and within them, empty ones), each ended
        // by its own separator 0..docs; characters docs..docs+chars
        let mut g = crate::testgen::Lcg(0x2545_F491_4F6C_DD1D);
        let mut next = move |m: u64| g.next(m as usize) as u64;
        for round in 0..200 {
            let docs = 1 + next(6) as usize;
            let chars = 1 + next(if round % 2 == 0 { 3 } else { 70_000 }) as usize;
            let mut text = Vec::new();
            for d in 0..docs {
                let len = next(30);
                let copy = d > 0 && next(3) == 0;
                for k in 0..len as usize {
                    // some documents repeat the start of the text
                    let s = if copy && k < text.len() && text[k] >= docs as u32 {
                        text[k]
                    } else {
                        (docs + next(chars as u64) as usize) as u32
                    };
                    text.push(s);
                }
                text.push(d as u32);
            }
            let want = brute(&text);
            let alphabet = docs + chars;
            let mut t = text.clone();
            assert_eq!(documents_with_lcp(&mut t, docs, alphabet), want, "round {round}: {text:?}");
            assert_eq!(t, text);
            assert_eq!(with_lcp(&mut t, alphabet), want, "round {round}");
            assert_eq!(suffix_array(&mut t, alphabet), want.0, "round {round}");
            assert_eq!(t, text);
        }
    }
}
