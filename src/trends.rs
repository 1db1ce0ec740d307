//! Trends: for each period of the documents' dates (year, month or day) and each slogan, its count
//! and its rate per 10,000 characters of that period's clean text; and when each slogan was first
//! and last seen.

use std::collections::BTreeMap;

use polars::prelude::*;
use serde::Serialize;

use crate::error::{Result, TableContext};
use crate::frame::round4;
use crate::slogans::Occurrences;

/// How dates are grouped into periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    #[default]
    Year,
    Month,
    Day,
}

impl Period {
    /// The period of an ISO date, year-month or year; `None` when the date is not precise enough
    /// (a bare year has no month).
    pub fn of(self, date: &str) -> Option<String> {
        let len = match self {
            Period::Year => 4,
            Period::Month => 7,
            Period::Day => 10,
        };
        (date.len() >= len && date.is_char_boundary(len)).then(|| date[..len].to_string())
    }

    /// Every period from `first` to `last`, both included, in order.
    pub fn range(self, first: &str, last: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut p = first.to_string();
        while p.as_str() <= last && out.len() < 100_000 {
            out.push(p.clone());
            p = match self.next(&p) {
                Some(n) => n,
                None => break,
            };
        }
        out
    }

    fn next(self, p: &str) -> Option<String> {
        let num = |s: &str| s.parse::<u32>().ok();
        match self {
            Period::Year => Some(format!("{:04}", num(p)? + 1)),
            Period::Month => {
                let (y, m) = (num(&p[..4])?, num(&p[5..7])?);
                Some(if m == 12 { format!("{:04}-01", y + 1) } else { format!("{y:04}-{:02}", m + 1) })
            }
            Period::Day => {
                let (y, m, d) = (num(&p[..4])?, num(&p[5..7])?, num(&p[8..10])?);
                let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
                let days = match m {
                    2 if leap => 29,
                    2 => 28,
                    4 | 6 | 9 | 11 => 30,
                    _ => 31,
                };
                Some(if d < days {
                    format!("{y:04}-{m:02}-{:02}", d + 1)
                } else if m < 12 {
                    format!("{y:04}-{:02}-01", m + 1)
                } else {
                    format!("{:04}-01-01", y + 1)
                })
            }
        }
    }
}

/// Per-period totals: characters and documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PeriodTotals {
    pub chars: u64,
    pub docs: u64,
}

/// What the trends stage produces.
#[derive(Debug, Clone)]
pub struct Trends {
    /// period, slogan, count, per_10k, period_chars, period_docs.
    pub table: DataFrame,
    /// Per slogan row: the earliest and latest document date with an occurrence.
    pub first_seen: Vec<Option<String>>,
    pub last_seen: Vec<Option<String>>,
    /// Periods that have documents, in order.
    pub periods: BTreeMap<String, PeriodTotals>,
}

