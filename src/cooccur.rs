//! Co-occurrence (first version): pairs of the most widespread slogans that appear in the same
//! sentence or the same document, with count, PMI, normalised PMI and log-likelihood (G²).

use polars::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::error::{Result, TableContext};
use crate::frame::round4;
use crate::slogans::Occurrences;

/// A slogan taking part in co-occurrence: the patterns (spellings) that count for it, and its text.
#[derive(Debug, Clone)]
pub struct Member {
    pub ids: Vec<u32>,
    pub text: String,
}

/// Counts for one window kind.
#[derive(Debug, Default)]
struct Tally {
    units: u64,
    single: FxHashMap<u32, u64>,
    pair: FxHashMap<(u32, u32), u64>,
}

impl Tally {
    fn add(&mut self, present: &[u32], skip: &FxHashSet<(u32, u32)>) {
        self.units += 1;
        for (i, &a) in present.iter().enumerate() {
            *self.single.entry(a).or_insert(0) += 1;
            for &b in &present[i + 1..] {
                if !skip.contains(&(a, b)) {
                    *self.pair.entry((a, b)).or_insert(0) += 1;
                }
            }
        }
    }
}

/// Pointwise mutual information (log2), its normalised form, and Dunning's G².
pub fn association(n: u64, a: u64, b: u64, ab: u64) -> (f64, f64, f64) {
    let (n, a, b, ab) = (n as f64, a as f64, b as f64, ab as f64);
    let pmi = (ab * n / (a * b)).log2();
    let p_ab = ab / n;
    let npmi = if p_ab >= 1.0 { 1.0 } else { pmi / -p_ab.log2() };
    let cells = [(ab, a, b), (a - ab, a, n - b), (b - ab, n - a, b), (n - a - b + ab, n - a, n - b)];
    let g2 =
        2.0 * cells.iter().filter(|c| c.0 > 0.0).map(|&(o, row, colm)| o * (o * n / (row * colm)).ln()).sum::<f64>();
    (pmi, npmi, g2.max(0.0))
}

/// The `cooccurrence` table for `members` (a, b, window, count, a_count, b_count, units, pmi,
/// npmi, llr), sorted by window, count, a, b. `a` < `b` in text order; a pair where one slogan
/// contains the other (主题教育 / 主题教育工作) is left out, since one always brings the other.
pub fn cooccurrence(members: &[Member], occ: &Occurrences) -> Result<DataFrame> {
    const T: &str = "cooccurrence";
    let mut members = members.to_vec();
    members.sort_by(|x, y| x.text.cmp(&y.text));
    // pattern → member, numbered in text order
    let member_of: FxHashMap<u32, u32> =
        members.iter().enumerate().flat_map(|(i, m)| m.ids.iter().map(move |&p| (p, i as u32))).collect();
    let mut skip = FxHashSet::default();
    for (i, x) in members.iter().enumerate() {
        for (j, y) in members.iter().enumerate() {
            if i != j && (x.text.contains(&y.text) || y.text.contains(&x.text)) {
                skip.insert((i as u32, j as u32));
            }
        }
    }
    let keep = |ids: &[u32]| -> Vec<u32> {
        let mut m: Vec<u32> = ids.iter().filter_map(|p| member_of.get(p).copied()).collect();
        m.sort_unstable();
        m.dedup();
        m
    };
    let mut sentence = Tally::default();
    let mut document = Tally::default();
    for (d, counts) in occ.per_doc.iter().enumerate() {
        let ids: Vec<u32> = counts.iter().map(|&(p, _)| p).collect();
        document.add(&keep(&ids), &skip);
        for set in &occ.sentences[d] {
            sentence.add(&keep(set), &skip);
        }
    }
    // Sentences without any slogan still count as units.
    sentence.units = occ.sentence_total;

    let mut rows = Rows::default();
    for (window, tally) in [("document", &document), ("sentence", &sentence)] {
        let mut pairs: Vec<_> = tally.pair.iter().collect();
        pairs.sort_by(|x, y| y.1.cmp(x.1).then(x.0.cmp(y.0)));
        for (&(a, b), &ab) in pairs {
            let (ca, cb) = (tally.single[&a], tally.single[&b]);
            let (pmi, npmi, llr) = association(tally.units, ca, cb, ab);
            rows.a.push(members[a as usize].text.clone());
            rows.b.push(members[b as usize].text.clone());
            rows.window.push(window);
            rows.count.push(ab);
            rows.a_count.push(ca);
            rows.b_count.push(cb);
            rows.units.push(tally.units);
            rows.pmi.push(round4(pmi));
            rows.npmi.push(round4(npmi));
            rows.llr.push(round4(llr));
        }
    }
    let h = rows.a.len();
    DataFrame::new(
        h,
        vec![
            Column::new("a".into(), rows.a),
            Column::new("b".into(), rows.b),
            Column::new("window".into(), rows.window),
            Column::new("count".into(), rows.count),
            Column::new("a_count".into(), rows.a_count),
            Column::new("b_count".into(), rows.b_count),
            Column::new("units".into(), rows.units),
            Column::new("pmi".into(), rows.pmi),
            Column::new("npmi".into(), rows.npmi),
            Column::new("llr".into(), rows.llr),
        ],
    )
    .table(T)
}

/// The table's columns while it is being filled.
#[derive(Default)]
struct Rows {
    a: Vec<String>,
    b: Vec<String>,
    window: Vec<&'static str>,
    count: Vec<u64>,
    a_count: Vec<u64>,
    b_count: Vec<u64>,
    units: Vec<u64>,
    pmi: Vec<f64>,
    npmi: Vec<f64>,
    llr: Vec<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn association_measures() {
        // independent: pmi 0
        let (pmi, npmi, g2) = association(100, 50, 50, 25);
        assert!(pmi.abs() < 1e-12 && npmi.abs() < 1e-12 && g2.abs() < 1e-9);
        // always together: npmi 1
        let (_, npmi, g2) = association(100, 10, 10, 10);
        assert!((npmi - 1.0).abs() < 1e-12);
        assert!(g2 > 50.0);
    }

    #[test]
    fn counts_pairs_per_sentence_and_document() {
        // doc 0: sentence 1 has {0,1}, sentence 2 has {2}; doc 1: sentence has {0,1}; 5 sentences
        let occ = Occurrences {
            per_doc: vec![vec![(0, 1), (1, 1), (2, 1)], vec![(0, 1), (1, 2)]],
            sentences: vec![vec![vec![0, 1], vec![2]], vec![vec![0, 1]]],
            sentence_total: 5,
        };
        let members = [
            Member { ids: vec![0], text: "四个意识".into() },
            Member { ids: vec![1], text: "两个维护".into() },
            Member { ids: vec![2], text: "四个意识和".into() },
        ];
        let df = cooccurrence(&members, &occ).unwrap();
        let window: Vec<&str> = crate::frame::strs(&df, "window", "t").unwrap();
        let count: Vec<u64> = crate::frame::u64s(&df, "count", "t").unwrap();
        let a: Vec<&str> = crate::frame::strs(&df, "a", "t").unwrap();
        // document: (两个维护, 四个意识) 2, (两个维护, 四个意识和) 1; nested 四个意识/四个意识和 skipped
        assert_eq!(window, ["document", "document", "sentence"]);
        assert_eq!(count, [2, 1, 2]);
        assert_eq!(a, ["两个维护", "两个维护", "两个维护"]);
        let units: Vec<u64> = crate::frame::u64s(&df, "units", "t").unwrap();
        assert_eq!(units, [2, 2, 5]);
    }
}
