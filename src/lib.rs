//! tifa (提法) finds and measures boilerplate in Chinese official text.
//!
//! A folder of speeches, reports or news transcripts goes in; tables (CSV + Parquet) and charts
//! (PNG) of the slogans, n-grams and co-occurrences that fill them come out. The pipeline is a
//! chain of plain values, one module per stage:
//!
//! ```text
//! ingest   files → Document { meta, raw }            decode, split multi-speech files, dates
//! clean    raw → Cleaned { text, noise_chars }        noise rules, variants, widths, quotes
//! corpus   Corpus { docs, cleaned, chars, sources }   built once; every later stage borrows it
//! segment  text → Segmented                           jieba-rs + lexicon, clause boundaries
//! count    tokens and n-grams → DataFrame             interned ids, polars group-bys
//! slogans  five detectors → Slogans { list, … }       exact substring counts, typed slogans
//! cooccur  slogan pairs per sentence / document       count, pmi, npmi, llr
//! reuse    passages shared by documents              suffix array, boilerplate ratios
//! plot     PNG charts with an embedded CJK font
//! report   CSV + Parquet + run.json, written atomically
//! partial  one shard's clean text, words and counts as Parquet; merged by `tifa merge`
//! keybits  bit tables of n-gram keys added up across shards: what an engine must sum
//! ```
//!
//! `run` holds the options, observer and summary types; `pipeline` runs the stages in order and
//! makes the tables where the report is written.
//!
//! [`analyze`] runs it all; [`reuse_only`] and [`document_reuse`] run the reuse detector alone.

pub mod clean;
pub mod cooccur;
pub mod corpus;
pub mod count;
pub mod error;
pub mod evaluate;
pub mod families;
pub mod frame;
pub mod graphml;
pub mod html;
pub mod ingest;
pub mod keybits;
pub mod keyness;
pub mod kwic;
pub mod partial;
pub mod plot;
pub mod report;
pub mod resources;
pub mod reuse;
pub mod run;
pub mod segment;
pub mod slogans;
pub mod suffix;
pub mod trends;

mod page;
mod pipeline;
#[cfg(test)]
mod testgen;

pub use error::{Error, Result};
pub use kwic::KwicHit;
pub use pipeline::{
    AskDone, AskFrom, FINISHED, Measured, PHRASES, RangeDone, STATS, SharedRows, Sums, TOTALS, analyze,
    analyze_partial, ask, document_reuse, finish_measured, kwic, measure_strings, merge, phrases_of_range,
    read_finished, read_measured, read_phrases, read_proposals, reuse_only, shared_ngrams,
};
pub use reuse::{AlignedPassage, Alignment, DocumentReuse, Piece, SharedPassage};
pub use run::{Counts, Observer, Options, Period, Silent, SloganSums, Summary};
