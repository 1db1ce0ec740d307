//! The runs behind `tifa analyze`, `reuse`, `kwic`, `--partial` and `merge`: the corpus is read
//! once, then handed through the stages in order, each taking the typed result of the last;
//! tables are made where the report is written.

use std::collections::BTreeSet;
use std::path::PathBuf;

use polars::prelude::*;
use rustc_hash::FxHashSet;

use crate::cooccur::{Member, cooccurrence};
use crate::corpus::{self, Corpus, Input};
use crate::count::{NgramSums, intern, ngram_table, token_table};
use crate::error::{Error, Result, TableContext};
use crate::kwic::KwicHit;
use crate::plot::{self, charts};
use crate::report::{CsvStyle, ReportDir, check_target};
use crate::resources::Resources;
use crate::reuse::{DocRef, DocumentReuse, Reuse, find_reuse};
use crate::run::{Clock, Counts, Observer, Options, PartialJson, RunJson, Summary, in_pool};
use crate::segment::Segmenter;
use crate::{html, keyness, page, partial, slogans, trends};

/// Slogans shown with context lines on the index page.
const EXAMPLE_SLOGANS: usize = 30;

/// The order tables are listed in (`run.json`, `index.html`), whenever each was written.
const TABLE_ORDER: [&str; 10] = [
    "documents",
    "tokens",
    "ngrams",
    "slogans",
    "cooccurrence",
    "trends",
    "keyness",
    "noise",
    "reuse_passages",
    "reuse_pairs",
];

/// A table's place in [`TABLE_ORDER`]; other files come after the tables, in the order written.
fn listed_at(file: &str) -> usize {
    let stem = file.strip_suffix(".csv").or_else(|| file.strip_suffix(".parquet"));
    stem.and_then(|t| TABLE_ORDER.iter().position(|n| *n == t)).unwrap_or(TABLE_ORDER.len())
}

/// The report folder being written, and a preview of each table for `index.html`.
struct Report {
    dir: ReportDir,
    previews: Vec<html::TablePreview>,
}

impl Report {
    /// Write `df` now (CSV and Parquet), so that the memory it holds can go.
    fn table(&mut self, name: &'static str, mut df: DataFrame) -> Result<()> {
        self.previews.push(html::TablePreview::of(name, &df, html::PREVIEW_ROWS));
        self.dir.table(name, &mut df)
    }
}

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
        Ok(find_reuse(&corpus.texts(), opts.reuse_options()).document(&corpus.docs, d))
    })
}

