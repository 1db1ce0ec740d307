//! Slogans in two passes at a real corpus's scale, as the library's tests run them on small
//! ones: in pass 1 each partial's shard proposes what its documents show
//! (`slogans::propose_in_documents`) and the whole corpus's phrases are found `PARTS` ranges of
//! first characters at a time (`Symbols::sorted_range`); in pass 2 the shards measure, round
//! after round, the strings the decisions ask about and the sums do not hold yet
//! (`slogans::stats::Asking`), each string's sums finished into the few numbers the decisions
//! read (`slogans::stats::Finished`). Prints each step's time and size (the strings measured,
//! the statistic rows each shard would send, what the sums and the finished measures take),
//! then decides once more over one index of the whole corpus and says whether the slogans are
//! the same.
//!
//! Usage: `PARTS=4 cargo run --release --example slogans_in_two_passes -- PARTIAL...` (folders
//! written by `tifa analyze --partial`, e.g. a Spark run's `--keep-work` parts). With `ASKED`
//! set to a file name it writes the first round's strings there, one a line.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

#[path = "common/shard.rs"]
mod common;

use common::Shard;
use rayon::prelude::*;
use tifa::resources::Resources;
use tifa::segment::Segmenter;
use tifa::slogans::index::{Index, Symbols};
use tifa::slogans::phrase::find_phrases;
use tifa::slogans::stats::{Asking, Finished, FinishedSums, Stats, Summed, Totals};
use tifa::slogans::union::{decide_in_rounds, join_with_phrases};
use tifa::slogans::{Asked, Corpus, Settings, decide, discover, phrase_limits, propose_in_documents};

fn main() -> tifa::error::Result<()> {
    let dirs: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if dirs.is_empty() {
        eprintln!("usage: PARTS=4 slogans_in_two_passes PARTIAL...");
        std::process::exit(2);
    }
    let parts: usize = std::env::var("PARTS").ok().and_then(|p| p.parse().ok()).unwrap_or(4);
    let res = Resources::builtin()?;
    let segmenter = Segmenter::new(&res);
    let settings = Settings::default();
    let shards: Vec<Shard> = dirs.iter().map(|d| Shard::read(d)).collect::<tifa::error::Result<_>>()?;
    // the whole corpus, the shards one after another, source numbers of each after the last's
    let (mut texts, mut sources, mut years, mut segs) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut bounds = vec![0];
    for s in &shards {
        let base = sources.iter().max().map_or(0, |&m: &u32| m + 1);
        sources.extend(s.sources.iter().map(|x| x + base));
        texts.extend(s.refs());
        years.extend(s.years.iter().copied());
        segs.extend(s.segs.iter().cloned());
        bounds.push(texts.len());
    }
    let shard_of = |k: usize| bounds[k]..bounds[k + 1];

    let t = Instant::now();
    let proposals: Vec<_> = shards.iter().map(|s| propose_in_documents(&s.refs(), &s.segs, &res.slogans)).collect();
    let candidates: usize = proposals.iter().map(|p| p.cands.len()).sum();
    println!(
        "pass 1, documents: {candidates} candidates from {} shards in {:.1} s",
        shards.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let mut symbols = Symbols::of(&texts, &segs, &sources);
    let mut phrases = Vec::new();
    for r in symbols.first_symbol_ranges(parts) {
        let index = symbols.sorted_range(r);
        phrases.extend(find_phrases(&index, phrase_limits(settings)));
        symbols = index.into_symbols();
    }
    drop(symbols);
    phrases.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    println!("pass 1, phrases: {} in {parts} ranges in {:.1} s", phrases.len(), t.elapsed().as_secs_f64());
    let proposed = join_with_phrases(proposals, phrases);
    println!("joined: {} candidates, {} phrases", proposed.cands.len(), proposed.phrases.len());

    let t = Instant::now();
    let indexes: Vec<Index> = (0..shards.len())
        .map(|k| Index::build_with_words(&texts[shard_of(k)], &segs[shard_of(k)], &sources[shard_of(k)]))
        .collect();
    println!("shard indexes in {:.1} s", t.elapsed().as_secs_f64());
    let mut summed = Summed::default();
    for (k, index) in indexes.iter().enumerate() {
        summed.totals.add(&Totals::of(index, &years[shard_of(k)]));
    }
    let eras = summed.totals.eras();
    let seen = BTreeSet::new();
    let ask = || Asked { texts: &texts, res: &res, segmenter: &segmenter, settings, folded_seen: &seen, track: &[] };
    let decide_round = |asking: &Asking| {
        let t = Instant::now();
        let slogans = decide(proposed.clone(), asking, &eras, Vec::new(), ask())?;
        println!("decided in {:.1} s: {} slogans", t.elapsed().as_secs_f64(), slogans.list.len());
        Ok(slogans)
    };
    let mut finished = FinishedSums { eras: eras.clone(), ..Default::default() };
    let measure = |missing: &[String], finished: &mut FinishedSums| {
        // the strings of the first round, for `tifa measure --strings`
        if let Some(path) = std::env::var_os("ASKED").filter(|_| finished.measures.is_empty()) {
            std::fs::write(path, missing.join("\n"))
                .map_err(|source| tifa::Error::Write { path: "ASKED".into(), source })?;
        }
        let chars: usize = missing.iter().map(|m| m.chars().count()).sum();
        for (k, index) in indexes.iter().enumerate() {
            let t = Instant::now();
            let y = &years[shard_of(k)];
            let stats: Vec<Stats> = missing.par_iter().map(|m| Stats::of(index, m, y)).collect();
            let rows: usize = stats.par_iter().map(|s| s.rows().len()).sum();
            println!(
                "  shard {k}: {} strings ({chars} characters) measured in {:.1} s, {rows} rows",
                missing.len(),
                t.elapsed().as_secs_f64()
            );
            for (m, s) in missing.iter().zip(stats) {
                summed.stats.entry(m.clone()).or_default().add(&s);
            }
        }
        // each string's sums finished, as where they are summed
        for m in missing {
            finished.measures.insert(m.clone(), Finished::of(&summed.stats[m], m, &summed.totals, &eras));
        }
        Ok::<_, tifa::error::Error>(())
    };
    let (two, measured) = decide_in_rounds(&mut finished, decide_round, measure)?;
    println!("strings measured in each round: {measured:?}");
    drop(indexes);
    // what the driver holds when it decides from the sums
    let rows: usize = summed.stats.par_iter().map(|(_, s)| s.rows().len()).sum();
    let dated: usize = summed.stats.par_iter().map(|(_, s)| s.years.len()).sum();
    println!(
        "the sums: {} strings, {rows} statistic rows ({dated} dated documents among them), {} bytes of Stats beside their lists",
        summed.stats.len(),
        summed.stats.len() * std::mem::size_of::<Stats>()
    );
    let keys: usize = finished.measures.keys().map(String::len).sum();
    println!(
        "finished where summed: {} bytes of measures and {keys} bytes of strings",
        finished.measures.len() * std::mem::size_of::<Finished>()
    );

    let t = Instant::now();
    let corpus = Corpus { texts: &texts, segs, sources: &sources, years: &years };
    let one = discover(corpus, &res, &segmenter, settings, &seen, &[], &[])?;
    println!("one discovery over the whole corpus in {:.1} s: {} slogans", t.elapsed().as_secs_f64(), one.list.len());
    let same = one.list == two.list && one.patterns == two.patterns;
    println!("two passes and one discovery: {}", if same { "the same slogans" } else { "DIFFERENT" });
    Ok(())
}
