//! Command-line interface: clap types, converted once into the library's `Options`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// The exit statuses of commands that write reports.
const EXIT_STATUS: &str = "Exit status: 0 when the reports were written (skipped inputs are named on stderr and \
listed in run.json); 1 when --strict is given and some input was skipped (the reports are still written); \
2 on a usage error, a missing input, an output folder that is not a report (see --force), or when no \
document could be read.";

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
    /// Folders are read recursively (.txt, .md, .html, .docx and .pdf files, one or more documents
    /// each; .jsonl files, one document per line; a .csv named on the command line, one document per
    /// row); text may be UTF-8, UTF-16 with BOM, GB18030/GBK or Big5. PDFs are read with poppler's
    /// pdftotext. Hard-wrapped lines are joined back and invisible characters removed. Files and lines that cannot be read are named on
    /// stderr and skipped. A metadata.csv in an input folder is joined to the documents.
    #[command(after_help = EXIT_STATUS)]
    Analyze(AnalyzeArgs),

    /// Find passages that documents share (copied text, exact and lightly edited) and how much
    /// of each document they cover, without the rest of the analysis; or, with --show, list one
    /// document's shared and aligned passages.
    #[command(after_help = EXIT_STATUS)]
    Reuse(ReuseCommandArgs),

    /// Combine partials written by `tifa analyze --partial` (one per shard of a corpus) into the
    /// reports one `tifa analyze` over all the shards' inputs writes.
    ///
    /// Token and n-gram counts are added up; slogans, trends, keyness, co-occurrence and reuse are
    /// found on the shards' clean text and words, so nothing is read or cut into words twice.
    #[command(after_help = EXIT_STATUS)]
    Merge(MergeArgs),

    /// Keep the rows of a partial's n-gram table that an engine must add up (a step of
    /// spark/tifa_spark.py).
    ///
    /// Kept are the rows counted twice or more in the shard, and those another shard may also
    /// have, by the n-gram key tables (ngram_keys.bits) of every shard added up. The rest are
    /// n-grams seen once in the whole corpus, which no report keeps at --min-count 2 or more.
    SharedNgrams(SharedNgramsArgs),

    /// Add up the shards' tables of n-gram keys (ngram_keys.bits) or of reuse's windows
    /// (reuse_windows.bits) into one (a step of spark/tifa_spark.py).
    ///
    /// A bit is seen twice in the sum when a table says so or two tables saw it; a smaller table
    /// counts as copies of itself side by side. Tables of different kinds are refused.
    AddTables(AddTablesArgs),

    /// Find the whole corpus's phrases whose first character falls in one range, over the
    /// partials of all its shards (a range task of slogans in two passes).
    ///
    /// The corpus's characters are cut into --ranges ranges of about as many suffixes each; this
    /// task indexes only the suffixes that begin in range --range, so it holds the corpus's
    /// characters (2 bytes each) but not its whole suffix array. The tables of every range of
    /// one cut together are the phrases one `tifa analyze` over all the inputs finds.
    Phrases(PhrasesArgs),

    /// Measure the strings the slogan decisions ask about in one shard (a measuring task of
    /// slogans in two passes).
    ///
    /// Writes each string's statistics in the shard (occurrences, documents, neighbour
    /// characters, set-phrase usage, years, the counts of its parts) as rows that add up across
    /// shards by text, stat and key, and the shard's totals.
    Measure(MeasureArgs),

    /// Add up the measuring tasks' statistics and finish each string's into the few numbers the
    /// slogan decisions read (a step of slogans in two passes).
    ///
    /// Writes finished.parquet (one row a string: its freedom, set-phrase usage, cohesion,
    /// eras, whether it is ever listed) and the totals they were finished in.
    Finish(FinishArgs),

    /// Learn which strings the slogan decisions still need measured (a step of slogans in two
    /// passes, between the measuring rounds).
    ///
    /// Joins what the partials' documents propose with the range tasks' phrases, asks the
    /// finished measures of the rounds so far everything the decisions ask about, and writes the
    /// strings they lack into FILE, one a line, for `tifa measure --strings`. An empty FILE means
    /// the measures hold every answer: `tifa merge --phrases … --finished …` then decides one
    /// run's slogans.
    Ask(AskArgs),

    /// Show every occurrence of a phrase in the clean text with its context, document and date.
    /// The occurrences are the ones slogans.csv and trends.csv count.
    Kwic(KwicArgs),

    /// Compare a run's slogans.parquet with a hand-made list of slogans: recall on the slogans
    /// that recur, precision in the top 50 and 100 rows.
    ///
    /// The list has sections [recurring], [once] and [not]; one slogan per line, spellings
    /// separated by |. See data/eval/sample-slogans.txt.
    Evaluate(EvaluateArgs),
}

