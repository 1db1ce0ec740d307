//! A measuring task of slogans in two passes (`tifa measure`): one partial's statistics of the
//! strings the decisions ask about, as rows that add up across shards (see
//! [`crate::slogans::stats::Row`]), and the shard's totals.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::shards::in_corpus_order;
use crate::error::{Error, Result, TableContext};
use crate::frame::{i64s, strs};
use crate::partial;
use crate::report::{CsvStyle, ReportDir, check_target};
use crate::segment::Segmented;
use crate::slogans::index::Index;
use crate::slogans::stats::{Row, Stats, Summed, Totals};

/// The tables a measuring task writes: the strings' statistics, and the shard's totals.
pub const STATS: &str = "stats.parquet";
pub const TOTALS: &str = "totals.parquet";

/// What a measuring task measured.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    pub strings: usize,
    pub rows: usize,
}

/// Measure each string of the file `strings` (one a line) in the partial `dir`, and write
/// `stats.parquet` (text, stat, key, count: rows that add up across shards, at least one for
/// every string), `totals.parquet` (stat, key, count) and `run.json` into `output`.
pub fn measure_strings(dir: &Path, strings: &Path, output: &Path, force: bool) -> Result<Measured> {
    check_target(output, force)?;
    let asked =
        std::fs::read_to_string(strings).map_err(|source| Error::Read { path: strings.to_path_buf(), source })?;
    let asked: Vec<&str> = asked.lines().filter(|l| !l.is_empty()).collect();
    let mut docs = partial::read(dir)?.docs;
    in_corpus_order(&mut docs);
    let texts: Vec<&str> = docs.iter().map(|(_, c)| c.text.as_str()).collect();
    let place: FxHashMap<&str, usize> = docs.iter().enumerate().map(|(i, (m, _))| (m.doc_id.as_str(), i)).collect();
    let mut segs = vec![Segmented::default(); docs.len()];
    partial::read_words(dir, &place, &texts, &mut segs)?;
    let mut numbers: FxHashMap<&str, u32> = FxHashMap::default();
    let sources: Vec<u32> = docs
        .iter()
        .map(|(m, _)| {
            let n = numbers.len() as u32;
            *numbers.entry(m.source.as_str()).or_insert(n)
        })
        .collect();
    let year = |d: &str| crate::trends::Period::Year.of(d)?.parse().ok();
    let years: Vec<Option<u32>> = docs.iter().map(|(m, _)| m.date.as_deref().and_then(year)).collect();
    let index = Index::build_with_words(&texts, &segs, &sources);
    drop(segs);
    let mut out = ReportDir::create(output, CsvStyle::default(), force)?;
    let rows_of = |strings: &[&str]| -> Result<DataFrame> {
        // a string the shard lacks still has a row, so that the sums know it was measured
        let none = Row { stat: "occurrences", key: 0, count: 0 };
        let rows: Vec<Vec<Row>> = strings
            .par_iter()
            .map(|t| {
                let rows = Stats::of(&index, t, &years).rows();
                if rows.is_empty() { vec![none] } else { rows }
            })
            .collect();
        let n = rows.iter().map(Vec::len).sum();
        let text: Vec<&str> = strings.iter().zip(&rows).flat_map(|(t, r)| std::iter::repeat_n(*t, r.len())).collect();
        let flat = || rows.iter().flatten();
        DataFrame::new(
            n,
            vec![
                Column::new("text".into(), text),
                Column::new("stat".into(), flat().map(|r| r.stat).collect::<Vec<_>>()),
                Column::new("key".into(), flat().map(|r| r.key).collect::<Vec<_>>()),
                Column::new("count".into(), flat().map(|r| r.count).collect::<Vec<_>>()),
            ],
        )
        .table("stats")
    };
    // written a slice of the strings at a time: the rows of all of them are many times the shard
    const SLICE: usize = 16_384;
    let mut n = 0;
    out.parquet_in_slices("stats", &rows_of(&[])?, |write| {
        for strings in asked.chunks(SLICE) {
            let df = rows_of(strings)?;
            n += df.height();
            write(df)?;
        }
        Ok(())
    })?;
    let totals = Totals::of(&index, &years).rows();
    let mut totals = DataFrame::new(
        totals.len(),
        vec![
            Column::new("stat".into(), totals.iter().map(|r| r.stat).collect::<Vec<_>>()),
            Column::new("key".into(), totals.iter().map(|r| r.key).collect::<Vec<_>>()),
            Column::new("count".into(), totals.iter().map(|r| r.count).collect::<Vec<_>>()),
        ],
    )
    .table("totals")?;
    out.parquet("totals", &mut totals)?;
    let json = serde_json::json!({
        "tool": "tifa",
        "command": "measure",
        "version": env!("CARGO_PKG_VERSION"),
        "partial": dir,
        "strings": asked.len(),
        "rows": n,
        "outputs": [STATS, TOTALS, "run.json"],
    });
    out.file("run.json", &serde_json::to_vec_pretty(&json)?)?;
    out.commit()?;
    Ok(Measured { strings: asked.len(), rows: n })
}

/// The statistics the measuring tasks' folders `dirs` hold, added up: what an engine's group-by
/// over their rows makes.
pub fn read_measured(dirs: &[PathBuf]) -> Result<Summed> {
    let mut rows: BTreeMap<String, BTreeMap<(String, i64), u64>> = BTreeMap::new();
    let mut totals: BTreeMap<(String, i64), u64> = BTreeMap::new();
    for dir in dirs {
        let df = partial::read_parquet(&dir.join(STATS), "stats")?;
        let (text, stat, key) = (strs(&df, "text", "stats")?, strs(&df, "stat", "stats")?, i64s(&df, "key", "stats")?);
        let count = crate::frame::u64s(&df, "count", "stats")?;
        for i in 0..df.height() {
            *rows.entry(text[i].to_string()).or_default().entry((stat[i].to_string(), key[i])).or_default() += count[i];
        }
        let df = partial::read_parquet(&dir.join(TOTALS), "totals")?;
        let (stat, key, count) =
            (strs(&df, "stat", "totals")?, i64s(&df, "key", "totals")?, crate::frame::u64s(&df, "count", "totals")?);
        for i in 0..df.height() {
            *totals.entry((stat[i].to_string(), key[i])).or_default() += count[i];
        }
    }
    let mut summed = Summed {
        totals: Totals::from_rows(totals.iter().map(|((s, k), c)| (s.as_str(), *k, *c)))?,
        ..Summed::default()
    };
    for (text, rows) in rows {
        let stats = Stats::from_rows(text.chars().count(), rows.iter().map(|((s, k), c)| (s.as_str(), *k, *c)))?;
        summed.stats.insert(text, stats);
    }
    Ok(summed)
}
