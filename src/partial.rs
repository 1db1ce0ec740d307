//! Partial counts: one shard's clean documents, segmentation and additive counts as Parquet
//! (`tifa analyze --partial DIR`), read back and combined by `tifa merge`.
//!
//! A partial folder holds (schema [`SCHEMA`]):
//!
//! | file | one row per | columns |
//! |---|---|---|
//! | `documents.parquet` | document | doc_id, source, part, title, date, encoding, script, noise_chars, invisible_chars, joined_lines, folded, text, spans, clause_starts, `extra.<field>` per metadata field |
//! | `noise.parquet` | removed line | doc_id, line, rule, chars, text |
//! | `tokens.parquet` | distinct token | token, count, doc_count, stopword |
//! | `ngrams.parquet` | distinct word 2–4-gram (count ≥ 1): the 2-, 3- and 4-grams, each in `key` order | key, tokens, n, count, doc_count, stopword_edge |
//! | `ngram_keys.bits` | — | the table of the n-grams' keys ([`crate::keybits`]): which may occur more than once in the whole corpus once every shard's table is added up |
//! | `reuse_windows.bits` | — | the table of reuse's windows, in the same layout |
//! | `slogan_proposals.parquet` | candidate the documents propose | text, found_by, quoted, shaped, shaped_docs, series_seen, template, series_items |
//! | `slogan_series.parquet` | (template, item) of a series | template, item |
//! | `slogan_totals.parquet` | total | stat, key, count (see `pipeline::proposals`) |
//! | `run.json` | — | tool, command = "partial", version, schema, data fingerprint, files, input_bytes, skipped, metadata |
//!
//! `text` is the clean text, `spans` the tokens as little-endian u32 (start, end) byte offsets
//! into it, `clause_starts` little-endian u32 token indexes. Token and n-gram counts add up across
//! shards because every document is in exactly one shard: `count` and `doc_count` of the merged
//! tables are sums, grouped by token or by tokens (by word ids in `tifa merge`); a report's
//! `ngram` is `tokens` without its spaces.
//! `key` ([`crate::count::ngram_key`]) is a 64-bit hash of `tokens`: an engine can sum by it
//! alone (`key`, `count`, `doc_count`), and `tifa merge --sums` takes each summed key's words
//! back from the partials (see [`add_keyed_sums`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::clean::{Cleaned, Removal};
use crate::error::{Error, Result, TableContext};
use crate::frame::{i64s, strs, u32s, u64s};
use crate::ingest::{DocMeta, Skipped};
use crate::segment::Segmented;

/// Version of the partial layout; `merge` reads only its own.
pub const SCHEMA: u32 = 4;

/// The partial's table of n-gram keys (see [`crate::keybits`]).
pub const KEYS: &str = "ngram_keys.bits";
/// The file of a partial's reuse window table (see [`crate::reuse::stretches::window_table`]).
pub const WINDOWS: &str = "reuse_windows.bits";

/// Prefix of the metadata columns in `documents.parquet` (so that no field name can clash).
const EXTRA: &str = "extra.";

/// What a partial's `run.json` says about its shard.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    pub tool: String,
    pub command: String,
    pub version: String,
    pub schema: u32,
    /// [`crate::resources::Resources::fingerprint`] of the data the shard was cleaned and cut with.
    pub data: String,
    pub files: usize,
    pub input_bytes: u64,
    pub skipped: Vec<Skipped>,
    /// Metadata tables joined, and the keys of their rows that named no document of the shard.
    pub metadata_tables: usize,
    pub metadata_unmatched: Vec<String>,
}

/// One shard read back: its documents' words are read when they are wanted (see [`read_words`]),
/// its n-grams while they are added up (see [`add_ngrams`]).
pub struct Shard {
    pub header: Header,
    pub docs: Vec<(DocMeta, Cleaned)>,
    pub tokens: DataFrame,
    pub ngrams: PathBuf,
}

fn le_u32s(values: impl Iterator<Item = u32>) -> Vec<u8> {
    values.flat_map(u32::to_le_bytes).collect()
}