/// What every task command (`shared-ngrams`, `phrases`, `measure`, `finish`) takes besides its
/// inputs and output.
#[derive(Debug, Args)]
pub struct TaskFlags {
    /// Write into the output folder even if it holds files that are not tifa's.
    #[arg(long)]
    pub force: bool,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct SharedNgramsArgs {
    /// A partial folder written by `tifa analyze --partial`.
    #[arg(value_name = "PARTIAL")]
    pub partial: PathBuf,

    /// The n-gram key tables of every shard of the corpus added up, in the layout of a
    /// partial's ngram_keys.bits (spark/tifa_spark.py adds them up).
    #[arg(long, value_name = "FILE")]
    pub keys: PathBuf,

    /// Folder for ngrams.parquet (key, tokens, count, doc_count: the rows kept) and run.json.
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,

    #[command(flatten)]
    pub flags: TaskFlags,
}

#[derive(Debug, Args)]
pub struct PhrasesArgs {
    /// The partial folders of every shard of the corpus, written by `tifa analyze --partial`.
    #[arg(required = true, value_name = "PARTIAL")]
    pub partials: Vec<PathBuf>,

    /// Which range of first characters to index, from 0.
    #[arg(long, value_name = "K")]
    pub range: usize,

    /// How many ranges the corpus's first characters are cut into.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub ranges: u64,

    /// Find phrases in at least this many documents (as `analyze --min-docs`).
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..))]
    pub min_docs: u64,

    /// Folder for phrases.parquet (text, occurrences, docs, sources, left_entropy,
    /// right_entropy, framed, listed, set_parallel, set_principle, set_framed) and run.json.
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,

    #[command(flatten)]
    pub flags: TaskFlags,
}

#[derive(Debug, Args)]
pub struct MeasureArgs {
    /// A partial folder written by `tifa analyze --partial`.
    #[arg(value_name = "PARTIAL")]
    pub partial: PathBuf,

    /// The strings to measure, one a line (UTF-8).
    #[arg(long, value_name = "FILE")]
    pub strings: PathBuf,

    /// Folder for stats.parquet (text, stat, key, count), totals.parquet (stat, key, count)
    /// and run.json.
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,

    #[command(flatten)]
    pub flags: TaskFlags,
}

#[derive(Debug, Args)]
pub struct FinishArgs {
    /// Folders written by `tifa measure`, one a shard (or folders of rows already summed, each
    /// with stats.parquet and totals.parquet).
    #[arg(required = true, value_name = "MEASURED")]
    pub measured: Vec<PathBuf>,

    /// Folder for finished.parquet, totals.parquet and run.json.
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,

    #[command(flatten)]
    pub flags: TaskFlags,
}

#[derive(Debug, Args)]
pub struct AskArgs {
    /// The partial folders of every shard of the corpus, written by `tifa analyze --partial`.
    #[arg(required = true, value_name = "PARTIAL")]
    pub partials: Vec<PathBuf>,

    /// The phrases of every range task (`tifa phrases` folders).
    #[arg(long, value_name = "DIR", num_args = 1.., required = true)]
    pub phrases: Vec<PathBuf>,