/// Read and clean `opts.inputs` and find every occurrence of `phrase` (spellings separated by
/// `|`) with `width` characters of context on each side, in document order; and the number of
/// documents with any. Nothing is written.
pub fn kwic(opts: &Options, phrase: &str, width: usize, obs: &dyn Observer) -> Result<(Vec<KwicHit>, usize)> {
    in_pool(opts, || {
        let res = load_resources(opts)?;
        let (_, corpus) = corpus::read(opts, &res, obs, &mut Clock::new())?;
        Ok(crate::kwic::in_corpus(&corpus, phrase, &res, width))
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

/// Read, clean, cut and count `opts.inputs` (one shard of a corpus) and write a partial into
/// `opts.output` (see [`crate::partial`]) for [`merge`].
pub fn analyze_partial(opts: &Options, obs: &dyn Observer) -> Result<Summary> {
    in_pool(opts, || {
        let mut clock = Clock::new();
        check_target(&opts.output, opts.force)?;
        let res = load_resources(opts)?;
        let (input, mut corpus) = corpus::read(opts, &res, obs, &mut clock)?;
        corpus.segment(&Segmenter::new(&res), obs);
        clock.tick("segment");

        obs.stage("count", 0);
        let stopwords: FxHashSet<String> = res.stopwords.iter().cloned().collect();
        let (vocab, per_doc) = intern(&corpus.texts(), &corpus.segs);
        let mut tokens = token_table(&vocab, &per_doc, &stopwords)?;
        tokens.drop_in_place("per_10k").table("tokens")?;
        let mut ngrams = ngram_table(&vocab, &per_doc, 2..=4, 1, &stopwords)?;
        let counts = Counts {
            tokens: per_doc.iter().map(|d| d.ids.len() as u64).sum(),
            distinct_tokens: vocab.words.len(),
            ngrams: ngrams.height(),
            ..input_counts(&input, &corpus)
        };
        drop(per_doc);
        clock.tick("count");

        obs.stage("write", 0);
        let mut out = ReportDir::create(&opts.output, CsvStyle::default(), opts.force)?;
        out.parquet("documents", &mut partial::documents_frame(&corpus.docs, &corpus.cleaned, &corpus.segs)?)?;
        corpus.segs = Vec::new();
        out.parquet("noise", &mut corpus.noise_table()?)?;
        out.parquet("tokens", &mut tokens)?;
        out.parquet("ngrams", &mut ngrams)?;
        clock.tick("write");
        let seconds = clock.total();
        let mut written = out.written().to_vec();
        written.push("run.json".into());
        let header = partial::Header {
            tool: "tifa".into(),
            command: "partial".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            schema: partial::SCHEMA,
            data: res.fingerprint.clone(),
            files: input.files,
            input_bytes: input.input_bytes,
            skipped: input.skipped.clone(),
            metadata_tables: input.metadata_tables,
            metadata_unmatched: input.metadata_unmatched.clone(),
        };
        let json = PartialJson {
            header: &header,
            inputs: &opts.inputs,
            options: opts,
            counts: &counts,
            timings_seconds: &clock.timings,
            outputs: &written,
        };
        out.file("run.json", &serde_json::to_vec_pretty(&json)?)?;
        out.commit()?;
        Ok(Summary { counts, skipped: input.skipped, seconds, output: opts.output.clone(), written })
    })
}

/// Combine the partials in `dirs` into the reports one `analyze` over all their inputs writes:
/// token and n-gram counts are added up, and the stages that look at the whole corpus at once
/// (slogans, trends, keyness, co-occurrence, reuse) run on the shards' clean text and words.
pub fn merge(dirs: &[PathBuf], opts: &Options, obs: &dyn Observer) -> Result<Summary> {
    in_pool(opts, || {
        let mut clock = Clock::new();
        check_target(&opts.output, opts.force)?;
        let res = load_resources(opts)?;
        obs.stage("read", dirs.len() as u64);
        let shards = partial::read_all(dirs)?;
        if let Some(s) = shards.iter().find(|s| s.header.data != res.fingerprint) {
            return Err(Error::Partials(format!(
                "they were made with other data files (fingerprint {}, this run's {}); give merge the --data the shards used",
                s.header.data, res.fingerprint
            )));
        }
        let mut input =
            Input { files: 0, skipped: Vec::new(), input_bytes: 0, metadata_tables: 0, metadata_unmatched: Vec::new() };
        let (mut tokens, mut ngrams, mut docs) = (Vec::new(), Vec::new(), Vec::new());
        // a metadata row named no document if it named none in any shard that joined metadata
        let mut unmatched: Option<BTreeSet<String>> = None;
        for s in shards {
            input.files += s.header.files;
            input.input_bytes += s.header.input_bytes;
            input.skipped.extend(s.header.skipped);
            if s.header.metadata_tables > 0 {
                let here: BTreeSet<String> = s.header.metadata_unmatched.into_iter().collect();
                unmatched = Some(match unmatched {
                    Some(before) => before.intersection(&here).cloned().collect(),
                    None => here,
                });
            }
            tokens.push(s.tokens);
            ngrams.push(s.ngrams);
            docs.extend(s.docs);
            obs.advance(1);
        }
        for s in &input.skipped {
            obs.skipped(s);
        }
        if docs.is_empty() {
            return Err(Error::NoDocuments);
        }
        input.metadata_tables = usize::from(unmatched.is_some());
        input.metadata_unmatched = unmatched.unwrap_or_default().into_iter().collect();
        docs.sort_by(|a, b| a.0.source.cmp(&b.0.source).then(a.0.part.cmp(&b.0.part)));
        let (mut metas, mut cleaned, mut segs) = (Vec::new(), Vec::new(), Vec::new());
        for (m, c, s) in docs {
            metas.push(m);
            cleaned.push(c);
            segs.push(s);
        }
        let mut corpus = Corpus::new(metas, cleaned);
        corpus.segs = segs;
        clock.tick("ingest");
        finish(
            opts,
            obs,
            Mode::Analyze,
            "merge",
            Run { res, input, corpus, merged: Some(Merged { tokens, ngrams }), clock },
        )
    })
}

/// A run after reading: its data files, what reading found, the corpus and the clock.
struct Run {
    res: Resources,
    input: Input,
    corpus: Corpus,
    /// For a merge: the shards' counts.
    merged: Option<Merged>,
    clock: Clock,
}

/// The counts of the shards of a merge: each `tokens` table and `ngrams.parquet`.
struct Merged {
    tokens: Vec<DataFrame>,
    ngrams: Vec<PathBuf>,
}

/// The counts that reading and cleaning settle.
fn input_counts(input: &Input, corpus: &Corpus) -> Counts {
    Counts {
        files: input.files,
        documents: corpus.len(),
        skipped: input.skipped.len(),
        input_bytes: input.input_bytes,
        chars: corpus.total_chars(),
        noise_chars: corpus.noise_chars(),
        metadata_unmatched: input.metadata_unmatched.len(),
        ..Counts::default()
    }
}

/// What a run writes, gathered stage by stage.
#[derive(Default)]
struct Outputs {
    pngs: Vec<(&'static str, Vec<u8>)>,
    files: Vec<(&'static str, Vec<u8>)>,
    examples: Vec<html::SloganExamples>,
    doc_tokens: Option<Vec<u64>>,
}

/// Reuse detection and its tables and charts.
fn reuse_stage(
    corpus: &Corpus,
    opts: &Options,
    obs: &dyn Observer,
    out: &mut Outputs,
    report: &mut Report,
    counts: &mut Counts,
) -> Result<Reuse> {
    obs.stage("reuse", 0);
    let mut reuse = find_reuse(&corpus.texts(), opts.reuse_options());
    let refs = DocRef::all(&corpus.docs);
    let (passages, pairs) = (reuse.passages_table(&refs)?, reuse.pairs_table(&refs)?);
    (counts.reuse_passages, counts.reuse_pairs) = (passages.height(), pairs.height());
    report.table("reuse_passages", passages)?;
    report.table("reuse_pairs", pairs)?;
    let titles: Vec<&str> = corpus.docs.iter().map(|m| m.title.as_str()).collect();
    out.pngs.push(("boilerplate.png", charts::boilerplate_png(&reuse, &titles, opts.min_chars, opts.chart_rows)?));
    out.pngs.push(("reuse_heatmap.png", charts::reuse_heatmap_png(&reuse, &titles, opts.heatmap_rows)?));
    // the tables and charts hold what is reported; the occurrences can go
    reuse.passages = Vec::new();
    reuse.pairs = Vec::new();
    Ok(reuse)
}

/// Segment (a merge has the shards' words), count, find the slogans, and measure them: trends,
/// keyness, co-occurrence, charts.
fn analysis_stages(
    opts: &Options,
    obs: &dyn Observer,
    run: &mut Run,
    counts: &mut Counts,
    out: &mut Outputs,
    report: &mut Report,
) -> Result<()> {
    let Run { res, corpus, merged, clock, .. } = run;
    let segmenter = Segmenter::new(res);
    if merged.is_none() {
        corpus.segment(&segmenter, obs);
    }
    clock.tick("segment");

    obs.stage("count", 0);
    let texts = corpus.texts();
    let stopwords: FxHashSet<String> = res.stopwords.iter().cloned().collect();
    let (vocab, per_doc) = intern(&texts, &corpus.segs);
    counts.tokens = per_doc.iter().map(|d| d.ids.len() as u64).sum();
    let (tokens, ngrams) = match merged.take() {
        Some(m) => {
            let ids: rustc_hash::FxHashMap<&str, u32> =
                vocab.words.iter().enumerate().map(|(i, w)| (w.as_str(), i as u32)).collect();
            let mut sums = NgramSums::new(&vocab);
            for f in &m.ngrams {
                partial::add_ngrams(&mut sums, f, &ids)?;
            }
            (partial::merge_tokens(m.tokens, counts.tokens)?, sums.table(&vocab, opts.min_count, &stopwords)?)
        }
        None => (
            token_table(&vocab, &per_doc, &stopwords)?,
            ngram_table(&vocab, &per_doc, 2..=4, opts.min_count, &stopwords)?,
        ),
    };
    counts.distinct_tokens = vocab.words.len();
    counts.ngrams = ngrams.height();
    out.doc_tokens = Some(per_doc.iter().map(|d| d.ids.len() as u64).collect());
    // the n-gram table is the largest: drawn and written now, not held through the next stages
    let ngrams_png = charts::ngrams_png(&ngrams, corpus.len(), opts.chart_rows)?;
    report.table("tokens", tokens)?;
    report.table("ngrams", ngrams)?;
    clock.tick("count");

    obs.stage("slogans", 0);
    let seen: BTreeSet<String> = corpus.cleaned.iter().flat_map(|c| c.folded.iter().cloned()).collect();
    let settings = slogans::Settings {
        min_count: opts.min_count,
        min_docs: opts.min_docs,
        max_phrases: opts.max_phrases,
        ..Default::default()
    };
    let input = slogans::Corpus { texts: &texts, segs: &corpus.segs, sources: &corpus.sources };
    let mut found = slogans::discover(input, res, &segmenter, settings, &seen, &opts.track)?;
    drop(segmenter);
    counts.slogans = found.list.len();
    clock.tick("slogans");

    // trends and first/last appearance, where documents have dates
    let dates: Vec<Option<&str>> = corpus.docs.iter().map(|m| m.date.as_deref()).collect();
    let rows: Vec<Vec<u32>> = found.list.iter().map(|s| s.patterns.clone()).collect();
    let names: Vec<&str> = found.list.iter().map(|s| s.text.as_str()).collect();
    let tracked: Vec<bool> = found.list.iter().map(|s| s.tracked).collect();
    let t = trends::trends(opts.period, &dates, &corpus.chars, &found.occurrences, &rows, &names, &tracked)?;
    counts.periods = t.periods.len();
    if !t.periods.is_empty() {
        let png = charts::trends_png(&t, opts.period, &names, &tracked, opts.chart_rows.min(8))?;
        out.pngs.push(("trends.png", png));
    }
    drop((rows, names));
    for (s, (first, last)) in found.list.iter_mut().zip(t.first_seen.into_iter().zip(t.last_seen)) {
        (s.first_seen, s.last_seen) = (first, last);
    }
    if !t.periods.is_empty() {
        report.table("trends", t.table)?;
    }
    clock.tick("trends");

    if let Some(column) = &opts.group_by {
        let key = keyness::of_groups(column, corpus, opts.period, &vocab, &per_doc, &stopwords, &found)?;
        counts.keyness_rows = key.height();
        out.pngs.push(("keyness.png", charts::keyness_png(&key, column, opts.chart_rows.min(12))?));
        report.table("keyness", key)?;
        clock.tick("keyness");
    }
    drop(per_doc);

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
    out.files.push(("cooccurrence.graphml", crate::graphml::cooccurrence_graphml(&found.list, &cooc)?.into_bytes()));
    out.examples = page::slogan_examples(&found.list, &texts, &corpus.docs, EXAMPLE_SLOGANS);
    clock.tick("cooccur");

    obs.stage("plot", 4);
    let n_docs = corpus.len();
    out.pngs.push(("slogans.png", charts::slogans_png(&found, n_docs, opts.chart_rows)?));
    obs.advance(1);
    out.pngs.push(("ngrams.png", ngrams_png));
    obs.advance(1);
    out.pngs.push(("cooccurrence_heatmap.png", charts::cooccurrence_png(&found, &cooc, n_docs, opts.heatmap_rows)?));
    obs.advance(1);
    let net = charts::network_selection(&found.list, &cooc, opts.network_min_npmi, opts.network_nodes)?;
    out.pngs.push(("cooccurrence_network.png", charts::cooccurrence_network_png(&net, opts.network_min_npmi)?));
    obs.advance(1);
    report.table("slogans", found.table()?)?;
    report.table("cooccurrence", cooc)?;
    clock.tick("plot");
    Ok(())
}

/// Every stage after cleaning, and the report.
fn finish(opts: &Options, obs: &dyn Observer, mode: Mode, command: &'static str, mut run: Run) -> Result<Summary> {
    let mut counts = input_counts(&run.input, &run.corpus);
    let mut outputs = Outputs::default();
    let csv = CsvStyle { bom: opts.csv_bom, raw: opts.csv_raw };
    let mut report = Report { dir: ReportDir::create(&opts.output, csv, opts.force)?, previews: Vec::new() };

    // reuse first: it needs only the clean text, and its memory is free again before counting
    let reuse = if opts.reuse || mode == Mode::ReuseOnly {
        let r = reuse_stage(&run.corpus, opts, obs, &mut outputs, &mut report, &mut counts)?;
        run.clock.tick("reuse");
        Some(r)
    } else {
        None
    };
    if mode == Mode::Analyze {
        analysis_stages(opts, obs, &mut run, &mut counts, &mut outputs, &mut report)?;
    }
    let Run { res, input, corpus, mut clock, .. } = run;

    obs.stage("write", 0);
    report.table("documents", corpus.documents_table(outputs.doc_tokens.as_deref(), reuse.as_ref())?)?;
    if mode == Mode::Analyze {
        report.table("noise", corpus.noise_table()?)?;
    }
    let Report { dir: mut out, mut previews } = report;
    previews.sort_by_key(|p| TABLE_ORDER.iter().position(|n| *n == p.name));
    out.order_written_by(listed_at);
    // the reuse charts come after the analysis charts on disk and in run.json
    let (reuse_pngs, mut pngs): (Vec<_>, Vec<_>) =
        outputs.pngs.into_iter().partition(|(name, _)| matches!(*name, "boilerplate.png" | "reuse_heatmap.png"));
    pngs.extend(reuse_pngs);
    for (name, bytes) in pngs.iter().chain(&outputs.files) {
        out.file(name, bytes)?;
    }
    if opts.emit_clean {
        for (m, c) in corpus.docs.iter().zip(&corpus.cleaned) {
            let mut text = c.text.clone();
            if !text.is_empty() {
                text.push('\n');
            }
            out.file(&format!("clean/{}.txt", m.doc_id), text.as_bytes())?;
        }
    }
    clock.tick("write");

    let seconds = clock.total();
    let charts: Vec<&str> = pngs.iter().map(|(name, _)| *name).collect();
    let others: Vec<&str> = outputs.files.iter().map(|(name, _)| *name).chain(["run.json"]).collect();
    let facts =
        page::Run { opts, data: &res.origin, counts: &counts, skipped: &input.skipped, timings: &clock.timings };
    let page = page::index_page(&facts, &charts, &others, outputs.examples, previews);
    out.file(html::FONT_FILE, plot::BUILTIN_FONT)?;
    out.file("index.html", html::render(&page).as_bytes())?;
    let mut written = out.written().to_vec();
    written.push("run.json".into());
    let json = RunJson {
        tool: "tifa",
        version: env!("CARGO_PKG_VERSION"),
        command,
        inputs: &opts.inputs,
        data: &res.origin,
        options: opts,
        counts: &counts,
        skipped: &input.skipped,
        timings_seconds: &clock.timings,
        outputs: &written,
    };
    out.file("run.json", &serde_json::to_vec_pretty(&json)?)?;
    out.commit()?;
    Ok(Summary { counts, skipped: input.skipped, seconds, output: opts.output.clone(), written })
}
