//! The runs behind `tifa analyze`, `reuse`, `kwic`, `--partial` and `merge`: the corpus is read
//! once, then handed through the stages in order, each taking the typed result of the last;
//! tables are made where the report is written.

mod measure;
mod phrase_ranges;
mod proposals;
mod shards;
mod stages;
mod write;

use std::collections::BTreeSet;

use rustc_hash::FxHashSet;

use crate::cooccur::{Member, cooccurrence};
use crate::corpus::{self, Corpus, Input};
use crate::error::{Error, Result};
use crate::kwic::KwicHit;
use crate::plot::{self, charts};
use crate::report::check_target;
use crate::resources::Resources;
use crate::reuse::{DocumentReuse, find_reuse};
use crate::run::{Clock, Counts, Observer, Options, Summary, in_pool};
use crate::segment::Segmenter;
use crate::{page, slogans};
pub use measure::{FINISHED, Measured, STATS, TOTALS, finish_measured, measure_strings, read_finished, read_measured};
pub use phrase_ranges::{PHRASES, RangeDone, phrases_of_range, read_phrases};
pub use proposals::{AskDone, AskFrom, ask, read_proposals};
pub use shards::{SharedRows, Sums, analyze_partial, merge, shared_ngrams};
use stages::{count_stage, families_stage, reuse_stage, trends_stage};
use write::Report;

/// Slogans shown with context lines on the index page.
const EXAMPLE_SLOGANS: usize = 30;

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

/// The `run.json` of a task command (`phrases`, `measure`, `finish`, `shared-ngrams`): the
/// tool, the command and tifa's version, with `fields`.
fn task_json(command: &str, fields: serde_json::Value) -> Result<Vec<u8>> {
    let mut json = serde_json::json!({ "tool": "tifa", "command": command, "version": env!("CARGO_PKG_VERSION") });
    if let (Some(all), serde_json::Value::Object(more)) = (json.as_object_mut(), fields) {
        all.extend(more);
    }
    Ok(serde_json::to_vec_pretty(&json)?)
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
        let windows = run.merged.as_ref().and_then(|m| m.windows.as_deref());
        let r = reuse_stage(&run.corpus, windows, opts, obs, &mut report, &mut counts)?;
        run.clock.tick("reuse");
        Some(r)
    } else {
        None
    };
    let explained = if mode == Mode::Analyze {
        analysis_stages(opts, obs, &mut run, &mut counts, &mut report)?
    } else {
        Vec::new()
    };
    obs.stage("write", 0);
    let summary = report.close(opts, command, run, counts, reuse.as_ref(), mode == Mode::Analyze)?;
    Ok(Summary { explained, ..summary })
}

/// Segment (a merge has the shards' words), count, find the slogans, and measure them: trends,
/// keyness, co-occurrence, charts. Returns the explanations `--explain` asked for.
fn analysis_stages(
    opts: &Options,
    obs: &dyn Observer,
    run: &mut Run,
    counts: &mut Counts,
    report: &mut Report,
) -> Result<Vec<slogans::explain::Explanation>> {
    let Run { res, corpus, merged, clock, .. } = run;
    let segmenter = Segmenter::new(res);
    // a merge reads the shards' words after the reuse stage, as one run segments after it;
    // and, unless `--group-by` counts tokens by group, after counting, which adds up the
    // shards' counts without them
    let words_after =
        merged.as_ref().filter(|_| shards::words_after_counting(opts)).map(|m| (m.partials(), m.partial_tokens));
    // slogans decided from files take what the documents propose from the partials too
    let partials = merged.as_ref().map(|m| m.partials());
    match merged {
        None => corpus.segment(&segmenter, obs),
        Some(m) if words_after.is_none() => {
            obs.stage("segment", 0);
            corpus.segs = m.words(corpus)?
        }
        Some(_) => {}
    }
    clock.tick("segment");

    obs.stage("count", 0);
    let stopwords: FxHashSet<String> = res.stopwords.iter().cloned().collect();
    let (groups, ngrams_png) = count_stage(opts, corpus, merged.take(), &stopwords, counts, report)?;
    clock.tick("count");
    if let Some((partials, tokens)) = words_after {
        obs.stage("segment", 0);
        // only the slogans read the words, and not when they are decided from files
        let doc_tokens = if opts.slogan_sums.is_some() {
            shards::token_counts(&partials, corpus)?
        } else {
            corpus.segs = shards::words(&partials, corpus)?;
            corpus.segs.iter().map(|s| s.tokens.len() as u64).collect()
        };
        shards::check_words(tokens, doc_tokens.iter().sum())?;
        report.doc_tokens = Some(doc_tokens);
        clock.tick("segment");
    }

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
    let years = corpus.years();
    let input = slogans::Corpus { texts: &texts, segs, sources: &corpus.sources, years: &years };
    let mut found = match &opts.slogan_sums {
        Some(sums) => {
            let ask = slogans::Asked {
                texts: &texts,
                res,
                segmenter: &segmenter,
                settings,
                folded_seen: &seen,
                track: &opts.track,
            };
            // what the documents propose: each partial's, or (one run) the words'
            let documents = match &partials {
                Some(dirs) => dirs.iter().map(|d| crate::read_proposals(d)).collect::<Result<_>>()?,
                None => vec![slogans::propose_in_documents(&texts, &input.segs, &res.slogans)],
            };
            drop(input);
            slogans_from_sums(documents, sums, ask)?
        }
        None => slogans::discover(input, res, &segmenter, settings, &seen, &opts.track, &opts.explain)?,
    };
    drop(segmenter);
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
    Ok(std::mem::take(&mut found.explained))
}

/// Slogans decided from the files of slogans in two passes (`merge --phrases --finished`); when
/// the finished measures lack strings the decisions ask about, they are written to
/// `sums.asked` (whole or not at all) and the merge stops.
fn slogans_from_sums(
    documents: Vec<slogans::Proposed>,
    sums: &crate::run::SloganSums,
    ask: slogans::Asked,
) -> Result<slogans::Slogans> {
    let read = || Ok((crate::read_phrases(&sums.phrases)?, crate::read_finished(&sums.finished)?));
    match slogans::discover_from_sums(documents, read, ask) {
        Err(Error::Unmeasured { missing }) => {
            if let Some(path) = &sums.asked {
                proposals::write_lines(path, &missing)?;
            }
            Err(Error::Unmeasured { missing })
        }
        found => found,
    }
}
