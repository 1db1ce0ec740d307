//! A measuring task of slogans in two passes (`tifa measure`): one partial's statistics of the
//! strings the decisions ask about, as rows that add up across shards (see
//! [`crate::slogans::stats::Row`]), and the shard's totals.

use std::path::{Path, PathBuf};

use polars::prelude::*;
use rayon::prelude::*;

use super::phrase_ranges::{freedom_columns, opt_u32s, read_freedoms};
use super::shards::{in_corpus_order, words};
use crate::corpus::Corpus;
use crate::error::{Error, Result, TableContext};
use crate::frame::{bools, f64s, i64s, strs};
use crate::partial;
use crate::report::{CsvStyle, ReportDir, check_target};
use crate::slogans::index::Index;
use crate::slogans::phrase::Freedom;
use crate::slogans::setphrase::Usage;
use crate::slogans::stats::{Finished, FinishedSums, Row, Stats, Summed, Totals};

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
    // the shard's documents in corpus order, its source files numbered and its words read as a
    // merge has them
    let mut docs = partial::read(dir)?.docs;
    in_corpus_order(&mut docs);
    let (metas, cleaned) = docs.into_iter().unzip();
    let corpus = Corpus::new(metas, cleaned);
    let segs = words(&[dir.to_path_buf()], &corpus)?;
    let (texts, years) = (corpus.texts(), corpus.years());
    let index = Index::build_with_words(&texts, &segs, &corpus.sources);
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
    out.parquet("totals", &mut totals_table(&Totals::of(&index, &years))?)?;
    let json = serde_json::json!({
        "partial": dir,
        "strings": asked.len(),
        "rows": n,
        "outputs": [STATS, TOTALS, "run.json"],
    });
    out.file("run.json", &super::task_json("measure", json)?)?;
    out.commit()?;
    Ok(Measured { strings: asked.len(), rows: n })
}

/// The totals as a table (stat, key, count).
pub(super) fn totals_table(totals: &Totals) -> Result<DataFrame> {
    let rows = totals.rows();
    DataFrame::new(
        rows.len(),
        vec![
            Column::new("stat".into(), rows.iter().map(|r| r.stat).collect::<Vec<_>>()),
            Column::new("key".into(), rows.iter().map(|r| r.key).collect::<Vec<_>>()),
            Column::new("count".into(), rows.iter().map(|r| r.count).collect::<Vec<_>>()),
        ],
    )
    .table("totals")
}

/// The totals of the folder `dir` (`totals.parquet`).
fn read_totals(dir: &Path) -> Result<Totals> {
    read_totals_file(&dir.join(TOTALS))
}

/// The totals of the table at `path` (stat, key, count).
pub(super) fn read_totals_file(path: &Path) -> Result<Totals> {
    const T: &str = "totals";
    let df = partial::read_parquet(path, T)?;
    let (stat, key, count) = (strs(&df, "stat", T)?, i64s(&df, "key", T)?, crate::frame::u64s(&df, "count", T)?);
    Totals::from_rows((0..df.height()).map(|i| (stat[i], key[i], count[i])))
}

/// The statistics the measuring tasks' folders `dirs` hold, added up: what an engine's group-by
/// over their rows makes.
pub fn read_measured(dirs: &[PathBuf]) -> Result<Summed> {
    let mut summed = Summed::default();
    for dir in dirs {
        let columns = ["text", "stat", "key", "count"].map(String::from);
        for df in partial::slices(&dir.join(STATS), &columns, "stats")? {
            let df = df?;
            let (text, stat, key) =
                (strs(&df, "text", "stats")?, strs(&df, "stat", "stats")?, i64s(&df, "key", "stats")?);
            let count = crate::frame::u64s(&df, "count", "stats")?;
            // a string's rows follow one another as a task writes them: each run of them read
            // as the string's statistics there, and added to the sums (a string whose rows come
            // in several runs, across slices or as an engine writes them, is added up from each)
            let mut i = 0;
            while i < df.height() {
                let end = (i..df.height()).find(|&j| text[j] != text[i]).unwrap_or(df.height());
                let rows = (i..end).map(|j| (stat[j], key[j], count[j]));
                let stats = Stats::from_rows(text[i].chars().count(), rows)?;
                match summed.stats.get_mut(text[i]) {
                    Some(s) => s.add(&stats),
                    None => {
                        summed.stats.insert(text[i].to_string(), stats);
                    }
                }
                i = end;
            }
        }
        summed.totals.add(&read_totals(dir)?);
    }
    Ok(summed)
}

/// The table of finished measures.
pub const FINISHED: &str = "finished.parquet";

