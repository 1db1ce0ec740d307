//! Check on a real corpus that reuse's exact passages can be found in the stretches alone (see
//! `tifa::reuse::stretches`), and measure what that saves. The input is the clean text of a run
//! (`tifa reuse CORPUS --emit-clean -o DIR`, then DIR/clean):
//!
//! ```sh
//! cargo run --release --example stretches_check -- DIR/clean whole whole.tsv
//! cargo run --release --example stretches_check -- DIR/clean stretches stretches.tsv
//! cmp whole.tsv stretches.tsv && cmp whole.tsv.cov stretches.tsv.cov
//! ```
//!
//! `whole` runs `find_reuse` as every run does (which finds the passages in stretches of its
//! own, marked by bits over hashed windows); `stretches` counts the documents of every window
//! exactly (by a 64-bit hash, in one process, as an engine's group-by would across shards),
//! keeps those stretches and finds the passages there. Each writes the passages with their
//! places, and the characters each document shares (`.cov`).

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Instant;

use tifa::reuse::{Reuse, ReuseOptions, find_reuse, stretches};

fn walk(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        for e in std::fs::read_dir(p).expect("a folder") {
            walk(&e.expect("an entry").path(), out);
        }
    } else {
        out.push(p.to_path_buf());
    }
}

fn write(r: &Reuse, path: &str) {
    let rows: Vec<String> = r
        .passages
        .iter()
        .map(|p| format!("{}\t{:?}", p.text, p.occurrences.iter().map(|o| (o.doc, o.start)).collect::<Vec<_>>()))
        .collect();
    std::fs::write(path, rows.join("\n")).expect("written");
    std::fs::write(format!("{path}.cov"), format!("{:?}\n{:?}", r.shared_chars, r.common_chars)).expect("written");
}

fn hash(w: &[char]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    w.hash(&mut h);
    h.finish()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, dir, how, out] = args.as_slice() else {
        eprintln!("usage: stretches_check CLEAN_DIR whole|stretches OUT");
        std::process::exit(2);
    };
    let mut files = Vec::new();
    walk(Path::new(dir), &mut files);
    files.sort();
    // --emit-clean ends each text with a line break
    let texts: Vec<String> = files
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("UTF-8").strip_suffix('\n').map(str::to_string).unwrap_or_default())
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let opts = ReuseOptions::default();
    let start = Instant::now();
    if how == "whole" {
        let r = find_reuse(&refs, opts);
        eprintln!("find_reuse: {} passages in {:.2?}", r.passages.len(), start.elapsed());
        write(&r, out);
        return;
    }
    let min = opts.min_chars;
    // each window's first document, or u32::MAX once a second one has it
    let mut docs_of: HashMap<u64, u32> = HashMap::new();
    for (d, t) in refs.iter().enumerate() {
        let chars: Vec<char> = t.chars().collect();
        for w in chars.split(|&c| c == '\n').flat_map(|line| line.windows(min)) {
            let first = docs_of.entry(hash(w)).or_insert(d as u32);
            if *first != d as u32 {
                *first = u32::MAX;
            }
        }
    }
    let shared: HashSet<u64> = docs_of.iter().filter(|(_, d)| **d == u32::MAX).map(|(h, _)| *h).collect();
    eprintln!("{} distinct windows, {} in two documents or more", docs_of.len(), shared.len());
    drop(docs_of);
    let st: Vec<Vec<(u32, u32)>> =
        refs.iter().map(|t| stretches::stretches(t, min, |w| shared.contains(&hash(w)))).collect();
    drop(shared);
    let kept: u64 = st.iter().flatten().map(|&(s, e)| u64::from(e - s)).sum();
    let all: u64 = refs.iter().map(|t| t.chars().count() as u64).sum();
    eprintln!(
        "stretches: {kept} of {all} characters ({:.1} %) after {:.2?}",
        100.0 * kept as f64 / all as f64,
        start.elapsed()
    );
    let found = Instant::now();
    let r = stretches::passages_in(&refs, &st, opts);
    eprintln!("stretches: {} passages in {:.2?}", r.passages.len(), found.elapsed());
    write(&r, out);
}
