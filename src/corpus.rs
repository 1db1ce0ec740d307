//! The corpus after ingest and cleaning, built once: documents, clean text, character counts,
//! source ids and (after segmentation) words. Every later stage borrows it.

use std::path::PathBuf;

use polars::prelude::*;
use rayon::prelude::*;

use crate::clean::{Cleaned, clean, title_after_clean};
use crate::error::{Error, Result, TableContext};
use crate::ingest::metadata::Metadata;
use crate::ingest::records::Columns;
use crate::ingest::{self, DocMeta, Skipped};
use crate::resources::Resources;
use crate::reuse::Reuse;
use crate::run::{Clock, Observer, Options};
use crate::segment::{Segmented, Segmenter};

/// Every document of a run, in input order.
pub struct Corpus {
    pub docs: Vec<DocMeta>,
    pub cleaned: Vec<Cleaned>,
    /// Characters of each clean text.
    pub chars: Vec<u64>,
    /// The source file of each document, numbered in document order: documents cut from one
    /// file share it.
    pub sources: Vec<u32>,
    /// Each document's words; empty until [`Corpus::segment`] (or a merge) fills it.
    pub segs: Vec<Segmented>,
}

impl Corpus {
    /// The corpus of these documents and their clean text (not yet segmented).
    pub fn new(docs: Vec<DocMeta>, cleaned: Vec<Cleaned>) -> Self {
        let chars = cleaned.par_iter().map(|c| c.text.chars().count() as u64).collect();
        let mut ids = std::collections::HashMap::new();
        let sources = docs
            .iter()
            .map(|m| {
                let n = ids.len() as u32;
                *ids.entry(m.source.as_str()).or_insert(n)
            })
            .collect();
        Corpus { docs, cleaned, chars, sources, segs: Vec::new() }
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The year of each document's date, where it has one.
    pub fn years(&self) -> Vec<Option<u32>> {
        let year = |d: &str| crate::trends::Period::Year.of(d)?.parse().ok();
        self.docs.iter().map(|m| m.date.as_deref().and_then(year)).collect()
    }

    /// The clean texts, in document order.
    pub fn texts(&self) -> Vec<&str> {
        self.cleaned.iter().map(|c| c.text.as_str()).collect()
    }

    pub fn total_chars(&self) -> u64 {
        self.chars.iter().sum()
    }

    pub fn noise_chars(&self) -> u64 {
        self.cleaned.iter().map(|c| c.noise_chars as u64).sum()
    }

    pub fn invisible_chars(&self) -> u64 {
        self.cleaned.iter().map(|c| c.invisible_chars as u64).sum()
    }

    /// Lines joined where a hard wrap broke a sentence, and the documents that had them.
    pub fn joined_lines(&self) -> (u64, usize) {
        let joined = self.cleaned.iter().map(|c| c.joined_lines as u64).sum();
        (joined, self.cleaned.iter().filter(|c| c.joined_lines > 0).count())
    }

    /// The number of document `doc_id`.
    pub fn position(&self, doc_id: &str) -> Result<usize> {
        self.docs.iter().position(|m| m.doc_id == doc_id).ok_or_else(|| Error::UnknownDocument(doc_id.to_string()))
    }

    /// Cut every text into words, in parallel.
    pub fn segment(&mut self, segmenter: &Segmenter, obs: &dyn Observer) {
        obs.stage("segment", self.len() as u64);
        self.segs = self
            .cleaned
            .par_iter()
            .map(|c| {
                let s = segmenter.segment(&c.text);
                obs.advance(1);
                s
            })
            .collect();
    }

    /// The `documents` table: identity and metadata, characters, tokens (when counted), noise,
    /// and the reuse ratios (when reuse ran).
    pub fn documents_table(&self, tokens: Option<&[u64]>, reuse: Option<&Reuse>) -> Result<DataFrame> {
        let n = self.len();
        let mut columns = ingest::meta_columns(&self.docs);
        columns.push(Column::new("chars".into(), self.chars.clone()));
        if let Some(tokens) = tokens {
            columns.push(Column::new("tokens".into(), tokens.to_vec()));
        }
        columns.push(Column::new(
            "noise_chars".into(),
            self.cleaned.iter().map(|c| c.noise_chars as u64).collect::<Vec<_>>(),
        ));
        columns.push(Column::new(
            "invisible_chars".into(),
            self.cleaned.iter().map(|c| c.invisible_chars as u64).collect::<Vec<_>>(),
        ));
        columns.push(Column::new(
            "joined_lines".into(),
            self.cleaned.iter().map(|c| c.joined_lines as u64).collect::<Vec<_>>(),
        ));
        columns.extend(ingest::extra_columns(&self.docs, ""));
        if let Some(r) = reuse {
            columns.push(Column::new("boilerplate_ratio".into(), (0..n).map(|d| r.ratio(d)).collect::<Vec<_>>()));
            columns.push(Column::new("common_ratio".into(), (0..n).map(|d| r.common_ratio(d)).collect::<Vec<_>>()));
            columns.push(Column::new("copied_ratio".into(), (0..n).map(|d| r.copied_ratio(d)).collect::<Vec<_>>()));
            columns.push(Column::new("cluster".into(), r.cluster.clone()));
        }
        DataFrame::new(n, columns).table("documents")
    }

    /// The `noise` table: every removal by a noise rule.
    pub fn noise_table(&self) -> Result<DataFrame> {
        let (mut doc, mut line, mut rule, mut chars, mut text) = (vec![], vec![], vec![], vec![], vec![]);
        for (m, c) in self.docs.iter().zip(&self.cleaned) {
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
        .table("noise")
    }
}

/// What reading the inputs found besides the documents.
pub struct Input {
    pub files: usize,
    pub skipped: Vec<Skipped>,
    pub input_bytes: u64,
    /// Metadata tables joined, and the keys of their rows that named no document.
    pub metadata_tables: usize,
    pub metadata_unmatched: Vec<String>,
}

/// Read, split and clean every input of `opts`.
pub fn read(opts: &Options, res: &Resources, obs: &dyn Observer, clock: &mut Clock) -> Result<(Input, Corpus)> {
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
    let (mut docs, mut read_skipped) =
        ingest::read_all(&files, &res.split, &columns, opts.fold_traditional, &|n| obs.advance(n));
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
    // a --group-by column no document has is refused before the heavy stages
    if let Some(column) = &opts.group_by {
        crate::keyness::check_group_by(docs.iter().map(|d| &d.meta), column)?;
    }
    clock.tick("ingest");

    obs.stage("clean", docs.len() as u64);
    let (metas, cleaned): (Vec<DocMeta>, Vec<Cleaned>) = docs
        .into_par_iter()
        .map(|d| {
            let c = clean(&d.raw, res);
            let mut meta = d.meta;
            meta.title = title_after_clean(&meta.title, &c);
            obs.advance(1);
            (meta, c)
        })
        .unzip();
    let corpus = Corpus::new(metas, cleaned);
    clock.tick("clean");
    let input = Input { files: files.len(), skipped, input_bytes, metadata_tables: tables.len(), metadata_unmatched };
    Ok((input, corpus))
}