fn from_le_u32s(bytes: &[u8], what: &str, doc: &str) -> Result<Vec<u32>> {
    if !bytes.len().is_multiple_of(4) {
        return Err(Error::CorruptPartial(format!("{what} of {doc} is not a list of u32")));
    }
    Ok(bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
}

/// `documents.parquet` of a shard.
pub fn documents_frame(metas: &[DocMeta], cleaned: &[Cleaned], segs: &[Segmented]) -> Result<DataFrame> {
    const T: &str = "documents";
    let n = metas.len();
    let mut columns = crate::ingest::meta_columns(metas);
    columns.extend([
        Column::new("noise_chars".into(), cleaned.iter().map(|c| c.noise_chars as u64).collect::<Vec<_>>()),
        Column::new("invisible_chars".into(), cleaned.iter().map(|c| c.invisible_chars as u64).collect::<Vec<_>>()),
        Column::new("joined_lines".into(), cleaned.iter().map(|c| c.joined_lines as u64).collect::<Vec<_>>()),
        Column::new("folded".into(), cleaned.iter().map(|c| c.folded.join("\n")).collect::<Vec<_>>()),
        Column::new("text".into(), cleaned.iter().map(|c| c.text.as_str()).collect::<Vec<_>>()),
        Column::new(
            "spans".into(),
            segs.iter().map(|s| le_u32s(s.tokens.iter().flat_map(|&(a, b)| [a, b]))).collect::<Vec<_>>(),
        ),
        Column::new(
            "clause_starts".into(),
            segs.iter().map(|s| le_u32s(s.clause_starts.iter().copied())).collect::<Vec<_>>(),
        ),
    ]);
    columns.extend(crate::ingest::extra_columns(metas, EXTRA));
    DataFrame::new(n, columns).table(T)
}

/// The names tifa gives encodings, as the static strings documents carry.
fn encoding_name(s: &str) -> &'static str {
    const KNOWN: [&str; 8] = ["UTF-8", "UTF-8 (BOM)", "UTF-16LE", "UTF-16BE", "GB18030", "Big5", "DOCX", "PDF"];
    KNOWN.iter().find(|k| **k == s).copied().unwrap_or("other")
}

