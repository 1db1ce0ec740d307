//! The pipelines behind `tifa analyze` and `tifa reuse`: each runs its stages in order and hands
//! each result to the next.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use polars::prelude::*;
use rayon::prelude::*;
use serde::Serialize;

use crate::clean::{Cleaned, clean, title_after_clean};
use crate::cooccur::{Member, cooccurrence};
use crate::count::{intern, ngram_table, token_table};
use crate::error::{Error, Result, TableContext};
use crate::frame::{strs, u64s};
use crate::ingest::metadata::Metadata;
use crate::ingest::records::Columns;
use crate::ingest::{self, DocMeta, Skipped};
use crate::keyness::{GroupCounts, keyness};
use crate::plot::{self, charts};
use crate::report::{CsvStyle, ReportDir};
use crate::resources::Resources;
use crate::reuse::{DocRef, Reuse, ReuseOptions, find_reuse};
use crate::segment::{Segmented, Segmenter};
use crate::slogans;
pub use crate::trends::Period;
use crate::trends::trends;
use crate::{html, page};

/// Everything `analyze` needs to know, checked once.
#[derive(Debug, Clone, Serialize)]
pub struct Options {
    /// Files and folders to read (folders recursively: .txt, .md).
    pub inputs: Vec<PathBuf>,
    /// Where the reports go.
    pub output: PathBuf,
    /// Also write `clean/<doc_id>.txt`, the exact text counted.
    pub emit_clean: bool,
    /// Read rules, lexicon and stopwords from this folder instead of the built-in copy of `data/`.
    pub data_dir: Option<PathBuf>,
    /// Draw charts with this font instead of the embedded one.
    pub font: Option<PathBuf>,
    /// Minimum count for n-grams, quoted phrases, formulas and series to be reported.
    pub min_count: u64,
    /// Minimum documents for a discovered phrase or unquoted formula.
    pub min_docs: u64,
    /// Most phrases (slogans only the phrase detector found) in the slogans table.
    pub max_phrases: usize,
    /// Bars in each bar chart.
    pub chart_rows: usize,
    /// Slogans in the co-occurrence heatmap.
    pub heatmap_rows: usize,
    /// Slogans (most widespread first) whose pairs go into the co-occurrence table.
    pub cooccur_top: usize,
    /// Find shared passages and boilerplate ratios (`analyze`; `reuse` always does).
    pub reuse: bool,
    /// Shortest shared passage, in characters.
    pub min_chars: usize,
    /// Documents a passage must be in to count as corpus-wide boilerplate.
    pub common_docs: usize,
    /// A metadata table to join to the documents (a `metadata.csv` in an input folder is read too).
    pub metadata: Option<PathBuf>,
    /// Columns of JSON Lines and CSV corpora.
    pub text_column: String,
    pub date_column: String,
    /// How dates are grouped in `trends`.
    pub period: Period,
    /// Phrases to follow in `slogans` and `trends` whether or not they are found.
    pub track: Vec<String>,
    /// A documents column (metadata, `period`, `source`) whose groups are compared in `keyness`.
    pub group_by: Option<String>,
    /// Co-occurrence network: the least npmi of an edge, and the most slogans drawn.
    pub network_min_npmi: f64,
    pub network_nodes: usize,
    /// Start CSV files with a byte-order mark (for Excel).
    pub csv_bom: bool,
    /// Write CSV text cells exactly, even those a spreadsheet would run as formulas.
    pub csv_raw: bool,
    /// Write into an output folder that holds something other than a tifa report.
    pub force: bool,
    /// Longest document read, in characters; longer ones are skipped with a message.
    pub max_doc_chars: usize,
    /// Worker threads (None: all cores).
    pub threads: Option<usize>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            inputs: Vec::new(),
            output: PathBuf::from("reports"),
            emit_clean: false,
            data_dir: None,
            font: None,
            min_count: 2,
            min_docs: 2,
            max_phrases: 5000,
            chart_rows: 25,
            heatmap_rows: 20,
            cooccur_top: 100,
            reuse: true,
            min_chars: 20,
            common_docs: 3,
            metadata: None,
            text_column: "text".into(),
            date_column: "date".into(),
            period: Period::Year,
            track: Vec::new(),
            group_by: None,
            network_min_npmi: 0.3,
            network_nodes: 40,
            csv_bom: false,
            csv_raw: false,
            force: false,
            max_doc_chars: 10_000_000,
            threads: None,
        }
    }
}

impl Options {
    /// The reuse detector's settings.
    pub fn reuse_options(&self) -> ReuseOptions {
        ReuseOptions { min_chars: self.min_chars, common_docs: self.common_docs, ..ReuseOptions::default() }
    }
}

