//! Slogans in two passes on a real corpus: `../shared/corpus/gov-reports` cut into four shards
//! of whole files, each proposing and measuring on its own, decided from the sums; against one
//! run over all of it. Skipped when the corpus is not there.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use tifa::resources::Resources;
use tifa::segment::Segmenter;
use tifa::slogans::index::Index;
use tifa::slogans::stats::{Stats, Summed, Totals};
use tifa::slogans::union::{join, shard_settings};
use tifa::slogans::{Asked, Corpus, Settings, Slogans, decide, detect, discover};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .flat_map(|p| if p.is_dir() { files(&p) } else { vec![p] })
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    out.sort();
    out
}

#[test]
fn slogans_in_two_passes_count_as_one_run() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/gov-reports");
    if !dir.exists() {
        eprintln!("skipping: {} is not present", dir.display());
        return;
    }
    // one document per file, dated by the year its name begins with
    let paths = files(&dir);
    let texts: Vec<String> = paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    let year = |p: &PathBuf| p.file_name()?.to_str()?.get(..4)?.parse::<u32>().ok();
    let years: Vec<Option<u32>> = paths.iter().map(year).collect();
    let sources: Vec<u32> = (0..texts.len() as u32).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let res = Resources::builtin().unwrap();
    let seg = Segmenter::new(&res);
    let segs: Vec<_> = refs.iter().map(|t| seg.segment(t)).collect();
    let (settings, seen, track) = (Settings::default(), BTreeSet::new(), Vec::new());
    let corpus = Corpus { texts: &refs, segs: segs.clone(), sources: &sources, years: &years };
    let one = discover(corpus, &res, &seg, settings, &seen, &track, &[]).unwrap();

    // pass 1: each shard proposes; pass 2: each measures what all proposed
    let n = refs.len();
    let shards: Vec<(usize, usize)> = (0..4).map(|k| (k * n / 4, (k + 1) * n / 4)).collect();
    let index = |(a, b): (usize, usize)| Index::build_with_words(&refs[a..b], &segs[a..b], &sources[a..b]);
    let parts = shards
        .iter()
        .map(|&s| {
            detect(&refs[s.0..s.1], segs[s.0..s.1].to_vec(), &sources[s.0..s.1], &res.slogans, shard_settings(settings))
                .0
        })
        .collect();
    let joined = join(parts);
    let mut summed = Summed::default();
    for &(a, b) in &shards {
        let shard = index((a, b));
        summed.totals.add(&Totals::of(&shard, &years[a..b]));
        for t in joined.texts(&track) {
            let s = Stats::of(&shard, &t, &years[a..b]);
            summed.stats.entry(t).or_default().add(&s);
        }
    }
    let eras = summed.totals.eras();
    let proposed = joined.judge(&summed, settings);
    let ask = Asked { texts: &refs, res: &res, segmenter: &seg, settings, folded_seen: &seen, track: &track };
    let two = decide(proposed, summed, &eras, Vec::new(), ask).unwrap();

    fn rows(s: &Slogans) -> BTreeMap<&str, (u64, u64)> {
        s.list.iter().map(|x| (x.text.as_str(), (x.count, x.doc_count))).collect()
    }
    let (a, b) = (rows(&one), rows(&two));
    let both = a.keys().filter(|t| b.contains_key(*t)).count();
    for (t, x) in &a {
        if let Some(y) = b.get(t) {
            assert_eq!(x, y, "{t}");
        }
    }
    let alone = |x: &BTreeMap<&str, _>, y: &BTreeMap<&str, _>| -> Vec<String> {
        x.keys().filter(|t| !y.contains_key(*t)).map(|t| t.to_string()).collect()
    };
    let recurs_in_a_shard = |t: &str| shards.iter().any(|&s| index(s).count(t) >= 2);
    let (one_alone, two_alone) = (alone(&a, &b), alone(&b, &a));
    let lonely = one_alone.iter().filter(|t| !recurs_in_a_shard(t)).count();
    eprintln!(
        "{} slogans in one run, {} in two passes, {both} in both; one run alone: {} ({lonely} recur in no single shard): {one_alone:?}; two passes alone: {}: {two_alone:?}",
        a.len(),
        b.len(),
        one_alone.len(),
        two_alone.len(),
    );
    assert!(both as f64 >= 0.95 * a.len() as f64, "{both} of {} in both", a.len());
}
