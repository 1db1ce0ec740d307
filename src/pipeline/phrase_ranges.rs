//! A range task of the whole corpus's phrases (`tifa phrases`): from every partial, the
//! suffixes that begin with one range of first characters are indexed and their phrases found.
//! The ranges' tables together are the phrases one run's detector finds (see
//! [`crate::slogans::union`]).

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{Error, Result, TableContext};
use crate::frame::strs;
use crate::partial;
use crate::report::{CsvStyle, ReportDir, check_target};
use crate::slogans::index::{CharsSeen, DocSymbols, Symbols};
use crate::slogans::phrase::{Freedom, find_phrases};
use crate::slogans::setphrase::Usage;
use crate::slogans::{Settings, phrase_limits};

/// The table a range task writes.
pub const PHRASES: &str = "phrases.parquet";

/// What a range task found.
#[derive(Debug, Clone, Copy)]
pub struct RangeDone {
    /// The ranges the corpus's first characters were cut into (fewer than asked in a corpus
    /// of fewer characters).
    pub ranges: usize,
    /// The suffixes of this range.
    pub suffixes: usize,
    pub phrases: usize,
}

/// Find the phrases of range `range` (0-based) of `ranges` ranges of first characters, over the
/// documents of the partials in `dirs`, ordered as one run over all their inputs orders them,
/// and write them with their freedom into `output/phrases.parquet`. A range past the last the
/// corpus has writes an empty table.
pub fn phrases_of_range(
    dirs: &[PathBuf],
    range: usize,
    ranges: usize,
    settings: Settings,
    output: &Path,
    force: bool,
) -> Result<RangeDone> {
    check_target(output, force)?;
    if range >= ranges {
        return Err(Error::PhraseRange { range, ranges });
    }
    let symbols = corpus_symbols(dirs)?;
    let cut = symbols.first_symbol_ranges(ranges);
    let (suffixes, phrases) = match cut.get(range) {
        Some(r) => {
            let index = symbols.sorted_range(r.clone());
            (index.len(), find_phrases(&index, phrase_limits(settings)))
        }
        None => (0, Vec::new()),
    };
    let mut out = ReportDir::create(output, CsvStyle::default(), force)?;
    out.parquet("phrases", &mut phrase_table(&phrases)?)?;
    let json = serde_json::json!({
        "partials": dirs,
        "range": range,
        "ranges": ranges,
        "ranges_cut": cut.len(),
        "suffixes": suffixes,
        "phrases": phrases.len(),
        "outputs": [PHRASES, "run.json"],
    });
    out.file("run.json", &super::task_json("phrases", json)?)?;
    out.commit()?;
    Ok(RangeDone { ranges: cut.len(), suffixes, phrases: phrases.len() })
}

/// The symbols of the documents of the partials in `dirs`, in the order one run over all their
/// inputs has them, read a partial at a time: only the text and words of one partial are held
/// beside the symbols of those before it.
fn corpus_symbols(dirs: &[PathBuf]) -> Result<Symbols> {
    const T: &str = "documents";
    for dir in dirs {
        partial::header(dir)?;
    }
    // the alphabet is the whole corpus's: every text is read once for its characters first
    let mut seen = CharsSeen::default();
    for dir in dirs {
        let df = partial::document_columns(dir, &["text"])?;
        seen.see(&strs(&df, "text", T)?);
    }
    let alphabet = seen.alphabet(true);
    let mut docs: Vec<((String, u32), &Path, DocSymbols)> = Vec::new();
    for dir in dirs {
        let df = partial::document_columns(dir, &["doc_id", "source", "part", "text", "spans"])?;
        let (ids, sources, texts) = (strs(&df, "doc_id", T)?, strs(&df, "source", T)?, strs(&df, "text", T)?);
        let parts = crate::frame::u32s(&df, "part", T)?;
        let spans = df.column("spans").table(T)?.binary().table(T)?;
        let words = |i: usize| partial::spans_of(spans.get(i).unwrap_or_default(), texts[i], ids[i], dir);
        let keys = sources.iter().zip(&parts).map(|(s, &p)| (s.to_string(), p));
        docs.extend(keys.zip(alphabet.documents(&texts, words)?).map(|(k, d)| (k, dir.as_path(), d)));
    }
    if docs.is_empty() {
        return Err(Error::NoDocuments);
    }
    // by source file, then place in it, as one run orders them (see `in_corpus_order`)
    docs.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some(w) = docs.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(Error::Partials(format!(
            "document {} of {} is in two partials ({} and {}); give each input to one shard only",
            w[0].0.1,
            w[0].0.0,
            w[0].1.display(),
            w[1].1.display()
        )));
    }
    let mut numbers: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    let sources: Vec<u32> = docs
        .iter()
        .map(|((source, _), _, _)| {
            let n = numbers.len() as u32;
            *numbers.entry(source.as_str()).or_insert(n)
        })
        .collect();
    let docs: Vec<DocSymbols> = docs.into_iter().map(|(_, _, d)| d).collect();
    Ok(alphabet.join_documents(docs, sources))
}