    /// The finished measures of the rounds so far (`tifa finish` folders); none in the first.
    #[arg(long, value_name = "DIR", num_args = 1..)]
    pub finished: Vec<PathBuf>,

    /// File for the strings the finished measures lack, one a line (empty when none).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,

    /// The data files the shards were made with (as `merge --data`).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,

    #[command(flatten)]
    pub slogans: SloganArgs,

    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct AddTablesArgs {
    /// The tables, in the layout of a partial's ngram_keys.bits (src/keybits.rs).
    #[arg(required = true, value_name = "TABLE")]
    pub tables: Vec<PathBuf>,

    /// The file of the sum (replaced whole).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
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

    /// The data folder the run used (for its lexicon: recall is also given on the labels that
    /// are no entry of it); the built-in data/ by default.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
}

/// Options every command that reads a corpus shares.
#[derive(Debug, Args)]
pub struct CorpusArgs {
    /// Files or folders to analyse.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    #[command(flatten)]
    pub report: ReportArgs,

    #[command(flatten)]
    pub read: ReadArgs,
}

/// How documents are read: every command that reads a corpus takes these.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// A CSV of metadata joined to the documents by its doc_id, file, source, path or filename
    /// column (a metadata.csv inside an input folder is read without asking).
    #[arg(long, value_name = "FILE")]
    pub metadata: Option<PathBuf>,

    /// The text column of JSON Lines (.jsonl) and CSV corpora.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_column: String,

    /// The date column of JSON Lines and CSV corpora.
    #[arg(long, value_name = "NAME", default_value = "date")]
    pub date_column: String,

    /// Skip documents longer than this many characters (with a message) instead of risking
    /// running out of memory.
    #[arg(long, value_name = "N", default_value_t = 10_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_doc_chars: u64,

    /// Count documents in traditional characters as they are written, instead of folding them
    /// to simplified characters first (the `script` column says which documents are traditional).
    #[arg(long)]
    pub keep_traditional: bool,
}

/// Options of every command that writes reports.
#[derive(Debug, Args)]
pub struct ReportArgs {
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

    /// Write CSV text cells exactly as they are. By default a cell that begins with = + - @ (or a
    /// tab or carriage return) gets a leading ' so that spreadsheets do not run it as a formula;
    /// the Parquet files always hold the exact text.
    #[arg(long)]
    pub csv_raw: bool,

    /// Write into the output folder even if it holds files that are not a tifa report.
    #[arg(long)]
    pub force: bool,

    /// Exit with status 1 when any input was skipped (the reports are still written).
    #[arg(long)]
    pub strict: bool,

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

    /// Shortest near-copy (aligned passage), in characters of its longer side; half of it next to
    /// a longer one of the same two documents.
    #[arg(long, value_name = "N", default_value_t = 40, value_parser = clap::value_parser!(u64).range(2..))]
    pub align_min_chars: u64,

    /// Least similarity of a near-copy: the share of its longer side's characters that the other
    /// side has in the same order (0 to 1).
    #[arg(long, value_name = "F", default_value_t = 0.75, value_parser = unit_interval)]
    pub align_min_similarity: f64,
}

/// A share: a number from 0 to 1.
fn unit_interval(s: &str) -> Result<f64, String> {
    number_in(s, 0.0, 1.0)
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub corpus: CorpusArgs,

    #[command(flatten)]
    pub reuse: ReuseArgs,

    #[command(flatten)]
    pub analysis: AnalysisArgs,

    /// Instead of reports, write this shard's clean text, words and token and n-gram counts as
    /// Parquet into DIR, for `tifa merge` (the analysis options then go to merge).
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    pub partial: Option<PathBuf>,

    /// With --partial: how many shards the corpus is cut into. It sizes the partial's tables
    /// for the whole corpus: of n-gram keys (ngram_keys.bits), which `tifa shared-ngrams` reads
    /// once every shard's table is added up, and of reuse's windows (reuse_windows.bits, not
    /// written with --no-reuse), which `tifa merge --windows` reads added up.
    #[arg(long, value_name = "N", default_value_t = 1, requires = "partial", value_parser = clap::value_parser!(u64).range(1..))]
    pub shards: u64,
}

