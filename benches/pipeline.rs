//! Throughput of the hot stages (clean, segment, count, slogan discovery, reuse) and of a whole `analyze` run,
//! on the sample corpus in `data/sample`, in bytes per second.

use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tifa::ingest;
use tifa::resources::Resources;

fn sample() -> (Vec<String>, u64) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let res = Resources::builtin().unwrap();
    let files = ingest::discover(&[dir], std::path::Path::new("reports")).unwrap().files;
    let (docs, _) = ingest::read_all(&files, &res.split, &Default::default(), true, &|_| {});
    let bytes = docs.iter().map(|d| d.raw.len() as u64).sum();
    (docs.into_iter().map(|d| d.raw).collect(), bytes)
}

fn stages(c: &mut Criterion) {
    let res = Resources::builtin().unwrap();
    let (raw, bytes) = sample();
    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("clean", |b| b.iter(|| raw.iter().map(|r| tifa::clean::clean(r, &res).text.len()).sum::<usize>()));
    let clean: Vec<String> = raw.iter().map(|r| tifa::clean::clean(r, &res).text).collect();
    let seg = tifa::segment::Segmenter::new(&res);
    g.bench_function("segment", |b| b.iter(|| clean.iter().map(|t| seg.segment(t).tokens.len()).sum::<usize>()));
    let texts: Vec<&str> = clean.iter().map(String::as_str).collect();
    let segs: Vec<_> = texts.iter().map(|t| seg.segment(t)).collect();
    let stop: rustc_hash::FxHashSet<String> = res.stopwords.iter().cloned().collect();
    g.bench_function("count", |b| {
        b.iter(|| {
            let (vocab, docs) = tifa::count::intern(&texts, &segs);
            let tokens = tifa::count::token_table(&vocab, &docs, &stop).unwrap();
            tokens.height() + tifa::count::ngram_table(&vocab, &docs, 2..=4, 2, &stop).unwrap().height()
        })
    });
    g.bench_function("reuse", |b| {
        b.iter(|| tifa::reuse::find_reuse(&texts, tifa::reuse::ReuseOptions::default()).passages.len())
    });
    g.bench_function("slogans", |b| {
        // discovery takes the words over; each run gets its own copy, made outside the timing
        b.iter_batched(
            || segs.clone(),
            |segs| {
                let corpus = tifa::slogans::Corpus { texts: &texts, segs, sources: &[], years: &[] };
                let settings = tifa::slogans::Settings::default();
                tifa::slogans::discover(corpus, &res, &seg, settings, &Default::default(), &[], &[]).unwrap().list.len()
            },
            criterion::BatchSize::LargeInput,
        )
    });
    g.finish();
}

fn whole_run(c: &mut Criterion) {
    let (_, bytes) = sample();
    let out = tempfile::tempdir().unwrap();
    let opts = tifa::Options {
        inputs: vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/sample")],
        output: out.path().to_path_buf(),
        ..tifa::Options::default()
    };
    let mut g = c.benchmark_group("analyze");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(10);
    g.bench_function("data/sample", |b| b.iter(|| tifa::analyze(&opts, &tifa::Silent).unwrap().counts.documents));
    g.finish();
}

criterion_group!(benches, stages, whole_run);
criterion_main!(benches);