pub(crate) fn read_parquet(path: &Path, table: &'static str) -> Result<DataFrame> {
    let file = std::fs::File::open(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    ParquetReader::new(file).finish().table(table)
}

/// The header of the partial in `dir`, if it is a partial of this tifa's schema.
pub fn header(dir: &Path) -> Result<Header> {
    let not_partial = |message: String| Error::Partial { dir: dir.to_path_buf(), message };
    let json = std::fs::read_to_string(dir.join("run.json")).map_err(|e| not_partial(format!("run.json: {e}")))?;
    let header: Header = serde_json::from_str(&json).map_err(|e| not_partial(format!("run.json: {e}")))?;
    if header.tool != "tifa" || header.command != "partial" {
        return Err(not_partial(format!("its run.json is from `{} {}`", header.tool, header.command)));
    }
    if header.schema != SCHEMA {
        return Err(not_partial(format!(
            "it has schema {} (tifa {}), this tifa reads schema {SCHEMA}",
            header.schema, header.version
        )));
    }
    Ok(header)
}

/// Read the partial in `dir`.
pub fn read(dir: &Path) -> Result<Shard> {
    let header = header(dir)?;
    let not_partial = |message: String| Error::Partial { dir: dir.to_path_buf(), message };
    // all but the words, which merge reads after the reuse stage (see [`read_words`])
    let path = dir.join("documents.parquet");
    let open = || std::fs::File::open(&path).map_err(|source| Error::Read { path: path.clone(), source });
    let schema = ParquetReader::new(open()?).schema().table("documents")?;
    let columns: Vec<String> = schema
        .iter_names()
        .filter(|c| !["spans", "clause_starts"].contains(&c.as_str()))
        .map(|c| c.to_string())
        .collect();
    let documents = ParquetReader::new(open()?).with_columns(Some(columns)).finish().table("documents")?;
    let noise = read_parquet(&dir.join("noise.parquet"), "noise")?;
    let tokens = read_parquet(&dir.join("tokens.parquet"), "tokens")?;
    let ngrams = dir.join("ngrams.parquet");
    if !ngrams.is_file() {
        return Err(not_partial("it has no ngrams.parquet".into()));
    }

    const T: &str = "documents";
    let mut removed: BTreeMap<&str, Vec<Removal>> = BTreeMap::new();
    let (nd, nl, nr, nt) = (
        strs(&noise, "doc_id", "noise")?,
        u32s(&noise, "line", "noise")?,
        strs(&noise, "rule", "noise")?,
        strs(&noise, "text", "noise")?,
    );
    for i in 0..noise.height() {
        removed.entry(nd[i]).or_default().push(Removal {
            line: nl[i] as usize,
            rule: nr[i].to_string(),
            text: nt[i].to_string(),
        });
    }
    let ids = strs(&documents, "doc_id", T)?;
    let sources = strs(&documents, "source", T)?;
    let parts = u32s(&documents, "part", T)?;
    let titles = strs(&documents, "title", T)?;
    let dates = documents.column("date").table(T)?.str().table(T)?.clone();
    let encodings = strs(&documents, "encoding", T)?;
    let scripts = strs(&documents, "script", T)?;
    let noise_chars = u64s(&documents, "noise_chars", T)?;
    let invisible_chars = u64s(&documents, "invisible_chars", T)?;
    let joined_lines = u64s(&documents, "joined_lines", T)?;
    let folded = strs(&documents, "folded", T)?;
    let texts = strs(&documents, "text", T)?;
    let extra_names: Vec<String> =
        documents.get_column_names().into_iter().filter(|c| c.starts_with(EXTRA)).map(|c| c.to_string()).collect();
    let mut extra_cols = Vec::new();
    for name in &extra_names {
        extra_cols.push(documents.column(name).table(T)?.str().table(T)?.clone());
    }
    let mut docs = Vec::with_capacity(documents.height());
    for i in 0..documents.height() {
        let doc = ids[i];
        let extra = extra_names
            .iter()
            .zip(&extra_cols)
            .filter_map(|(name, col)| col.get(i).map(|v| (name[EXTRA.len()..].to_string(), v.to_string())))
            .collect();
        let meta = DocMeta {
            doc_id: doc.to_string(),
            source: sources[i].to_string(),
            part: parts[i],
            title: titles[i].to_string(),
            date: dates.get(i).map(String::from),
            encoding: encoding_name(encodings[i]),
            script: crate::ingest::script::Script::parse(scripts[i])
                .ok_or_else(|| not_partial(format!("{doc} has an unknown script {:?}", scripts[i])))?,
            extra,
        };
        let cleaned = Cleaned {
            text: texts[i].to_string(),
            noise_chars: noise_chars[i] as usize,
            invisible_chars: invisible_chars[i] as usize,
            joined_lines: joined_lines[i] as usize,
            removed: removed.remove(doc).unwrap_or_default(),
            folded: folded[i].split('\n').filter(|f| !f.is_empty()).map(String::from).collect(),
        };
        docs.push((meta, cleaned));
    }
    Ok(Shard { header, docs, tokens, ngrams })
}

/// Read the words (token spans and clause starts) of the documents of the partial in `dir` into
/// `segs`, each at the place `place` gives its doc_id, checked against its text in `texts`;
/// returns how many documents it read.
/// Merge reads them after the reuse stage, which needs only the text, as one run segments after
/// it: the words are not held through reuse's peak.
pub fn read_words(
    dir: &Path,
    place: &rustc_hash::FxHashMap<&str, usize>,
    texts: &[&str],
    segs: &mut [Segmented],
) -> Result<usize> {
    const T: &str = "documents";
    let documents = document_columns(dir, &["doc_id", "spans", "clause_starts"])?;
    let ids = strs(&documents, "doc_id", T)?;
    let spans = documents.column("spans").table(T)?.binary().table(T)?;
    let clauses = documents.column("clause_starts").table(T)?.binary().table(T)?;
    for (i, doc) in ids.iter().enumerate() {
        let at = *place.get(doc).ok_or_else(|| {
            Error::CorruptPartial(format!("{}: document {doc} was not in it when it was read", dir.display()))
        })?;
        let tokens = spans_of(spans.get(i).unwrap_or_default(), texts[at], doc, dir)?;
        let clause_starts = from_le_u32s(clauses.get(i).unwrap_or_default(), "clause_starts", doc)?;
        segs[at] = Segmented { tokens, clause_starts };
    }
    Ok(ids.len())
}

/// The number of words of each document of the partial in `dir`, from the length of its spans
/// (nothing decoded), each at the place `place` gives its doc_id in `tokens`; returns how many
/// documents it read.
pub fn read_token_counts(dir: &Path, place: &rustc_hash::FxHashMap<&str, usize>, tokens: &mut [u64]) -> Result<usize> {
    const T: &str = "documents";
    let documents = document_columns(dir, &["doc_id", "spans"])?;
    let ids = strs(&documents, "doc_id", T)?;
    let spans = documents.column("spans").table(T)?.binary().table(T)?;
    for (i, doc) in ids.iter().enumerate() {
        let at = *place.get(doc).ok_or_else(|| {
            Error::CorruptPartial(format!("{}: document {doc} was not in it when it was read", dir.display()))
        })?;
        let bytes = spans.get(i).unwrap_or_default().len();
        if !bytes.is_multiple_of(8) {
            return Err(Error::CorruptPartial(format!("spans of {doc} is not a list of u32 pairs")));
        }
        tokens[at] = (bytes / 8) as u64;
    }
    Ok(ids.len())
}

/// The columns `columns` of the partial's documents table.
pub(crate) fn document_columns(dir: &Path, columns: &[&str]) -> Result<DataFrame> {
    let path = dir.join("documents.parquet");
    let file = std::fs::File::open(&path).map_err(|source| Error::Read { path: path.clone(), source })?;
    let columns = columns.iter().map(|c| c.to_string()).collect();
    ParquetReader::new(file).with_columns(Some(columns)).finish().table("documents")
}

/// The words of document `doc` of the partial in `dir`, whose clean text is `text`, from its
/// `spans` (little-endian u32 pairs).
pub(crate) fn spans_of(bytes: &[u8], text: &str, doc: &str, dir: &Path) -> Result<Vec<(u32, u32)>> {
    if !bytes.len().is_multiple_of(8) {
        return Err(Error::CorruptPartial(format!("spans of {doc} is not a list of u32 pairs")));
    }
    // read in place: no list of u32 beside the pairs
    let u32_at = |c: &[u8]| u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
    let tokens: Vec<(u32, u32)> = bytes.chunks_exact(8).map(|c| (u32_at(&c[..4]), u32_at(&c[4..]))).collect();
    if tokens.iter().any(|&(a, b)| a > b || b as usize > text.len() || !text.is_char_boundary(a as usize)) {
        return Err(Error::Partial {
            dir: dir.to_path_buf(),
            message: format!("the token spans of {doc} do not fit its text"),
        });
    }
    Ok(tokens)
}

/// Read every partial and put their documents in the order one run over all their inputs would
/// have (by source file, then position in it). A document in two partials is an error: its
/// counts would be added twice.
pub fn read_all(dirs: &[PathBuf]) -> Result<Vec<Shard>> {
    let shards: Vec<Shard> = dirs.iter().map(|d| read(d)).collect::<Result<_>>()?;
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (k, s) in shards.iter().enumerate() {
        for (m, _) in &s.docs {
            if let Some(j) = seen.insert(m.doc_id.as_str(), k) {
                return Err(Error::Partials(format!(
                    "document {} is in two partials ({} and {}); give each input to one shard only",
                    m.doc_id,
                    dirs[j].display(),
                    dirs[k].display()
                )));
            }
        }
    }
    if let Some(other) = shards.iter().find(|s| s.header.data != shards[0].header.data) {
        return Err(Error::Partials(format!(
            "the partials were made with different data files (fingerprints {} and {}); make every shard with the same --data",
            shards[0].header.data, other.header.data
        )));
    }
    Ok(shards)
}

/// The Parquet files of table `name` in a folder of sums (`tokens` or `ngrams`): the file
/// `DIR/NAME.parquet`, or, when that is a folder as Spark writes one, the `.parquet` files in it
/// in name order.
pub fn sums_files(dir: &Path, name: &str) -> Result<Vec<PathBuf>> {
    let sums_error = |message: String| Error::Sums { dir: dir.to_path_buf(), message };
    let path = dir.join(format!("{name}.parquet"));
    if path.is_file() {
        return Ok(vec![path]);
    }
    let entries = std::fs::read_dir(&path).map_err(|e| sums_error(format!("{name}.parquet: {e}")))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "parquet"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(sums_error(format!("{name}.parquet holds no Parquet file")));
    }
    Ok(files)
}

