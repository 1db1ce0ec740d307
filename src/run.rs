//! What a run is told and what it tells back: the options, the progress observer, the summary,
//! the counts and stage timings that go into `run.json`.

use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::ingest::Skipped;
use crate::reuse::{AlignOptions, ReuseOptions};
pub use crate::trends::Period;

/// Everything `analyze` needs to know, checked once.
#[derive(Debug, Clone, Serialize)]
pub struct Options {
    /// Files and folders to read (folders recursively: the extensions in [`crate::ingest::EXTENSIONS`]).
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
    /// Most set phrases (short formulations of one or two words) in the slogans table.
    pub max_set_phrases: usize,
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
    /// Near-copies: the shortest aligned passage (characters of its longer side) and the least
    /// share of it matched.
    pub align_min_chars: usize,
    pub align_min_similarity: f64,
    /// A metadata table to join to the documents (a `metadata.csv` in an input folder is read too).
    pub metadata: Option<PathBuf>,
    /// Columns of JSON Lines and CSV corpora.
    pub text_column: String,
    pub date_column: String,
    /// How dates are grouped in `trends`.
    pub period: Period,
    /// Phrases to follow in `slogans` and `trends` whether or not they are found.
    pub track: Vec<String>,
    /// Phrases whose fate in slogan discovery is explained (see [`crate::slogans::explain`]).
    pub explain: Vec<String>,
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
    /// Fold documents in traditional characters to simplified ones before anything is counted.
    pub fold_traditional: bool,
    /// Worker threads (None: all cores).
    pub threads: Option<usize>,
    /// Slogans decided from files of slogans in two passes instead of an index of the whole
    /// corpus (`merge --phrases --finished`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slogan_sums: Option<SloganSums>,
}

/// The files a merge decides slogans from without an index of the whole corpus: the range
/// tasks' phrases (`tifa phrases`) and the finished measures (`tifa finish`) of every string
/// the decisions ask about.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SloganSums {
    pub phrases: Vec<PathBuf>,
    pub finished: Vec<PathBuf>,
    /// Where to write the strings the decisions asked about that the finished measures lack.
    pub asked: Option<PathBuf>,
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
            max_set_phrases: 1000,
            chart_rows: 25,
            heatmap_rows: 20,
            cooccur_top: 100,
            reuse: true,
            min_chars: 20,
            common_docs: 3,
            align_min_chars: AlignOptions::default().min_chars,
            align_min_similarity: AlignOptions::default().min_similarity,
            metadata: None,
            text_column: "text".into(),
            date_column: "date".into(),
            period: Period::Year,
            track: Vec::new(),
            explain: Vec::new(),
            group_by: None,
            network_min_npmi: 0.3,
            network_nodes: 40,
            csv_bom: false,
            csv_raw: false,
            force: false,
            max_doc_chars: 10_000_000,
            fold_traditional: true,
            threads: None,
            slogan_sums: None,
        }
    }
}

impl Options {
    /// The reuse detector's settings.
    pub fn reuse_options(&self) -> ReuseOptions {
        let align = AlignOptions {
            min_chars: self.align_min_chars,
            min_similarity: self.align_min_similarity,
            ..Default::default()
        };
        ReuseOptions { min_chars: self.min_chars, common_docs: self.common_docs, align, ..ReuseOptions::default() }
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
    /// Why each phrase of `--explain` is or is not a slogan (printed, not part of run.json).
    #[serde(skip)]
    pub explained: Vec<crate::slogans::explain::Explanation>,
}

impl Summary {
    /// A finished run's summary, before anything is explained.
    pub fn new(counts: Counts, skipped: Vec<Skipped>, seconds: f64, output: PathBuf, written: Vec<String>) -> Summary {
        Summary { counts, skipped, seconds, output, written, explained: Vec::new() }
    }
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
    /// Invisible characters and Unicode spaces between Chinese characters removed.
    pub invisible_chars: u64,
    /// Lines joined to the line before them (hard wraps inside a sentence), and in how many
    /// documents.
    pub joined_lines: u64,
    pub wrapped_documents: usize,
    pub tokens: u64,
    pub distinct_tokens: usize,
    pub ngrams: usize,
    pub slogans: usize,
    pub cooccurrence_pairs: usize,
    pub reuse_passages: usize,
    pub reuse_pairs: usize,
    pub reuse_alignments: usize,
    pub metadata_unmatched: usize,
    pub periods: usize,
    /// Formula families (frames with two or more values).
    pub families: usize,
    pub keyness_rows: usize,
}

impl Counts {
    /// What cleaning repaired, for the summaries: "12 hard-wrapped lines joined in 1 document,
    /// 3 invisible characters removed"; `None` when nothing was.
    pub fn repairs(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.joined_lines > 0 {
            let docs = if self.wrapped_documents == 1 { "document" } else { "documents" };
            parts.push(format!("{} hard-wrapped lines joined in {} {docs}", self.joined_lines, self.wrapped_documents));
        }
        if self.invisible_chars > 0 {
            parts.push(format!("{} invisible characters removed", self.invisible_chars));
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// What a report's `run.json` holds.
#[derive(Serialize)]
pub(crate) struct RunJson<'a> {
    pub tool: &'static str,
    pub version: &'static str,
    pub command: &'static str,
    pub inputs: &'a [PathBuf],
    pub data: &'a str,
    pub options: &'a Options,
    pub counts: &'a Counts,
    pub skipped: &'a [Skipped],
    pub timings_seconds: &'a [(&'static str, f64)],
    pub outputs: &'a [String],
}

/// What a partial's `run.json` holds besides its [`crate::partial::Header`].
#[derive(Serialize)]
pub(crate) struct PartialJson<'a> {
    #[serde(flatten)]
    pub header: &'a crate::partial::Header,
    pub inputs: &'a [PathBuf],
    pub options: &'a Options,
    pub counts: &'a Counts,
    pub timings_seconds: &'a [(&'static str, f64)],
    pub outputs: &'a [String],
}

/// Run `f` on a thread pool of `opts.threads` workers (all cores when unset).
pub(crate) fn in_pool<T: Send>(opts: &Options, f: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = opts.threads {
        pool = pool.num_threads(n);
    }
    let pool = pool.build().map_err(|e| Error::ThreadPool(e.to_string()))?;
    pool.install(f)
}

/// Stage timings of a run, from when it was made.
pub struct Clock {
    started: Instant,
    lap: Instant,
    pub timings: Vec<(&'static str, f64)>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock { started: Instant::now(), lap: Instant::now(), timings: Vec::new() }
    }
}

impl Clock {
    pub fn new() -> Self {
        Clock::default()
    }

    /// The stage `name` ends now.
    pub fn tick(&mut self, name: &'static str) {
        self.timings.push((name, millis(self.lap.elapsed().as_secs_f64())));
        self.lap = Instant::now();
    }

    /// The run ends now: record and return its total seconds.
    pub fn total(&mut self) -> f64 {
        let seconds = self.started.elapsed().as_secs_f64();
        self.timings.push(("total", millis(seconds)));
        seconds
    }
}

fn millis(seconds: f64) -> f64 {
    (seconds * 1000.0).round() / 1000.0
}