/// Trends of the slogans `names` (row `r` counts the patterns `rows[r]` of `occ`). Rows flagged
/// in `always` get a row for every period with documents, zero counts included; the others only
/// where they occur.
pub fn trends(
    period: Period,
    dates: &[Option<&str>],
    doc_chars: &[u64],
    occ: &Occurrences,
    rows: &[Vec<u32>],
    names: &[&str],
    always: &[bool],
) -> Result<Trends> {
    const T: &str = "trends";
    let doc_period: Vec<Option<String>> = dates.iter().map(|d| d.and_then(|d| period.of(d))).collect();
    let mut periods: BTreeMap<String, PeriodTotals> = BTreeMap::new();
    for (d, p) in doc_period.iter().enumerate() {
        if let Some(p) = p {
            let t = periods.entry(p.clone()).or_default();
            t.chars += doc_chars[d];
            t.docs += 1;
        }
    }
    let mut row_of: BTreeMap<u32, u32> = BTreeMap::new();
    for (r, ps) in rows.iter().enumerate() {
        for &p in ps {
            row_of.insert(p, r as u32);
        }
    }
    // occurrences: one row per (document, slogan), with the document's period
    let (mut period_col, mut row_col, mut n_col) = (Vec::new(), Vec::new(), Vec::new());
    let mut first_seen: Vec<Option<String>> = vec![None; rows.len()];
    let mut last_seen: Vec<Option<String>> = vec![None; rows.len()];
    for (d, counts) in occ.per_doc.iter().enumerate() {
        for &(p, c) in counts {
            let Some(&r) = row_of.get(&p) else { continue };
            if let Some(date) = dates[d] {
                let (f, l) = (&mut first_seen[r as usize], &mut last_seen[r as usize]);
                if f.as_deref().is_none_or(|x| date < x) {
                    *f = Some(date.to_string());
                }
                if l.as_deref().is_none_or(|x| date > x) {
                    *l = Some(date.to_string());
                }
            }
            if let Some(per) = &doc_period[d] {
                period_col.push(per.as_str());
                row_col.push(r);
                n_col.push(c as u64);
            }
        }
    }
    let h = period_col.len();
    let occurrences = DataFrame::new(
        h,
        vec![
            Column::new("period".into(), period_col),
            Column::new("row".into(), row_col),
            Column::new("n".into(), n_col),
        ],
    )
    .table(T)?;
    let summed = occurrences
        .lazy()
        .group_by([col("period"), col("row")])
        .agg([col("n").sum().cast(DataType::UInt64).alias("count")])
        .collect()
        .table(T)?;
    let (sp, sr, sc) = (
        crate::frame::strs(&summed, "period", T)?,
        crate::frame::u32s(&summed, "row", T)?,
        crate::frame::u64s(&summed, "count", T)?,
    );
    let mut cells: BTreeMap<(String, u32), u64> = BTreeMap::new();
    for i in 0..summed.height() {
        cells.insert((sp[i].to_string(), sr[i]), sc[i]);
    }
    for (r, &a) in always.iter().enumerate() {
        if a {
            for p in periods.keys() {
                cells.entry((p.clone(), r as u32)).or_insert(0);
            }
        }
    }
    // rows in period order, then by count (descending), then slogan
    let mut ordered: Vec<(&(String, u32), &u64)> = cells.iter().collect();
    ordered.sort_by(|a, b| a.0.0.cmp(&b.0.0).then(b.1.cmp(a.1)).then(names[a.0.1 as usize].cmp(names[b.0.1 as usize])));
    let n = ordered.len();
    let totals = |p: &str| periods.get(p).cloned().unwrap_or_default();
    let table = DataFrame::new(
        n,
        vec![
            Column::new("period".into(), ordered.iter().map(|c| c.0.0.as_str()).collect::<Vec<_>>()),
            Column::new("slogan".into(), ordered.iter().map(|c| names[c.0.1 as usize]).collect::<Vec<_>>()),
            Column::new("count".into(), ordered.iter().map(|c| *c.1).collect::<Vec<_>>()),
            Column::new(
                "per_10k".into(),
                ordered
                    .iter()
                    .map(|c| round4(*c.1 as f64 * 10_000.0 / totals(&c.0.0).chars.max(1) as f64))
                    .collect::<Vec<_>>(),
            ),
            Column::new("period_chars".into(), ordered.iter().map(|c| totals(&c.0.0).chars).collect::<Vec<_>>()),
            Column::new("period_docs".into(), ordered.iter().map(|c| totals(&c.0.0).docs).collect::<Vec<_>>()),
        ],
    )
    .table(T)?;
    Ok(Trends { table, first_seen, last_seen, periods })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::{strs, u64s};

    #[test]
    fn periods_of_dates() {
        assert_eq!(Period::Year.of("2019-03-05").as_deref(), Some("2019"));
        assert_eq!(Period::Month.of("2019-03-05").as_deref(), Some("2019-03"));
        assert_eq!(Period::Month.of("2019"), None);
        assert_eq!(Period::Day.of("2019-03"), None);
        assert_eq!(Period::Year.range("1959", "1962"), ["1959", "1960", "1961", "1962"]);
        assert_eq!(Period::Month.range("2019-11", "2020-02"), ["2019-11", "2019-12", "2020-01", "2020-02"]);
        assert_eq!(Period::Day.range("2020-02-28", "2020-03-01"), ["2020-02-28", "2020-02-29", "2020-03-01"]);
    }

    #[test]
    fn counts_rates_and_first_seen() {
        // three documents: 2019 (100 chars), 2019 (300 chars), 2021 (200 chars); one undated
        let dates = [Some("2019-01-01"), Some("2019"), Some("2021-06-01"), None];
        let chars = [100, 300, 200, 50];
        let occ = Occurrences {
            per_doc: vec![vec![(0, 2)], vec![(0, 1), (1, 4)], vec![(1, 1)], vec![(0, 7)]],
            sentences: vec![vec![]; 4],
            sentence_total: 0,
        };
        let rows = [vec![0], vec![1]];
        let t = trends(Period::Year, &dates, &chars, &occ, &rows, &["两个确立", "新质生产力"], &[true, false]).unwrap();
        let got: Vec<(String, String, u64)> = (0..t.table.height())
            .map(|i| {
                (
                    strs(&t.table, "period", "t").unwrap()[i].to_string(),
                    strs(&t.table, "slogan", "t").unwrap()[i].to_string(),
                    u64s(&t.table, "count", "t").unwrap()[i],
                )
            })
            .collect();
        let want =
            [("2019", "新质生产力", 4), ("2019", "两个确立", 3), ("2021", "新质生产力", 1), ("2021", "两个确立", 0)];
        assert_eq!(got, want.map(|(a, b, c)| (a.to_string(), b.to_string(), c)));
        let per = crate::frame::f64s(&t.table, "per_10k", "t").unwrap();
        assert_eq!(per[1], 75.0); // 3 in 400 characters
        assert_eq!(t.first_seen, [Some("2019".to_string()), Some("2019".to_string())]);
        assert_eq!(t.last_seen[0].as_deref(), Some("2019-01-01"));
        assert_eq!(t.periods.len(), 2);
    }
}