/// The `tokens` table of all shards: counts and document counts added up, per_10k over all
/// `total_tokens`, sorted as [`crate::count::token_table`] sorts.
pub fn merge_tokens(parts: Vec<DataFrame>, total_tokens: u64) -> Result<DataFrame> {
    const T: &str = "tokens";
    let all = concat(parts.into_iter().map(|p| p.lazy()).collect::<Vec<_>>(), UnionArgs::default()).table(T)?;
    let summed = all.group_by([col("token")]).agg([
        col("count").sum().cast(DataType::UInt64),
        col("doc_count").sum().cast(DataType::UInt64),
        col("stopword").first(),
    ]);
    let mut df = crate::count::sort_desc(summed, &["count", "token"]).collect().table(T)?;
    let per_10k: Vec<f64> = u64s(&df, "count", T)?
        .into_iter()
        .map(|c| crate::frame::round4(c as f64 * 10_000.0 / total_tokens.max(1) as f64))
        .collect();
    df.insert_column(3, Column::new("per_10k".into(), per_10k)).table(T)?;
    Ok(df)
}

/// True when the n-gram sums `files` are summed by key alone (`key`, no `tokens`; see
/// [`add_keyed_sums`]) rather than by words.
pub fn keyed(files: &[PathBuf]) -> Result<bool> {
    let Some(first) = files.first() else { return Ok(false) };
    let file = std::fs::File::open(first).map_err(|source| Error::Read { path: first.clone(), source })?;
    let schema = ParquetReader::new(file).schema().table("ngrams")?;
    Ok(schema.contains("key") && !schema.contains("tokens"))
}