/// Combine partials written by `tifa analyze --partial` into the reports of one run.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Partial folders, one per shard of the corpus.
    #[arg(required = true, value_name = "PARTIAL")]
    pub partials: Vec<PathBuf>,

    /// Read the token and n-gram counts of these partials already added up, from DIR's
    /// tokens.parquet (token, count, doc_count, stopword) and ngrams.parquet (tokens, count,
    /// doc_count; or key, count, doc_count, the words then read from the partials), each a file
    /// or a folder of Parquet files as Spark writes them (spark/tifa_spark.py makes them),
    /// instead of adding up each partial's own.
    #[arg(long, value_name = "DIR")]
    pub sums: Option<PathBuf>,

    /// With --sums of n-grams by key: take each summed key's words from these folders'
    /// ngrams.parquet (key, tokens, count, doc_count: every row of every summed key, as `tifa
    /// shared-ngrams` writes them, one folder per partial) instead of the partials' own n-gram
    /// tables.
    #[arg(long, value_name = "DIR", num_args = 1.., requires = "sums")]
    pub words: Vec<PathBuf>,

    /// With --sums: the partials' reuse window tables (reuse_windows.bits) added up into FILE,
    /// from which reuse takes the windows two documents may share instead of hashing every
    /// window of the corpus again (the same reports; not used with --min-chars below 10).
    #[arg(long, value_name = "FILE", requires = "sums")]
    pub windows: Option<PathBuf>,

    /// Decide the slogans from files of slogans in two passes instead of an index of the whole
    /// corpus: the phrases of every range task (`tifa phrases` folders; with --finished). What
    /// the documents propose is read from the partials, and their words are not read.
    #[arg(long, value_name = "DIR", num_args = 1.., requires = "finished")]
    pub phrases: Vec<PathBuf>,

    /// With --phrases: the finished measures (`tifa finish` folders) of every string the slogan
    /// decisions ask about. When they lack some, the merge stops and names them (see --asked).
    #[arg(long, value_name = "DIR", num_args = 1.., requires = "phrases")]
    pub finished: Vec<PathBuf>,

    /// With --phrases: write the strings the decisions asked about that --finished lacks into
    /// FILE, one a line, for `tifa measure --strings` (the next round).
    #[arg(long, value_name = "FILE", requires = "phrases")]
    pub asked: Option<PathBuf>,

    #[command(flatten)]
    pub report: ReportArgs,

    #[command(flatten)]
    pub reuse: ReuseArgs,

    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

/// What slogan discovery keeps (`--min-count` counts for n-grams too), for analyze, merge and
/// ask.
#[derive(Debug, Args)]
pub struct SloganArgs {
    /// Report n-grams, quoted phrases, formulas and series seen at least this many times.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..))]
    pub min_count: u64,

    /// Report a discovered phrase or unquoted formula found in at least this many documents.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..))]
    pub min_docs: u64,

    /// Report at most this many phrases (slogans only the phrase detector found), the most
    /// frequent, and beyond them a fifth as many again of those used as principles (free only
    /// after a principle verb or before 的 and a frame noun).
    #[arg(long, value_name = "N", default_value_t = 5000)]
    pub max_phrases: usize,

    /// Report at most this many set phrases (short formulations of 4–7 characters in one or
    /// two words, told from ordinary words by how the corpus uses them), the best by set score.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_set_phrases: usize,

    /// Phrases to follow in slogans and trends whether or not they are found, comma-separated
    /// (两个确立,新质生产力).
    #[arg(long, value_name = "PHRASES", value_delimiter = ',')]
    pub track: Vec<String>,
}