/// Hears about progress; the command line shows a progress bar with it.
pub trait Observer: Sync {
    /// A stage begins; `total` units of work (0 if unknown).
    fn stage(&self, name: &'static str, total: u64);
    /// `n` units of the current stage are done.
    fn advance(&self, n: u64);
    /// An input was skipped.
    fn skipped(&self, skipped: &Skipped);
    /// Folders below the inputs that were not read because they hold tifa reports.
    fn reports_not_read(&self, _folders: &[PathBuf]) {}
}

/// An observer that ignores everything.
pub struct Silent;

impl Observer for Silent {
    fn stage(&self, _: &'static str, _: u64) {}
    fn advance(&self, _: u64) {}
    fn skipped(&self, _: &Skipped) {}
}

/// What a run did.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub counts: Counts,
    pub skipped: Vec<Skipped>,
    pub seconds: f64,
    pub output: PathBuf,
    /// Files written, relative to `output`.
    pub written: Vec<String>,
}

#[derive(Serialize)]
struct RunJson<'a> {
    tool: &'static str,
    version: &'static str,
    command: &'static str,
    inputs: &'a [PathBuf],
    data: &'a str,
    options: &'a Options,
    counts: &'a Counts,
    skipped: &'a [Skipped],
    timings_seconds: &'a [(&'static str, f64)],
    outputs: &'a [String],
}

/// The sizes of a run's inputs and outputs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub files: usize,
    pub documents: usize,
    pub skipped: usize,
    pub input_bytes: u64,
    /// Characters of clean text counted.
    pub chars: u64,
    pub noise_chars: u64,
    pub tokens: u64,
    pub distinct_tokens: usize,
    pub ngrams: usize,
    pub slogans: usize,
    pub cooccurrence_pairs: usize,
    pub reuse_passages: usize,
    pub reuse_pairs: usize,
    pub metadata_unmatched: usize,
    pub periods: usize,
    pub keyness_rows: usize,
}

/// Run the whole pipeline on `opts.inputs` and write the reports into `opts.output`.
pub fn analyze(opts: &Options, obs: &dyn Observer) -> Result<Summary> {
    in_pool(opts, || run(opts, obs, Mode::Analyze))
}

/// Run only ingest, cleaning and reuse detection, and write the documents and reuse tables
/// and charts into `opts.output`.
pub fn reuse_only(opts: &Options, obs: &dyn Observer) -> Result<Summary> {
    in_pool(opts, || run(opts, obs, Mode::ReuseOnly))
}

fn in_pool<T: Send>(opts: &Options, f: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = opts.threads {
        pool = pool.num_threads(n);
    }
    let pool = pool.build().map_err(|e| Error::Option(format!("thread pool: {e}")))?;
    pool.install(f)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Analyze,
    ReuseOnly,
}

/// Stage timings of a run.
struct Clock {
    started: Instant,
    lap: Instant,
    timings: Vec<(&'static str, f64)>,
}

impl Clock {
    fn new() -> Self {
        Clock { started: Instant::now(), lap: Instant::now(), timings: Vec::new() }
    }

