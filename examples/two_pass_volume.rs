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

use std::path::PathBuf;
use std::time::Instant;

#[path = "common/shard.rs"]
mod common;

use common::Shard;
use rayon::prelude::*;
use tifa::resources::Resources;
use tifa::segment::Segmenter;
use tifa::slogans::index::Index;
use tifa::slogans::stats::Stats;
use tifa::slogans::union::{join, shard_settings};
use tifa::slogans::{MIN_ENTROPY, Settings, detect, word_checks};

/// What a shard's pass 2 keeps of a string: its documents, its statistic rows, and each side's
/// occurrences and neighbour entropy.
type Measured = (u64, usize, [(u64, f64); 6]);

/// One side's neighbours of a string summed over shards: the occurrences `n`, and the sums of
/// `n·H` and `n·log2 n` over the shards (`H` a shard's entropy).
#[derive(Debug, Clone, Copy, Default)]
struct Mix {
    n: f64,
    nh: f64,
    nlogn: f64,
}

impl Mix {
    fn add(&mut self, n: u64, h: f64) {
        if n > 0 {
            let n = n as f64;
            (self.n, self.nh, self.nlogn) = (self.n + n, self.nh + n * h, self.nlogn + n * n.log2());
        }
    }

    /// The least and the greatest entropy the summed histogram can have.
    fn bounds(&self) -> (f64, f64) {
        if self.n == 0.0 {
            return (0.0, 0.0);
        }
        let low = self.nh / self.n;
        (low, low + self.n.log2() - self.nlogn / self.n)
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
    // each side's neighbours summed over the shards as three numbers, not a histogram
    let mut mixes = vec![[Mix::default(); 6]; asked.len()];
    for s in &shards {
        let index = Index::build_with_words(&s.refs(), &s.segs, &s.sources);
        let years = vec![None; s.texts.len()];
        let started = Instant::now();
        let here: Vec<Measured> = asked
            .par_iter()
            .map(|t| {
                let stats = Stats::of(&index, t, &years);
                let sides = [
                    &stats.left,
                    &stats.right,
                    &stats.frame_left,
                    &stats.frame_right,
                    &stats.set_left,
                    &stats.set_right,
                ]
                .map(|n| (n.total(), if n.total() > 0 { n.entropy() } else { 0.0 }));
                (stats.docs, stats.rows().len(), sides)
            })
            .collect();
        println!(
            "measured in {:.1} s: {} rows",
            started.elapsed().as_secs_f64(),
            here.iter().map(|h| h.1).sum::<usize>()
        );
        for ((d, m), (docs_here, _, sides)) in docs.iter_mut().zip(mixes.iter_mut()).zip(&here) {
            *d += docs_here;
            m.iter_mut().zip(sides).for_each(|(m, &(n, h))| m.add(n, h));
        }
        rows.push(here.into_iter().map(|h| h.1).collect());
    }
    for min in [2, 3, 5, 10] {
        let kept: Vec<usize> = (0..asked.len()).filter(|&i| docs[i] >= min).collect();
        let all: usize = rows.iter().map(|r| kept.iter().map(|&i| r[i]).sum::<usize>()).sum();
        println!("in >= {min} documents: {} strings, {all} rows over all shards", kept.len());
    }
    // the entropy of a sum of histograms lies between the shards' mean entropy (weighted by
    // their counts) and that plus the entropy of the weights: where both bounds are on one side
    // of MIN_ENTROPY, the decision needs no histogram
    let open = |m: &Mix| {
        let (low, high) = m.bounds();
        low < MIN_ENTROPY && high >= MIN_ENTROPY
    };
    let in_two: Vec<usize> = (0..asked.len()).filter(|&i| docs[i] >= 2).collect();
    let plain_open = in_two.iter().filter(|&&i| open(&mixes[i][0]) || open(&mixes[i][1])).count();
    let any_open: Vec<usize> = in_two.iter().copied().filter(|&i| mixes[i].iter().any(open)).collect();
    let open_rows: usize = rows.iter().map(|r| any_open.iter().map(|&i| r[i]).sum::<usize>()).sum();
    println!(
        "in >= 2 documents: {} strings; left or right entropy left open by the bounds: {plain_open}; any side open: {} ({open_rows} rows over all shards)",
        in_two.len(),
        any_open.len()
    );
    Ok(())
}
