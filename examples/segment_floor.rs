//! The speed floor for `scripts/bench.sh`: read every .txt/.md file under the given folders and
//! segment it with bare jieba-rs (HMM on) on all cores, nothing else. Prints files, bytes and tokens.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "txt" || e == "md") {
            out.push(p);
        }
    }
}

fn main() {
    let mut paths = Vec::new();
    for arg in std::env::args().skip(1) {
        files(Path::new(&arg), &mut paths);
    }
    let jieba = jieba_rs::Jieba::new();
    let (bytes, tokens) = (AtomicU64::new(0), AtomicU64::new(0));
    paths.par_iter().for_each(|p| {
        let raw = std::fs::read(p).unwrap_or_default();
        let text = String::from_utf8_lossy(&raw);
        bytes.fetch_add(raw.len() as u64, Ordering::Relaxed);
        tokens.fetch_add(jieba.cut(&text, true).len() as u64, Ordering::Relaxed);
    });
    println!("{} files, {} bytes, {} tokens", paths.len(), bytes.into_inner(), tokens.into_inner());
}