    fn tick(&mut self, name: &'static str) {
        self.timings.push((name, (self.lap.elapsed().as_secs_f64() * 1000.0).round() / 1000.0));
        self.lap = Instant::now();
    }
}

/// The corpus after ingest and cleaning.
struct Prepared {
    res: Resources,
    /// Metadata tables joined, and the keys of their rows that named no document.
    metadata_tables: usize,
    metadata_unmatched: Vec<String>,
    files: usize,
    skipped: Vec<Skipped>,
    input_bytes: u64,
    metas: Vec<DocMeta>,
    cleaned: Vec<Cleaned>,
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

/// Load the data files and the font, then read, split and clean every input.
fn prepare(opts: &Options, obs: &dyn Observer, clock: &mut Clock) -> Result<Prepared> {
    let res = load_resources(opts)?;

    let found = ingest::discover(&opts.inputs, &opts.output)?;
    if !found.reports.is_empty() {
        obs.reports_not_read(&found.reports);
    }
    let (files, mut skipped) = (found.files, found.skipped);
    for s in &skipped {
        obs.skipped(s);
    }
    obs.stage("read", files.len() as u64);
    let input_bytes: u64 = files.iter().filter_map(|f| std::fs::metadata(&f.path).ok()).map(|m| m.len()).sum();
    let columns = Columns { text: opts.text_column.clone(), date: opts.date_column.clone(), ..Columns::default() };
    let (mut docs, read_skipped) = ingest::read_all(&files, &res.split, &columns, &|n| obs.advance(n));
    let mut metadata_unmatched = Vec::new();
    let tables: Vec<PathBuf> = ingest::metadata_beside(&opts.inputs).into_iter().chain(opts.metadata.clone()).collect();
    for path in &tables {
        let md = Metadata::read(path)?;
        let mut metas: Vec<DocMeta> = docs.iter().map(|d| d.meta.clone()).collect();
        metadata_unmatched.extend(md.apply(&mut metas));
        for (d, m) in docs.iter_mut().zip(metas) {
            d.meta = m;
        }
    }
    let mut read_skipped = read_skipped;
    docs.retain(|d| {
        let chars = d.raw.chars().count();
        if chars <= opts.max_doc_chars {
            return true;
        }
        read_skipped.push(Skipped {
            path: d.meta.doc_id.clone(),
            reason: format!(
                "{chars} characters, more than --max-doc-chars {}; raise the limit to read it",
                opts.max_doc_chars
            ),
        });
        false
    });
    for s in &read_skipped {
        obs.skipped(s);
    }
    skipped.extend(read_skipped);
    if docs.is_empty() {
        return Err(Error::NoDocuments);
    }
    clock.tick("ingest");

    obs.stage("clean", docs.len() as u64);
    let (metas, cleaned): (Vec<DocMeta>, Vec<Cleaned>) = docs
        .into_par_iter()
        .map(|d| {
            let c = clean(&d.raw, &res);
            let mut meta = d.meta;
            meta.title = title_after_clean(&meta.title, &c);
            obs.advance(1);
            (meta, c)
        })
        .unzip();
    clock.tick("clean");
    Ok(Prepared {
        res,
        files: files.len(),
        skipped,
        input_bytes,
        metas,
        cleaned,
        metadata_tables: tables.len(),
        metadata_unmatched,
    })
}

/// Reuse detection and its tables and charts.
struct ReuseResult {
    reuse: Reuse,
    passages: DataFrame,
    pairs: DataFrame,
    boilerplate_png: Vec<u8>,
    heatmap_png: Vec<u8>,
}

fn reuse_stage(prep: &Prepared, opts: &Options, obs: &dyn Observer) -> Result<ReuseResult> {
    obs.stage("reuse", 0);
    let texts: Vec<&str> = prep.cleaned.iter().map(|c| c.text.as_str()).collect();
    let mut reuse = find_reuse(&texts, opts.reuse_options());
    let refs = doc_refs(&prep.metas);
    let passages = reuse.passages_table(&refs)?;
    let pairs = reuse.pairs_table(&refs)?;
    let titles: Vec<&str> = prep.metas.iter().map(|m| m.title.as_str()).collect();
    let boilerplate_png = charts::boilerplate_png(&reuse, &titles, opts.min_chars, opts.chart_rows)?;
    let heatmap_png = charts::reuse_heatmap_png(&reuse, &titles, opts.heatmap_rows)?;
    // the tables and charts hold what is reported; the occurrences can go
    reuse.passages = Vec::new();
    reuse.pairs = Vec::new();
    Ok(ReuseResult { reuse, passages, pairs, boilerplate_png, heatmap_png })
}

fn doc_refs(metas: &[DocMeta]) -> Vec<DocRef<'_>> {
    metas.iter().map(|m| DocRef { doc_id: m.doc_id.as_str(), date: m.date.as_deref() }).collect()
}

fn run(opts: &Options, obs: &dyn Observer, mode: Mode) -> Result<Summary> {
    let mut clock = Clock::new();
    // refuse a wrong --output before any work
    crate::report::check_target(&opts.output, opts.force)?;
    let prep = prepare(opts, obs, &mut clock)?;
    let command = match mode {
        Mode::Analyze => "analyze",
        Mode::ReuseOnly => "reuse",
    };
    finish(opts, obs, mode, command, prep, None, clock)
}

/// Cut every text into words, in parallel.
fn segment_all(segmenter: &Segmenter, texts: &[&str], obs: &dyn Observer) -> Vec<Segmented> {
    obs.stage("segment", texts.len() as u64);
    texts
        .par_iter()
        .map(|t| {
            let s = segmenter.segment(t);
            obs.advance(1);
            s
        })
        .collect()
}

/// What a partial's `run.json` holds besides its [`crate::partial::Header`].
#[derive(Serialize)]
struct PartialJson<'a> {
    #[serde(flatten)]
    header: &'a crate::partial::Header,
    inputs: &'a [PathBuf],
    options: &'a Options,
    counts: &'a Counts,
    timings_seconds: &'a [(&'static str, f64)],
    outputs: &'a [String],
}

/// Read, clean, cut and count `opts.inputs` (one shard of a corpus) and write a partial into
/// `opts.output` (see [`crate::partial`]) for [`merge`].
pub fn analyze_partial(opts: &Options, obs: &dyn Observer) -> Result<Summary> {
    in_pool(opts, || {
        let mut clock = Clock::new();
        crate::report::check_target(&opts.output, opts.force)?;
        let prep = prepare(opts, obs, &mut clock)?;
        let texts: Vec<&str> = prep.cleaned.iter().map(|c| c.text.as_str()).collect();
        let segmenter = Segmenter::new(&prep.res);
        let segs = segment_all(&segmenter, &texts, obs);
        clock.tick("segment");

        obs.stage("count", 0);
        let stopwords: rustc_hash::FxHashSet<String> = prep.res.stopwords.iter().cloned().collect();
        let (vocab, per_doc) = intern(&texts, &segs);
        let mut tokens = token_table(&vocab, &per_doc, &stopwords)?;
        tokens.drop_in_place("per_10k").table("tokens")?;
        let mut ngrams = ngram_table(&vocab, &per_doc, 2..=4, 1, &stopwords)?;
        let counts = Counts {
            files: prep.files,
            documents: prep.metas.len(),
            skipped: prep.skipped.len(),
            input_bytes: prep.input_bytes,
            chars: prep.cleaned.iter().map(|c| c.text.chars().count() as u64).sum(),
            noise_chars: prep.cleaned.iter().map(|c| c.noise_chars as u64).sum(),
            tokens: per_doc.iter().map(|d| d.ids.len() as u64).sum(),
            distinct_tokens: vocab.words.len(),
            ngrams: ngrams.height(),
            metadata_unmatched: prep.metadata_unmatched.len(),
            ..Counts::default()
        };
        drop(per_doc);
        clock.tick("count");

        obs.stage("write", 0);
        let mut out = ReportDir::create(&opts.output, CsvStyle::default(), opts.force)?;
        out.parquet("documents", &mut crate::partial::documents_frame(&prep.metas, &prep.cleaned, &segs)?)?;
        drop(segs);
        out.parquet("noise", &mut noise_table(&prep.metas, &prep.cleaned)?)?;
        out.parquet("tokens", &mut tokens)?;
        out.parquet("ngrams", &mut ngrams)?;
        clock.tick("write");
        let seconds = clock.started.elapsed().as_secs_f64();
        clock.timings.push(("total", (seconds * 1000.0).round() / 1000.0));
        let mut written = out.written().to_vec();
        written.push("run.json".into());
        let header = crate::partial::Header {
            tool: "tifa".into(),
            command: "partial".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            schema: crate::partial::SCHEMA,
            data: prep.res.fingerprint.clone(),
            files: prep.files,
            input_bytes: prep.input_bytes,
            skipped: prep.skipped.clone(),
            metadata_tables: prep.metadata_tables,
            metadata_unmatched: prep.metadata_unmatched.clone(),
        };
        let json = PartialJson {
            header: &header,
            inputs: &opts.inputs,
            options: opts,
            counts: &counts,
            timings_seconds: &clock.timings,
            outputs: &written,
        };
        let json = serde_json::to_vec_pretty(&json).map_err(|e| Error::Option(e.to_string()))?;
        out.file("run.json", &json)?;
        out.commit()?;
        Ok(Summary { counts, skipped: prep.skipped, seconds, output: opts.output.clone(), written })
    })
}

