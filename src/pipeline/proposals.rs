//! Slogans in two passes from the partials: what each shard's documents propose (quotes,
//! formula shapes, series, the lexicon) and the shard's totals, written by `tifa analyze
//! --partial`; and `tifa ask`, which learns from them, the range tasks' phrases and the finished
//! measures which strings the slogan decisions still need measured.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::measure::{read_finished, read_totals_file, totals_table};
use super::phrase_ranges::read_phrases;
use crate::corpus::Corpus;
use crate::error::{Error, Result, TableContext};
use crate::frame::{i64s, strs};
use crate::partial;
use crate::report::ReportDir;
use crate::resources::Resources;
use crate::segment::Segmenter;
use crate::slogans::index::Symbols;
use crate::slogans::stats::{Asking, FinishedSums, Totals};
use crate::slogans::{
    Candidate, Kind, Proposed, Settings, measured_candidates, propose_in_documents, union, with_phrases,
};

/// A partial's tables of slogans in two passes: its documents' candidates, the (template, item)
/// of every series they hold, and its totals (stat, key, count, as `tifa measure` writes them).
pub const PROPOSALS: &str = "slogan_proposals.parquet";
pub const SERIES: &str = "slogan_series.parquet";
pub const TOTALS: &str = "slogan_totals.parquet";

/// Separates a series' items in the `series_items` column: no item holds a line break.
const ITEM_BREAK: char = '\n';

/// Write what the documents of a shard's `corpus` (with its words) propose, and its totals,
/// into the partial `out`.
pub(super) fn write(out: &mut ReportDir, corpus: &Corpus, res: &Resources) -> Result<()> {
    let texts = corpus.texts();
    let proposed = propose_in_documents(&texts, &corpus.segs, &res.slogans);
    let positions = Symbols::of(&texts, &corpus.segs, &corpus.sources).indexed() as u64;
    out.parquet("slogan_proposals", &mut proposal_table(&proposed.cands)?)?;
    out.parquet("slogan_series", &mut series_table(&proposed.series)?)?;
    out.parquet("slogan_totals", &mut totals_table(&Totals::new(positions, &corpus.years()))?)?;
    Ok(())
}

/// What the document detectors set of each candidate, a row each.
fn proposal_table(cands: &[Candidate]) -> Result<DataFrame> {
    let n = |f: fn(&Candidate) -> u64| cands.iter().map(|c| f(c) as i64).collect::<Vec<_>>();
    let found_by = cands.iter().map(|c| c.found_by.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(","));
    let template = cands.iter().map(|c| c.template.as_deref());
    let items = cands.iter().map(|c| c.series_items.join(&ITEM_BREAK.to_string()));
    DataFrame::new(
        cands.len(),
        vec![
            Column::new("text".into(), cands.iter().map(|c| c.text.as_str()).collect::<Vec<_>>()),
            Column::new("found_by".into(), found_by.collect::<Vec<_>>()),
            Column::new("quoted".into(), n(|c| c.quoted)),
            Column::new("shaped".into(), n(|c| c.shaped)),
            Column::new("shaped_docs".into(), n(|c| c.shaped_docs)),
            Column::new("series_seen".into(), n(|c| c.series_seen)),
            Column::new("template".into(), template.collect::<Vec<_>>()),
            Column::new("series_items".into(), items.collect::<Vec<_>>()),
        ],
    )
    .table("slogan_proposals")
}

fn series_table(series: &BTreeSet<(String, String)>) -> Result<DataFrame> {
    DataFrame::new(
        series.len(),
        vec![
            Column::new("template".into(), series.iter().map(|s| s.0.as_str()).collect::<Vec<_>>()),
            Column::new("item".into(), series.iter().map(|s| s.1.as_str()).collect::<Vec<_>>()),
        ],
    )
    .table("slogan_series")
}

/// What the documents of the partial `dir` propose, as [`propose_in_documents`] gave it when
/// the partial was written.
pub fn read_proposals(dir: &Path) -> Result<Proposed> {
    const T: &str = "slogan_proposals";
    let missing = |file: &str| Error::Partial {
        dir: dir.to_path_buf(),
        message: format!("it has no {file}; write it again with this tifa for slogans in two passes"),
    };
    for file in [PROPOSALS, SERIES, TOTALS] {
        if !dir.join(file).is_file() {
            return Err(missing(file));
        }
    }
    let df = partial::read_parquet(&dir.join(PROPOSALS), T)?;
    let (text, found_by, items) = (strs(&df, "text", T)?, strs(&df, "found_by", T)?, strs(&df, "series_items", T)?);
    let template: Vec<Option<&str>> = df.column("template").table(T)?.str().table(T)?.iter().collect();
    let count = |c: &str| -> Result<Vec<u64>> {
        i64s(&df, c, T)?
            .into_iter()
            .map(|v| u64::try_from(v).map_err(|_| Error::CorruptPartial(format!("{}: {c} {v} in {T}", dir.display()))))
            .collect()
    };
    let (quoted, shaped, shaped_docs, series_seen) =
        (count("quoted")?, count("shaped")?, count("shaped_docs")?, count("series_seen")?);
    let mut cands = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let kinds = found_by[i].split(',').filter(|k| !k.is_empty()).map(|k| {
            Kind::ALL.into_iter().find(|x| x.as_str() == k).ok_or_else(|| {
                Error::CorruptPartial(format!("{}: {} was found by an unknown detector {k}", dir.display(), text[i]))
            })
        });
        cands.push(Candidate {
            text: text[i].to_string(),
            found_by: kinds.collect::<Result<_>>()?,
            quoted: quoted[i],
            shaped: shaped[i],
            shaped_docs: shaped_docs[i],
            series_seen: series_seen[i],
            template: template[i].map(String::from),
            series_items: items[i].split(ITEM_BREAK).filter(|_| template[i].is_some()).map(String::from).collect(),
            ..Default::default()
        });
    }
    cands.sort_by(|a, b| a.text.cmp(&b.text));
    const S: &str = "slogan_series";
    let df = partial::read_parquet(&dir.join(SERIES), S)?;
    let (templates, item) = (strs(&df, "template", S)?, strs(&df, "item", S)?);
    let series = templates.iter().zip(&item).map(|(t, i)| (t.to_string(), i.to_string())).collect();
    Ok(with_phrases(cands, Vec::new(), series))
}

