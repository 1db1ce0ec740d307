//! Command-line interface: clap types, converted once into the library's `Options`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// tifa (提法) finds and measures boilerplate in Chinese official text: slogans, n-grams and
/// their co-occurrence, as CSV + Parquet tables and PNG charts.
#[derive(Debug, Parser)]
#[command(name = "tifa", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse files and folders of Chinese text and write tables and charts.
    ///
    /// Folders are read recursively (.txt, .md); text may be UTF-8, UTF-16 with BOM, GB18030/GBK
    /// or Big5. Files that cannot be decoded are named on stderr and skipped.
    #[command(after_help = "Exit status: 0 when the reports were written (skipped files are listed on stderr \
                            and in run.json); 2 on a usage error, a missing input, or when no document could be read.")]
    Analyze(AnalyzeArgs),

    /// Find passages that documents share (copied text) and how much of each document they
    /// cover, without the rest of the analysis; or, with --show, list one document's shared
    /// passages.
    Reuse(ReuseCommandArgs),

    /// Compare a run's slogans.parquet with a hand-made list of slogans: recall on the slogans
    /// that recur, precision in the top 50 and 100 rows.
    ///
    /// The list has sections [recurring], [once] and [not]; one slogan per line, spellings
    /// separated by |. See data/eval/sample-slogans.txt.
    Evaluate(EvaluateArgs),
}

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// The labelled list.
    #[arg(long, value_name = "FILE")]
    pub labels: PathBuf,

    /// The report folder of a `tifa analyze` run.
    #[arg(value_name = "DIR", default_value = "reports")]
    pub report: PathBuf,

    /// Cut-offs for precision.
    #[arg(long, value_name = "K", value_delimiter = ',', default_value = "50,100")]
    pub top: Vec<usize>,

    /// Also list the missed, wrong and unlabelled slogans.
    #[arg(short, long)]
    pub verbose: bool,
}

/// Options every command that reads a corpus shares.
#[derive(Debug, Args)]
pub struct CorpusArgs {
    /// Files or folders to analyse.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Folder for the reports (created if missing).
    #[arg(short, long, value_name = "DIR", default_value = "reports")]
    pub output: PathBuf,

    /// Also write DIR/clean/<doc_id>.txt: exactly the text that was counted.
    #[arg(long)]
    pub emit_clean: bool,

    /// Read rules, lexicon and stopwords from this folder (same layout as the repository's
    /// data/) instead of the copy built into tifa.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,

    /// Draw charts with this TrueType/OpenType font instead of the embedded Noto Sans SC subset.
    #[arg(long, value_name = "FILE")]
    pub font: Option<PathBuf>,

    /// Bars in the bar charts.
    #[arg(long, value_name = "N", default_value_t = 25, value_parser = clap::value_parser!(u64).range(1..=200))]
    pub chart_rows: u64,

    /// Rows of the heatmaps.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u64).range(2..=60))]
    pub heatmap_rows: u64,

    /// Start CSV files with a UTF-8 byte-order mark so that Excel reads them correctly.
    #[arg(long)]
    pub bom: bool,

    /// Worker threads (default: all cores). Results are the same for any number.
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub threads: Option<u64>,

    /// No progress bar and no summary line.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Options of the reuse detector.
#[derive(Debug, Args)]
pub struct ReuseArgs {
    /// Shortest shared passage, in characters.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u64).range(2..))]
    pub min_chars: u64,

    /// Documents a passage must be in to count as corpus-wide boilerplate (common_ratio).
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u64).range(2..))]
    pub common_docs: u64,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub corpus: CorpusArgs,

    #[command(flatten)]
    pub reuse: ReuseArgs,

    /// Skip the search for shared passages (no reuse tables, no boilerplate ratios).
    #[arg(long)]
    pub no_reuse: bool,

    /// Report n-grams, quoted phrases, formulas and series seen at least this many times.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..))]
    pub min_count: u64,

    /// Report a discovered phrase or unquoted formula found in at least this many documents.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..))]
    pub min_docs: u64,

    /// Report at most this many phrases (slogans only the phrase detector found), the most
    /// frequent.
    #[arg(long, value_name = "N", default_value_t = 5000)]
    pub max_phrases: usize,

    /// Slogans (found in the most documents) whose pairs go into cooccurrence.csv.
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u64).range(2..=2000))]
    pub cooccur_top: u64,
}

#[derive(Debug, Args)]
pub struct ReuseCommandArgs {
    #[command(flatten)]
    pub corpus: CorpusArgs,

    #[command(flatten)]
    pub reuse: ReuseArgs,

    /// Instead of writing reports, list the passages of this document (a doc_id, as in
    /// documents.csv) that other documents also have, and which documents those are.
    #[arg(long, value_name = "DOC_ID")]
    pub show: Option<String>,
}

impl CorpusArgs {
    /// The library's options for these arguments, with every other setting at its default.
    pub fn to_options(&self, reuse: &ReuseArgs) -> tifa::Options {
        tifa::Options {
            inputs: self.inputs.clone(),
            output: self.output.clone(),
            emit_clean: self.emit_clean,
            data_dir: self.data.clone(),
            font: self.font.clone(),
            chart_rows: self.chart_rows as usize,
            heatmap_rows: self.heatmap_rows as usize,
            csv_bom: self.bom,
            threads: self.threads.map(|n| n as usize),
            min_chars: reuse.min_chars as usize,
            common_docs: reuse.common_docs as usize,
            ..tifa::Options::default()
        }
    }
}

impl AnalyzeArgs {
    /// The library's options for these arguments.
    pub fn to_options(&self) -> tifa::Options {
        tifa::Options {
            min_count: self.min_count,
            min_docs: self.min_docs,
            max_phrases: self.max_phrases,
            cooccur_top: self.cooccur_top as usize,
            reuse: !self.no_reuse,
            ..self.corpus.to_options(&self.reuse)
        }
    }
}