/// Combine the partials in `dirs` into the reports one `analyze` over all their inputs writes:
/// token and n-gram counts are added up, and the stages that look at the whole corpus at once
/// (slogans, trends, keyness, co-occurrence, reuse) run on the shards' clean text and words.
pub fn merge(dirs: &[PathBuf], opts: &Options, obs: &dyn Observer) -> Result<Summary> {
    in_pool(opts, || {
        let mut clock = Clock::new();
        crate::report::check_target(&opts.output, opts.force)?;
        let res = load_resources(opts)?;
        obs.stage("read", dirs.len() as u64);
        let shards = crate::partial::read_all(dirs)?;
        if let Some(s) = shards.iter().find(|s| s.header.data != res.fingerprint) {
            return Err(Error::Option(format!(
                "the partials were made with other data files (fingerprint {}, this run's {}); give merge the --data the shards used",
                s.header.data, res.fingerprint
            )));
        }
        let mut files = 0;
        let mut input_bytes = 0;
        let mut skipped = Vec::new();
        let mut tokens = Vec::new();
        let mut ngrams = Vec::new();
        let mut docs = Vec::new();
        // a metadata row named no document if it named none in any shard that joined metadata
        let mut unmatched: Option<BTreeSet<String>> = None;
        for s in shards {
            files += s.header.files;
            input_bytes += s.header.input_bytes;
            skipped.extend(s.header.skipped);
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
        for s in &skipped {
            obs.skipped(s);
        }
        if docs.is_empty() {
            return Err(Error::NoDocuments);
        }
        docs.sort_by(|a, b| a.0.source.cmp(&b.0.source).then(a.0.part.cmp(&b.0.part)));
        let mut metas = Vec::with_capacity(docs.len());
        let mut cleaned = Vec::with_capacity(docs.len());
        let mut segs = Vec::with_capacity(docs.len());
        for (m, c, s) in docs {
            metas.push(m);
            cleaned.push(c);
            segs.push(s);
        }
        clock.tick("ingest");
        let prep = Prepared {
            res,
            files,
            skipped,
            input_bytes,
            metas,
            cleaned,
            metadata_tables: usize::from(unmatched.is_some()),
            metadata_unmatched: unmatched.unwrap_or_default().into_iter().collect(),
        };
        finish(opts, obs, Mode::Analyze, "merge", prep, Some(Loaded { segs, tokens, ngrams }), clock)
    })
}

/// A corpus merged from partials: already cut into words and counted.
struct Loaded {
    segs: Vec<Segmented>,
    /// Each shard's `tokens` table and `ngrams.parquet`.
    tokens: Vec<DataFrame>,
    ngrams: Vec<PathBuf>,
}

/// Every stage after cleaning, and the report.
fn finish(
    opts: &Options,
    obs: &dyn Observer,
    mode: Mode,
    command: &'static str,
    prep: Prepared,
    loaded: Option<Loaded>,
    mut clock: Clock,
) -> Result<Summary> {
    let texts: Vec<&str> = prep.cleaned.iter().map(|c| c.text.as_str()).collect();
    let n_docs = prep.metas.len();
    let mut counts = Counts {
        files: prep.files,
        documents: n_docs,
        skipped: prep.skipped.len(),
        input_bytes: prep.input_bytes,
        chars: prep.cleaned.iter().map(|c| c.text.chars().count() as u64).sum(),
        noise_chars: prep.cleaned.iter().map(|c| c.noise_chars as u64).sum(),
        metadata_unmatched: prep.metadata_unmatched.len(),
        ..Counts::default()
    };
    let mut tables: Vec<(&'static str, DataFrame)> = Vec::new();
    let mut pngs: Vec<(&'static str, Vec<u8>)> = Vec::new();
    let mut files: Vec<(&'static str, Vec<u8>)> = Vec::new();
    let mut examples = Vec::new();
    let mut doc_tokens = None;

    // reuse first: it needs only the clean text, and its memory is free again before counting
    let reuse = if opts.reuse || mode == Mode::ReuseOnly {
        let r = reuse_stage(&prep, opts, obs)?;
        counts.reuse_passages = r.passages.height();
        counts.reuse_pairs = r.pairs.height();
        clock.tick("reuse");
        Some(r)
    } else {
        None
    };

    if mode == Mode::Analyze {
        // segment (a merge has the shards' words)
        let segmenter = Segmenter::new(&prep.res);
        let (segs, merged) = match loaded {
            Some(l) => (l.segs, Some((l.tokens, l.ngrams))),
            None => (segment_all(&segmenter, &texts, obs), None),
        };
        clock.tick("segment");

        // count (a merge adds up the shards' counts)
        obs.stage("count", 0);
        let stopwords: rustc_hash::FxHashSet<String> = prep.res.stopwords.iter().cloned().collect();
        let (vocab, tokens_per_doc) = intern(&texts, &segs);
        counts.tokens = tokens_per_doc.iter().map(|d| d.ids.len() as u64).sum();
        let (tokens, ngrams) = match merged {
            Some((tokens, ngram_files)) => {
                let ids: rustc_hash::FxHashMap<&str, u32> =
                    vocab.words.iter().enumerate().map(|(i, w)| (w.as_str(), i as u32)).collect();
                let mut sums = crate::count::NgramSums::new(&vocab);
                for f in &ngram_files {
                    crate::partial::add_ngrams(&mut sums, f, &ids)?;
                }
                (crate::partial::merge_tokens(tokens, counts.tokens)?, sums.table(&vocab, opts.min_count, &stopwords)?)
            }
            None => (
                token_table(&vocab, &tokens_per_doc, &stopwords)?,
                ngram_table(&vocab, &tokens_per_doc, 2..=4, opts.min_count, &stopwords)?,
            ),
        };
        counts.distinct_tokens = vocab.words.len();
        counts.ngrams = ngrams.height();
        doc_tokens = Some(tokens_per_doc.iter().map(|d| d.ids.len() as u64).collect::<Vec<_>>());
        clock.tick("count");

        // slogans
        obs.stage("slogans", 0);
        let seen: BTreeSet<String> = prep.cleaned.iter().flat_map(|c| c.folded.iter().cloned()).collect();
        let settings = slogans::Settings {
            min_count: opts.min_count,
            min_docs: opts.min_docs,
            max_phrases: opts.max_phrases,
            ..Default::default()
        };
        let sources = source_ids(&prep.metas);
        let corpus = slogans::Corpus { texts: &texts, segs: &segs, sources: &sources };
        let found = slogans::discover(corpus, &prep.res, &segmenter, settings, &seen, &opts.track)?;
        drop((segmenter, segs));
        let mut slogan_df = found.table;
        counts.slogans = slogan_df.height();
        clock.tick("slogans");

        // trends and first/last appearance, where documents have dates
        let dates: Vec<Option<&str>> = prep.metas.iter().map(|m| m.date.as_deref()).collect();
        let doc_chars: Vec<u64> = prep.cleaned.iter().map(|c| c.text.chars().count() as u64).collect();
        let names: Vec<String> = strs(&slogan_df, "slogan", "slogans")?.into_iter().map(String::from).collect();
        let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let tracked = crate::frame::bools(&slogan_df, "tracked", "slogans")?;
        let t = trends(opts.period, &dates, &doc_chars, &found.occurrences, &found.rows, &name_refs, &tracked)?;
        slogan_df
            .with_column(Column::new("first_seen".into(), t.first_seen.clone()))
            .and_then(|df| df.with_column(Column::new("last_seen".into(), t.last_seen.clone())))
            .table("slogans")?;
        counts.periods = t.periods.len();
        if !t.periods.is_empty() {
            pngs.push((
                "trends.png",
                charts::trends_png(&t, opts.period, &name_refs, &tracked, opts.chart_rows.min(8))?,
            ));
            tables.push(("trends", t.table));
        }
        clock.tick("trends");

        // keyness of groups of documents
        if let Some(column) = &opts.group_by {
            let groups = group_of(&prep.metas, column, opts.period)?;
            let (names_of_groups, index) = number_groups(&groups);
            let kinds = [
                token_groups(&index, names_of_groups.len(), &vocab, &tokens_per_doc, &stopwords)?,
                slogan_groups(&index, names_of_groups.len(), &found.occurrences, &found.rows, &name_refs, &doc_chars),
            ];
            let key_df = keyness(&names_of_groups, &kinds)?;
            counts.keyness_rows = key_df.height();
            pngs.push(("keyness.png", charts::keyness_png(&key_df, column, opts.chart_rows.min(12))?));
            tables.push(("keyness", key_df));
            clock.tick("keyness");
        }
        drop(tokens_per_doc);

        // cooccur: the most widespread slogans
        let members = widest(&slogan_df, &found.rows, opts.cooccur_top)?;
        let cooc = cooccurrence(&members, &found.occurrences)?;
        drop(found.occurrences);
        counts.cooccurrence_pairs = cooc.height();
        let graphml = crate::graphml::cooccurrence_graphml(&slogan_df, &cooc)?;
        files.push(("cooccurrence.graphml", graphml.into_bytes()));
        examples = page::slogan_examples(&slogan_df, &texts, &prep.metas, EXAMPLE_SLOGANS)?;
        clock.tick("cooccur");

        obs.stage("plot", 4);
        pngs.push(("slogans.png", charts::slogans_png(&slogan_df, n_docs, opts.chart_rows)?));
        obs.advance(1);
        pngs.push(("ngrams.png", charts::ngrams_png(&ngrams, n_docs, opts.chart_rows)?));
        obs.advance(1);
        pngs.push((
            "cooccurrence_heatmap.png",
            charts::cooccurrence_png(&slogan_df, &cooc, n_docs, opts.heatmap_rows)?,
        ));
        obs.advance(1);
        let net = charts::network_selection(&slogan_df, &cooc, opts.network_min_npmi, opts.network_nodes)?;
        pngs.push(("cooccurrence_network.png", charts::cooccurrence_network_png(&net, opts.network_min_npmi)?));
        obs.advance(1);
        tables.extend([("tokens", tokens), ("ngrams", ngrams), ("slogans", slogan_df), ("cooccurrence", cooc)]);
        tables.sort_by_key(|(name, _)| TABLE_ORDER.iter().position(|n| n == name));
        clock.tick("plot");
    }

    // report
    obs.stage("write", 0);
    let csv = CsvStyle { bom: opts.csv_bom, raw: opts.csv_raw };
    let mut out = ReportDir::create(&opts.output, csv, opts.force)?;
    let mut previews = Vec::new();
    let mut write_table = |out: &mut ReportDir, name: &'static str, mut df: DataFrame| -> Result<()> {
        previews.push(html::TablePreview::of(name, &df, html::PREVIEW_ROWS));
        out.table(name, &mut df)
    };
    let documents =
        documents_table(&prep.metas, &prep.cleaned, doc_tokens.as_deref(), reuse.as_ref().map(|r| &r.reuse))?;
    write_table(&mut out, "documents", documents)?;
    for (name, df) in tables {
        write_table(&mut out, name, df)?;
    }
    if mode == Mode::Analyze {
        write_table(&mut out, "noise", noise_table(&prep.metas, &prep.cleaned)?)?;
    }
    if let Some(r) = reuse {
        write_table(&mut out, "reuse_passages", r.passages)?;
        write_table(&mut out, "reuse_pairs", r.pairs)?;
        pngs.push(("boilerplate.png", r.boilerplate_png));
        pngs.push(("reuse_heatmap.png", r.heatmap_png));
    }
    for (name, bytes) in pngs.iter().chain(&files) {
        out.file(name, bytes)?;
    }
    if opts.emit_clean {
        for (m, c) in prep.metas.iter().zip(&prep.cleaned) {
            let mut text = c.text.clone();
            if !text.is_empty() {
                text.push('\n');
            }
            out.file(&format!("clean/{}.txt", m.doc_id), text.as_bytes())?;
        }
    }
    clock.tick("write");

    let seconds = clock.started.elapsed().as_secs_f64();
    clock.timings.push(("total", (seconds * 1000.0).round() / 1000.0));
    let charts: Vec<&str> = pngs.iter().map(|(name, _)| *name).collect();
    let others: Vec<&str> = files.iter().map(|(name, _)| *name).chain(["run.json"]).collect();
    let run =
        page::Run { opts, data: &prep.res.origin, counts: &counts, skipped: &prep.skipped, timings: &clock.timings };
    let page = page::index_page(&run, &charts, &others, examples, previews);
    out.file(html::FONT_FILE, plot::BUILTIN_FONT)?;
    out.file("index.html", html::render(&page).as_bytes())?;
    let mut written = out.written().to_vec();
    written.push("run.json".into());
    let run = RunJson {
        tool: "tifa",
        version: env!("CARGO_PKG_VERSION"),
        command,
        inputs: &opts.inputs,
        data: &prep.res.origin,
        options: opts,
        counts: &counts,
        skipped: &prep.skipped,
        timings_seconds: &clock.timings,
        outputs: &written,
    };
    let json = serde_json::to_vec_pretty(&run).map_err(|e| Error::Option(e.to_string()))?;
    out.file("run.json", &json)?;
    out.commit()?;

    Ok(Summary { counts, skipped: prep.skipped, seconds, output: opts.output.clone(), written })
}

/// One occurrence of a shared passage in a document, and who else has it.
#[derive(Debug, Clone)]
pub struct SharedPassage {
    /// Character offset in the document's clean text.
    pub start: usize,
    pub chars: usize,
    pub text: String,
    /// The other documents with this passage, in input order.
    pub others: Vec<String>,
}

/// What one document shares with the others.
#[derive(Debug, Clone)]
pub struct DocumentReuse {
    pub doc_id: String,
    pub title: String,
    pub chars: usize,
    pub boilerplate_ratio: f64,
    pub common_ratio: f64,
    /// Passages in text order (longer first where two start together).
    pub passages: Vec<SharedPassage>,
}

/// Read and clean `opts.inputs`, find the reuse, and describe document `doc_id`: which of its
/// passages other documents also have. Nothing is written.
pub fn document_reuse(opts: &Options, doc_id: &str, obs: &dyn Observer) -> Result<DocumentReuse> {
    in_pool(opts, || {
        let mut clock = Clock::new();
        let prep = prepare(opts, obs, &mut clock)?;
        let d = prep.metas.iter().position(|m| m.doc_id == doc_id).ok_or_else(|| {
            Error::Option(format!("no document {doc_id:?} in the inputs (see documents.csv for ids)"))
        })?;
        obs.stage("reuse", 0);
        let texts: Vec<&str> = prep.cleaned.iter().map(|c| c.text.as_str()).collect();
        let reuse = find_reuse(&texts, opts.reuse_options());
        let mut passages: Vec<SharedPassage> = reuse
            .passages
            .iter()
            .flat_map(|p| {
                let others: Vec<String> = p
                    .docs
                    .iter()
                    .filter(|&&o| o as usize != d)
                    .map(|&o| prep.metas[o as usize].doc_id.clone())
                    .collect();
                p.occurrences.iter().filter(|o| o.doc as usize == d).map(move |o| SharedPassage {
                    start: o.start as usize,
                    chars: p.chars,
                    text: p.text.clone(),
                    others: others.clone(),
                })
            })
            .collect();
        passages.sort_by(|a, b| a.start.cmp(&b.start).then(b.chars.cmp(&a.chars)).then(a.text.cmp(&b.text)));
        Ok(DocumentReuse {
            doc_id: doc_id.to_string(),
            title: prep.metas[d].title.clone(),
            chars: reuse.doc_chars[d],
            boilerplate_ratio: reuse.ratio(d),
            common_ratio: reuse.common_ratio(d),
            passages,
        })
    })
}

/// Slogans shown with context lines on the index page.
const EXAMPLE_SLOGANS: usize = 30;

/// The order tables are written in.
const TABLE_ORDER: [&str; 6] = ["tokens", "ngrams", "slogans", "cooccurrence", "trends", "keyness"];

/// Each document's group for `--group-by`: a metadata column, `period`, `source`, `date`,
/// `kind` … Documents without a value are left out of keyness.
fn group_of(metas: &[DocMeta], column: &str, period: Period) -> Result<Vec<Option<String>>> {
    let known = metas.iter().any(|m| m.extra.contains_key(column));
    let value = |m: &DocMeta| -> Option<String> {
        match column {
            "period" => m.date.as_deref().and_then(|d| period.of(d)),
            "date" => m.date.clone(),
            "source" => Some(m.source.clone()),
            "title" => Some(m.title.clone()),
            _ => m.extra.get(column).filter(|v| !v.is_empty()).cloned(),
        }
    };
    if !known && !["period", "date", "source", "title"].contains(&column) {
        return Err(Error::Option(format!(
            "--group-by {column}: no document has that column (use period, date, source, title or a metadata column)"
        )));
    }
    Ok(metas.iter().map(value).collect())
}

/// The distinct groups in order, and each document's group number.
fn number_groups(groups: &[Option<String>]) -> (Vec<String>, Vec<Option<u32>>) {
    let names: Vec<String> = groups.iter().flatten().cloned().collect::<BTreeSet<_>>().into_iter().collect();
    let index = groups.iter().map(|g| g.as_ref().and_then(|g| names.binary_search(g).ok()).map(|i| i as u32)).collect();
    (names, index)
}

/// Token counts per group, counted with polars; stopwords are left out of the items (not of the
/// totals).
fn token_groups(
    group: &[Option<u32>],
    groups: usize,
    vocab: &crate::count::Vocab,
    docs: &[crate::count::DocTokens],
    stopwords: &rustc_hash::FxHashSet<String>,
) -> Result<GroupCounts> {
    const T: &str = "keyness";
    let (mut g, mut tok) = (Vec::new(), Vec::new());
    let mut totals = vec![0u64; groups];
    for (d, dt) in docs.iter().enumerate() {
        if let Some(gr) = group[d] {
            g.extend(std::iter::repeat_n(gr, dt.ids.len()));
            tok.extend_from_slice(&dt.ids);
            totals[gr as usize] += dt.ids.len() as u64;
        }
    }
    let n = g.len();
    let df = DataFrame::new(n, vec![Column::new("group".into(), g), Column::new("tok".into(), tok)])
        .table(T)?
        .lazy()
        .group_by([col("group"), col("tok")])
        .agg([len().cast(DataType::UInt64).alias("n")])
        .collect()
        .table(T)?;
    let (gs, ts, ns) = (crate::frame::u32s(&df, "group", T)?, crate::frame::u32s(&df, "tok", T)?, u64s(&df, "n", T)?);
    let counts = (0..df.height())
        .filter(|&i| !stopwords.contains(&vocab.words[ts[i] as usize]))
        .map(|i| ((gs[i], vocab.words[ts[i] as usize].clone()), ns[i]))
        .collect();
    Ok(GroupCounts { kind: "token", counts, group_totals: totals })
}

/// Slogan counts per group (rates per 10,000 characters).
fn slogan_groups(
    group: &[Option<u32>],
    groups: usize,
    occ: &slogans::Occurrences,
    rows: &[Vec<u32>],
    names: &[&str],
    doc_chars: &[u64],
) -> GroupCounts {
    let mut row_of = std::collections::HashMap::new();
    for (r, ps) in rows.iter().enumerate() {
        for &p in ps {
            row_of.insert(p, r);
        }
    }
    let mut counts = std::collections::BTreeMap::new();
    let mut totals = vec![0u64; groups];
    for (d, per) in occ.per_doc.iter().enumerate() {
        let Some(g) = group[d] else { continue };
        totals[g as usize] += doc_chars[d];
        for &(p, c) in per {
            if let Some(&r) = row_of.get(&p) {
                *counts.entry((g, names[r].to_string())).or_insert(0) += c as u64;
            }
        }
    }
    GroupCounts { kind: "slogan", counts, group_totals: totals }
}

/// One occurrence found by [`kwic`], with its document.
#[derive(Debug, Clone)]
pub struct KwicHit {
    pub doc_id: String,
    pub date: Option<String>,
    pub left: String,
    pub matched: String,
    pub right: String,
}

/// The spellings in `phrase` (separated by `|`), each cleaned as the documents are, so that
/// 主T教育 finds 主题教育 and a half-width comma finds the full-width one.
fn kwic_spellings(phrase: &str, res: &Resources) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for raw in phrase.split('|').map(str::trim).filter(|s| !s.is_empty()) {
        let cleaned = crate::clean::clean(raw, res).text.trim().to_string();
        let spelling = if cleaned.is_empty() { raw.to_string() } else { cleaned };
        if !out.contains(&spelling) {
            out.push(spelling);
        }
    }
    out
}

/// Read and clean `opts.inputs` and find every occurrence of `phrase` (spellings separated by
/// `|`) with `width` characters of context on each side, in document order. Nothing is written.
pub fn kwic(opts: &Options, phrase: &str, width: usize, obs: &dyn Observer) -> Result<(Vec<KwicHit>, usize)> {
    in_pool(opts, || {
        let mut clock = Clock::new();
        let prep = prepare(opts, obs, &mut clock)?;
        let texts: Vec<&str> = prep.cleaned.iter().map(|c| c.text.as_str()).collect();
        let spellings = kwic_spellings(phrase, &prep.res);
        let spellings: Vec<&str> = spellings.iter().map(String::as_str).collect();
        let hits = crate::kwic::kwic(&texts, &spellings, width);
        let docs = hits.iter().map(|h| h.doc).collect::<BTreeSet<_>>().len();
        let hits = hits
            .into_iter()
            .map(|h| KwicHit {
                doc_id: prep.metas[h.doc].doc_id.clone(),
                date: prep.metas[h.doc].date.clone(),
                left: h.left,
                matched: h.matched,
                right: h.right,
            })
            .collect();
        Ok((hits, docs))
    })
}

/// A number for each source file, in document order.
fn source_ids(metas: &[DocMeta]) -> Vec<u32> {
    let mut ids = std::collections::HashMap::new();
    metas
        .iter()
        .map(|m| {
            let n = ids.len() as u32;
            *ids.entry(m.source.as_str()).or_insert(n)
        })
        .collect()
}

/// Among the best-scored slogans (four times `top`), the `top` found in the most documents
/// (ties: more occurrences, then text order).
fn widest(slogans: &DataFrame, rows: &[Vec<u32>], top: usize) -> Result<Vec<Member>> {
    const T: &str = "slogans";
    let text = strs(slogans, "slogan", T)?;
    let (dc, count) = (u64s(slogans, "doc_count", T)?, u64s(slogans, "count", T)?);
    let mut order: Vec<usize> = (0..text.len().min(4 * top)).collect();
    order.sort_by(|&a, &b| dc[b].cmp(&dc[a]).then(count[b].cmp(&count[a])).then(text[a].cmp(text[b])));
    Ok(order.into_iter().take(top).map(|i| Member { ids: rows[i].clone(), text: text[i].to_string() }).collect())
}

fn documents_table(
    metas: &[DocMeta],
    cleaned: &[Cleaned],
    tokens: Option<&[u64]>,
    reuse: Option<&Reuse>,
) -> Result<DataFrame> {
    const T: &str = "documents";
    let n = metas.len();
    let mut columns = ingest::meta_columns(metas);
    columns
        .push(Column::new("chars".into(), cleaned.iter().map(|c| c.text.chars().count() as u64).collect::<Vec<_>>()));
    if let Some(tokens) = tokens {
        columns.push(Column::new("tokens".into(), tokens.to_vec()));
    }
    columns.push(Column::new("noise_chars".into(), cleaned.iter().map(|c| c.noise_chars as u64).collect::<Vec<_>>()));
    columns.extend(ingest::extra_columns(metas, ""));
    if let Some(r) = reuse {
        columns.push(Column::new("boilerplate_ratio".into(), (0..n).map(|d| r.ratio(d)).collect::<Vec<_>>()));
        columns.push(Column::new("common_ratio".into(), (0..n).map(|d| r.common_ratio(d)).collect::<Vec<_>>()));
        columns.push(Column::new("cluster".into(), r.cluster.clone()));
    }
    DataFrame::new(n, columns).table(T)
}

fn noise_table(metas: &[DocMeta], cleaned: &[Cleaned]) -> Result<DataFrame> {
    const T: &str = "noise";
    let (mut doc, mut line, mut rule, mut chars, mut text) = (vec![], vec![], vec![], vec![], vec![]);
    for (m, c) in metas.iter().zip(cleaned) {
        for r in &c.removed {
            doc.push(m.doc_id.as_str());
            line.push(r.line as u32);
            rule.push(r.rule.as_str());
            chars.push(r.text.chars().count() as u64);
            text.push(r.text.as_str());
        }
    }
    let n = doc.len();
    DataFrame::new(
        n,
        vec![
            Column::new("doc_id".into(), doc),
            Column::new("line".into(), line),
            Column::new("rule".into(), rule),
            Column::new("chars".into(), chars),
            Column::new("text".into(), text),
        ],
    )
    .table(T)
}