impl SloganArgs {
    /// The settings of slogan discovery.
    pub fn settings(&self) -> tifa::slogans::Settings {
        tifa::slogans::Settings {
            min_count: self.min_count,
            min_docs: self.min_docs,
            max_phrases: self.max_phrases,
            max_set_phrases: self.max_set_phrases,
            ..Default::default()
        }
    }

    /// The tracked phrases, trimmed, without empty ones.
    pub fn track(&self) -> Vec<String> {
        self.track.iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect()
    }
}

/// Options of the analysis after reading and cleaning.
#[derive(Debug, Args)]
pub struct AnalysisArgs {
    /// Skip the search for shared passages (no reuse tables, no boilerplate ratios).
    #[arg(long)]
    pub no_reuse: bool,

    #[command(flatten)]
    pub slogans: SloganArgs,

    /// Slogans (found in the most documents) whose pairs go into cooccurrence.csv.
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u64).range(2..=2000))]
    pub cooccur_top: u64,

    /// Least npmi of an edge in cooccurrence_network.png (pairs must also share two sentences).
    #[arg(long, value_name = "X", default_value_t = 0.3, value_parser = npmi_threshold)]
    pub network_min_npmi: f64,

    /// Most slogans drawn in cooccurrence_network.png (the most frequent with an edge).
    #[arg(long, value_name = "N", default_value_t = 40, value_parser = clap::value_parser!(u64).range(2..=200))]
    pub network_nodes: u64,

    /// Periods of trends.csv and trends.png.
    #[arg(long, value_enum, default_value_t = PeriodArg::Year)]
    pub period: PeriodArg,

    /// Say on standard output why each of these phrases is or is not reported as a slogan,
    /// comma-separated (营商环境,为人民服务): its counts, neighbours, cohesion, words,
    /// set-phrase usage, the longer string it always goes on as (if any), the detectors that
    /// proposed it and whose evidence held, and the step that kept or dropped it. The report is
    /// the same with or without it.
    #[arg(long, value_name = "PHRASES", value_delimiter = ',')]
    pub explain: Vec<String>,

    /// Compare groups of documents (a metadata column such as kind or province, or period,
    /// source, date): keyness.csv and keyness.png.
    #[arg(long, value_name = "COLUMN")]
    pub group_by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PeriodArg {
    Year,
    Month,
    Day,
}

#[derive(Debug, Args)]
pub struct KwicArgs {
    /// The phrase to find; several spellings are separated by | (学思想、强党性|学思想，强党性).
    /// Each is normalised as the text is, so an obfuscated spelling finds the plain one.
    #[arg(value_name = "PHRASE")]
    pub phrase: String,

    /// Files or folders to search.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Characters of context on each side.
    #[arg(short, long, value_name = "N", default_value_t = 20)]
    pub width: usize,

    /// text: aligned lines and a total; csv: doc_id, date, left, match, right.
    #[arg(long, value_enum, default_value_t = KwicFormat::Text)]
    pub format: KwicFormat,

    /// CSV cells exactly as they are (by default a cell beginning with = + - @ gets a leading ').
    #[arg(long)]
    pub csv_raw: bool,

    /// Read rules, lexicon and stopwords from this folder instead of the built-in data/.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,

    #[command(flatten)]
    pub read: ReadArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KwicFormat {
    Text,
    Csv,
}

impl KwicArgs {
    pub fn to_options(&self) -> tifa::Options {
        tifa::Options {
            inputs: self.inputs.clone(),
            data_dir: self.data.clone(),
            ..self.read.apply(tifa::Options::default())
        }
    }
}

#[derive(Debug, Args)]
pub struct ReuseCommandArgs {
    #[command(flatten)]
    pub corpus: CorpusArgs,

    #[command(flatten)]
    pub reuse: ReuseArgs,