/// The phrases as a table: one row each, its freedom in columns (see [`freedom_columns`]).
fn phrase_table(phrases: &[(String, Freedom)]) -> Result<DataFrame> {
    let freedoms: Vec<Option<&Freedom>> = phrases.iter().map(|p| Some(&p.1)).collect();
    let mut columns = vec![Column::new("text".into(), phrases.iter().map(|p| p.0.as_str()).collect::<Vec<_>>())];
    columns.extend(freedom_columns(&freedoms));
    DataFrame::new(phrases.len(), columns).table("phrases")
}

/// Freedoms as columns: occurrences, docs, sources, left_entropy, right_entropy, framed, listed,
/// and set_parallel, set_principle, set_framed (null when it cannot be a set phrase); every
/// column null where there is no freedom.
pub(super) fn freedom_columns(freedoms: &[Option<&Freedom>]) -> Vec<Column> {
    let u = |f: fn(&Freedom) -> u32| freedoms.iter().map(|x| x.map(|x| f(x) as u64)).collect::<Vec<_>>();
    let set = |f: fn(&Usage) -> u32| {
        freedoms.iter().map(|x| x.and_then(|x| x.set.as_ref()).map(|s| f(s) as u64)).collect::<Vec<_>>()
    };
    let f = |f: fn(&Freedom) -> f64| freedoms.iter().map(|x| x.map(f)).collect::<Vec<_>>();
    let b = |f: fn(&Freedom) -> bool| freedoms.iter().map(|x| x.map(f)).collect::<Vec<_>>();
    vec![
        Column::new("occurrences".into(), u(|f| f.occurrences)),
        Column::new("docs".into(), u(|f| f.docs)),
        Column::new("sources".into(), u(|f| f.sources)),
        Column::new("left_entropy".into(), f(|f| f.left_entropy)),
        Column::new("right_entropy".into(), f(|f| f.right_entropy)),
        Column::new("framed".into(), b(|f| f.framed)),
        Column::new("listed".into(), b(|f| f.listed)),
        Column::new("set_parallel".into(), set(|s| s.parallel)),
        Column::new("set_principle".into(), set(|s| s.principle)),
        Column::new("set_framed".into(), set(|s| s.framed)),
    ]
}

/// A nullable column of counts, each below 2³², as u32.
pub(super) fn opt_u32s(df: &DataFrame, c: &str, table: &'static str) -> Result<Vec<Option<u32>>> {
    let col = df.column(c).table(table)?.strict_cast(&DataType::UInt32).table(table)?;
    Ok(col.u32().table(table)?.iter().collect())
}