/// Rows of an n-gram table in a partial or in sums (cheap: read from the file's footer).
pub fn ngram_rows(path: &Path) -> Result<usize> {
    rows_of(path, "ngrams")
}

/// Rows of the table `path`.
fn rows_of(path: &Path, table: &'static str) -> Result<usize> {
    let file = std::fs::File::open(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    ParquetReader::new(file).num_rows().table(table)
}

/// Rows of an n-gram table read at once: a row group as tifa writes them (three are held at
/// once while the next is read ahead; see [`ngram_slices`]).
const NGRAM_SLICE: usize = crate::report::ROW_GROUP;

/// The words of the n-gram `tokens` (a `tokens` cell of `path`) as ids of the merged
/// vocabulary `ids`, into `word_ids`.
fn word_ids_of(
    tokens: &str,
    ids: &rustc_hash::FxHashMap<&str, u32>,
    path: &Path,
    word_ids: &mut Vec<u32>,
) -> Result<()> {
    word_ids.clear();
    for w in tokens.split(' ') {
        let id = ids.get(w).ok_or_else(|| {
            Error::CorruptPartial(format!("{}: n-gram {tokens:?} has a word no document has", path.display()))
        })?;
        word_ids.push(*id);
    }
    if !(2..=4).contains(&word_ids.len()) {
        return Err(Error::CorruptPartial(format!("{}: {tokens:?} is not a 2- to 4-gram", path.display())));
    }
    Ok(())
}

/// One n-gram of the partials under a key an engine summed: its words and its counts there.
#[derive(Clone, Copy)]
struct Found {
    words: [u32; 4],
    n: u8,
    /// [`spelling`] of its words.
    check: u64,
    count: u64,
    docs: u64,
}

impl Found {
    fn words(&self) -> &[u32] {
        &self.words[..self.n as usize]
    }
}

/// A second hash of a `tokens` cell, besides its key: FxHash of the bytes, a word at a time.
fn spelling(tokens: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(tokens.as_bytes());
    h.finish()
}

/// Add to `sums` the n-grams an engine summed by key (`key`, `count`, `doc_count` in
/// `summed`, each key once), with their words taken from the partial tables `partials` (read
/// fastest in runs of increasing keys, as `tifa analyze --partial` writes them; any order is
/// read right). Each n-gram's counts are added up again from the partials' rows of its key, so
/// two n-grams that share a key are told apart (by their words' ids, or by a second hash of
/// their words; each is kept by its own count when the sums are drained); every key's rows must
/// add up to the engine's sums, or these are not the partials the sums were made of.
pub fn add_keyed_sums(
    sums: &mut crate::count::NgramSums,
    summed: &[PathBuf],
    partials: &[PathBuf],
    ids: &rustc_hash::FxHashMap<&str, u32>,
) -> Result<()> {
    const T: &str = "ngrams";
    let not_these =
        |what: String| Error::Partials(format!("the n-gram sums {what}; were the sums made from these partials?"));
    // the engine's sums, in key order
    let mut engine: Vec<(i64, u64, u64)> = Vec::new();
    for f in summed {
        let file = std::fs::File::open(f).map_err(|source| Error::Read { path: f.clone(), source })?;
        let columns = ["key", "count", "doc_count"].map(String::from).to_vec();
        let df = ParquetReader::new(file).with_columns(Some(columns)).finish().table(T)?;
        let (k, c, d) = (i64s(&df, "key", T)?, u64s(&df, "count", T)?, u64s(&df, "doc_count", T)?);
        engine.extend(k.into_iter().zip(c).zip(d).map(|((k, c), d)| (k, c, d)));
    }
    engine.sort_unstable_by_key(|e| e.0);
    if let Some(w) = engine.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(not_these(format!("hold key {} twice", w[0].0)));
    }
    // each key's first n-gram (none yet: n = 0), in chunks that are freed as they are taken
    // out at the end; the n-grams after the first under a key, by key place
    const CHUNK: usize = 1 << 16;
    let none = Found { words: [0; 4], n: 0, check: 0, count: 0, docs: 0 };
    let mut found: Vec<Vec<Found>> =
        (0..engine.len()).step_by(CHUNK).map(|a| vec![none; CHUNK.min(engine.len() - a)]).collect();
    let mut more: Vec<(usize, Found)> = Vec::new();
    let mut word_ids = Vec::with_capacity(4);
    let columns = ["key", "tokens", "count", "doc_count"].map(String::from);
    for path in partials {
        let (mut at, mut last) = (0usize, i64::MIN);
        // the next slice is read on its own thread while this one is looked at
        for df in ngram_slices(path, &columns)? {
            let df = df?;
            let (keys, tokens) = (i64s(&df, "key", T)?, strs(&df, "tokens", T)?);
            let (count, docs) = (u64s(&df, "count", T)?, u64s(&df, "doc_count", T)?);
            for i in 0..df.height() {
                let key = keys[i];
                if key < last {
                    // a new run of keys (the next n), or rows in no order: looked up anew
                    at = engine.partition_point(|e| e.0 < key);
                } else {
                    while at < engine.len() && engine[at].0 < key {
                        at += 1;
                    }
                }
                last = key;
                if at == engine.len() || engine[at].0 != key {
                    continue;
                }
                // the key's first n-gram met again, told by a second hash of its words (another
                // function than the key's: both collide for a pair at 2^-128)
                let check = spelling(tokens[i]);
                let first = &mut found[at / CHUNK][at % CHUNK];
                if first.n > 0 && first.check == check {
                    (first.count, first.docs) = (first.count + count[i], first.docs + docs[i]);
                    continue;
                }
                word_ids_of(tokens[i], ids, path, &mut word_ids)?;
                let mut w = [0; 4];
                w[..word_ids.len()].copy_from_slice(&word_ids);
                let row = Found { words: w, n: word_ids.len() as u8, check, count: count[i], docs: docs[i] };
                let first = &mut found[at / CHUNK][at % CHUNK];
                if first.n == 0 {
                    *first = row;
                    continue;
                }
                match more.iter_mut().find(|(k, m)| *k == at && m.words() == row.words()) {
                    Some((_, m)) => (m.count, m.docs) = (m.count + row.count, m.docs + row.docs),
                    None => more.push((at, row)),
                }
            }
        }
    }
    let firsts = found.into_iter().flat_map(|chunk| chunk.into_iter());
    // the n-grams after the first, walked beside the keys
    more.sort_by_key(|m| m.0);
    let mut more = more.into_iter().peekable();
    for (at, (&(key, count, docs), f)) in engine.iter().zip(firsts).enumerate() {
        if f.n == 0 {
            return Err(not_these(format!("hold key {key}, which no partial has")));
        }
        let mut shared = Vec::new();
        while let Some((_, m)) = more.next_if(|m| m.0 == at) {
            shared.push(m);
        }
        let (c, d) = shared.iter().fold((f.count, f.docs), |(c, d), m| (c + m.count, d + m.docs));
        if (c, d) != (count, docs) {
            return Err(not_these(format!(
                "give key {key} {count} occurrences in {docs} documents, the partials {c} in {d}"
            )));
        }
        // a key several n-grams share was summed for them all: each is kept by its own count
        // (see `NgramSums::drain`)
        for row in [f].iter().chain(&shared) {
            sums.add(row.words(), row.count, row.docs);
        }
    }
    Ok(())
}

