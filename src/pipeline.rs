//! The runs behind `tifa analyze`, `reuse`, `kwic`, `--partial` and `merge`: the corpus is read
//! once, then handed through the stages in order, each taking the typed result of the last;
//! tables are made where the report is written.

mod shards;
mod write;

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashSet;

use crate::cooccur::{Member, cooccurrence};
use crate::corpus::{self, Corpus, Input};
use crate::count::{Vocab, count_ngrams, intern, token_table};
use crate::error::{Error, Result};
use crate::kwic::KwicHit;
use crate::plot::{self, charts};
use crate::report::check_target;
use crate::resources::Resources;
use crate::reuse::{DocRef, DocumentReuse, Reuse, find_reuse};
use crate::run::{Clock, Counts, Observer, Options, Summary, in_pool};
use crate::segment::Segmenter;
use crate::slogans::Slogans;
use crate::trends::PeriodTotals;
use crate::{families, keyness, page, slogans, trends};
pub use shards::{analyze_partial, merge};
use write::Report;

/// Slogans shown with context lines on the index page.
const EXAMPLE_SLOGANS: usize = 30;

/// Near-copies shown side by side on the index page.
const NEAR_COPIES: usize = 10;

/// Families in `families.png` and values in each.
const FAMILY_CHART: usize = 6;
const FAMILY_VALUES: usize = 8;

/// Run the whole pipeline on `opts.inputs` and write the reports into `opts.output`.
pub fn analyze(opts: &Options, obs: &dyn Observer) -> Result<Summary> {
    in_pool(opts, || read_and_finish(opts, obs, Mode::Analyze))
}

/// Run only ingest, cleaning and reuse detection, and write the documents and reuse tables and
/// charts into `opts.output`.
pub fn reuse_only(opts: &Options, obs: &dyn Observer) -> Result<Summary> {
    in_pool(opts, || read_and_finish(opts, obs, Mode::ReuseOnly))
}

/// Read and clean `opts.inputs`, find the reuse, and describe document `doc_id`: which of its
/// passages other documents also have. Nothing is written.
pub fn document_reuse(opts: &Options, doc_id: &str, obs: &dyn Observer) -> Result<DocumentReuse> {
    in_pool(opts, || {
        let res = load_resources(opts)?;
        let (_, corpus) = corpus::read(opts, &res, obs, &mut Clock::new())?;
        let d = corpus.position(doc_id)?;
        obs.stage("reuse", 0);
        let texts = corpus.texts();
        Ok(find_reuse(&texts, opts.reuse_options()).document(&corpus.docs, &texts, d))
    })
}

