//! The runs of a corpus cut into shards: `analyze --partial` writes one shard's clean text, words
//! and additive counts; `merge` reads the shards back and hands them to the stages of one run.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::{Mode, Run, finish, input_counts, load_resources};
use crate::corpus::{self, Corpus, Input};
use crate::count::{NgramCounts, NgramSums, Vocab, count_ngrams, intern, token_table};
use crate::error::{Error, Result, TableContext};
use crate::keybits::KeyBits;
use crate::partial;
use crate::report::{CsvStyle, ReportDir, check_target};
use crate::run::{Clock, Counts, Observer, Options, PartialJson, Summary, in_pool};
use crate::segment::{Segmented, Segmenter};

/// The counts of the shards of a merge: each `tokens` table and `ngrams.parquet`.
pub(super) struct Merged {
    /// The partial folders, whose words are read after the reuse stage (see [`Merged::words`]).
    partials: Vec<PathBuf>,
    tokens: Vec<DataFrame>,
    /// The tokens of the partials' documents, from their own `tokens` tables: what sums made
    /// elsewhere must add up to.
    pub(super) partial_tokens: u64,
    ngrams: Vec<PathBuf>,
    /// The tables were added up already (`--sums`): each n-gram comes once.
    summed: bool,
    /// Where keyed sums take their words from (see [`Sums::words`]).
    words: Vec<PathBuf>,
    /// The partials' window tables added up (see [`Sums::windows`]).
    pub(super) windows: Option<PathBuf>,
}

/// Token and n-gram counts of a merge's partials added up elsewhere (see [`merge`]).
#[derive(Debug, Clone, Copy)]
pub struct Sums<'a> {
    /// The folder of the sums: `tokens.parquet` and `ngrams.parquet`.
    pub dir: &'a Path,
    /// For n-grams summed by key: folders whose `ngrams.parquet` (key, tokens, count,
    /// doc_count) hold every row of every summed key with its words, as [`shared_ngrams`]
    /// writes them; the partials' own n-gram tables when empty.
    pub words: &'a [PathBuf],
    /// The partials' reuse window tables (`reuse_windows.bits`) added up, in the layout of
    /// [`crate::keybits`]: reuse takes which windows two documents may share from it instead of
    /// hashing every window of the corpus again (see [`crate::reuse::find_reuse_with`]).
    pub windows: Option<&'a Path>,
}

/// Partial n-gram rows added up at once by a merge (see [`Merged::tables`]).
const SUMS_PART: usize = 4 << 20;

impl Merged {
    /// The words of every document of `corpus`, read from the partials: a merge's segmentation.
    pub(super) fn words(&self, corpus: &Corpus) -> Result<Vec<Segmented>> {
        words(&self.partials, corpus)
    }

    /// The partial folders.
    pub(super) fn partials(&self) -> Vec<PathBuf> {
        self.partials.clone()
    }

    /// The `tokens` table of the whole corpus: the shards' counts added up (or the sums
    /// given), checked against the tokens of the partials' documents.
    pub(super) fn token_table(&mut self) -> Result<DataFrame> {
        let tokens = self.partial_tokens;
        let token_table = partial::merge_tokens(std::mem::take(&mut self.tokens), tokens)?;
        // sums made elsewhere must be of these partials: they count every word of their text
        let counted: u64 = crate::frame::u64s(&token_table, "count", "tokens")?.iter().sum();
        if counted != tokens {
            return Err(Error::Partials(format!(
                "the token counts add up to {counted}, but the partials' token tables count {tokens}; were the sums made from these partials?"
            )));
        }
        Ok(token_table)
    }

