//! Exact counting: every candidate slogan counted in every clean text with one Aho-Corasick
//! automaton. A count is the number of non-overlapping occurrences found left to right, i.e.
//! the plain substring count; occurrences are also placed in their sentences for co-occurrence.

use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::segment::sentences;

/// Exact occurrences of every pattern, per document and per sentence.
#[derive(Debug, Clone, Default)]
pub struct Occurrences {
    /// Per document: `(pattern index, count)`, sorted by index, counts > 0 only.
    pub per_doc: Vec<Vec<(u32, u32)>>,
    /// Per document: for each sentence that holds any pattern, the sorted pattern indexes.
    pub sentences: Vec<Vec<Vec<u32>>>,
    /// Sentences in the corpus.
    pub sentence_total: u64,
}

/// Count every pattern in every text. A pattern's count in a text equals the number of
/// non-overlapping occurrences found left to right (the plain substring count).
pub fn count(patterns: &[&str], texts: &[&str]) -> Result<Occurrences> {
    if patterns.is_empty() {
        return Ok(Occurrences {
            per_doc: vec![vec![]; texts.len()],
            sentences: vec![vec![]; texts.len()],
            sentence_total: texts.iter().map(|t| sentences(t).len() as u64).sum(),
        });
    }
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .build(patterns)
        .map_err(|e| Error::Internal { stage: "slogans", message: format!("matcher: {e}") })?;
    // per text: (candidate, count) pairs, candidate sets of sentences, number of sentences
    type PerText = (Vec<(u32, u32)>, Vec<Vec<u32>>, u64);
    // each thread's scratch: per pattern, where its last counted occurrence ends (0: none yet in
    // this text)
    let per: Vec<PerText> = texts
        .par_iter()
        .map_init(
            || vec![0usize; patterns.len()],
            |last_end, text| {
                let sents = sentences(text);
                let mut found: Vec<u32> = Vec::new();
                let mut in_sentence: Vec<(usize, u32)> = Vec::new();
                for m in ac.find_overlapping_iter(*text) {
                    let p = m.pattern().as_u32();
                    let end = &mut last_end[p as usize];
                    if m.start() < *end {
                        continue;
                    }
                    *end = m.end();
                    found.push(p);
                    let s = sents.partition_point(|&(_, e)| e <= m.start());
                    in_sentence.push((s, p));
                }
                found.sort_unstable();
                let mut counts: Vec<(u32, u32)> = Vec::new();
                for p in found {
                    last_end[p as usize] = 0;
                    match counts.last_mut() {
                        Some((q, n)) if *q == p => *n += 1,
                        _ => counts.push((p, 1)),
                    }
                }
                in_sentence.sort_unstable();
                in_sentence.dedup();
                let mut sets: Vec<Vec<u32>> = Vec::new();
                let mut current = usize::MAX;
                for (s, p) in in_sentence {
                    if s != current {
                        sets.push(Vec::new());
                        current = s;
                    }
                    sets.last_mut().unwrap().push(p);
                }
                (counts, sets, sents.len() as u64)
            },
        )
        .collect();
    let mut occ = Occurrences::default();
    for (c, s, n) in per {
        occ.per_doc.push(c);
        occ.sentences.push(s);
        occ.sentence_total += n;
    }
    Ok(occ)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_equal_plain_substring_counts() {
        let texts = ["做到“两个维护”，两个维护两个维护。“有效”", "“四个意识”，有效", "没有。个维个维个"];
        let patterns = ["两个维护", "四个意识", "个维", "有效", "维个维"];
        let occ = count(&patterns, &texts).unwrap();
        for (i, p) in patterns.iter().enumerate() {
            for (d, t) in texts.iter().enumerate() {
                let got = occ.per_doc[d].iter().find(|(q, _)| *q == i as u32).map_or(0, |x| x.1);
                assert_eq!(got as usize, t.matches(p).count(), "{p} in {t}");
            }
        }
        assert_eq!(occ.sentence_total, 5);
        // one thread counts every text with the same scratch: what one text leaves must not
        // change the next one's counts
        let many: Vec<&str> = texts.iter().cycle().take(12).copied().collect();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let again = pool.install(|| count(&patterns, &many)).unwrap();
        for (d, t) in many.iter().enumerate() {
            assert_eq!(again.per_doc[d], occ.per_doc[d % texts.len()], "{t}");
            assert_eq!(again.sentences[d], occ.sentences[d % texts.len()], "{t}");
        }
        // doc 0: sentence 0 holds 两个维护 and 个维, sentence 1 holds 有效
        assert_eq!(occ.sentences[0], [vec![0, 2], vec![3]]);
    }
}