/// Finish the statistics the measuring tasks' folders `dirs` hold, added up ([`read_measured`]),
/// into each string's measures ([`Finished`]), and write them (`finished.parquet`) with the
/// totals they were finished in (`totals.parquet`) and `run.json` into `output`: what the
/// decisions read, a few numbers a string. Returns how many strings were finished.
pub fn finish_measured(dirs: &[PathBuf], output: &Path, force: bool) -> Result<usize> {
    check_target(output, force)?;
    let summed = read_measured(dirs)?;
    let eras = summed.totals.eras();
    // by text, the same rows in the same order every time
    let mut finished: Vec<(&String, Finished)> =
        summed.stats.iter().map(|(t, s)| (t, Finished::of(s, t, &summed.totals, &eras))).collect();
    finished.sort_by(|a, b| a.0.cmp(b.0));
    let freedoms: Vec<Option<&Freedom>> = finished.iter().map(|(_, f)| f.freedom.as_ref()).collect();
    let mut columns = vec![Column::new("text".into(), finished.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>())];
    columns.extend(freedom_columns(&freedoms));
    let u = |f: fn(&Finished) -> u32| finished.iter().map(|(_, x)| f(x) as u64).collect::<Vec<_>>();
    let b = |f: fn(&Finished) -> bool| finished.iter().map(|(_, x)| f(x)).collect::<Vec<_>>();
    columns.extend([
        Column::new("usage_parallel".into(), u(|f| f.usage.parallel)),
        Column::new("usage_principle".into(), u(|f| f.usage.principle)),
        Column::new("usage_framed".into(), u(|f| f.usage.framed)),
        Column::new("set_undominated".into(), b(|f| f.set_undominated)),
        Column::new("set_left_entropy".into(), finished.iter().map(|(_, f)| f.set_entropies.0).collect::<Vec<_>>()),
        Column::new("set_right_entropy".into(), finished.iter().map(|(_, f)| f.set_entropies.1).collect::<Vec<_>>()),
        Column::new("cohesion".into(), finished.iter().map(|(_, f)| f.cohesion).collect::<Vec<_>>()),
        Column::new("bounded".into(), b(|f| f.bounded)),
        Column::new("ever_listed".into(), b(|f| f.ever_listed)),
    ]);
    let mut table = DataFrame::new(finished.len(), columns).table("finished")?;
    let mut out = ReportDir::create(output, CsvStyle::default(), force)?;
    out.parquet("finished", &mut table)?;
    out.parquet("totals", &mut totals_table(&summed.totals)?)?;
    let json = serde_json::json!({
        "measured": dirs,
        "strings": finished.len(),
        "outputs": [FINISHED, TOTALS, "run.json"],
    });
    out.file("run.json", &super::task_json("finish", json)?)?;
    out.commit()?;
    Ok(finished.len())
}

/// The finished measures of the folders `dirs` written by [`finish_measured`] (one a partition
/// of the strings), joined, in the eras of their totals, which must be the same in each.
pub fn read_finished(dirs: &[PathBuf]) -> Result<FinishedSums> {
    const T: &str = "finished";
    let mut out = FinishedSums::default();
    let mut first: Option<Totals> = None;
    for dir in dirs {
        let totals = read_totals(dir)?;
        match &first {
            Some(t) if *t != totals => {
                return Err(Error::Partials(format!(
                    "{} was finished in other totals than {}",
                    dir.display(),
                    dirs[0].display()
                )));
            }
            Some(_) => {}
            None => first = Some(totals),
        }
        let df = partial::read_parquet(&dir.join(FINISHED), T)?;
        let texts = strs(&df, "text", T)?;
        let freedoms = read_freedoms(&df, T)?;
        let u =
            |c: &str| -> Result<Vec<u32>> { Ok(opt_u32s(&df, c, T)?.into_iter().map(|v| v.unwrap_or(0)).collect()) };
        let (parallel, principle, framed) = (u("usage_parallel")?, u("usage_principle")?, u("usage_framed")?);
        let (undominated, bounded, listed) =
            (bools(&df, "set_undominated", T)?, bools(&df, "bounded", T)?, bools(&df, "ever_listed", T)?);
        let (left, right) = (f64s(&df, "set_left_entropy", T)?, f64s(&df, "set_right_entropy", T)?);
        let cohesion: Vec<Option<f64>> = df.column("cohesion").table(T)?.f64().table(T)?.iter().collect();
        for i in 0..df.height() {
            let f = Finished {
                freedom: freedoms[i],
                usage: Usage { parallel: parallel[i], principle: principle[i], framed: framed[i] },
                set_undominated: undominated[i],
                set_entropies: (left[i], right[i]),
                cohesion: cohesion[i],
                bounded: bounded[i],
                ever_listed: listed[i],
            };
            out.measures.insert(texts[i].to_string(), f);
        }
    }
    out.eras = first.map(|t| t.eras()).unwrap_or_default();
    Ok(out)
}