/// The rows of the n-gram table `path` (its `columns`), [`NGRAM_SLICE`] rows at a time, read
/// on a thread of their own one slice ahead of the reader.
pub(crate) fn ngram_slices(path: &Path, columns: &[String]) -> Result<std::sync::mpsc::IntoIter<Result<DataFrame>>> {
    slices(path, columns, "ngrams")
}

/// The rows of the table `path` (its `columns`), [`NGRAM_SLICE`] rows at a time, read on a
/// thread of their own one slice ahead of the reader.
pub(crate) fn slices(
    path: &Path,
    columns: &[String],
    table: &'static str,
) -> Result<std::sync::mpsc::IntoIter<Result<DataFrame>>> {
    let rows = rows_of(path, table)?;
    let (path, columns) = (path.to_path_buf(), columns.to_vec());
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    std::thread::spawn(move || {
        for start in (0..rows).step_by(NGRAM_SLICE) {
            let read = std::fs::File::open(&path)
                .map_err(|source| Error::Read { path: path.clone(), source })
                .and_then(|file| {
                    ParquetReader::new(file)
                        .with_columns(Some(columns.clone()))
                        .with_slice(Some((start, NGRAM_SLICE)))
                        .finish()
                        .table(table)
                });
            let failed = read.is_err();
            // a reader that stopped (an error of its own) takes no more
            if tx.send(read).is_err() || failed {
                break;
            }
        }
    });
    Ok(rx.into_iter())
}