/// Read and clean `opts.inputs` and find every occurrence of `phrase` (spellings separated by
/// `|`) with `width` characters of context on each side, in document order; and the number of
/// documents with any. Nothing is written.
pub fn kwic(opts: &Options, phrase: &str, width: usize, obs: &dyn Observer) -> Result<(Vec<KwicHit>, usize)> {
    in_pool(opts, || {
        let res = load_resources(opts)?;
        let (_, corpus) = corpus::read(opts, &res, obs, &mut Clock::new())?;
        Ok(crate::kwic::in_corpus(&corpus, phrase, &res, width, opts.fold_traditional))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Analyze,
    ReuseOnly,
}

/// Load the data files and the font.
fn load_resources(opts: &Options) -> Result<Resources> {
    let res = match &opts.data_dir {
        Some(dir) => Resources::from_dir(dir)?,
        None => Resources::builtin()?,
    };
    let font = match &opts.font {
        Some(p) => Some(std::fs::read(p).map_err(|source| Error::Read { path: p.clone(), source })?),
        None => None,
    };
    plot::use_font(font.as_deref())?;
    Ok(res)
}

fn read_and_finish(opts: &Options, obs: &dyn Observer, mode: Mode) -> Result<Summary> {
    let mut clock = Clock::new();
    // refuse a wrong --output before any work
    check_target(&opts.output, opts.force)?;
    let res = load_resources(opts)?;
    let (input, corpus) = corpus::read(opts, &res, obs, &mut clock)?;
    let command = if mode == Mode::Analyze { "analyze" } else { "reuse" };
    finish(opts, obs, mode, command, Run { res, input, corpus, merged: None, clock })
}

/// A run after reading: its data files, what reading found, the corpus and the clock.
struct Run {
    res: Resources,
    input: Input,
    corpus: Corpus,
    /// For a merge: the shards' counts.
    merged: Option<shards::Merged>,
    clock: Clock,
}

/// The counts that reading and cleaning settle.
fn input_counts(input: &Input, corpus: &Corpus) -> Counts {
    let (joined_lines, wrapped_documents) = corpus.joined_lines();
    Counts {
        files: input.files,
        documents: corpus.len(),
        skipped: input.skipped.len(),
        input_bytes: input.input_bytes,
        chars: corpus.total_chars(),
        noise_chars: corpus.noise_chars(),
        invisible_chars: corpus.invisible_chars(),
        joined_lines,
        wrapped_documents,
        metadata_unmatched: input.metadata_unmatched.len(),
        ..Counts::default()
    }
}

/// Every stage after cleaning, and the report.
fn finish(opts: &Options, obs: &dyn Observer, mode: Mode, command: &'static str, mut run: Run) -> Result<Summary> {
    // titles are told apart over the whole corpus (a merge's shards keep the titles as read)
    crate::ingest::distinct_titles(&mut run.corpus.docs);
    let mut counts = input_counts(&run.input, &run.corpus);
    let mut report = Report::create(opts)?;

    // reuse first: it needs only the clean text, and its memory is free again before counting
    let reuse = if opts.reuse || mode == Mode::ReuseOnly {
        let r = reuse_stage(&run.corpus, opts, obs, &mut report, &mut counts)?;
        run.clock.tick("reuse");
        Some(r)
    } else {
        None
    };
    if mode == Mode::Analyze {
        analysis_stages(opts, obs, &mut run, &mut counts, &mut report)?;
    }
    obs.stage("write", 0);
    report.close(opts, command, run, counts, reuse.as_ref(), mode == Mode::Analyze)
}

/// Reuse detection and its tables and charts.
fn reuse_stage(
    corpus: &Corpus,
    opts: &Options,
    obs: &dyn Observer,
    report: &mut Report,
    counts: &mut Counts,
) -> Result<Reuse> {
    obs.stage("reuse", 0);
    let texts = corpus.texts();
    let mut reuse = find_reuse(&texts, opts.reuse_options());
    let refs = DocRef::all(&corpus.docs);
    let (passages, pairs) = (reuse.passages_table(&refs)?, reuse.pairs_table(&refs)?);
    (counts.reuse_passages, counts.reuse_pairs) = (passages.height(), pairs.height());
    report.table("reuse_passages", passages)?;
    report.table("reuse_pairs", pairs)?;
    let alignments = reuse.alignments_table(&refs, &texts)?;
    counts.reuse_alignments = alignments.height();
    report.table("reuse_alignments", alignments)?;
    report.near_copies = page::near_copies(&reuse, &corpus.docs, &texts, NEAR_COPIES);
    let titles: Vec<&str> = corpus.docs.iter().map(|m| m.title.as_str()).collect();
    report.png("boilerplate.png", charts::boilerplate_png(&reuse, &titles, opts.min_chars, opts.chart_rows)?);
    report.png("reuse_heatmap.png", charts::reuse_heatmap_png(&reuse, &titles, opts.heatmap_rows)?);
    // the tables and charts hold what is reported; the occurrences can go
    reuse.passages = Vec::new();
    reuse.pairs = Vec::new();
    reuse.alignments = Vec::new();
    Ok(reuse)
}

/// Segment (a merge has the shards' words), count, find the slogans, and measure them: trends,
/// keyness, co-occurrence, charts.
fn analysis_stages(
    opts: &Options,
    obs: &dyn Observer,
    run: &mut Run,
    counts: &mut Counts,
    report: &mut Report,
) -> Result<()> {
    let Run { res, corpus, merged, clock, .. } = run;
    let segmenter = Segmenter::new(res);
    if merged.is_none() {
        corpus.segment(&segmenter, obs);
    }
    clock.tick("segment");

    obs.stage("count", 0);
    let stopwords: FxHashSet<String> = res.stopwords.iter().cloned().collect();
    let (vocab, groups, ngrams_png) = count_stage(opts, corpus, merged.take(), &stopwords, counts, report)?;
    clock.tick("count");

    obs.stage("slogans", 0);
    let seen: BTreeSet<String> = corpus.cleaned.iter().flat_map(|c| c.folded.iter().cloned()).collect();
    let settings = slogans::Settings {
        min_count: opts.min_count,
        min_docs: opts.min_docs,
        max_phrases: opts.max_phrases,
        max_set_phrases: opts.max_set_phrases,
        ..Default::default()
    };
    // no stage after this one reads the words
    let segs = std::mem::take(&mut corpus.segs);
    let texts = corpus.texts();
    let input = slogans::Corpus { texts: &texts, segs, sources: &corpus.sources };
    let mut found = slogans::discover(input, res, &segmenter, settings, &seen, &opts.track)?;
    drop((segmenter, vocab));
    counts.slogans = found.list.len();
    clock.tick("slogans");

    let periods = trends_stage(opts, corpus, &mut found, counts, report)?;
    clock.tick("trends");
    families_stage(opts, corpus, &found, &periods, counts, report)?;
    clock.tick("families");
    if let (Some(column), Some(groups)) = (&opts.group_by, groups) {
        let key = groups.table(&found, &corpus.chars)?;
        counts.keyness_rows = key.height();
        report.png("keyness.png", charts::keyness_png(&key, column, opts.chart_rows.min(12))?);
        report.table("keyness", key)?;
        clock.tick("keyness");
    }

    // co-occurrence of the most widespread slogans
    let top = opts.cooccur_top;
    let members: Vec<Member> = found
        .widest(4 * top, top)
        .into_iter()
        .map(|i| Member { ids: found.list[i].patterns.clone(), text: found.list[i].text.clone() })
        .collect();
    let cooc = cooccurrence(&members, &found.occurrences)?;
    found.occurrences = Default::default();
    counts.cooccurrence_pairs = cooc.height();
    report.file("cooccurrence.graphml", crate::graphml::cooccurrence_graphml(&found.list, &cooc)?.into_bytes());
    report.examples = page::slogan_examples(&found.list, &texts, &corpus.docs, EXAMPLE_SLOGANS);
    clock.tick("cooccur");

    obs.stage("plot", 4);
    let n_docs = corpus.len();
    report.png("slogans.png", charts::slogans_png(&found, n_docs, opts.chart_rows)?);
    obs.advance(1);
    report.png("ngrams.png", ngrams_png);
    obs.advance(1);
    report.png("cooccurrence_heatmap.png", charts::cooccurrence_png(&found, &cooc, n_docs, opts.heatmap_rows)?);
    obs.advance(1);
    let net = charts::network_selection(&found.list, &cooc, opts.network_min_npmi, opts.network_nodes)?;
    report.png("cooccurrence_network.png", charts::cooccurrence_network_png(&net, opts.network_min_npmi)?);
    obs.advance(1);
    report.table("slogans", found.table()?)?;
    report.table("cooccurrence", cooc)?;
    clock.tick("plot");
    Ok(())
}

/// Count tokens and n-grams (a merge adds up the shards' counts) and write their tables; the
/// words as ids go once the n-grams are counted and the `--group-by` groups have taken their
/// token counts, before the n-gram table is made. Returns the vocabulary, the groups, and the
/// n-gram chart.
fn count_stage(
    opts: &Options,
    corpus: &Corpus,
    merged: Option<shards::Merged>,
    stopwords: &FxHashSet<String>,
    counts: &mut Counts,
    report: &mut Report,
) -> Result<(Vocab, Option<keyness::Groups>, Vec<u8>)> {
    let (vocab, per_doc) = intern(&corpus.texts(), &corpus.segs);
    counts.tokens = per_doc.iter().map(|d| d.ids.len() as u64).sum();
    report.doc_tokens = Some(per_doc.iter().map(|d| d.ids.len() as u64).collect());
    let groups = match &opts.group_by {
        Some(column) => Some(keyness::Groups::of_tokens(column, corpus, opts.period, &vocab, &per_doc, stopwords)?),
        None => None,
    };
    // the words as ids go before the n-gram table is made, its largest moment
    let (tokens, ngrams) = match merged {
        Some(m) => {
            drop(per_doc);
            m.tables(&vocab, counts.tokens, opts.min_count, stopwords)?
        }
        None => {
            let tokens = token_table(&vocab, &per_doc, stopwords)?;
            let counted = count_ngrams(&vocab, &per_doc, 2..=4, opts.min_count);
            drop(per_doc);
            (tokens, counted.table(&vocab, stopwords)?)
        }
    };
    counts.distinct_tokens = vocab.words.len();
    counts.ngrams = ngrams.height();
    // the n-gram table is the largest: drawn and written now, not held through the next stages
    let ngrams_png = charts::ngrams_png(&ngrams, corpus.len(), opts.chart_rows)?;
    report.table("tokens", tokens)?;
    report.table("ngrams", ngrams)?;
    Ok((vocab, groups, ngrams_png))
}

/// Trends and first/last appearance, where documents have dates; returns the periods with
/// documents.
fn trends_stage(
    opts: &Options,
    corpus: &Corpus,
    found: &mut Slogans,
    counts: &mut Counts,
    report: &mut Report,
) -> Result<BTreeMap<String, PeriodTotals>> {
    let dates: Vec<Option<&str>> = corpus.docs.iter().map(|m| m.date.as_deref()).collect();
    let rows: Vec<Vec<u32>> = found.list.iter().map(|s| s.patterns.clone()).collect();
    let names: Vec<&str> = found.list.iter().map(|s| s.text.as_str()).collect();
    let tracked: Vec<bool> = found.list.iter().map(|s| s.tracked).collect();
    let t = trends::trends(opts.period, &dates, &corpus.chars, &found.occurrences, &rows, &names, &tracked)?;
    counts.periods = t.periods.len();
    if !t.periods.is_empty() {
        report.png("trends.png", charts::trends_png(&t, opts.period, &names, &tracked, opts.chart_rows.min(8))?);
    }
    drop((rows, names));
    for (s, (first, last)) in found.list.iter_mut().zip(t.first_seen.into_iter().zip(t.last_seen)) {
        (s.first_seen, s.last_seen) = (first, last);
    }
    if !t.periods.is_empty() {
        report.table("trends", t.table)?;
    }
    Ok(t.periods)
}

/// Formula families: frames of the slogans around a numeral slot, every value counted.
fn families_stage(
    opts: &Options,
    corpus: &Corpus,
    found: &Slogans,
    periods: &BTreeMap<String, PeriodTotals>,
    counts: &mut Counts,
    report: &mut Report,
) -> Result<()> {
    let counted = families::counted(found);
    let (frames, words) = (families::frames(&counted), families::word_frames(&counted));
    let doc_periods: Vec<Option<String>> =
        corpus.docs.iter().map(|m| m.date.as_deref().and_then(|d| opts.period.of(d))).collect();
    let with_docs: Vec<String> = periods.keys().cloned().collect();
    let fam =
        families::find(&frames, &words, &found.occurrences, &corpus.texts(), &doc_periods, &with_docs, opts.min_docs)?;
    counts.families = fam.groups().len();
    if !periods.is_empty() {
        report.png("families.png", charts::families_png(&fam, periods, opts.period, FAMILY_CHART, FAMILY_VALUES)?);
    }
    report.families = page::families(&fam, FAMILY_CHART * 2, FAMILY_VALUES * 2);
    report.table("families", fam.table()?)?;
    Ok(())
}