    /// The n-gram counts of the whole corpus counted `min_count` times or more: the shards'
    /// counts added up, keyed by the word ids of `vocab` (every word of the `tokens` table).
    pub(super) fn ngram_counts(&self, vocab: &Vocab, min_count: u64) -> Result<NgramCounts> {
        let ids: FxHashMap<&str, u32> = vocab.words.iter().enumerate().map(|(i, w)| (w.as_str(), i as u32)).collect();
        let mut sums = if self.summed { NgramSums::of_summed(vocab) } else { NgramSums::new(vocab) };
        let mut kept = NgramCounts::default();
        if self.summed && partial::keyed(&self.ngrams)? {
            // sums by key alone: the words come from the partials
            let from = if self.words.is_empty() { &self.partials } else { &self.words };
            let tables: Vec<PathBuf> = from.iter().map(|d| d.join("ngrams.parquet")).collect();
            partial::add_keyed_sums(&mut sums, &self.ngrams, &tables, &ids)?;
            kept.extend(sums.drain(min_count));
        } else {
            // every shard's n-grams (every count ≥ 1) are added up a part of the keys at a time,
            // each part's sums drained before the next: the sums of about SUMS_PART rows are
            // held at once
            let rows: usize = self.ngrams.iter().map(|f| partial::ngram_rows(f)).sum::<Result<_>>()?;
            let parts = if self.summed { 1 } else { rows.div_ceil(SUMS_PART).max(1) };
            for part in 0..parts {
                for f in &self.ngrams {
                    partial::add_ngrams(&mut sums, f, &ids, (part, parts))?;
                }
                kept.extend(sums.drain(min_count));
            }
        }
        Ok(kept)
    }
}

/// Whether a merge counts tokens and n-grams from the shards' counts alone and reads the words
/// after counting: unless `--group-by` counts tokens by group, which needs each document's words.
pub(super) fn words_after_counting(opts: &Options) -> bool {
    opts.group_by.is_none()
}

/// Refuse words that do not add up to the partials' token tables (`partial_tokens`).
pub(super) fn check_words(partial_tokens: u64, doc_tokens: u64) -> Result<()> {
    if doc_tokens == partial_tokens {
        return Ok(());
    }
    Err(Error::Partials(format!(
        "the partials' documents have {doc_tokens} tokens, but their token tables count {partial_tokens}; were they written again during the merge?"
    )))
}

/// The shards' documents in the order of one run over all their inputs: by source file, then
/// by place in it.
pub(super) fn in_corpus_order(docs: &mut [(crate::ingest::DocMeta, crate::clean::Cleaned)]) {
    docs.sort_by(|a, b| a.0.source.cmp(&b.0.source).then(a.0.part.cmp(&b.0.part)));
}

/// The words of every document of `corpus`, read from the partials in `partials`.
pub(super) fn words(partials: &[PathBuf], corpus: &Corpus) -> Result<Vec<Segmented>> {
    let texts = corpus.texts();
    let place: FxHashMap<&str, usize> = corpus.docs.iter().enumerate().map(|(i, m)| (m.doc_id.as_str(), i)).collect();
    let mut segs = vec![Segmented::default(); corpus.len()];
    let mut read = 0;
    for dir in partials {
        read += partial::read_words(dir, &place, &texts, &mut segs)?;
    }
    // a partial changed since it was read would leave documents without their words
    if read != corpus.len() {
        return Err(changed_documents(corpus.len(), read));
    }
    Ok(segs)
}

/// The number of words of every document of `corpus`, read from the partials in `partials`
/// without the words themselves.
pub(super) fn token_counts(partials: &[PathBuf], corpus: &Corpus) -> Result<Vec<u64>> {
    let place: FxHashMap<&str, usize> = corpus.docs.iter().enumerate().map(|(i, m)| (m.doc_id.as_str(), i)).collect();
    let mut tokens = vec![0; corpus.len()];
    let mut read = 0;
    for dir in partials {
        read += partial::read_token_counts(dir, &place, &mut tokens)?;
    }
    if read != corpus.len() {
        return Err(changed_documents(corpus.len(), read));
    }
    Ok(tokens)
}

/// The partials' documents changed since they were read.
fn changed_documents(held: usize, read: usize) -> Error {
    Error::Partials(format!(
        "the partials held {held} documents and now hold {read}; were they written again during the merge?"
    ))
}

