//! Suffix arrays and LCP arrays of integer texts, built with libsais; shared by the slogan index
//! and the reuse detector.

use libsais::suffix_array::AlphabetSize;
use libsais::{SuffixArrayConstruction, ThreadCount};

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

/// The suffix array of `text`, whose symbols are all below `alphabet`. The text is lent to
/// libsais as it is (no copy; libsais restores it) and is the same when this returns.
pub fn suffix_array(text: &mut Vec<u32>, alphabet: usize) -> Vec<u32> {
    if text.is_empty() {
        return Vec::new();
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
}