/// What `tifa ask` read and found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AskDone {
    /// Candidates that passed the prefilter.
    pub candidates: usize,
    /// Strings the finished measures lack, written to the output file.
    pub missing: usize,
}

/// What `tifa ask` reads: the partials of every shard, the range tasks' phrase folders and the
/// finished measures of the rounds so far (none in the first).
#[derive(Debug, Clone, Copy)]
pub struct AskFrom<'a> {
    pub partials: &'a [PathBuf],
    pub phrases: &'a [PathBuf],
    pub finished: &'a [PathBuf],
}

/// Ask the finished measures everything the slogan decisions ask about, with the shards'
/// proposals and the range tasks' phrases as the candidates, and write the strings they lack
/// into `output`, one a line (nothing when they lack none: the decisions are then one run's).
/// `data`: the data files' folder the shards were made with (the built-in copy when `None`).
pub fn ask(from: AskFrom, data: Option<&Path>, settings: Settings, track: &[String], output: &Path) -> Result<AskDone> {
    let res = match data {
        Some(dir) => Resources::from_dir(dir)?,
        None => Resources::builtin()?,
    };
    let res = &res;
    let mut totals = Totals::default();
    let mut parts = Vec::with_capacity(from.partials.len());
    for dir in from.partials {
        let header = partial::header(dir)?;
        if header.data != res.fingerprint {
            return Err(Error::Partials(format!(
                "{} was made with other data files (fingerprint {}, this run's {}); give ask the --data the shards used",
                dir.display(),
                header.data,
                res.fingerprint
            )));
        }
        parts.push(read_proposals(dir)?);
        totals.add(&read_totals_file(&dir.join(TOTALS))?);
    }
    let proposed = union::join_with_phrases(parts, read_phrases(from.phrases)?);
    // measures finished in other totals are of another corpus, or of partials written again
    for dir in from.finished {
        if read_totals_file(&dir.join(super::measure::TOTALS))? != totals {
            return Err(Error::Partials(format!(
                "the finished measures {} were not finished in these partials' totals",
                dir.display()
            )));
        }
    }
    let sums = if from.finished.is_empty() {
        FinishedSums { measures: Default::default(), eras: totals.eras() }
    } else {
        read_finished(from.finished)?
    };
    let segmenter = Segmenter::new(res);
    let asking = Asking::new(&sums);
    let candidates = measured_candidates(proposed, &asking, &sums.eras, &segmenter, res, settings, track).len();
    let missing = asking.missing();
    write_lines(output, &missing)?;
    Ok(AskDone { candidates, missing: missing.len() })
}

/// Write `lines` into `path` atomically, one a line.
pub(super) fn write_lines(path: &Path, lines: &[String]) -> Result<()> {
    let err = |source| Error::Write { path: path.to_path_buf(), source };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
    std::io::Write::write_all(tmp.as_file_mut(), lines.join("\n").as_bytes()).map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::CsvStyle;
    use crate::slogans::index::Index;
    use crate::testgen::{SampleRun, slogan_corpus};

    /// Everything the document detectors set, as text: `Candidate` has floats and no `PartialEq`.
    fn shown(p: &Proposed) -> (Vec<String>, BTreeSet<(String, String)>) {
        (p.cands.iter().map(|c| format!("{c:?}")).collect(), p.series.clone())
    }

    #[test]
    fn proposals_and_totals_read_back_as_the_detectors_and_the_index_give_them() {
        for run in [SampleRun::new(), SampleRun::of(slogan_corpus(3).0, slogan_corpus(3).1, slogan_corpus(3).2)] {
            let texts: Vec<&str> = run.texts.iter().map(String::as_str).collect();
            let proposed = propose_in_documents(&texts, &run.segs, &run.res.slogans);
            assert!(proposed.cands.iter().any(|c| c.template.is_some() && c.quoted > 0 || c.shaped_docs > 0));
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().join("p");
            let mut out = ReportDir::create(&dir, CsvStyle::default(), false).unwrap();
            out.parquet("slogan_proposals", &mut proposal_table(&proposed.cands).unwrap()).unwrap();
            out.parquet("slogan_series", &mut series_table(&proposed.series).unwrap()).unwrap();
            let positions = Symbols::of(&texts, &run.segs, &run.sources).indexed() as u64;
            out.parquet("slogan_totals", &mut totals_table(&Totals::new(positions, &run.years)).unwrap()).unwrap();
            out.commit().unwrap();
            assert_eq!(shown(&read_proposals(&dir).unwrap()), shown(&proposed));
            // the totals a measuring task finds with the shard's whole index
            let index = Index::build_with_words(&texts, &run.segs, &run.sources);
            assert_eq!(read_totals_file(&dir.join(TOTALS)).unwrap(), Totals::of(&index, &run.years));
        }
    }
}
