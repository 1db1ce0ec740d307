//! The `analyze` pipeline: runs every stage in order and hands each result to the next.

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
use crate::ingest::{self, DocMeta, Skipped};
use crate::plot::{self, charts};
use crate::report::ReportDir;
use crate::resources::Resources;
use crate::segment::Segmenter;
use crate::slogans;

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
    /// Start CSV files with a byte-order mark (for Excel).
    pub csv_bom: bool,
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
            csv_bom: false,
            threads: None,
        }
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
    inputs: &'a [PathBuf],
    data: &'a str,
    options: &'a Options,
    counts: &'a Counts,
    skipped: &'a [Skipped],
    timings_seconds: &'a [(&'static str, f64)],
    outputs: &'a [String],
}

/// The sizes of a run's inputs and outputs.
#[derive(Debug, Clone, Serialize)]
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
}

/// Run the whole pipeline on `opts.inputs` and write the reports into `opts.output`.
pub fn analyze(opts: &Options, obs: &dyn Observer) -> Result<Summary> {
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = opts.threads {
        pool = pool.num_threads(n);
    }
    let pool = pool.build().map_err(|e| Error::Option(format!("thread pool: {e}")))?;
    pool.install(|| run(opts, obs))
}

fn run(opts: &Options, obs: &dyn Observer) -> Result<Summary> {
    let started = Instant::now();
    let mut timings: Vec<(&'static str, f64)> = Vec::new();
    let mut lap = Instant::now();
    let mut tick = |name: &'static str, timings: &mut Vec<(&'static str, f64)>| {
        timings.push((name, (lap.elapsed().as_secs_f64() * 1000.0).round() / 1000.0));
        lap = Instant::now();
    };

    let res = match &opts.data_dir {
        Some(dir) => Resources::from_dir(dir)?,
        None => Resources::builtin()?,
    };
    let font = match &opts.font {
        Some(p) => Some(std::fs::read(p).map_err(|source| Error::Read { path: p.clone(), source })?),
        None => None,
    };
    plot::use_font(font.as_deref())?;

    // ingest
    let (files, mut skipped) = ingest::discover(&opts.inputs)?;
    for s in &skipped {
        obs.skipped(s);
    }
    obs.stage("read", files.len() as u64);
    let input_bytes: u64 = files.iter().filter_map(|f| std::fs::metadata(&f.path).ok()).map(|m| m.len()).sum();
    let (docs, read_skipped) = ingest::read_all(&files, &res.split, &|n| obs.advance(n));
    for s in &read_skipped {
        obs.skipped(s);
    }
    skipped.extend(read_skipped);
    if docs.is_empty() {
        return Err(Error::NoDocuments);
    }
    tick("ingest", &mut timings);

    // clean
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
    let texts: Vec<&str> = cleaned.iter().map(|c| c.text.as_str()).collect();
    tick("clean", &mut timings);

    // segment
    obs.stage("segment", texts.len() as u64);
    let segmenter = Segmenter::new(&res);
    let segs: Vec<_> = texts
        .par_iter()
        .map(|t| {
            let s = segmenter.segment(t);
            obs.advance(1);
            s
        })
        .collect();
    tick("segment", &mut timings);

    // count
    obs.stage("count", 0);
    let stopwords: rustc_hash::FxHashSet<String> = res.stopwords.iter().cloned().collect();
    let (vocab, doc_tokens) = intern(&texts, &segs);
    let mut tokens = token_table(&vocab, &doc_tokens, &stopwords)?;
    let mut ngrams = ngram_table(&vocab, &doc_tokens, 2..=4, opts.min_count, &stopwords)?;
    tick("count", &mut timings);

    // slogans
    obs.stage("slogans", 0);
    let seen: BTreeSet<String> = cleaned.iter().flat_map(|c| c.folded.iter().cloned()).collect();
    let settings = slogans::Settings {
        min_count: opts.min_count,
        min_docs: opts.min_docs,
        max_phrases: opts.max_phrases,
        ..Default::default()
    };
    let sources: Vec<u32> = {
        let mut ids = std::collections::HashMap::new();
        metas
            .iter()
            .map(|m| {
                let n = ids.len() as u32;
                *ids.entry(m.source.as_str()).or_insert(n)
            })
            .collect()
    };
    let corpus = slogans::Corpus { texts: &texts, segs: &segs, sources: &sources };
    let found = slogans::discover(corpus, &res, &segmenter, settings, &seen)?;
    drop((segmenter, segs));
    let mut slogan_df = found.table;
    tick("slogans", &mut timings);

    // cooccur: the most widespread slogans
    let members = widest(&slogan_df, &found.rows, opts.cooccur_top)?;
    let mut cooc = cooccurrence(&members, &found.occurrences)?;
    drop(found.occurrences);
    tick("cooccur", &mut timings);

    // documents and noise tables
    let mut documents = documents_table(&metas, &cleaned, &doc_tokens)?;
    let mut noise = noise_table(&metas, &cleaned)?;

    // plot
    obs.stage("plot", 3);
    let n_docs = metas.len();
    let slogans_png = charts::slogans_png(&slogan_df, n_docs, opts.chart_rows)?;
    obs.advance(1);
    let ngrams_png = charts::ngrams_png(&ngrams, n_docs, opts.chart_rows)?;
    obs.advance(1);
    let heatmap_png = charts::cooccurrence_png(&slogan_df, &cooc, n_docs, opts.heatmap_rows)?;
    obs.advance(1);
    tick("plot", &mut timings);

    // report
    obs.stage("write", 0);
    let mut out = ReportDir::create(&opts.output, opts.csv_bom)?;
    out.table("documents", &mut documents)?;
    out.table("tokens", &mut tokens)?;
    out.table("ngrams", &mut ngrams)?;
    out.table("slogans", &mut slogan_df)?;
    out.table("cooccurrence", &mut cooc)?;
    out.table("noise", &mut noise)?;
    out.file("slogans.png", &slogans_png)?;
    out.file("ngrams.png", &ngrams_png)?;
    out.file("cooccurrence_heatmap.png", &heatmap_png)?;
    if opts.emit_clean {
        for (m, c) in metas.iter().zip(&cleaned) {
            let mut text = c.text.clone();
            if !text.is_empty() {
                text.push('\n');
            }
            out.file(&format!("clean/{}.txt", m.doc_id), text.as_bytes())?;
        }
    }
    tick("write", &mut timings);

    let chars: u64 = cleaned.iter().map(|c| c.text.chars().count() as u64).sum();
    let noise_chars: u64 = cleaned.iter().map(|c| c.noise_chars as u64).sum();
    let token_total: u64 = doc_tokens.iter().map(|d| d.ids.len() as u64).sum();
    let counts = Counts {
        files: files.len(),
        documents: n_docs,
        skipped: skipped.len(),
        input_bytes,
        chars,
        noise_chars,
        tokens: token_total,
        distinct_tokens: vocab.words.len(),
        ngrams: ngrams.height(),
        slogans: slogan_df.height(),
        cooccurrence_pairs: cooc.height(),
    };
    let mut written = out.written().to_vec();
    written.push("run.json".into());
    let seconds = started.elapsed().as_secs_f64();
    timings.push(("total", (seconds * 1000.0).round() / 1000.0));
    let run = RunJson {
        tool: "tifa",
        version: env!("CARGO_PKG_VERSION"),
        inputs: &opts.inputs,
        data: &res.origin,
        options: opts,
        counts: &counts,
        skipped: &skipped,
        timings_seconds: &timings,
        outputs: &written,
    };
    let json = serde_json::to_vec_pretty(&run).map_err(|e| Error::Option(e.to_string()))?;
    out.file("run.json", &json)?;

    Ok(Summary { counts, skipped, seconds, output: opts.output.clone(), written })
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

fn documents_table(metas: &[DocMeta], cleaned: &[Cleaned], tokens: &[crate::count::DocTokens]) -> Result<DataFrame> {
    const T: &str = "documents";
    let n = metas.len();
    DataFrame::new(
        n,
        vec![
            Column::new("doc_id".into(), metas.iter().map(|m| m.doc_id.as_str()).collect::<Vec<_>>()),
            Column::new("source".into(), metas.iter().map(|m| m.source.as_str()).collect::<Vec<_>>()),
            Column::new("part".into(), metas.iter().map(|m| m.part).collect::<Vec<_>>()),
            Column::new("title".into(), metas.iter().map(|m| m.title.as_str()).collect::<Vec<_>>()),
            Column::new("date".into(), metas.iter().map(|m| m.date.as_deref()).collect::<Vec<_>>()),
            Column::new("encoding".into(), metas.iter().map(|m| m.encoding).collect::<Vec<_>>()),
            Column::new("chars".into(), cleaned.iter().map(|c| c.text.chars().count() as u64).collect::<Vec<_>>()),
            Column::new("tokens".into(), tokens.iter().map(|t| t.ids.len() as u64).collect::<Vec<_>>()),
            Column::new("noise_chars".into(), cleaned.iter().map(|c| c.noise_chars as u64).collect::<Vec<_>>()),
        ],
    )
    .table(T)
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
