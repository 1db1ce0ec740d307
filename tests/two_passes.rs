//! Slogans in two passes on a real corpus: `../shared/corpus/gov-reports` cut into four shards
//! of whole files, each proposing what its documents show and measuring what the decisions ask,
//! with the whole corpus's phrases found range by range and the decisions made from the sums;
//! against one run over all of it. Skipped when the corpus is not there.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tifa::resources::Resources;
use tifa::segment::Segmenter;
use tifa::slogans::index::{Index, Symbols};
use tifa::slogans::phrase::find_phrases;
use tifa::slogans::stats::{Stats, Summed, Totals};
use tifa::slogans::union::{decide_in_rounds, join_with_phrases};
use tifa::slogans::{Asked, Corpus, Settings, decide, discover, phrase_limits, propose_in_documents};

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

    // pass 1: each shard proposes what its documents show; the whole corpus's phrases are
    // found four ranges of first characters at a time
    let n = refs.len();
    let shards: Vec<(usize, usize)> = (0..4).map(|k| (k * n / 4, (k + 1) * n / 4)).collect();
    let parts = shards.iter().map(|&(a, b)| propose_in_documents(&refs[a..b], &segs[a..b], &res.slogans)).collect();
    let mut symbols = Symbols::of(&refs, &segs, &sources);
    let mut phrases = Vec::new();
    let ranges = symbols.first_symbol_ranges(4);
    assert_eq!(ranges.len(), 4, "{ranges:?}");
    for r in ranges {
        let index = symbols.sorted_range(r);
        phrases.extend(find_phrases(&index, phrase_limits(settings)));
        symbols = index.into_symbols();
    }
    phrases.sort_by(|a, b| a.0.cmp(&b.0));
    let proposed = join_with_phrases(parts, phrases);

    // pass 2: the shards measure what the decisions ask and the sums do not hold yet, round
    // after round until they hold all of it
    let indexes: Vec<Index> =
        shards.iter().map(|&(a, b)| Index::build_with_words(&refs[a..b], &segs[a..b], &sources[a..b])).collect();
    let mut summed = Summed::default();
    for (&(a, b), shard) in shards.iter().zip(&indexes) {
        summed.totals.add(&Totals::of(shard, &years[a..b]));
    }
    let eras = summed.totals.eras();
    let measure = |missing: &[String], summed: &mut Summed| {
        for (&(a, b), shard) in shards.iter().zip(&indexes) {
            for t in missing {
                summed.stats.entry(t.clone()).or_default().add(&Stats::of(shard, t, &years[a..b]));
            }
        }
        Ok(())
    };
    let ask = || Asked { texts: &refs, res: &res, segmenter: &seg, settings, folded_seen: &seen, track: &track };
    let (two, measured) =
        decide_in_rounds(&mut summed, |asking| decide(proposed.clone(), asking, &eras, Vec::new(), ask()), measure)
            .unwrap();
    eprintln!("{} slogans both ways; strings measured in each round: {measured:?}", one.list.len());
    assert!(one.list.len() > 1000, "{} slogans", one.list.len());
    assert_eq!(two.patterns, one.patterns);
    for (x, y) in one.list.iter().zip(&two.list) {
        assert_eq!(x, y);
    }
    assert_eq!(two.list.len(), one.list.len());
}
