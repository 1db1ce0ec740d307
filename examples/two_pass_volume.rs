//! How much slogans in two passes would send through an engine: each partial's shard proposes
//! (`slogans::union::shard_settings`), the proposals are joined, and every shard measures the
//! joined list (`slogans::stats::Stats`); prints the proposals, the joined list, the long
//! statistic rows per shard, and how many strings and rows remain when only strings in at least
//! 2, 3, 5 or 10 documents over all shards are kept. After pass 1 it prints how many of each
//! shard's phrases pass the word rules (which read only the string, so a shard could apply them
//! before sending), and the joined list they would leave; with `PROPOSALS_ONLY` set in the
//! environment it stops there.
//!
//! Usage: `cargo run --release --example two_pass_volume -- PARTIAL...` (folders written by
//! `tifa analyze --partial`, e.g. a Spark run's `--keep-work` parts).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use tifa::resources::Resources;
use tifa::segment::Segmented;
use tifa::segment::Segmenter;
use tifa::slogans::index::Index;
use tifa::slogans::stats::Stats;
use tifa::slogans::union::{join, shard_settings};
use tifa::slogans::{Settings, detect, word_checks};

/// A shard's clean texts, source numbers and words, read from its partial.
struct Shard {
    texts: Vec<String>,
    sources: Vec<u32>,
    segs: Vec<Segmented>,
}

impl Shard {
    fn read(dir: &Path) -> tifa::error::Result<Shard> {
        let s = tifa::partial::read(dir)?;
        let texts: Vec<String> = s.docs.iter().map(|(_, c)| c.text.clone()).collect();
        let mut numbers = HashMap::new();
        let sources = s
            .docs
            .iter()
            .map(|(m, _)| {
                let n = numbers.len() as u32;
                *numbers.entry(m.source.clone()).or_insert(n)
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let place = s.docs.iter().enumerate().map(|(i, (m, _))| (m.doc_id.as_str(), i)).collect();
        let mut segs = vec![Segmented::default(); refs.len()];
        tifa::partial::read_words(dir, &place, &refs, &mut segs)?;
        Ok(Shard { texts, sources, segs })
    }

    fn refs(&self) -> Vec<&str> {
        self.texts.iter().map(String::as_str).collect()
    }
}

fn main() -> tifa::error::Result<()> {
    let dirs: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if dirs.is_empty() {
        eprintln!("usage: two_pass_volume PARTIAL...");
        std::process::exit(2);
    }
    let res = Resources::builtin()?;
    let settings = Settings::default();
    let shards: Vec<Shard> = dirs.iter().map(|d| Shard::read(d)).collect::<tifa::error::Result<_>>()?;

    let started = Instant::now();
    let parts: Vec<_> = shards
        .iter()
        .map(|s| {
            let (p, _) = detect(&s.refs(), s.segs.clone(), &s.sources, &res.slogans, shard_settings(settings));
            println!(
                "shard of {} documents proposes {} candidates and {} phrases",
                s.texts.len(),
                p.cands.len(),
                p.phrases.len()
            );
            p
        })
        .collect();
    println!("pass 1: {:.1} s", started.elapsed().as_secs_f64());
    // the word rules read only the string: each shard can leave out the phrases they reject
    // for a phrase and for a set phrase alike
    let segmenter = Segmenter::new(&res);
    let rules = &res.not_slogans;
    let words_pass = |t: &str| {
        let w = word_checks(t, &segmenter, rules);
        w.shape_ok && (w.words_ok || w.few_words)
    };
    let mut kept_phrases = std::collections::BTreeSet::new();
    for p in &parts {
        let pass: Vec<&str> = p.phrases.par_iter().map(|(t, _)| t.as_str()).filter(|t| words_pass(t)).collect();
        println!("shard: {} of {} phrases pass the word rules", pass.len(), p.phrases.len());
        kept_phrases.extend(pass.into_iter().map(String::from));
    }
    let cands: std::collections::BTreeSet<&str> =
        parts.iter().flat_map(|p| p.cands.iter().map(|c| c.text.as_str())).collect();
    println!("joined: {} candidates, {} phrases passing the word rules", cands.len(), kept_phrases.len());
    if std::env::var_os("PROPOSALS_ONLY").is_some() {
        return Ok(());
    }
    let asked = join(parts).texts(&[]);
    println!("joined: {} strings", asked.len());

    let mut docs = vec![0u64; asked.len()];
    let mut rows: Vec<Vec<usize>> = Vec::new();
    for s in &shards {
        let index = Index::build_with_words(&s.refs(), &s.segs, &s.sources);
        let years = vec![None; s.texts.len()];
        let started = Instant::now();
        let here: Vec<usize> = asked
            .iter()
            .zip(docs.iter_mut())
            .map(|(t, d)| {
                let stats = Stats::of(&index, t, &years);
                *d += stats.docs;
                stats.rows().len()
            })
            .collect();
        println!("measured in {:.1} s: {} rows", started.elapsed().as_secs_f64(), here.iter().sum::<usize>());
        rows.push(here);
    }
    for min in [2, 3, 5, 10] {
        let kept: Vec<usize> = (0..asked.len()).filter(|&i| docs[i] >= min).collect();
        let all: usize = rows.iter().map(|r| kept.iter().map(|&i| r[i]).sum::<usize>()).sum();
        println!("in >= {min} documents: {} strings, {all} rows over all shards", kept.len());
    }
    Ok(())
}
