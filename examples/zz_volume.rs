use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;
use tifa::resources::Resources;
use tifa::segment::Segmented;
use tifa::slogans::index::Index;
use tifa::slogans::stats::Stats;
use tifa::slogans::union::{join, shard_settings};
use tifa::slogans::{Settings, detect};
fn main() {
    let dirs: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let res = Resources::builtin().unwrap();
    let settings = Settings::default();
    let mut shards = Vec::new();
    for d in &dirs {
        let s = tifa::partial::read(d).unwrap();
        let texts: Vec<String> = s.docs.iter().map(|(_, c)| c.text.clone()).collect();
        let ids: Vec<String> = s.docs.iter().map(|(m, _)| m.doc_id.clone()).collect();
        let mut src = HashMap::new();
        let sources: Vec<u32> = s
            .docs
            .iter()
            .map(|(m, _)| {
                let n = src.len() as u32;
                *src.entry(m.source.clone()).or_insert(n)
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let place: rustc_hash::FxHashMap<&str, usize> = ids.iter().enumerate().map(|(i, x)| (x.as_str(), i)).collect();
        let mut segs = vec![Segmented::default(); refs.len()];
        tifa::partial::read_words(d, &place, &refs, &mut segs).unwrap();
        drop(place);
        shards.push((texts.clone(), sources, segs));
    }
    let t = Instant::now();
    let parts = shards
        .iter()
        .map(|(texts, sources, segs)| {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let (p, _) = detect(&refs, segs.clone(), sources, &res.slogans, shard_settings(settings));
            eprintln!("shard: {} docs proposes {} cands {} phrases", refs.len(), p.cands.len(), p.phrases.len());
            p
        })
        .collect();
    eprintln!("pass 1 {:.1}s", t.elapsed().as_secs_f64());
    let joined = join(parts);
    let asked = joined.texts(&[]);
    eprintln!("joined {} texts", asked.len());
    let mut docs = vec![0u64; asked.len()];
    let mut occ = vec![0u64; asked.len()];
    let mut rows_of: Vec<Vec<usize>> = Vec::new();
    for (texts, sources, segs) in &shards {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let idx = Index::build_with_words(&refs, segs, sources);
        let years = vec![None; refs.len()];
        let t = Instant::now();
        let r: Vec<usize> = asked
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let s = Stats::of(&idx, x, &years);
                docs[i] += s.docs;
                occ[i] += s.occurrences;
                s.rows().len()
            })
            .collect();
        eprintln!("measured in {:.1}s: {} rows", t.elapsed().as_secs_f64(), r.iter().sum::<usize>());
        rows_of.push(r);
    }
    for min in [2u64, 3, 5, 10] {
        let keep: Vec<usize> = (0..asked.len()).filter(|&i| docs[i] >= min).collect();
        let rows: usize = rows_of.iter().map(|r| keep.iter().map(|&i| r[i]).sum::<usize>()).sum();
        eprintln!("docs >= {min}: {} texts, {} stat rows over all shards", keep.len(), rows);
    }
}