/// Read, clean, cut and count `opts.inputs` (one shard of a corpus) and write a partial into
/// `opts.output` (see [`crate::partial`]) for [`merge`]. `shards`: how many shards the corpus
/// is cut into, which sizes the table of n-gram keys for the whole corpus (see
/// [`crate::keybits`]).
pub fn analyze_partial(opts: &Options, shards: usize, obs: &dyn Observer) -> Result<Summary> {
    in_pool(opts, || {
        let mut clock = Clock::new();
        check_target(&opts.output, opts.force)?;
        let res = load_resources(opts)?;
        let (input, mut corpus) = corpus::read(opts, &res, obs, &mut clock)?;
        let mut out = ReportDir::create(&opts.output, CsvStyle::default(), opts.force)?;
        // the reuse window table, written while the shard holds only its text (see
        // `Sums::windows`)
        if opts.reuse {
            obs.stage("reuse", 0);
            let texts = corpus.texts();
            let chars = texts.iter().map(|t| t.chars().count()).sum::<usize>();
            let k = opts.reuse_options().align.anchor_chars;
            let table = crate::reuse::stretches::window_table(&texts, k, chars.saturating_mul(shards.max(1)));
            out.stream(partial::WINDOWS, |f| table.write_to(f))?;
            clock.tick("reuse");
        }
        corpus.segment(&Segmenter::new(&res), obs);
        clock.tick("segment");

        obs.stage("count", 0);
        let stopwords: FxHashSet<String> = res.stopwords.iter().cloned().collect();
        let (vocab, per_doc) = intern(&corpus.texts(), &corpus.segs);
        let mut tokens = token_table(&vocab, &per_doc, &stopwords)?;
        tokens.drop_in_place("per_10k").table("tokens")?;
        let mut counts = Counts {
            tokens: per_doc.iter().map(|d| d.ids.len() as u64).sum(),
            distinct_tokens: vocab.words.len(),
            ..input_counts(&input, &corpus)
        };
        clock.tick("count");

        // the documents are written and freed before the n-grams, the shard's largest count,
        // which needs only the words as ids
        obs.stage("write", 0);
        out.parquet("documents", &mut partial::documents_frame(&corpus.docs, &corpus.cleaned, &corpus.segs)?)?;
        out.parquet("noise", &mut corpus.noise_table()?)?;
        out.parquet("tokens", &mut tokens)?;
        // what the documents propose as slogans, for slogans in two passes
        super::proposals::write(&mut out, &corpus, &res)?;
        drop(corpus);
        clock.tick("write");

        // every n-gram of the shard (count ≥ 1): the 2-grams, then the 3- and 4-grams, each
        // counted, written a row group at a time and freed before the next, each n in key
        // order (merge and engines add them up by key and words, in any order)
        obs.stage("count", 0);
        // a shard's distinct 2–4-grams are about as many as its words
        let mut keys = KeyBits::for_keys((counts.tokens as usize).saturating_mul(shards.max(1)));
        let empty = NgramCounts::partial_schema(&vocab)?;
        out.parquet_in_slices("ngrams", &empty, |write| {
            for n in 2..=4 {
                let ngrams = count_ngrams(&vocab, &per_doc, n..=n, 1);
                counts.ngrams += ngrams.len();
                ngrams.partial_slices(&vocab, &stopwords, crate::report::ROW_GROUP, &mut keys, &mut *write)?;
            }
            Ok(())
        })?;
        drop(per_doc);
        out.stream(partial::KEYS, |f| keys.write_to(f))?;
        drop(keys);

        clock.tick("ngrams");
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
        Ok(Summary::new(counts, input.skipped, seconds, opts.output.clone(), written))
    })
}

/// What [`shared_ngrams`] kept of a partial's n-gram rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharedRows {
    pub rows: usize,
    pub kept: usize,
}

