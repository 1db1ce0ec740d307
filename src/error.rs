//! Typed errors of the tifa library; the binary adds context and prints them.

use std::path::PathBuf;

/// Everything that can stop an analysis. Problems with single input files are not errors:
/// they are reported as [`crate::ingest::Skipped`] and the run goes on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no input found: {0}")]
    NoInput(PathBuf),
    #[error("no documents to analyse: every input file was skipped or empty")]
    NoDocuments,
    #[error("invalid rule in {file} line {line}: {message}")]
    Rule { file: String, line: usize, message: String },
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("table {table}: {source}")]
    Table { table: &'static str, source: polars::error::PolarsError },
    #[error("chart {chart}: {message}")]
    Plot { chart: &'static str, message: String },
    #[error("invalid font {0}: not a TrueType/OpenType font")]
    Font(String),
    #[error("--group-by {0}: no document has that column (use period, date, source, title or a metadata column)")]
    GroupBy(String),
    #[error("no document {0:?} in the inputs (see documents.csv for ids)")]
    UnknownDocument(String),
    #[error("{} is not a tifa partial: {message}", dir.display())]
    Partial { dir: PathBuf, message: String },
    #[error("corrupt partial: {0}")]
    CorruptPartial(String),
    #[error("the partials do not fit together: {0}")]
    Partials(String),
    #[error("--sums {}: {message}", dir.display())]
    Sums { dir: PathBuf, message: String },
    #[error("range {range} is not one of the {ranges} ranges of first characters (0 to {})", ranges.saturating_sub(1))]
    PhraseRange { range: usize, ranges: usize },
    #[error("the finished measures lack {} strings the slogan decisions ask about ({}{}); measure them with `tifa measure --strings`, finish, and merge again", missing.len(), missing.first().map_or("", String::as_str), if missing.len() > 1 { ", …" } else { "" })]
    Unmeasured { missing: Vec<String> },
    #[error("--explain needs an index of the whole corpus; it cannot go with --phrases")]
    ExplainWithoutIndex,
    #[error("phrase tables {}: {message}", dir.display())]
    Phrases { dir: PathBuf, message: String },
    #[error("metadata {}: {message}", path.display())]
    Metadata { path: PathBuf, message: String },
    #[error("labelled slogans, line {line}: {message}")]
    Labels { line: usize, message: String },
    #[error("thread pool: {0}")]
    ThreadPool(String),
    #[error("run.json: {0}")]
    Json(#[from] serde_json::Error),
    #[error("internal error in {stage}: {message}")]
    Internal { stage: &'static str, message: String },
    #[error(
        "{} is not empty and holds no tifa report (it has {example}); choose another --output or add --force to write into it",
        dir.display()
    )]
    NotReportDir { dir: PathBuf, example: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Attach a table name to a polars error.
pub(crate) trait TableContext<T> {
    fn table(self, table: &'static str) -> Result<T>;
}

impl<T> TableContext<T> for polars::error::PolarsResult<T> {
    fn table(self, table: &'static str) -> Result<T> {
        self.map_err(|source| Error::Table { table, source })
    }
}
