//! Keyness: which slogans and words one group of documents (a province, a kind of report, a
//! period) uses more than the rest of the corpus, by log-likelihood (G²) with the log ratio of
//! the two rates as effect size.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::error::{Result, TableContext};
use crate::frame::round4;

/// Items kept per group and kind.
pub const TOP: usize = 50;

/// Least G² reported: p < 0.001 with one degree of freedom.
pub const MIN_G2: f64 = 10.83;

/// Dunning's log-likelihood G² for `a` of `c` in the group against `b` of `d` in the rest.
pub fn g2(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let e1 = c * (a + b) / (c + d);
    let e2 = d * (a + b) / (c + d);
    let term = |o: f64, e: f64| if o > 0.0 && e > 0.0 { o * (o / e).ln() } else { 0.0 };
    2.0 * (term(a, e1) + term(b, e2))
}

/// log2 of the ratio of the two rates, with 0.5 added to each count so that an item absent from
/// the rest has a finite value.
pub fn log_ratio(a: f64, b: f64, c: f64, d: f64) -> f64 {
    (((a + 0.5) / c) / ((b + 0.5) / d)).log2()
}

/// Counts of items in groups: `counts[(group, item)]`, with each group's total size.
#[derive(Debug, Clone, Default)]
pub struct GroupCounts {
    pub kind: &'static str,
    pub counts: BTreeMap<(u32, String), u64>,
    pub group_totals: Vec<u64>,
}

/// The `keyness` table for groups `names` from one or more kinds of counts: group, kind, item,
/// count, count_rest, per_10k, per_10k_rest, g2, log_ratio. Only over-used items with G² ≥
/// [`MIN_G2`], at most [`TOP`] per group and kind, by G².
pub fn keyness(names: &[String], kinds: &[GroupCounts]) -> Result<DataFrame> {
    const T: &str = "keyness";
    #[derive(Default)]
    struct Rows {
        group: Vec<String>,
        kind: Vec<&'static str>,
        item: Vec<String>,
        count: Vec<u64>,
        count_rest: Vec<u64>,
        per: Vec<f64>,
        per_rest: Vec<f64>,
        g2: Vec<f64>,
        log_ratio: Vec<f64>,
    }
    let mut rows = Rows::default();
    for k in kinds {
        let total: u64 = k.group_totals.iter().sum();
        let mut item_totals: BTreeMap<&str, u64> = BTreeMap::new();
        for ((_, item), n) in &k.counts {
            *item_totals.entry(item.as_str()).or_insert(0) += n;
        }
        for (g, name) in names.iter().enumerate() {
            let c = k.group_totals[g] as f64;
            let d = (total - k.group_totals[g]) as f64;
            if c == 0.0 || d == 0.0 {
                continue;
            }
            let mut keys: Vec<(f64, f64, &str, u64, u64)> = k
                .counts
                .range((g as u32, String::new())..(g as u32 + 1, String::new()))
                .filter_map(|((_, item), &a)| {
                    let b = item_totals[item.as_str()] - a;
                    let (af, bf) = (a as f64, b as f64);
                    let over = af / c > bf / d;
                    let score = g2(af, bf, c, d);
                    (over && score >= MIN_G2).then(|| (score, log_ratio(af, bf, c, d), item.as_str(), a, b))
                })
                .collect();
            keys.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.2.cmp(y.2)));
            for (score, lr, item, a, b) in keys.into_iter().take(TOP) {
                rows.group.push(name.clone());
                rows.kind.push(k.kind);
                rows.item.push(item.to_string());
                rows.count.push(a);
                rows.count_rest.push(b);
                rows.per.push(round4(a as f64 * 10_000.0 / c));
                rows.per_rest.push(round4(b as f64 * 10_000.0 / d));
                rows.g2.push(round4(score));
                rows.log_ratio.push(round4(lr));
            }
        }
    }
    let n = rows.group.len();
    DataFrame::new(
        n,
        vec![
            Column::new("group".into(), rows.group),
            Column::new("kind".into(), rows.kind),
            Column::new("item".into(), rows.item),
            Column::new("count".into(), rows.count),
            Column::new("count_rest".into(), rows.count_rest),
            Column::new("per_10k".into(), rows.per),
            Column::new("per_10k_rest".into(), rows.per_rest),
            Column::new("g2".into(), rows.g2),
            Column::new("log_ratio".into(), rows.log_ratio),
        ],
    )
    .table(T)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::{f64s, strs, u64s};

    #[test]
    fn g2_of_known_tables() {
        // equal rates: nothing to see
        assert!(g2(10.0, 10.0, 1000.0, 1000.0).abs() < 1e-9);
        // 20 of 1000 against 5 of 1000: G² = 9.64 (Rayson's calculator gives 9.64)
        assert!((g2(20.0, 5.0, 1000.0, 1000.0) - 9.64).abs() < 0.01, "{}", g2(20.0, 5.0, 1000.0, 1000.0));
        assert!((log_ratio(20.0, 5.0, 1000.0, 1000.0) - (20.5f64 / 5.5).log2()).abs() < 1e-12);
    }

    #[test]
    fn two_groups() {
        // 山东 uses 走在前 a lot; both use 主题教育 at the same rate
        let mut counts = BTreeMap::new();
        counts.insert((0, "走在前".to_string()), 30);
        counts.insert((0, "主题教育".to_string()), 50);
        counts.insert((1, "主题教育".to_string()), 50);
        counts.insert((1, "走在前".to_string()), 1);
        let k = GroupCounts { kind: "slogan", counts, group_totals: vec![10_000, 10_000] };
        let df = keyness(&["山东".into(), "云南".into()], &[k]).unwrap();
        assert_eq!(strs(&df, "group", "t").unwrap(), ["山东"]);
        assert_eq!(strs(&df, "item", "t").unwrap(), ["走在前"]);
        assert_eq!(u64s(&df, "count_rest", "t").unwrap(), [1]);
        assert!(f64s(&df, "g2", "t").unwrap()[0] > MIN_G2);
        assert!(f64s(&df, "log_ratio", "t").unwrap()[0] > 4.0);
    }
}
