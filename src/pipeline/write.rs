//! The report folder of a run: tables written as each stage makes them, charts and files
//! gathered, and at the end the documents table, `index.html` and `run.json`, committed at once.

use polars::prelude::*;

use super::Run;
use crate::error::Result;
use crate::report::{CsvStyle, ReportDir};
use crate::reuse::Reuse;
use crate::run::{Counts, Options, RunJson, Summary};
use crate::{html, page, plot};

/// The order tables are listed in (`run.json`, `index.html`), whenever each was written.
const TABLE_ORDER: [&str; 12] = [
    "documents",
    "tokens",
    "ngrams",
    "slogans",
    "cooccurrence",
    "trends",
    "families",
    "keyness",
    "noise",
    "reuse_passages",
    "reuse_pairs",
    "reuse_alignments",
];

/// A table's place in [`TABLE_ORDER`]; other files come after the tables, in the order written.
fn listed_at(file: &str) -> usize {
    let stem = file.strip_suffix(".csv").or_else(|| file.strip_suffix(".parquet"));
    stem.and_then(|t| TABLE_ORDER.iter().position(|n| *n == t)).unwrap_or(TABLE_ORDER.len())
}

/// The report folder being written, and what the stages gathered for the end of the run.
pub(super) struct Report {
    dir: ReportDir,
    /// A preview of each table written, for `index.html`.
    previews: Vec<html::TablePreview>,
    pngs: Vec<(&'static str, Vec<u8>)>,
    files: Vec<(&'static str, Vec<u8>)>,
    /// Slogans in context, for `index.html`.
    pub examples: Vec<html::SloganExamples>,
    /// Near-copies side by side, for `index.html`.
    pub near_copies: Vec<html::NearCopy>,
    /// The largest formula families, for the index page.
    pub families: Vec<html::Family>,
    /// Tokens of each document (the `tokens` column of `documents`), when counted.
    pub doc_tokens: Option<Vec<u64>>,
}

impl Report {
    /// Start the report folder of `opts.output` (staged: nothing is in place before [`Report::close`]).
    pub(super) fn create(opts: &Options) -> Result<Self> {
        let csv = CsvStyle { bom: opts.csv_bom, raw: opts.csv_raw };
        Ok(Report {
            dir: ReportDir::create(&opts.output, csv, opts.force)?,
            previews: Vec::new(),
            pngs: Vec::new(),
            files: Vec::new(),
            examples: Vec::new(),
            near_copies: Vec::new(),
            families: Vec::new(),
            doc_tokens: None,
        })
    }

    /// Write `df` now (CSV and Parquet), so that the memory it holds can go.
    pub(super) fn table(&mut self, name: &'static str, mut df: DataFrame) -> Result<()> {
        self.previews.push(html::TablePreview::of(name, &df, html::PREVIEW_ROWS));
        self.dir.table(name, &mut df)
    }

    /// Write a table made a slice at a time (see [`ReportDir::table_in_slices`]), previewed by
    /// its first rows; returns its rows.
    pub(super) fn table_in_slices(
        &mut self,
        name: &'static str,
        empty: &DataFrame,
        make: impl FnOnce(&mut dyn FnMut(DataFrame) -> Result<()>) -> Result<()>,
    ) -> Result<usize> {
        let mut preview: Option<html::TablePreview> = None;
        let mut rows = 0;
        self.dir.table_in_slices(name, empty, |write| {
            make(&mut |slice: DataFrame| {
                rows += slice.height();
                preview.get_or_insert_with(|| html::TablePreview::of(name, &slice, html::PREVIEW_ROWS));
                write(slice)
            })
        })?;
        let preview = preview.unwrap_or_else(|| html::TablePreview::of(name, empty, html::PREVIEW_ROWS));
        self.previews.push(html::TablePreview { rows, ..preview });
        Ok(rows)
    }

    /// A chart, written at the end.
    pub(super) fn png(&mut self, name: &'static str, bytes: Vec<u8>) {
        self.pngs.push((name, bytes));
    }

    /// Another file (GraphML), written at the end.
    pub(super) fn file(&mut self, name: &'static str, bytes: Vec<u8>) {
        self.files.push((name, bytes));
    }

    /// Write the documents table (and, after an analysis, the noise table), the charts and files,
    /// the clean texts when asked, `index.html` and `run.json`, and put the folder in place.
    pub(super) fn close(
        mut self,
        opts: &Options,
        command: &'static str,
        run: Run,
        counts: Counts,
        reuse: Option<&Reuse>,
        noise: bool,
    ) -> Result<Summary> {
        let Run { res, input, corpus, mut clock, .. } = run;
        self.table("documents", corpus.documents_table(self.doc_tokens.as_deref(), reuse)?)?;
        if noise {
            self.table("noise", corpus.noise_table()?)?;
        }
        let Report { dir: mut out, mut previews, pngs, files, examples, near_copies, families, .. } = self;
        previews.sort_by_key(|p| TABLE_ORDER.iter().position(|n| *n == p.name));
        out.order_written_by(listed_at);
        // the reuse charts come after the analysis charts on disk and in run.json
        let (reuse_pngs, mut pngs): (Vec<_>, Vec<_>) =
            pngs.into_iter().partition(|(name, _)| matches!(*name, "boilerplate.png" | "reuse_heatmap.png"));
        pngs.extend(reuse_pngs);
        for (name, bytes) in pngs.iter().chain(&files) {
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
        let others: Vec<&str> = files.iter().map(|(name, _)| *name).chain(["run.json"]).collect();
        let facts =
            page::Run { opts, data: &res.origin, counts: &counts, skipped: &input.skipped, timings: &clock.timings };
        let mut page = page::index_page(&facts, &charts, &others, examples, previews);
        page.near_copies = near_copies;
        page.families = families;
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
        Ok(Summary::new(counts, input.skipped, seconds, opts.output.clone(), written))
    }
}