/// Write into `output`'s `ngrams.parquet` (key, tokens, count, doc_count) the rows of the
/// partial `dir`'s n-gram table that an engine must add up to find every count of 2 or more:
/// the rows counted twice or more in the shard, and those whose key may occur in another row of
/// the corpus by `keys`, the n-gram key tables of every shard added up (see
/// [`crate::keybits`]). The rows left out are n-grams seen once in the whole corpus; every row
/// of a key is kept, or none, so keyed sums stay the sums of their rows and `tifa merge` can
/// take their words from these rows (see [`Sums::words`]). A table of keys that was not added
/// up from the partial's own (a key of the partial not seen in it) is refused.
pub fn shared_ngrams(dir: &Path, keys_path: &Path, output: &Path, force: bool) -> Result<SharedRows> {
    const T: &str = "ngrams";
    check_target(output, force)?;
    let header = partial::header(dir)?;
    let table = KeyBits::read(keys_path)?;
    let mut out = ReportDir::create(output, CsvStyle::default(), force)?;
    let mut done = SharedRows { rows: 0, kept: 0 };
    let columns = ["key", "tokens", "count", "doc_count"].map(String::from);
    let empty = DataFrame::new(
        0,
        vec![
            Column::new("key".into(), Vec::<i64>::new()),
            Column::new("tokens".into(), Vec::<String>::new()),
            Column::new("count".into(), Vec::<u64>::new()),
            Column::new("doc_count".into(), Vec::<u64>::new()),
        ],
    )
    .table(T)?;
    out.parquet_in_slices(T, &empty, |write| {
        for df in partial::ngram_slices(&dir.join("ngrams.parquet"), &columns)? {
            let df = df?;
            let (keys, counts) = (crate::frame::i64s(&df, "key", T)?, crate::frame::u64s(&df, "count", T)?);
            if keys.iter().any(|&k| !table.has_seen(k)) {
                return Err(Error::Partials(format!(
                    "the n-gram key table {} was not added up from {}'s {}",
                    keys_path.display(),
                    dir.display(),
                    partial::KEYS
                )));
            }
            let keep: BooleanChunked = keys.iter().zip(&counts).map(|(&k, &c)| c >= 2 || table.may_recur(k)).collect();
            let kept = df.filter(&keep).table(T)?;
            done.rows += df.height();
            done.kept += kept.height();
            write(kept)?;
        }
        Ok(())
    })?;
    let json = serde_json::json!({
        "partial": dir,
        "keys": keys_path,
        "data": header.data,
        "rows": done.rows,
        "kept": done.kept,
        "outputs": ["ngrams.parquet", "run.json"],
    });
    out.file("run.json", &super::task_json("shared-ngrams", json)?)?;
    out.commit()?;
    Ok(done)
}

/// Combine the partials in `dirs` into the reports one `analyze` over all their inputs writes:
/// token and n-gram counts are added up, and the stages that look at the whole corpus at once
/// (slogans, trends, keyness, co-occurrence, reuse) run on the shards' clean text and words.
/// With `sums`, a folder holding the token and n-gram counts of these partials already added up
/// (`tokens.parquet` and `ngrams.parquet`, each a file or a folder of Parquet files, as an
/// engine such as Spark writes them), those are read instead of each partial's own.
pub fn merge(dirs: &[PathBuf], sums: Option<Sums>, opts: &Options, obs: &dyn Observer) -> Result<Summary> {
    in_pool(opts, || {
        let mut clock = Clock::new();
        check_target(&opts.output, opts.force)?;
        if opts.slogan_sums.is_some() && !opts.explain.is_empty() {
            return Err(Error::ExplainWithoutIndex);
        }
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
        let mut partial_tokens = 0u64;
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
            partial_tokens += crate::frame::u64s(&s.tokens, "count", "tokens")?.iter().sum::<u64>();
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
        if let Some(Sums { dir, .. }) = sums {
            tokens = partial::sums_files(dir, "tokens")?
                .iter()
                .map(|f| partial::read_parquet(f, "tokens"))
                .collect::<Result<_>>()?;
            ngrams = partial::sums_files(dir, "ngrams")?;
        }
        input.metadata_tables = usize::from(unmatched.is_some());
        input.metadata_unmatched = unmatched.unwrap_or_default().into_iter().collect();
        in_corpus_order(&mut docs);
        let (metas, cleaned) = docs.into_iter().unzip();
        let corpus = Corpus::new(metas, cleaned);
        clock.tick("ingest");
        finish(
            opts,
            obs,
            Mode::Analyze,
            "merge",
            Run {
                res,
                input,
                corpus,
                merged: Some(Merged {
                    partials: dirs.to_vec(),
                    tokens,
                    partial_tokens,
                    ngrams,
                    summed: sums.is_some(),
                    words: sums.map(|s| s.words.to_vec()).unwrap_or_default(),
                    windows: sums.and_then(|s| s.windows.map(Path::to_path_buf)),
                }),
                clock,
            },
        )
    })
}
