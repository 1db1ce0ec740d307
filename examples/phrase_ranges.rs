//! Phrase discovery cut by the first symbol of the suffixes: the whole corpus's symbols are
//! built once from the partials given, then each range's suffixes are sorted
//! (`Symbols::sorted_range`) and its phrases found, one range after another. Prints each
//! range's suffixes, sorting and finding times and phrases, and the peak memory from the
//! symbols on (the texts and words are freed first). With `PARTS=0` it sorts the whole index
//! with libsais instead, as one run does; with `CHECK` set in the environment it does both
//! and says whether the phrases are the same.
//!
//! Usage: `PARTS=4 cargo run --release --example phrase_ranges -- PARTIAL...` (folders written
//! by `tifa analyze --partial`, e.g. a Spark run's `--keep-work` parts).

use std::path::PathBuf;
use std::time::Instant;

#[path = "common/shard.rs"]
mod common;

use common::Shard;
use tifa::slogans::index::Symbols;
use tifa::slogans::phrase::{Freedom, PhraseLimits, find_phrases};

/// A line of `/proc/self/status`, in MB.
fn status_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// Start measuring the peak again from what the process holds now.
fn reset_peak() {
    // 5 resets the peak resident set size (proc(5), clear_refs)
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn phrases_by_range(symbols: Symbols, parts: usize, limits: PhraseLimits) -> (Vec<(String, Freedom)>, Symbols) {
    let mut symbols = symbols;
    let mut found = Vec::new();
    for r in symbols.first_symbol_ranges(parts) {
        let t = Instant::now();
        let index = symbols.sorted_range(r.clone());
        let sorted = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let phrases = find_phrases(&index, limits);
        println!(
            "symbols {:>5}..{:<5}: {:>10} suffixes sorted in {:.2} s, {:>9} phrases in {:.2} s, peak {:.0} MB",
            r.start,
            r.end,
            index.len(),
            sorted,
            phrases.len(),
            t.elapsed().as_secs_f64(),
            status_mb("VmHWM:")
        );
        found.extend(phrases);
        symbols = index.into_symbols();
    }
    found.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    (found, symbols)
}

fn main() -> tifa::error::Result<()> {
    let dirs: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if dirs.is_empty() {
        eprintln!("usage: PARTS=4 phrase_ranges PARTIAL...");
        std::process::exit(2);
    }
    let parts: usize = std::env::var("PARTS").ok().and_then(|p| p.parse().ok()).unwrap_or(4);
    let (mut texts, mut sources, mut segs) = (Vec::new(), Vec::new(), Vec::new());
    for d in &dirs {
        let shard = Shard::read(d)?;
        // source numbers of one shard after those of the shards before it
        let base = sources.iter().max().map_or(0, |&m| m + 1);
        sources.extend(shard.sources.iter().map(|s| s + base));
        texts.extend(shard.texts);
        segs.extend(shard.segs);
    }
    let t = Instant::now();
    let symbols = {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        Symbols::of(&refs, &segs, &sources)
    };
    println!(
        "{} documents: {} positions indexed, symbols in {:.2} s",
        texts.len(),
        symbols.indexed(),
        t.elapsed().as_secs_f64()
    );
    drop((texts, segs));
    let limits = PhraseLimits::default();
    let held = status_mb("VmRSS:");
    reset_peak();
    let t = Instant::now();
    if parts == 0 || std::env::var_os("CHECK").is_some() {
        let index = if std::env::var_os("CHECK").is_some() {
            // the symbols are needed again for the ranges
            let (ranged, symbols) = phrases_by_range(symbols, parts.max(1), limits);
            let index = symbols.sorted();
            let whole = find_phrases(&index, limits);
            println!(
                "{} phrases range by range, {} at once: {}",
                ranged.len(),
                whole.len(),
                if ranged == whole { "the same" } else { "DIFFERENT" }
            );
            index
        } else {
            let index = symbols.sorted();
            let sorted = t.elapsed().as_secs_f64();
            let whole = find_phrases(&index, limits);
            println!("whole index sorted in {sorted:.2} s, {} phrases", whole.len());
            index
        };
        drop(index);
    } else {
        let (found, _) = phrases_by_range(symbols, parts, limits);
        println!("{} phrases in {parts} parts", found.len());
    }
    println!(
        "{:.2} s; held before: {held:.0} MB, peak from there: {:.0} MB",
        t.elapsed().as_secs_f64(),
        status_mb("VmHWM:")
    );
    Ok(())
}