    /// Instead of writing reports, list the passages of this document (a doc_id, as in
    /// documents.csv) that other documents also have, and which documents those are; then its
    /// aligned passages, each with the other document's text beneath and the differences marked.
    #[arg(long, value_name = "DOC_ID")]
    pub show: Option<String>,
}

impl CorpusArgs {
    /// The library's options for these arguments, with every other setting at its default.
    pub fn to_options(&self, reuse: &ReuseArgs) -> tifa::Options {
        tifa::Options { inputs: self.inputs.clone(), ..self.read.apply(self.report.to_options(reuse)) }
    }
}

impl ReadArgs {
    /// `base` with these reading settings.
    pub fn apply(&self, base: tifa::Options) -> tifa::Options {
        tifa::Options {
            metadata: self.metadata.clone(),
            text_column: self.text_column.clone(),
            date_column: self.date_column.clone(),
            max_doc_chars: self.max_doc_chars as usize,
            fold_traditional: !self.keep_traditional,
            ..base
        }
    }
}

impl ReportArgs {
    /// The library's options for these arguments, with every other setting at its default.
    pub fn to_options(&self, reuse: &ReuseArgs) -> tifa::Options {
        tifa::Options {
            output: self.output.clone(),
            emit_clean: self.emit_clean,
            data_dir: self.data.clone(),
            font: self.font.clone(),
            chart_rows: self.chart_rows as usize,
            heatmap_rows: self.heatmap_rows as usize,
            csv_bom: self.bom,
            csv_raw: self.csv_raw,
            force: self.force,
            threads: self.threads.map(|n| n as usize),
            min_chars: reuse.min_chars as usize,
            common_docs: reuse.common_docs as usize,
            align_min_chars: reuse.align_min_chars as usize,
            align_min_similarity: reuse.align_min_similarity,
            ..tifa::Options::default()
        }
    }
}

impl AnalyzeArgs {
    /// The library's options for these arguments.
    pub fn to_options(&self) -> tifa::Options {
        let mut opts = self.analysis.apply(self.corpus.to_options(&self.reuse));
        if let Some(dir) = &self.partial {
            opts.output = dir.clone();
        }
        opts
    }
}

impl MergeArgs {
    /// The library's options for these arguments (`inputs` are the partial folders).
    pub fn to_options(&self) -> tifa::Options {
        let slogan_sums = (!self.phrases.is_empty()).then(|| tifa::SloganSums {
            phrases: self.phrases.clone(),
            finished: self.finished.clone(),
            asked: self.asked.clone(),
        });
        tifa::Options {
            inputs: self.partials.clone(),
            slogan_sums,
            ..self.analysis.apply(self.report.to_options(&self.reuse))
        }
    }
}

impl AnalysisArgs {
    /// `base` with these analysis settings.
    pub fn apply(&self, base: tifa::Options) -> tifa::Options {
        tifa::Options {
            min_count: self.slogans.min_count,
            min_docs: self.slogans.min_docs,
            max_phrases: self.slogans.max_phrases,
            max_set_phrases: self.slogans.max_set_phrases,
            cooccur_top: self.cooccur_top as usize,
            network_min_npmi: self.network_min_npmi,
            network_nodes: self.network_nodes as usize,
            reuse: !self.no_reuse,
            period: match self.period {
                PeriodArg::Year => tifa::Period::Year,
                PeriodArg::Month => tifa::Period::Month,
                PeriodArg::Day => tifa::Period::Day,
            },
            track: self.slogans.track(),
            explain: self.explain.iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect(),
            group_by: self.group_by.clone(),
            ..base
        }
    }
}

/// An npmi threshold: a number from -1 to 1.
fn npmi_threshold(s: &str) -> Result<f64, String> {
    number_in(s, -1.0, 1.0)
}

fn number_in(s: &str, lo: f64, hi: f64) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (lo..=hi).contains(&x) => Ok(x),
        _ => Err(format!("{s} is not a number from {lo} to {hi}")),
    }
}