/// Add the n-gram counts of the partial table `path` to `sums`, only those in part `part.0` of
/// `part.1` parts of the keys ([`crate::count::NgramSums::part_of`]); `ids` gives each word's id
/// in the merged vocabulary (which has every word of every shard's documents). The table is
/// read a slice of rows at a time.
pub fn add_ngrams(
    sums: &mut crate::count::NgramSums,
    path: &Path,
    ids: &rustc_hash::FxHashMap<&str, u32>,
    part: (usize, usize),
) -> Result<()> {
    const T: &str = "ngrams";
    let columns = ["tokens", "count", "doc_count"].map(String::from);
    let mut word_ids = Vec::with_capacity(4);
    for df in ngram_slices(path, &columns)? {
        let df = df?;
        let (tokens, count, docs) = (strs(&df, "tokens", T)?, u64s(&df, "count", T)?, u64s(&df, "doc_count", T)?);
        for i in 0..df.height() {
            word_ids_of(tokens[i], ids, path, &mut word_ids)?;
            if part.1 <= 1 || crate::count::NgramSums::part_of(&word_ids, part.1) == part.0 {
                sums.add(&word_ids, count[i], docs[i]);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u32_lists_round_trip_and_bad_lengths_are_errors() {
        let v = [0u32, 7, 65_536, u32::MAX];
        assert_eq!(from_le_u32s(&le_u32s(v.iter().copied()), "x", "d").unwrap(), v);
        assert!(from_le_u32s(&[1, 2, 3], "x", "d").is_err());
    }

    fn counts(rows: &[(&str, u64, u64)]) -> DataFrame {
        df!(
            "token" => rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            "count" => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
            "doc_count" => rows.iter().map(|r| r.2).collect::<Vec<_>>(),
            "stopword" => rows.iter().map(|r| r.0 == "的").collect::<Vec<_>>(),
        )
        .unwrap()
    }

    /// A Parquet n-gram table of `rows` (key, tokens, count, doc_count) at `path`.
    fn keyed_table(path: &Path, rows: &[(i64, &str, u64, u64)]) {
        let mut df = df!(
            "key" => rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            "tokens" => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
            "count" => rows.iter().map(|r| r.2 as i64).collect::<Vec<_>>(),
            "doc_count" => rows.iter().map(|r| r.3 as i64).collect::<Vec<_>>(),
        )
        .unwrap();
        ParquetWriter::new(std::fs::File::create(path).unwrap()).finish(&mut df).unwrap();
    }

    #[test]
    fn sums_by_key_take_their_words_from_the_partials_and_tell_shared_keys_apart() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b, engine) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("sums"));
        // key 5 is shared by two n-grams (as if their hashes collided); key 1 comes after key 9
        // (the next n's run of keys)
        keyed_table(&a, &[(5, "主题 教育", 2, 1), (5, "学 思想", 1, 1), (9, "强 党性", 3, 2), (1, "建 新功", 1, 1)]);
        keyed_table(&b, &[(1, "建 新功", 2, 1), (5, "主题 教育", 1, 1), (7, "重 实践", 1, 1)]);
        let words: Vec<String> =
            ["主题", "教育", "学", "思想", "强", "党性", "建", "新功", "重", "实践"].map(String::from).to_vec();
        let ids: rustc_hash::FxHashMap<&str, u32> =
            words.iter().enumerate().map(|(i, w)| (w.as_str(), i as u32)).collect();
        let vocab = crate::count::Vocab { words: words.clone() };
        let table = |sums: &[(i64, &str, u64, u64)]| {
            keyed_table(&engine, sums);
            let mut summed = crate::count::NgramSums::of_summed(&vocab);
            add_keyed_sums(&mut summed, std::slice::from_ref(&engine), &[a.clone(), b.clone()], &ids)
                .map(|()| summed.drain(2).table(&vocab, &Default::default()).unwrap())
        };
        // what an engine keeps of the keys' sums at --min-count 2 (its tokens are not read)
        let df = table(&[(9, "", 3, 2), (1, "", 3, 2), (5, "", 4, 3)]).unwrap();
        let got: Vec<(&str, u64, u64)> = strs(&df, "tokens", "t")
            .unwrap()
            .into_iter()
            .zip(u64s(&df, "count", "t").unwrap())
            .zip(u64s(&df, "doc_count", "t").unwrap())
            .map(|((t, c), d)| (t, c, d))
            .collect();
        // 学 思想 shares key 5 but is seen once: not kept; 主题 教育 has its own counts
        assert_eq!(got, [("主题 教育", 3, 2), ("建 新功", 3, 2), ("强 党性", 3, 2)]);
        // sums the partials do not add up to are refused
        for wrong in [&[(9, "", 4, 2)][..], &[(9, "", 3, 2), (8, "", 2, 1)], &[(9, "", 3, 2), (9, "", 3, 2)]] {
            let e = table(wrong).expect_err("refused").to_string();
            assert!(e.contains("were the sums made from these partials"), "{e}");
        }
    }

    #[test]
    fn n_gram_keys_are_a_fixed_hash_of_the_words() {
        use crate::count::ngram_key;
        let key = |t: &str| ngram_key(t.split(' '));
        // pinned (FNV-1a of the bytes, then the MurmurHash3 finaliser): partials of other
        // versions and machines sum by the same keys
        assert_eq!(key("主题 教育"), ngram_key(["主题", "教育"].into_iter()));
        assert_eq!(key("a b"), 0x53ca_607c_98c4_5326_u64 as i64, "{:#x}", key("a b"));
        // the words' places matter, not only their characters
        assert_ne!(key("主题 教育"), key("主 题教育"));
        assert_ne!(key("主题 教育"), key("教育 主题"));
    }

    #[test]
    fn token_counts_add_up_across_shards() {
        let a = counts(&[("主题", 3, 2), ("的", 1, 1)]);
        let b = counts(&[("教育", 2, 1), ("主题", 1, 1)]);
        let df = merge_tokens(vec![a, b], 7).unwrap();
        let tok = strs(&df, "token", "t").unwrap();
        assert_eq!(tok, ["主题", "教育", "的"]);
        assert_eq!(u64s(&df, "count", "t").unwrap(), [4, 2, 1]);
        assert_eq!(u64s(&df, "doc_count", "t").unwrap(), [3, 1, 1]);
        assert_eq!(crate::frame::f64s(&df, "per_10k", "t").unwrap(), [5714.2857, 2857.1429, 1428.5714]);
        assert_eq!(crate::frame::bools(&df, "stopword", "t").unwrap(), [false, false, true]);
    }
}