/// The freedoms of [`freedom_columns`], read back: none where `occurrences` is null.
pub(super) fn read_freedoms(df: &DataFrame, table: &'static str) -> Result<Vec<Option<Freedom>>> {
    let (occurrences, docs, sources) =
        (opt_u32s(df, "occurrences", table)?, opt_u32s(df, "docs", table)?, opt_u32s(df, "sources", table)?);
    let f =
        |c: &str| -> Result<Vec<Option<f64>>> { Ok(df.column(c).table(table)?.f64().table(table)?.iter().collect()) };
    let b =
        |c: &str| -> Result<Vec<Option<bool>>> { Ok(df.column(c).table(table)?.bool().table(table)?.iter().collect()) };
    let (left, right, framed, listed) = (f("left_entropy")?, f("right_entropy")?, b("framed")?, b("listed")?);
    let (parallel, principle, set_framed) = (
        opt_u32s(df, "set_parallel", table)?,
        opt_u32s(df, "set_principle", table)?,
        opt_u32s(df, "set_framed", table)?,
    );
    Ok((0..df.height())
        .map(|i| {
            let set = match (parallel[i], principle[i], set_framed[i]) {
                (Some(parallel), Some(principle), Some(framed)) => Some(Usage { parallel, principle, framed }),
                _ => None,
            };
            Some(Freedom {
                occurrences: occurrences[i]?,
                docs: docs[i].unwrap_or(0),
                sources: sources[i].unwrap_or(0),
                left_entropy: left[i].unwrap_or(f64::NAN),
                right_entropy: right[i].unwrap_or(f64::NAN),
                framed: framed[i].unwrap_or(false),
                set,
                listed: listed[i].unwrap_or(false),
            })
        })
        .collect())
}

/// The phrases of the range tasks' folders `dirs`, joined and sorted by text: the whole
/// corpus's, as one run's detector lists them, when the folders are every range of one cut. A
/// string in two folders is refused.
pub fn read_phrases(dirs: &[PathBuf]) -> Result<Vec<(String, Freedom)>> {
    const T: &str = "phrases";
    let mut all = Vec::new();
    for (d, dir) in dirs.iter().enumerate() {
        let df = partial::read_parquet(&dir.join(PHRASES), T)?;
        let texts = strs(&df, "text", T)?;
        for (text, freedom) in texts.iter().zip(read_freedoms(&df, T)?) {
            let freedom = freedom
                .ok_or_else(|| Error::Phrases { dir: dir.clone(), message: format!("{text} has no occurrences") })?;
            all.push((text.to_string(), freedom, d));
        }
    }
    // the detector can find one string twice in a range, the same each time (an item only ever
    // listed, judged from its own interval and as the first item of a longer one): kept, as
    // one run keeps it; a string of two ranges cannot be
    all.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some(w) = all.windows(2).find(|w| w[0].0 == w[1].0 && w[0].2 != w[1].2) {
        let message = format!("{} is in {} too; give each range once", w[0].0, dirs[w[1].2].display());
        return Err(Error::Phrases { dir: dirs[w[0].2].clone(), message });
    }
    Ok(all.into_iter().map(|(t, f, _)| (t, f)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_read_back_as_written_and_a_range_given_twice_is_refused() {
        let freedom = |k: u32| Freedom {
            occurrences: 2 + k,
            docs: 2,
            sources: 1 + k % 2,
            left_entropy: 1.0 / (k as f64 + 3.0),
            right_entropy: std::f64::consts::PI * k as f64,
            framed: k.is_multiple_of(3),
            set: (k % 2 == 1).then_some(Usage { parallel: k, principle: 0, framed: u32::MAX }),
            listed: k.is_multiple_of(4),
        };
        let phrases: Vec<(String, Freedom)> = ["坚持以人民为中心", "稳中求进", "交通强国", "学思想、强党性"]
            .iter()
            .enumerate()
            .map(|(k, t)| (t.to_string(), freedom(k as u32)))
            .collect();
        let tmp = tempfile::tempdir().unwrap();
        let (a, b, empty) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("empty"));
        for (dir, part) in [(&a, &phrases[..2]), (&b, &phrases[2..]), (&empty, &[][..])] {
            let mut out = ReportDir::create(dir, CsvStyle::default(), false).unwrap();
            out.parquet("phrases", &mut phrase_table(part).unwrap()).unwrap();
            out.commit().unwrap();
        }
        let mut sorted = phrases.clone();
        sorted.sort_by(|x, y| x.0.cmp(&y.0));
        assert_eq!(read_phrases(&[b.clone(), empty.clone(), a.clone()]).unwrap(), sorted);
        let twice = read_phrases(&[a.clone(), b, a.clone()]).unwrap_err().to_string();
        let (a, b) = (a.display(), tmp.path().join("b"));
        assert!(twice.contains(&format!("{a}: 坚持以人民为中心 is in {a} too")), "{twice}");
        assert!(!twice.contains(&b.display().to_string()), "{twice}");
    }
}
