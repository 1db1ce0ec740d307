//! Integration tests: run the real `tifa` binary on fixture corpora and check its reports.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use polars::prelude::*;
use tifa::slogans::stats::{Finished, Measures};

fn tifa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tifa")).args(args).output().expect("run tifa")
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The fixture corpus plus files made here: GBK text, an empty file, UTF-8 with invalid bytes.
fn fixture_corpus(tmp: &Path) -> PathBuf {
    let root = tmp.join("corpus");
    copy_dir(&repo().join("tests/fixtures/corpus"), &root);
    let gbk_text = "关于主题教育的心得体会\n要增强“四个意识”、坚定“四个自信”、做到“两个维护”，以“十查十看”为抓手，推动主题教育走深走实。";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(gbk_text);
    assert!(!unmappable);
    std::fs::write(root.join("gbk_2023.txt"), &gbk).unwrap();
    std::fs::write(root.join("empty.txt"), b"").unwrap();
    let mut broken = "同志们：今天我们召开主题教育工作会议，增强“四个意识”。".repeat(3).into_bytes();
    broken.splice(42..42, [0xFF, 0xFE, 0x80]);
    std::fs::write(root.join("broken.txt"), &broken).unwrap();
    root
}

/// `../shared/corpus/gov-reports`, or `None` with a message saying the test is skipped.
fn shared_gov_reports() -> Option<PathBuf> {
    let corpus = repo().join("../shared/corpus/gov-reports");
    if corpus.is_dir() {
        Some(corpus)
    } else {
        eprintln!("skipping: {} is not present", corpus.display());
        None
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn read_parquet(path: &Path) -> DataFrame {
    ParquetReader::new(std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .finish()
        .unwrap()
}

fn strs(df: &DataFrame, name: &str) -> Vec<String> {
    df.column(name).unwrap().str().unwrap().iter().map(|s| s.expect("no nulls").to_string()).collect()
}

fn opt_strs(df: &DataFrame, name: &str) -> Vec<Option<String>> {
    df.column(name).unwrap().str().unwrap().iter().map(|s| s.map(str::to_string)).collect()
}

fn f64s(df: &DataFrame, name: &str) -> Vec<f64> {
    df.column(name).unwrap().f64().unwrap().iter().map(|v| v.expect("no nulls")).collect()
}

/// "N occurrences in M documents" from `tifa kwic`.
fn kwic_total(o: &Output) -> (usize, usize) {
    assert!(o.status.success(), "{}", stderr(o));
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let last = stdout.lines().last().unwrap_or_default().to_string();
    let n: Vec<usize> = last.split(' ').filter_map(|w| w.parse().ok()).collect();
    assert!(last.ends_with(" documents") && n.len() == 2, "{last}");
    (n[0], n[1])
}

/// For every tracked slogan and every year with dated documents, the trends count is the plain
/// substring count of the slogan's spellings in that year's clean texts; first_seen is the first
/// year with a nonzero count.
fn assert_trends_exact(out: &Path) {
    let docs = read_parquet(&out.join("documents.parquet"));
    let ids = strs(&docs, "doc_id");
    let texts = clean_texts(out, &ids);
    let years: Vec<Option<String>> =
        opt_strs(&docs, "date").into_iter().map(|d| d.map(|d| d.chars().take(4).collect())).collect();
    let slogans = read_parquet(&out.join("slogans.parquet"));
    let tracked = slogans.column("tracked").unwrap().bool().unwrap().iter().map(|b| b == Some(true));
    let rows: Vec<usize> = tracked.enumerate().filter(|(_, t)| *t).map(|(i, _)| i).collect();
    assert!(!rows.is_empty(), "no tracked slogans");
    let trends = read_parquet(&out.join("trends.parquet"));
    let (period, slogan, count) = (strs(&trends, "period"), strs(&trends, "slogan"), u64s(&trends, "count"));
    let (names, variants, first) =
        (strs(&slogans, "slogan"), strs(&slogans, "variants"), opt_strs(&slogans, "first_seen"));
    let all_years: std::collections::BTreeSet<&String> = years.iter().flatten().collect();
    for i in rows {
        let mut spellings = vec![names[i].as_str()];
        spellings.extend(variants[i].split('|').filter(|v| !v.is_empty()));
        let mut first_year = None;
        for year in &all_years {
            let expected: usize = ids
                .iter()
                .zip(&years)
                .filter(|(_, y)| y.as_ref() == Some(*year))
                .map(|(id, _)| spellings.iter().map(|s| texts[id].matches(s).count()).sum::<usize>())
                .sum();
            let row = (0..period.len()).find(|&r| &period[r] == *year && slogan[r] == names[i]);
            let got = row.unwrap_or_else(|| panic!("no trends row for {} in {year}", names[i]));
            assert_eq!(count[got] as usize, expected, "{} in {year}", names[i]);
            if expected > 0 && first_year.is_none() {
                first_year = Some(year.to_string());
            }
        }
        let first_seen = first[i].as_ref().map(|d| d.chars().take(4).collect::<String>());
        assert_eq!(first_seen, first_year, "first_seen of {}", names[i]);
    }
}

/// A count column of a report's Parquet (written as signed 64-bit integers).
fn u64s(df: &DataFrame, name: &str) -> Vec<u64> {
    let column = df.column(name).unwrap();
    assert_eq!(column.dtype(), &DataType::Int64, "{name}: counts are written as Int64 for Spark");
    column.i64().unwrap().iter().map(|v| v.expect("no nulls") as u64).collect()
}

/// All clean texts written by --emit-clean, by doc_id.
fn clean_texts(out: &Path, doc_ids: &[String]) -> BTreeMap<String, String> {
    doc_ids
        .iter()
        .map(|id| {
            let text = std::fs::read_to_string(out.join("clean").join(format!("{id}.txt"))).unwrap();
            (id.clone(), text)
        })
        .collect()
}

/// Every slogan's count is the sum of the plain substring counts of its spellings (the slogan
/// and its variants) in the clean texts, and doc_count the number of texts holding any of them.
fn assert_slogan_counts_exact(out: &Path) {
    assert_slogan_counts_exact_every(out, 1);
}

/// The same check for the first 200 slogans and every `step`-th after them.
fn assert_slogan_counts_exact_every(out: &Path, step: usize) {
    let docs = read_parquet(&out.join("documents.parquet"));
    let texts = clean_texts(out, &strs(&docs, "doc_id"));
    let slogans = read_parquet(&out.join("slogans.parquet"));
    let (s, c, d) = (strs(&slogans, "slogan"), u64s(&slogans, "count"), u64s(&slogans, "doc_count"));
    let variants = strs(&slogans, "variants");
    assert!(!s.is_empty());
    for i in (0..s.len()).filter(|&i| i < 200 || i % step == 0) {
        let mut spellings = vec![s[i].as_str()];
        spellings.extend(variants[i].split('|').filter(|v| !v.is_empty()));
        let per_doc: Vec<usize> =
            texts.values().map(|t| spellings.iter().map(|sp| t.matches(sp).count()).sum()).collect();
        let count: usize = per_doc.iter().sum();
        let doc_count = per_doc.iter().filter(|&&n| n > 0).count();
        assert_eq!((c[i] as usize, d[i] as usize), (count, doc_count), "slogan {} ({:?})", s[i], spellings);
    }
}

#[test]
fn fixture_corpus_reports_skips_and_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = fixture_corpus(tmp.path());
    let out = tmp.path().join("out");
    let o = tifa(&["analyze", corpus.to_str().unwrap(), "-o", out.to_str().unwrap(), "--emit-clean"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    // skipped files are named with a reason; the summary counts them
    assert!(err.contains("broken.txt: invalid UTF-8 at byte offset 42"), "{err}");
    assert!(err.contains("empty.txt: empty file"), "{err}");
    // notes.pdf is not a PDF: skipped with pdftotext's reason (or because pdftotext is missing)
    assert!(err.contains("notes.pdf: PDF not read"), "{err}");
    assert!(err.contains("4 documents from 6 files, 3 skipped"), "{err}");
    for name in ["documents", "tokens", "ngrams", "slogans", "cooccurrence", "noise", "reuse_passages", "reuse_pairs"] {
        for ext in ["csv", "parquet"] {
            assert!(out.join(format!("{name}.{ext}")).is_file(), "{name}.{ext}");
        }
    }
    for png in ["slogans.png", "ngrams.png", "cooccurrence_heatmap.png", "boilerplate.png", "reuse_heatmap.png"] {
        let bytes = std::fs::read(out.join(png)).unwrap();
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 10_000, "{png}");
    }
    let run: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["counts"]["documents"], 4);
    assert_eq!(run["skipped"].as_array().unwrap().len(), 3);

    let docs = read_parquet(&out.join("documents.parquet"));
    assert_eq!(
        strs(&docs, "doc_id"),
        [
            "corpus/gbk_2023.txt#1",
            "corpus/sub/report_2019.md#1",
            "corpus/two_speeches.txt#1",
            "corpus/two_speeches.txt#2"
        ]
    );
    assert_eq!(strs(&docs, "encoding")[0], "GB18030");
    let titles = strs(&docs, "title");
    assert_eq!(titles[3], "在全市主题教育工作会议上的讲话提纲");
    let dates: Vec<Option<&str>> = docs.column("date").unwrap().str().unwrap().iter().collect();
    assert_eq!(dates, [Some("2023"), Some("2019"), Some("2023"), None]);
    // noise: the paywall markers, the advert and the chrome line of the first file
    let noise = u64s(&docs, "noise_chars");
    let ad = "【公众号：示例号】，最新最全党建资料库".chars().count() as u64;
    assert_eq!(noise[2], "##paidbegin##".len() as u64 + ad);
    assert_eq!(noise[3], "微信扫码领取福利".chars().count() as u64 + "##paidend##".len() as u64);

    let texts = clean_texts(&out, &strs(&docs, "doc_id"));
    let first = &texts["corpus/two_speeches.txt#1"];
    assert!(first.contains("根据主题教育工作安排") && !first.contains("主T"));
    assert!(first.contains("党的二十大精神"));
    assert!(!texts.values().any(|t| t.contains("公众号：示例号") || t.contains("##paid")));
    assert!(texts["corpus/two_speeches.txt#2"].contains("×镇和×同志"));

    let slogans = read_parquet(&out.join("slogans.parquet"));
    let row = |s: &str| strs(&slogans, "slogan").iter().position(|x| x == s);
    let i = row("学思想、强党性、重实践、建新功").expect("quoted enumeration slogan");
    assert_eq!(strs(&slogans, "kind")[i], "quoted");
    // quoted twice and written once without quotes: the plain count is 3
    assert_eq!(u64s(&slogans, "count")[i], 3);
    let j = row("主题教育").expect("lexicon slogan");
    assert_eq!(strs(&slogans, "variants")[j], "主T教育");
    for f in ["四个意识", "两个维护", "十查十看", "两个确立"] {
        let k = row(f).unwrap_or_else(|| panic!("{f} missing"));
        assert_eq!(strs(&slogans, "kind")[k], "formula", "{f}");
    }
    assert_slogan_counts_exact(&out);
}

#[test]
fn sample_corpus_meets_the_contract() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let sample = repo().join("data/sample");
    let o = tifa(&["analyze", sample.to_str().unwrap(), "-o", out.to_str().unwrap(), "--emit-clean"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let docs = read_parquet(&out.join("documents.parquet"));
    assert!(docs.height() >= 10, "{} documents", docs.height());
    assert_slogan_counts_exact(&out);

    // every quoted formula that recurs in the clean text is in the slogans table
    let texts = clean_texts(&out, &strs(&docs, "doc_id"));
    let all: String = texts.values().cloned().collect::<Vec<_>>().join("\n");
    let slogans = strs(&read_parquet(&out.join("slogans.parquet")), "slogan");
    let mut checked = 0;
    for t in texts.values() {
        for q in tifa::slogans::quoted::quoted_phrases(t) {
            if tifa::slogans::formula::parse(q).is_some() && all.matches(q).count() >= 2 {
                let key = tifa::slogans::variants::key(q);
                let found = slogans.iter().any(|s| tifa::slogans::variants::key(s) == key);
                assert!(found, "recurring quoted formula {q} missing");
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "only {checked} recurring quoted formulas checked");
    for known in ["四个意识", "四个自信", "两个维护", "两个确立", "八个明确", "十四条坚持", "十查十看"]
    {
        let key = tifa::slogans::variants::key(known);
        assert!(slogans.iter().any(|s| tifa::slogans::variants::key(s) == key), "{known} missing");
    }
    // the obfuscated spelling is folded and counted as 主题教育
    assert!(!all.contains("主T教育"));

    // kwic finds exactly what the slogans table counts, for any spelling asked
    let table = read_parquet(&out.join("slogans.parquet"));
    let (names, variants) = (strs(&table, "slogan"), strs(&table, "variants"));
    let (counts, doc_counts) = (u64s(&table, "count"), u64s(&table, "doc_count"));
    let with_variants = (0..names.len()).find(|&i| !variants[i].is_empty()).expect("a slogan with variants");
    for i in [names.iter().position(|s| s == "两个维护").unwrap(), with_variants] {
        let phrase = std::iter::once(names[i].as_str()).chain(variants[i].split('|')).collect::<Vec<_>>().join("|");
        let o = tifa(&["kwic", &phrase, sample.to_str().unwrap()]);
        assert_eq!(kwic_total(&o), (counts[i] as usize, doc_counts[i] as usize), "kwic {phrase}");
    }
    let theme = tifa(&["kwic", "主题教育", sample.to_str().unwrap()]);
    let obfuscated = tifa(&["kwic", "主T教育", sample.to_str().unwrap()]);
    assert_eq!(kwic_total(&theme), kwic_total(&obfuscated));
    assert_eq!(kwic_total(&theme).0, all.matches("主题教育").count());
    let o = tifa(&["kwic", "两个维护", sample.to_str().unwrap(), "--format", "csv", "--width", "5"]);
    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    assert_eq!(reader.headers().unwrap(), vec!["doc_id", "date", "left", "match", "right"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), counts[names.iter().position(|s| s == "两个维护").unwrap()] as usize);
    assert!(rows.iter().all(|r| &r[3] == "两个维护" && r[2].chars().count() <= 5 && r[4].chars().count() <= 5));
}

#[test]
fn records_with_metadata_trends_and_keyness() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("records");
    copy_dir(&repo().join("tests/fixtures/records"), &corpus);
    let out = tmp.path().join("out");
    let args = ["analyze", corpus.to_str().unwrap(), "-o", out.to_str().unwrap(), "--emit-clean"];
    let o = tifa(&[&args[..], &["--group-by", "province", "--track", "走在前、开新局,从未出现的提法"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    // the line that is not JSON is reported by file and line, the rest is read
    assert!(stderr(&o).contains("speeches.jsonl:line 4: invalid JSON"), "{}", stderr(&o));
    assert!(stderr(&o).contains("6 documents from 1 files, 1 skipped"), "{}", stderr(&o));
    let docs = read_parquet(&out.join("documents.parquet"));
    let ids = strs(&docs, "doc_id");
    assert_eq!(ids.len(), 6);
    assert_eq!(strs(&docs, "province"), ["山东", "山东", "山东", "云南", "云南", "云南"]);
    // metadata.csv beside the records is joined by doc_id
    let speakers = opt_strs(&docs, "speaker");
    assert_eq!(speakers[0].as_deref(), Some("书记甲"));
    assert_eq!(speakers[3].as_deref(), Some("书记乙"));
    assert_eq!(speakers.iter().flatten().count(), 2);
    assert_eq!(opt_strs(&docs, "date")[0].as_deref(), Some("2021-03-01"));
    assert_slogan_counts_exact(&out);
    assert_trends_exact(&out);

    // a tracked slogan that never occurs is kept with zero counts in every year
    let trends = read_parquet(&out.join("trends.parquet"));
    let (slogan, count) = (strs(&trends, "slogan"), u64s(&trends, "count"));
    let never: Vec<u64> = (0..slogan.len()).filter(|&r| slogan[r] == "从未出现的提法").map(|r| count[r]).collect();
    assert_eq!(never, [0, 0, 0]);

    // 走在前、开新局 is said only in 山东: key for 山东, not for 云南
    let key = read_parquet(&out.join("keyness.parquet"));
    let (group, item, g2) = (strs(&key, "group"), strs(&key, "item"), f64s(&key, "g2"));
    let (n, rest) = (u64s(&key, "count"), u64s(&key, "count_rest"));
    let row = (0..group.len()).find(|&r| group[r] == "山东" && item[r] == "走在前、开新局").expect("山东 key slogan");
    assert_eq!((n[row], rest[row]), (9, 0));
    assert!(g2[row] > 10.83, "G2 {}", g2[row]);
    assert!(!(0..group.len()).any(|r| group[r] == "云南" && item[r] == "走在前、开新局"));
    assert!(g2.iter().all(|&g| g >= 10.83));

    // grouping by a column nobody has is a clear error
    let o = tifa(&[&args[..], &["--group-by", "ministry"]].concat());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("ministry"), "{}", stderr(&o));
}

#[test]
fn sample_slogans_recall_and_precision_on_the_labelled_list() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let sample = repo().join("data/sample");
    let o = tifa(&["analyze", sample.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let labels = repo().join("data/eval/sample-slogans.txt");
    let o = tifa(&["evaluate", "--labels", labels.to_str().unwrap(), out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = String::from_utf8_lossy(&o.stdout).into_owned();
    let percent = |prefix: &str| -> f64 {
        let line = report.lines().find(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("{prefix} in {report}"));
        line.rsplit("= ").next().unwrap().trim_end_matches('%').parse().unwrap()
    };
    // the recurring slogans a reader marks in the sample, and the top of the ranking
    assert!(percent("recall") >= 95.0, "{report}");
    assert!(percent("precision@50") >= 80.0, "{report}");
    assert!(percent("precision@100") >= 80.0, "{report}");

    // --explain says why, on standard output, and changes no report
    let again = tmp.path().join("again");
    let o = tifa(&[
        "analyze",
        sample.to_str().unwrap(),
        "-o",
        again.to_str().unwrap(),
        "-q",
        "--explain",
        "两个维护,不存在的提法",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(said.contains("两个维护 — reported, rank "), "{said}");
    assert!(said.contains("不存在的提法 — not a slogan: no detector proposed it"), "{said}");
    assert_eq!(std::fs::read(out.join("slogans.csv")).unwrap(), std::fs::read(again.join("slogans.csv")).unwrap());
}

#[test]
fn reuse_on_the_sample_finds_the_copied_passages() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let sample = repo().join("data/sample");
    let o = tifa(&["reuse", sample.to_str().unwrap(), "-o", out.to_str().unwrap(), "--emit-clean"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("shared passages"), "{}", stderr(&o));
    let docs = read_parquet(&out.join("documents.parquet"));
    let ids = strs(&docs, "doc_id");
    let ratio: Vec<f64> = docs.column("boilerplate_ratio").unwrap().f64().unwrap().iter().map(|v| v.unwrap()).collect();
    assert_eq!(ratio.len(), ids.len());
    assert!(ratio.iter().all(|r| (0.0..=1.0).contains(r)));
    // the sentence two different files share (001 and 002) is found whole
    let passages = read_parquet(&out.join("reuse_passages.parquet"));
    let texts = strs(&passages, "passage");
    let shared = "共同把党锻造成一块攻无不克、战无不胜的坚硬钢铁";
    assert!(texts.iter().any(|p| p.contains(shared)), "{texts:?}");
    // every passage occurs as stated in the clean texts, in at least two documents
    let clean = clean_texts(&out, &ids);
    let (chars, doc_count) = (u64s(&passages, "chars"), u64s(&passages, "doc_count"));
    for (i, p) in texts.iter().enumerate() {
        assert_eq!(p.chars().count() as u64, chars[i]);
        assert!(chars[i] >= 20);
        let holding = clean.values().filter(|t| t.contains(p.as_str())).count() as u64;
        assert_eq!(holding, doc_count[i], "{p}");
        assert!(doc_count[i] >= 2);
    }
    // a document's own view lists where its passages come from
    let o = tifa(&["reuse", sample.to_str().unwrap(), "-q", "--show", "sample/001_585ef8b18afd47b1.txt#3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let shown = String::from_utf8_lossy(&o.stdout);
    assert!(shown.contains(shared) && shown.contains("sample/002_c3783159abc01423.txt#2"), "{shown}");
    let o = tifa(&["reuse", sample.to_str().unwrap(), "-q", "--show", "no/such#1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no document"), "{}", stderr(&o));
}

/// The reuse_pairs rows by (doc_a, doc_b): characters of each shared with the other.
fn reuse_pairs(out: &Path) -> BTreeMap<(String, String), (u64, u64)> {
    let pairs = read_parquet(&out.join("reuse_pairs.parquet"));
    let (a, b) = (strs(&pairs, "doc_a"), strs(&pairs, "doc_b"));
    let (sa, sb) = (u64s(&pairs, "shared_chars"), u64s(&pairs, "shared_chars_b"));
    (0..pairs.height()).map(|i| ((a[i].clone(), b[i].clone()), (sa[i], sb[i]))).collect()
}

#[test]
fn a_paragraph_copied_whole_is_a_passage_pair_and_cluster() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    // two documents, each with its own title line, then the same 200-character paragraph
    let paragraph = "通过这次主题教育，我深刻认识到理论学习的重要性和紧迫性，必须把学习贯彻新时代中国特色社会主义思想作为首要政治任务。"
        .repeat(4);
    let paragraph: String = paragraph.chars().take(200).collect();
    std::fs::write(corpus.join("a.txt"), format!("县委办公室的学习体会\n{paragraph}\n")).unwrap();
    std::fs::write(corpus.join("b.txt"), format!("乡镇干部的心得\n{paragraph}\n")).unwrap();
    // three people hand in the same 心得
    let copied = std::fs::read(repo().join("data/sample/004_d7d8bd07474446d3.txt")).unwrap();
    for who in ["c1", "c2", "c3"] {
        std::fs::write(corpus.join(format!("{who}.txt")), &copied).unwrap();
    }
    let out = tmp.path().join("out");
    let o = tifa(&["analyze", corpus.to_str().unwrap(), "-o", out.to_str().unwrap(), "--emit-clean", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let passages = strs(&read_parquet(&out.join("reuse_passages.parquet")), "passage");
    assert!(passages.contains(&paragraph), "{passages:?}");
    let pairs = reuse_pairs(&out);
    assert_eq!(pairs[&("corpus/a.txt#1".to_string(), "corpus/b.txt#1".to_string())], (200, 200));
    // the copies share all of their text with each other, as boilerplate_ratio says
    let docs = read_parquet(&out.join("documents.parquet"));
    let (ids, cluster) = (strs(&docs, "doc_id"), docs.column("cluster").unwrap().cast(&DataType::UInt32).unwrap());
    let ratio = f64s(&docs, "boilerplate_ratio");
    let common = f64s(&docs, "common_ratio");
    let copy_ids: Vec<usize> = (0..ids.len()).filter(|&i| ids[i].starts_with("corpus/c")).collect();
    assert!(!copy_ids.is_empty() && copy_ids.len().is_multiple_of(3), "{ids:?}");
    let clusters: std::collections::BTreeSet<Option<u32>> =
        copy_ids.iter().map(|&i| cluster.u32().unwrap().get(i)).collect();
    assert!(clusters.iter().all(Option::is_some), "{clusters:?}");
    for &i in &copy_ids {
        assert!(ratio[i] > 0.9 && (common[i] - ratio[i]).abs() < 1e-9, "{}: {} {}", ids[i], ratio[i], common[i]);
    }
    let pairs_frame = read_parquet(&out.join("reuse_pairs.parquet"));
    let share_a = f64s(&pairs_frame, "share_a");
    let mut same_part = 0;
    for (i, ((a, b), (sa, sb))) in pairs.iter().enumerate() {
        let part = |id: &str| id.rsplit_once('#').map(|(_, p)| p.to_string());
        if a.starts_with("corpus/c") && b.starts_with("corpus/c") && part(a) == part(b) {
            // a copy shares with its copy all it shares with anyone
            let row = (0..pairs_frame.height())
                .find(|&r| strs(&pairs_frame, "doc_a")[r] == *a && strs(&pairs_frame, "doc_b")[r] == *b)
                .unwrap();
            let d = ids.iter().position(|x| x == a).unwrap();
            assert_eq!(sa, sb, "{a} {b}");
            assert_eq!(share_a[row], ratio[d], "{a} {b} ({i})");
            same_part += 1;
        }
    }
    assert_eq!(same_part, copy_ids.len(), "three pairs for each part of the copied file");
}

#[test]
fn a_second_run_in_the_corpus_folder_does_not_read_the_first_report() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    copy_dir(&repo().join("data/sample"), &corpus);
    let run = || {
        let o = Command::new(env!("CARGO_BIN_EXE_tifa"))
            .args(["analyze", ".", "--emit-clean", "-q"])
            .current_dir(&corpus)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        (stderr(&o), report_files(&corpus.join("reports")))
    };
    let (first_err, first) = run();
    let (second_err, second) = run();
    assert!(!first_err.contains("not reading"), "{first_err}");
    assert_eq!(second_err.matches("not reading").count(), 1, "{second_err}");
    assert!(second_err.contains("reports"), "{second_err}");
    let tables: Vec<&String> = first.keys().filter(|n| n.ends_with(".csv") || n.ends_with(".parquet")).collect();
    assert!(tables.len() >= 16, "{tables:?}");
    for name in tables {
        assert!(first[name] == second[name], "{name} differs between the two runs");
    }
}

#[test]
fn same_bytes_for_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = repo().join("data/sample");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for (dir, threads) in [(&a, "1"), (&b, "2")] {
        let o = tifa(&["analyze", sample.to_str().unwrap(), "-o", dir.to_str().unwrap(), "-j", threads, "-q"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(o.stderr.is_empty(), "--quiet printed: {}", stderr(&o));
    }
    // every file but run.json (timings, thread count) is the same; so is index.html without its
    // time and its timings-and-options block
    let names: Vec<String> =
        std::fs::read_dir(&a).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(names.len() >= 25, "{names:?}");
    for name in names.iter().filter(|n| *n != "run.json" && *n != "index.html") {
        assert!(std::fs::read(a.join(name)).unwrap() == std::fs::read(b.join(name)).unwrap(), "{name} differs");
    }
    let page = |dir: &Path| {
        let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
        let (head, rest) = html.split_once("<tr><th>time</th>").unwrap();
        let (_, rest) = rest.split_once("<details><summary>Timings and options").unwrap();
        let (_, tail) = rest.split_once("</details>").unwrap();
        format!("{head}{tail}")
    };
    assert_eq!(page(&a), page(&b));
}

#[test]
fn usage_errors_exit_2_with_a_message() {
    let o = tifa(&["analyze", "/no/such/folder"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no input found: /no/such/folder"), "{}", stderr(&o));
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("empty.txt"), "").unwrap();
    let o = tifa(&["analyze", tmp.path().to_str().unwrap(), "-o", tmp.path().join("out").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("empty.txt: empty file"), "{}", stderr(&o));
    assert!(stderr(&o).contains("no documents to analyse"), "{}", stderr(&o));
    let o = tifa(&["analyze"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn gov_reports_from_shared_corpus() {
    let Some(corpus) = shared_gov_reports() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let track = "供给侧结构性改革,两个确立,新质生产力,阶级斗争,改革开放";
    let o = tifa(&[
        "analyze",
        corpus.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--emit-clean",
        "-q",
        "--track",
        track,
        "--group-by",
        "kind",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let docs = read_parquet(&out.join("documents.parquet"));
    // per-year counts of tracked slogans are exact, and each is first seen in the right year
    assert_trends_exact(&out);
    let slogans = read_parquet(&out.join("slogans.parquet"));
    let (names, first) = (strs(&slogans, "slogan"), opt_strs(&slogans, "first_seen"));
    for (s, year) in [("供给侧结构性改革", "2016"), ("两个确立", "2022"), ("新质生产力", "2024"), ("改革开放", "1987")]
    {
        let i = names.iter().position(|n| n == s).unwrap_or_else(|| panic!("{s} missing"));
        assert!(first[i].as_deref().is_some_and(|d| d.starts_with(year)), "{s} first seen {:?}", first[i]);
    }
    // metadata.csv beside the corpus gives the kind of each report, which groups the keyness table
    let groups: std::collections::BTreeSet<String> =
        strs(&read_parquet(&out.join("keyness.parquet")), "group").into_iter().collect();
    assert!(groups.len() >= 2, "{groups:?}");
    // one document per report: reports are not cut at their repeated 各位代表：
    let files = walk_count(&corpus);
    assert_eq!(docs.height(), files, "documents vs .txt files");
    assert_slogan_counts_exact_every(&out, 25);
    // every line of at least 20 characters that two or more documents hold verbatim is a
    // passage or inside one
    let ids = strs(&docs, "doc_id");
    let clean = clean_texts(&out, &ids);
    let mut holders: BTreeMap<&str, std::collections::BTreeSet<&str>> = BTreeMap::new();
    for (id, text) in &clean {
        for line in text.lines().filter(|l| l.chars().count() >= 20) {
            holders.entry(line).or_default().insert(id);
        }
    }
    let passages = strs(&read_parquet(&out.join("reuse_passages.parquet")), "passage");
    let shared: Vec<&str> = holders.iter().filter(|(_, d)| d.len() >= 2).map(|(l, _)| *l).collect();
    assert!(shared.len() >= 10, "{shared:?}");
    for line in shared {
        assert!(passages.iter().any(|p| p.contains(line)), "line shared verbatim but not a passage: {line}");
    }
    assert_congress_family(&out, &docs, &clean);
    // quality on the labelled list of gov-reports slogans
    let labels = tifa::evaluate::Labels::read(&repo().join("data/eval/gov-reports-slogans.txt")).unwrap();
    let lexicon = tifa::resources::Resources::builtin().unwrap().slogans;
    let ev = tifa::evaluate::evaluate_file(&out.join("slogans.parquet"), &labels, &[100], &lexicon).unwrap();
    assert!(ev.recall.0 * 100 >= 70 * ev.recall.1, "recall {:?}", ev.recall);
    // most labels are lexicon entries: the detectors are held to the others
    let outside = ev.recall_outside_lexicon;
    assert!(outside.1 >= 100 && outside.0 * 100 >= 85 * outside.1, "recall outside the lexicon {outside:?}");
    assert!(ev.precision[0].1 >= 85, "precision@100 {:?}", ev.precision);
}

/// The detectors alone, with a lexicon of no entries, find three quarters of the labelled
/// gov-reports formulations, with at least 90 of the best 100 rows right.
#[test]
fn gov_reports_detectors_without_the_lexicon() {
    let Some(corpus) = shared_gov_reports() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&repo().join("data"), &data);
    let lexicon = data.join("lexicon/slogans.txt");
    let comments: String = std::fs::read_to_string(&lexicon)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| l.to_string() + "\n")
        .collect();
    std::fs::write(&lexicon, comments).unwrap();
    let out = tmp.path().join("out");
    let o = tifa(&[
        "analyze",
        corpus.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let labels = tifa::evaluate::Labels::read(&repo().join("data/eval/gov-reports-slogans.txt")).unwrap();
    let ev = tifa::evaluate::evaluate_file(&out.join("slogans.parquet"), &labels, &[100], &[]).unwrap();
    assert!(ev.recall.1 >= 300 && ev.recall.0 * 100 >= 75 * ev.recall.1, "recall {:?}", ev.recall);
    assert!(ev.precision[0].1 >= 90, "precision@100 {:?}", ev.precision);
}

/// The family 党的{}大精神 lists every congress the reports invoke so (党的一大精神 … 党的二十大精神),
/// each with the count, documents and first and last year of a plain substring count.
fn assert_congress_family(out: &Path, docs: &DataFrame, clean: &BTreeMap<String, String>) {
    let fam = read_parquet(&out.join("families.parquet"));
    let (family, value) = (strs(&fam, "family"), strs(&fam, "value"));
    let (first, last) = (opt_strs(&fam, "first_seen"), opt_strs(&fam, "last_seen"));
    let count =
        |name: &str| -> Vec<i64> { fam.column(name).unwrap().i64().unwrap().iter().map(Option::unwrap).collect() };
    let (counts, doc_counts) = (count("count"), count("doc_count"));
    let year: BTreeMap<String, Option<String>> = strs(docs, "doc_id")
        .into_iter()
        .zip(opt_strs(docs, "date"))
        .map(|(id, d)| (id, d.map(|d| d[..4].to_string())))
        .collect();
    let numbers = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    let congresses: Vec<String> = (1..=20)
        .map(|n: usize| match n {
            1..=10 => numbers[n - 1].to_string(),
            11..=19 => format!("十{}", numbers[n - 11]),
            _ => "二十".to_string(),
        })
        .collect();
    let mut used = 0;
    for v in &congresses {
        let form = format!("党的{v}大精神");
        let holders: Vec<(&String, usize)> =
            clean.iter().map(|(id, t)| (id, t.matches(&form).count())).filter(|(_, n)| *n > 0).collect();
        let row = (0..fam.height()).find(|&i| family[i] == "党的{}大精神" && value[i] == *v);
        if holders.is_empty() {
            assert!(row.is_none(), "{form} listed but never written");
            continue;
        }
        used += 1;
        let i = row.unwrap_or_else(|| panic!("{form} is written but not in the family"));
        let years: Vec<&String> = holders.iter().filter_map(|(id, _)| year[*id].as_ref()).collect();
        assert_eq!(counts[i], holders.iter().map(|(_, n)| *n as i64).sum::<i64>(), "{form}");
        assert_eq!(doc_counts[i], holders.len() as i64, "{form}");
        assert_eq!(first[i].as_ref(), years.iter().min().copied(), "{form}");
        assert_eq!(last[i].as_ref(), years.iter().max().copied(), "{form}");
    }
    assert!(used >= 6, "only {used} congresses");
}

fn walk_count(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| if p.is_dir() { walk_count(&p) } else { usize::from(p.extension().is_some_and(|e| e == "txt")) })
        .sum()
}

/// A Chromium or Chrome binary: `TIFA_CHROMIUM`, else the usual names on PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TIFA_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// Run headless Chromium on `page` with extra arguments; its stdout.
fn headless(chromium: &Path, profile: &Path, args: &[&str], page: &Path) -> String {
    let o = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    assert!(o.status.success(), "chromium failed: {}", stderr(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn index_page_renders_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        // CI installs Chromium and sets TIFA_REQUIRE_BROWSER, so there this test cannot be skipped
        assert!(
            std::env::var_os("TIFA_REQUIRE_BROWSER").is_none(),
            "TIFA_REQUIRE_BROWSER is set but no Chromium found"
        );
        eprintln!("skipping: no chromium on PATH (install Debian's chromium or set TIFA_CHROMIUM)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let sample = repo().join("data/sample");
    let o = tifa(&["analyze", sample.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q", "--group-by", "source"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    let pngs = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension() == Some("png".as_ref()))
        .count();
    assert_eq!(html.matches("<img ").count(), pngs, "every chart is on the page");
    assert!(!html.contains("<script"));

    // the same page with a probe that records, after loading, how many images decoded and
    // whether the Chinese font is usable
    let probe = "<script>window.addEventListener('load',()=>document.fonts.ready.then(()=>{\
        const im=[...document.images];const b=document.body.dataset;b.images=im.length;\
        b.loaded=im.filter(i=>i.complete&&i.naturalWidth>0).length;\
        b.font=[...document.fonts].some(f=>f.family.includes('tifa-cjk')&&f.status==='loaded');\
        b.height=document.body.scrollHeight;}));</script></body>";
    let check = out.join("check.html");
    std::fs::write(&check, html.replace("</body>", probe)).unwrap();
    let profile = tmp.path().join("profile");
    let dom = headless(&chromium, &profile, &["--dump-dom"], &check);
    let body = dom.split("<body").nth(1).and_then(|b| b.split('>').next()).unwrap_or_default().to_string();
    let attr = |name: &str| -> String {
        let key = format!("data-{name}=\"");
        body.split(&key).nth(1).and_then(|v| v.split('"').next()).unwrap_or_default().to_string()
    };
    assert_eq!(attr("images"), pngs.to_string(), "{body}");
    assert_eq!(attr("loaded"), pngs.to_string(), "images that failed to load: {body}");
    // without a Chinese system font the page's own font must have been loaded and used
    let system_cjk = Command::new("fc-list").arg(":lang=zh").output().is_ok_and(|o| !o.stdout.is_empty());
    if !system_cjk {
        assert_eq!(attr("font"), "true", "{body}");
    }
    assert!(attr("height").parse::<u32>().unwrap_or(0) > 5000, "{body}");

    // a screenshot of the top of the page is not blank: a good part of it is ink, in many colours
    let shot = tmp.path().join("shot.png");
    headless(
        &chromium,
        &profile,
        &["--window-size=1400,2400", &format!("--screenshot={}", shot.display())],
        &out.join("index.html"),
    );
    let img = image::open(&shot).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (1400, 2400));
    let background = [[255u8, 255, 255], [248, 249, 250]];
    let ink = img.pixels().filter(|p| !background.contains(&p.0)).count();
    let colours: std::collections::HashSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    let share = ink as f64 / (1400.0 * 2400.0);
    assert!(share > 0.05, "only {:.1}% of the screenshot is not background", share * 100.0);
    assert!(colours.len() > 100, "{} colours", colours.len());
    if let Ok(dir) = std::env::var("TIFA_SCREENSHOT_DIR") {
        std::fs::copy(&shot, Path::new(&dir).join("index-screenshot.png")).unwrap();
    }
}

/// Skipped inputs as run.json lists them: path → reason.
fn skipped_in(out: &Path) -> BTreeMap<String, String> {
    let run: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    run["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["path"].as_str().unwrap().to_string(), s["reason"].as_str().unwrap().to_string()))
        .collect()
}

/// A folder of every kind of bad and odd input a scraped corpus holds; returns it and, for each
/// file that must be skipped, its name and a piece of the reason.
fn bad_corpus(root: &Path) -> Vec<(&'static str, &'static str)> {
    let w = |name: &str, bytes: &[u8]| {
        let p = root.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    };
    let speech = "同志们：要增强“四个意识”、坚定“四个自信”、做到“两个维护”，学思想、强党性、重实践、建新功。";
    // binary files under a text name
    w("png.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89");
    w("zip.txt", b"PK\x03\x04\x14\0\0\0\x08\0\0\0!\0speech.txt\0\0\0");
    w("elf.txt", b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0>\0\x01\0\0\0");
    let mut nul = speech.as_bytes().to_vec();
    nul.insert(30, 0);
    w("nul.txt", &nul);
    let mut broken = speech.repeat(4).into_bytes();
    broken.splice(150..150, [0xC3, 0x28, 0xFF]);
    w("broken_utf8.txt", &broken);
    w("empty.txt", b"");
    w("blank.txt", b"  \n\t\r\n   \n");
    // encodings
    let enc = |e: &'static encoding_rs::Encoding, s: &str| e.encode(s).0.into_owned();
    w("gbk.txt", &enc(encoding_rs::GBK, &format!("{speech}\n推动主题教育走深走实。")));
    w("gb18030.txt", &enc(encoding_rs::GB18030, &format!("{speech}\n㐀㐁罕见字与€符号。")));
    w("big5.txt", &enc(encoding_rs::BIG5, "同志們：要增強「四個意識」、堅定「四個自信」、做到「兩個維護」。"));
    let utf16 = |be: bool| {
        let mut b = if be { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for u in speech.encode_utf16() {
            b.extend(if be { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        b
    };
    w("utf16le.txt", &utf16(false));
    w("utf16be.txt", &utf16(true));
    w("utf8_bom.txt", format!("\u{feff}{speech}").as_bytes());
    w("crlf.txt", format!("第一行{speech}\r\n第二行{speech}\r\n").as_bytes());
    w("lone_cr.txt", format!("第一行{speech}\r第二行{speech}\r").as_bytes());
    w("english.txt", b"No Chinese here at all, only an English sentence.\nAnd a second line.");
    // one line of 2 million characters without punctuation, and one enormous enumeration
    w("long_line.txt", "主题教育".repeat(500_000).as_bytes());
    w("paibi.txt", format!("同志们：{}建新功。", "学思想、强党性、重实践、".repeat(20_000)).as_bytes());
    // deep folders
    let deep: PathBuf = (0..60).map(|i| format!("d{i}")).collect();
    w(&deep.join("deep.txt").to_string_lossy(), speech.as_bytes());
    let mut expect = vec![
        ("png.txt", "binary file"),
        ("zip.txt", "binary file"),
        ("elf.txt", "binary file"),
        ("nul.txt", "binary file"),
        ("broken_utf8.txt", "invalid UTF-8 at byte offset 150"),
        ("empty.txt", "empty file"),
        ("blank.txt", "empty file"),
    ];
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::{PermissionsExt, symlink};
        // a name that is not UTF-8
        std::fs::write(root.join(std::ffi::OsStr::from_bytes(b"bad_name_\xff.txt")), speech).unwrap();
        // links: to a folder already read (not read twice), a loop, a link to nothing
        std::fs::create_dir_all(root.join("real")).unwrap();
        std::fs::write(root.join("real/linked.txt"), speech).unwrap();
        symlink(root.join("real"), root.join("zz_link_to_real")).unwrap();
        symlink(root, root.join("real/loop")).unwrap();
        symlink(root.join("nowhere.txt"), root.join("dangling.txt")).unwrap();
        expect.push(("loop", "symbolic link loop"));
        expect.push(("dangling.txt", "No such file"));
        // a file nobody may read (root may read it anyway)
        w("locked.txt", speech.as_bytes());
        std::fs::set_permissions(root.join("locked.txt"), std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(root.join("locked.txt")).is_err() {
            expect.push(("locked.txt", "Permission denied"));
        }
    }
    expect
}

#[test]
fn bad_inputs_are_skipped_with_reasons_and_the_run_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("bad");
    let expect = bad_corpus(&corpus);
    let out = tmp.path().join("out");
    let args = [
        "analyze",
        corpus.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--emit-clean",
        "--max-doc-chars",
        "1000000",
    ];
    let o = tifa(&args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let skipped = skipped_in(&out);
    // each expected skip is named once on stderr, on one line, with its reason, and in run.json
    for (name, reason) in &expect {
        let (path, why) = skipped
            .iter()
            .find(|(p, _)| p.ends_with(name))
            .unwrap_or_else(|| panic!("{name} not in run.json skipped: {skipped:#?}"));
        assert!(why.contains(reason), "{name}: {why}");
        let line = format!("tifa: skipped {path}: {why}");
        assert_eq!(err.lines().filter(|l| *l == line).count(), 1, "{line} in\n{err}");
    }
    // the 2-million-character line is over --max-doc-chars: skipped with the limit named
    let long = skipped.iter().find(|(p, _)| p.contains("long_line.txt")).expect("long line skipped");
    assert!(long.1.contains("2000000 characters, more than --max-doc-chars 1000000"), "{long:?}");
    // nothing else is skipped (the link loop is met once more through the link to its folder)
    let loops = skipped.values().filter(|r| r.as_str() == "symbolic link loop").count();
    assert_eq!(skipped.len() - loops, expect.len() + 1 - usize::from(loops > 0), "{skipped:#?}");

    // everything else was read, decoded right and counted
    let docs = read_parquet(&out.join("documents.parquet"));
    let ids = strs(&docs, "doc_id");
    let encodings: BTreeMap<String, String> = ids.iter().cloned().zip(strs(&docs, "encoding")).collect();
    let enc_of =
        |name: &str| encodings.iter().find(|(id, _)| id.contains(name)).map(|(_, e)| e.as_str()).unwrap_or("missing");
    assert!(["GBK", "GB18030"].contains(&enc_of("gbk.txt")), "{}", enc_of("gbk.txt"));
    assert_eq!(enc_of("big5.txt"), "Big5");
    assert_eq!(enc_of("utf16le.txt"), "UTF-16LE");
    assert_eq!(enc_of("utf16be.txt"), "UTF-16BE");
    for name in [
        "gb18030.txt",
        "utf8_bom.txt",
        "crlf.txt",
        "lone_cr.txt",
        "english.txt",
        "paibi.txt",
        "deep.txt",
        "bad_name_",
        "linked.txt",
    ] {
        assert_ne!(enc_of(name), "missing", "{name} not read: {ids:?}");
    }
    assert_eq!(ids.iter().filter(|id| id.contains("linked.txt")).count(), 1, "a file reached twice is read once");
    let texts = clean_texts(&out, &ids);
    let text_of = |name: &str| texts.iter().find(|(id, _)| id.contains(name)).map(|(_, t)| t.clone()).unwrap();
    assert!(text_of("gb18030.txt").contains("㐀㐁罕见字与€符号"));
    // Big5 text is decoded, and folded from traditional to simplified characters
    assert!(
        text_of("big5.txt").contains("要增强“四个意识”、坚定“四个自信”、做到“两个维护”"),
        "{}",
        text_of("big5.txt")
    );
    assert!(!text_of("utf8_bom.txt").contains('\u{feff}'));
    for name in ["crlf.txt", "lone_cr.txt"] {
        let t = text_of(name);
        assert!(!t.contains('\r') && t.lines().count() == 2, "{name}: {t:?}");
    }
    assert_slogan_counts_exact(&out);
    let slogans = strs(&read_parquet(&out.join("slogans.parquet")), "slogan");
    assert!(slogans.iter().any(|s| s == "两个维护"), "{slogans:?}");

    // --strict: the same run exits 1, and the reports are still written
    let strict = tmp.path().join("strict");
    let mut args = args.to_vec();
    args[3] = strict.to_str().unwrap();
    let o = tifa(&[&args[..], &["--strict", "-q"]].concat());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(strict.join("run.json").exists());
}

/// A corpus made from the sample's sentences, shuffled by a fixed generator: `files` files of
/// `docs` speeches of `sentences` sentences each, split over the folders in `dirs`, dated
/// 2019–2023 in their names.
fn generated_corpus(dirs: &[PathBuf], files: usize, docs: usize, sentences: usize) {
    let mut pool: Vec<String> = Vec::new();
    for e in std::fs::read_dir(repo().join("data/sample")).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        pool.extend(text.split_inclusive('。').map(|s| s.trim().to_string()).filter(|s| s.chars().count() > 8));
    }
    pool.sort();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % n
    };
    for f in 0..files {
        let mut text = String::new();
        for d in 0..docs {
            text.push_str(&format!("篇{}\n关于主题教育的第{}篇交流发言\n同志们：\n", d + 1, f * docs + d + 1));
            for s in 0..sentences {
                text.push_str(&pool[next(pool.len())]);
                if s % 5 == 4 {
                    text.push('\n');
                }
            }
            text.push('\n');
        }
        let dir = &dirs[f % dirs.len()];
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(format!("{}_{f:04}.txt", 2019 + f % 5)), text).unwrap();
    }
}

/// Every file of a report folder (not hidden) with its bytes; index.html without its timings.
/// The report folder `dir` (`what`) holds one run's files `one`, each the same bytes.
fn same_reports(one: &BTreeMap<String, Vec<u8>>, dir: &Path, what: &str) {
    let got = report_files(dir);
    assert_eq!(one.keys().collect::<Vec<_>>(), got.keys().collect::<Vec<_>>(), "{what}");
    for (name, bytes) in one {
        assert!(bytes == &got[name], "{name} differs between one run and {what}");
    }
}

fn report_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || e.path().is_dir() || name == "run.json" {
            continue;
        }
        let mut bytes = std::fs::read(e.path()).unwrap();
        if name == "index.html" {
            // from the documents row on (the inputs as given may differ in order), without the
            // time and the timings-and-options block
            let html = String::from_utf8(bytes).unwrap();
            let (_, html) = html.split_once("<tr><th>documents</th>").unwrap();
            let (head, rest) = html.split_once("<tr><th>time</th>").unwrap();
            let (_, rest) = rest.split_once("<details><summary>Timings and options").unwrap();
            let (_, tail) = rest.split_once("</details>").unwrap();
            bytes = format!("{head}{tail}").into_bytes();
        }
        out.insert(name, bytes);
    }
    out
}

#[test]
fn same_bytes_for_any_input_order_and_thread_count_on_a_generated_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("north"), tmp.path().join("south"));
    generated_corpus(&[a.clone(), b.clone()], 40, 3, 30);
    let run = |out: &Path, first: &Path, second: &Path, threads: &str| {
        let args = ["analyze", first.to_str().unwrap(), second.to_str().unwrap(), "-o", out.to_str().unwrap()];
        let o = tifa(&[&args[..], &["-q", "-j", threads, "--period", "year"]].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        report_files(out)
    };
    let one = run(&tmp.path().join("one"), &a, &b, "1");
    let two = run(&tmp.path().join("two"), &b, &a, "2");
    assert!(one.len() >= 25, "{:?}", one.keys());
    assert_eq!(one.keys().collect::<Vec<_>>(), two.keys().collect::<Vec<_>>());
    for (name, bytes) in &one {
        assert!(bytes == &two[name], "{name} differs between runs");
    }
    let docs = read_parquet(&tmp.path().join("one/documents.parquet"));
    assert!(docs.height() >= 120, "{} documents", docs.height());
}

#[test]
fn a_killed_run_leaves_the_previous_report_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("big");
    generated_corpus(std::slice::from_ref(&corpus), 300, 5, 60);
    let out = tmp.path().join("out");
    let args = ["analyze", corpus.to_str().unwrap(), "-o", out.to_str().unwrap(), "-q", "--emit-clean"];
    let o = tifa(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = report_files(&out);
    let run_json = std::fs::read(out.join("run.json")).unwrap();

    // a second run with other settings, killed once it has staged a few files
    let mut child = Command::new(env!("CARGO_BIN_EXE_tifa"))
        .args([&args[..], &["--min-count", "3", "--no-reuse"]].concat())
        .spawn()
        .unwrap();
    let staged = || -> usize {
        std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".tifa-staging-"))
            .map(|e| std::fs::read_dir(e.path()).map(|d| d.count()).unwrap_or(0))
            .sum()
    };
    let started = std::time::Instant::now();
    while staged() < 4 {
        assert!(child.try_wait().unwrap().is_none(), "the run ended before it could be killed");
        assert!(started.elapsed().as_secs() < 120, "nothing staged");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(staged() >= 4);
    // the previous report is exactly as it was
    assert_eq!(report_files(&out), before);
    assert_eq!(std::fs::read(out.join("run.json")).unwrap(), run_json);

    // the next run completes, replaces it and clears the leftover staging folder
    let o = tifa(&[&args[..], &["--min-count", "3", "--no-reuse"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(staged(), 0);
    assert!(!out.join("reuse_pairs.csv").exists(), "files of the previous report that this one lacks are removed");
    assert!(out.join("clean").is_dir());
}

/// Without `--group-by`, a merge counts tokens and n-grams from the shards' counts alone and
/// reads the words after (for the slogans): the same reports as one run, and a partial whose
/// token table is not its documents' is refused whichever way the merge counts.
#[test]
fn a_merge_counts_from_the_shards_counts_before_it_reads_the_words() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("north"), tmp.path().join("south"));
    generated_corpus(&[a.clone(), b.clone()], 12, 3, 30);
    let p = |name: &str| tmp.path().join(name).to_str().unwrap().to_string();
    let analysis = ["-q", "--period", "year", "--min-count", "2"];
    let o = tifa(&[&["analyze", &p("north"), &p("south"), "-o", &p("one")][..], &analysis].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    for shard in ["north", "south"] {
        let o = tifa(&["analyze", &p(shard), "--partial", &p(&format!("part-{shard}")), "-q"]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = tifa(&[&["merge", &p("part-north"), &p("part-south"), "-o", &p("merged")][..], &analysis].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    same_reports(&report_files(&tmp.path().join("one")), &tmp.path().join("merged"), "the merge");
    // the documents table counts each document's words, read after counting
    let docs = read_parquet(&tmp.path().join("merged/documents.parquet"));
    assert!(u64s(&docs, "tokens").iter().all(|&t| t > 0));

    // a partial whose token table counts one word once more than its documents have it
    copy_dir(&tmp.path().join("part-south"), &tmp.path().join("part-bad"));
    let mut tokens = read_parquet(&tmp.path().join("part-bad/tokens.parquet"));
    let mut counts = u64s(&tokens, "count");
    counts[0] += 1;
    tokens.replace("count", Column::new("count".into(), counts.iter().map(|&c| c as i64).collect::<Vec<_>>())).unwrap();
    let file = std::fs::File::create(tmp.path().join("part-bad/tokens.parquet")).unwrap();
    ParquetWriter::new(file).finish(&mut tokens).unwrap();
    let (north, bad, out) = (p("part-north"), p("part-bad"), p("bad"));
    for extra in [&[][..], &["--group-by", "source"][..]] {
        let args = [&["merge", &north, &bad, "-o", &out][..], &analysis, extra].concat();
        let o = tifa(&args);
        assert!(!o.status.success(), "{extra:?}");
        assert!(stderr(&o).contains("but their token tables count"), "{extra:?}: {}", stderr(&o));
        assert!(report_files(&tmp.path().join("bad")).is_empty(), "{extra:?}");
    }
}

#[test]
fn partials_merge_into_the_same_reports_as_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("north"), tmp.path().join("south"));
    generated_corpus(&[a.clone(), b.clone()], 20, 3, 30);
    let p = |name: &str| tmp.path().join(name).to_str().unwrap().to_string();
    // metadata joined in each shard, with a field named like a partial's own column
    std::fs::write(tmp.path().join("meta.csv"), "file,province,text\n2019_0000.txt,山东,x\n2022_0003.txt,河南,y\n")
        .unwrap();
    let analysis = ["-q", "--period", "year", "--group-by", "source", "--min-count", "3"];
    let o = tifa(
        &[&["analyze", &p("north"), &p("south"), "-o", &p("one"), "--metadata", &p("meta.csv")][..], &analysis]
            .concat(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for (shard, threads) in [("north", "1"), ("south", "2")] {
        let part = p(&format!("part-{shard}"));
        let o = tifa(&["analyze", &p(shard), "--partial", &part, "-q", "-j", threads, "--metadata", &p("meta.csv")]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    // a partial holds every n-gram (count ≥ 1): the threshold is applied after adding up
    let part = read_parquet(&tmp.path().join("part-north/ngrams.parquet"));
    assert!(u64s(&part, "count").contains(&1));
    // partials in any order
    let o = tifa(&[&["merge", &p("part-south"), &p("part-north"), "-o", &p("merged")][..], &analysis].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let one = report_files(&tmp.path().join("one"));
    assert!(one.len() >= 25, "{:?}", one.keys());
    let same_as_one = |dir: &str, what: &str| same_reports(&one, &tmp.path().join(dir), what);
    same_as_one("merged", "the merge of partials");
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("merged/run.json")).unwrap()).unwrap();
    assert_eq!(run["command"], "merge");
    let docs = read_parquet(&tmp.path().join("merged/documents.parquet"));
    assert!(opt_strs(&docs, "province").contains(&Some("山东".to_string())));
    for (source, text) in strs(&docs, "source").iter().zip(opt_strs(&docs, "text")) {
        let named = source.ends_with("2019_0000.txt") || source.ends_with("2022_0003.txt");
        assert_eq!(text.is_some(), named, "the metadata field named text, on {source}");
    }

    // the token and n-gram counts added up elsewhere (as Spark does: a file, or a folder of
    // part files) give the same reports
    let sum = |table: &str, keys: &[&str], values: &[&str]| -> DataFrame {
        let parts: Vec<LazyFrame> = ["north", "south"]
            .iter()
            .map(|s| read_parquet(&tmp.path().join(format!("part-{s}/{table}.parquet"))).lazy())
            .collect();
        let aggs: Vec<Expr> =
            values.iter().map(|v| col(*v).sum()).chain([col(keys[0]).count().alias("rows")]).collect();
        let mut df = concat(parts, UnionArgs::default())
            .unwrap()
            .group_by(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
            .agg(aggs)
            .collect()
            .unwrap();
        let _ = df.drop_in_place("rows");
        df
    };
    let sums = tmp.path().join("sums");
    std::fs::create_dir_all(sums.join("ngrams.parquet")).unwrap();
    let mut tokens = sum("tokens", &["token", "stopword"], &["count", "doc_count"]);
    ParquetWriter::new(std::fs::File::create(sums.join("tokens.parquet")).unwrap()).finish(&mut tokens).unwrap();
    let ngrams = sum("ngrams", &["tokens", "n"], &["count", "doc_count"]);
    let half = ngrams.height() / 2;
    for (k, (start, len)) in [(0, half), (half, ngrams.height() - half)].into_iter().enumerate() {
        let file = std::fs::File::create(sums.join(format!("ngrams.parquet/part-{k}.parquet"))).unwrap();
        ParquetWriter::new(file).finish(&mut ngrams.slice(start as i64, len)).unwrap();
    }
    std::fs::write(sums.join("ngrams.parquet/_SUCCESS"), "").unwrap();
    let (north, south, sums_arg, summed_arg) = (p("part-north"), p("part-south"), p("sums"), p("summed"));
    let with_sums = [&["merge", &north, &south, "--sums", &sums_arg, "-o", &summed_arg][..], &analysis].concat();
    let o = tifa(&with_sums);
    assert!(o.status.success(), "{}", stderr(&o));
    same_as_one("summed", "the merge with --sums");
    // summed by key alone, as the Spark job sums them (the words come from the partials)
    let by_key = tmp.path().join("sums-by-key");
    std::fs::create_dir_all(&by_key).unwrap();
    ParquetWriter::new(std::fs::File::create(by_key.join("tokens.parquet")).unwrap()).finish(&mut tokens).unwrap();
    let mut keyed = sum("ngrams", &["key"], &["count", "doc_count"]);
    assert_eq!(keyed.height(), ngrams.height(), "n-grams that share a key");
    ParquetWriter::new(std::fs::File::create(by_key.join("ngrams.parquet")).unwrap()).finish(&mut keyed).unwrap();
    let o =
        tifa(&[&["merge", &north, &south, "--sums", &p("sums-by-key"), "-o", &p("by-key")][..], &analysis].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    same_as_one("by-key", "the merge with sums by key");
    // as the Spark job does it: the shards' key tables added up, each shard's rows that another
    // may also have kept by `tifa shared-ngrams`, those summed by key, the words taken from them
    let (north_keys, south_keys) = (p("part-north/ngram_keys.bits"), p("part-south/ngram_keys.bits"));
    let o = tifa(&["add-tables", &north_keys, &south_keys, "-o", &p("keys.bits")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let sum = tifa::keybits::KeyBits::read(&tmp.path().join("keys.bits")).unwrap();
    let [north_table, south_table] =
        [&north_keys, &south_keys].map(|f| tifa::keybits::KeyBits::read(Path::new(f)).unwrap());
    assert_eq!(sum, north_table.add_table(south_table));
    // a key table not added up from the partial's own is refused
    let foreign = p("part-south/ngram_keys.bits");
    let o = tifa(&["shared-ngrams", &p("part-north"), "--keys", &foreign, "-o", &p("shared-wrong"), "-q"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("was not added up from"), "{}", stderr(&o));
    let mut shared = Vec::new();
    for s in ["north", "south"] {
        let out = p(&format!("shared-{s}"));
        let o = tifa(&["shared-ngrams", &p(&format!("part-{s}")), "--keys", &p("keys.bits"), "-o", &out, "-q"]);
        assert!(o.status.success(), "{}", stderr(&o));
        shared.push(read_parquet(&tmp.path().join(format!("shared-{s}/ngrams.parquet"))).lazy());
    }
    // the rows left out are n-grams seen once in both shards together, and there are some
    let all_rows = ngrams.height();
    let once = ngrams.clone().lazy().filter(col("count").eq(lit(1))).collect().unwrap().height();
    let shared = concat(shared, UnionArgs::default()).unwrap().collect().unwrap();
    let in_partials = read_parquet(&tmp.path().join("part-north/ngrams.parquet")).height()
        + read_parquet(&tmp.path().join("part-south/ngrams.parquet")).height();
    assert!(shared.height() < in_partials && once > 0, "{} of {in_partials} rows kept", shared.height());
    let kept_tokens: std::collections::HashSet<String> = strs(&shared, "tokens").into_iter().collect();
    let (tokens_all, counts_all) = (strs(&ngrams, "tokens"), u64s(&ngrams, "count"));
    for (t, c) in tokens_all.iter().zip(&counts_all) {
        assert!(*c == 1 || kept_tokens.contains(t), "{t} (count {c}) left out");
    }
    assert!(kept_tokens.len() < all_rows, "nothing left out");
    let by_key_shared = tmp.path().join("sums-shared");
    std::fs::create_dir_all(&by_key_shared).unwrap();
    ParquetWriter::new(std::fs::File::create(by_key_shared.join("tokens.parquet")).unwrap())
        .finish(&mut tokens)
        .unwrap();
    let mut keyed_shared = shared
        .lazy()
        .group_by([col("key")])
        .agg([col("count").sum(), col("doc_count").sum()])
        .filter(col("count").gt_eq(lit(3)))
        .collect()
        .unwrap();
    ParquetWriter::new(std::fs::File::create(by_key_shared.join("ngrams.parquet")).unwrap())
        .finish(&mut keyed_shared)
        .unwrap();
    let (words_north, words_south) = (p("shared-north"), p("shared-south"));
    let merge_shared = ["merge", &north, &south, "--sums", &p("sums-shared"), "--words", &words_north, &words_south];
    let o = tifa(&[&merge_shared[..], &["-o", &p("by-shared")], &analysis].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    same_as_one("by-shared", "the merge of the shared rows");
    // the shards' reuse window tables added up, as the Spark job does: reuse takes which
    // windows two documents may share from them, and finds the same passages and near-copies
    let (north_windows, south_windows) = (p("part-north/reuse_windows.bits"), p("part-south/reuse_windows.bits"));
    let o = tifa(&["add-tables", &north_windows, &south_windows, "-o", &p("windows.bits")]);
    assert!(o.status.success(), "{}", stderr(&o));
    // tables of two kinds do not add up
    let o = tifa(&["add-tables", &north_windows, &north_keys, "-o", &p("mixed.bits")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("tables of one kind add up"), "{}", stderr(&o));
    assert!(!tmp.path().join("mixed.bits").exists());
    let o = tifa(&[&merge_shared[..], &["--windows", &p("windows.bits"), "-o", &p("by-windows")], &analysis].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = |name: &str| String::from_utf8_lossy(&one[name]).lines().count();
    assert!(lines("reuse_passages.csv") > 10 && lines("reuse_alignments.csv") > 2, "too little reuse to test");
    same_as_one("by-windows", "the merge with --windows");
    // one shard's table alone is refused, and so is a table of n-gram keys
    for (table, says) in [("part-north/reuse_windows.bits", "was not added up from"), ("keys.bits", "n-gram keys")] {
        let o = tifa(&[&merge_shared[..], &["--windows", &p(table), "-o", &p("windows-wrong")], &analysis].concat());
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(says), "{table}: {}", stderr(&o));
    }
    // sums of other partials are refused
    ParquetWriter::new(std::fs::File::create(sums.join("tokens.parquet")).unwrap())
        .finish(&mut read_parquet(&tmp.path().join("part-north/tokens.parquet")))
        .unwrap();
    let o = tifa(
        &[&["merge", &p("part-north"), &p("part-south"), "--sums", &p("sums"), "-o", &p("wrong")][..], &analysis]
            .concat(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("were the sums made from these partials"), "{}", stderr(&o));

    // a partial of an older schema (no n-gram keys) is refused, saying which
    let old = tmp.path().join("part-old");
    std::fs::create_dir_all(&old).unwrap();
    for f in std::fs::read_dir(tmp.path().join("part-north")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, old.join(f.file_name().unwrap())).unwrap();
    }
    let json = std::fs::read_to_string(old.join("run.json")).unwrap().replace("\"schema\": 4", "\"schema\": 3");
    std::fs::write(old.join("run.json"), json).unwrap();
    let o = tifa(&["merge", &p("part-old"), &p("part-south"), "-o", &p("old"), "-q"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("it has schema 3"), "{}", stderr(&o));

    // a document in two partials would be counted twice: refused
    let o = tifa(&["merge", &p("part-north"), &p("part-north"), "-o", &p("twice"), "-q"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is in two partials"), "{}", stderr(&o));
    // a report is not a partial
    let o = tifa(&["merge", &p("one"), "-o", &p("not"), "-q"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not a tifa partial"), "{}", stderr(&o));
}

/// `pdftotext` on PATH (or `TIFA_PDFTOTEXT`).
fn has_pdftotext() -> bool {
    let program = std::env::var_os("TIFA_PDFTOTEXT").unwrap_or_else(|| "pdftotext".into());
    Command::new(program).arg("-v").output().is_ok()
}

/// The 20 most frequent slogans of a run, with their counts.
fn top_slogans(out: &Path) -> Vec<(String, u64)> {
    let s = read_parquet(&out.join("slogans.parquet"));
    strs(&s, "slogan").into_iter().zip(u64s(&s, "count")).take(20).collect()
}

/// One seed speech as people receive it (hard-wrapped, with invisible characters, as a saved
/// web page, a Word file, a PDF, in traditional characters) gives the plain text's top-20 slogan
/// counts exactly.
#[test]
fn documents_in_other_shapes_give_the_plain_texts_slogan_counts() {
    let pdf = has_pdftotext();
    if !pdf {
        // CI installs poppler-utils and sets TIFA_REQUIRE_PDFTOTEXT, so there the PDF is read
        assert!(std::env::var_os("TIFA_REQUIRE_PDFTOTEXT").is_none(), "TIFA_REQUIRE_PDFTOTEXT is set but no pdftotext");
        eprintln!("skipping the PDF twin: no pdftotext on PATH (install poppler-utils)");
    }
    let tmp = tempfile::tempdir().unwrap();
    let plain = std::fs::read_to_string(repo().join("data/sample/002_c3783159abc01423.txt")).unwrap();
    // hard-wrapped every 33 characters, as text extracted from a PDF is
    let wrapped: Vec<String> = plain
        .split('\n')
        .flat_map(|l| {
            let chars: Vec<char> = l.chars().collect();
            if chars.is_empty() {
                return vec![String::new()];
            }
            chars.chunks(33).map(|c| c.iter().collect::<String>()).collect()
        })
        .collect();
    // a zero-width space and a no-break space in every third line, as web text carries them
    let invisible: Vec<String> = plain
        .split('\n')
        .enumerate()
        .map(|(i, l)| {
            let chars: Vec<char> = l.chars().collect();
            if i % 3 != 0 || chars.len() < 20 {
                return l.to_string();
            }
            let (a, b, c) = (&chars[..7], &chars[7..15], &chars[15..]);
            format!(
                "{}\u{200b}{}\u{a0}{}",
                a.iter().collect::<String>(),
                b.iter().collect::<String>(),
                c.iter().collect::<String>()
            )
        })
        .collect();
    let fixtures = repo().join("tests/fixtures/formats");
    let mut twins: Vec<(&str, &str, Vec<u8>)> = vec![
        ("plain", "speech.txt", plain.clone().into_bytes()),
        ("wrapped", "speech.txt", wrapped.join("\n").into_bytes()),
        ("invisible", "speech.txt", invisible.join("\n").into_bytes()),
        ("html", "speech.html", std::fs::read(fixtures.join("speech.html")).unwrap()),
        ("docx", "speech.docx", std::fs::read(fixtures.join("speech.docx")).unwrap()),
        ("traditional", "speech.txt", std::fs::read(fixtures.join("speech-traditional.txt")).unwrap()),
    ];
    if pdf {
        twins.push(("pdf", "speech.pdf", std::fs::read(fixtures.join("speech.pdf")).unwrap()));
    }
    let mut reference = None;
    for (shape, name, bytes) in &twins {
        let dir = tmp.path().join(shape);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
        let out = tmp.path().join(format!("out-{shape}"));
        let o = tifa(&["analyze", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "--no-reuse"]);
        assert!(o.status.success(), "{shape}: {}", stderr(&o));
        let docs = read_parquet(&out.join("documents.parquet"));
        assert_eq!(docs.height(), 4, "{shape}: the four speeches of the file");
        assert_eq!(strs(&docs, "title")[0], "2023年主题教育研讨交流发言材料四篇", "{shape}");
        let joined: u64 = u64s(&docs, "joined_lines").iter().sum();
        let invisible: u64 = u64s(&docs, "invisible_chars").iter().sum();
        match *shape {
            "wrapped" | "pdf" => assert!(joined > 200, "{shape}: {joined} lines joined"),
            _ => assert_eq!(joined, 0, "{shape}"),
        }
        assert_eq!(invisible > 0, *shape == "invisible", "{shape}: {invisible} invisible characters");
        if joined > 0 || invisible > 0 {
            assert!(stderr(&o).contains(if joined > 0 {
                "hard-wrapped lines joined"
            } else {
                "invisible characters removed"
            }));
        }
        let encoding = strs(&docs, "encoding")[0].clone();
        let expected = match *shape {
            "docx" => "DOCX",
            "pdf" => "PDF",
            _ => "UTF-8",
        };
        assert_eq!(encoding, expected, "{shape}");
        let script = if *shape == "traditional" { "traditional" } else { "simplified" };
        assert!(strs(&docs, "script").iter().all(|s| s == script), "{shape}: {:?}", strs(&docs, "script"));
        let top = top_slogans(&out);
        match &reference {
            None => {
                assert!(top.iter().any(|(s, n)| s == "主题教育" && *n > 50), "{top:?}");
                reference = Some(top);
            }
            Some(r) => assert_eq!(&top, r, "{shape}: top-20 slogan counts differ from the plain text's"),
        }
    }
}

/// Files that claim a format they do not have are skipped with a reason that names it.
#[test]
fn broken_web_word_and_pdf_files_are_skipped_with_reasons() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("fake.docx"), "这不是一个Word文件").unwrap();
    std::fs::write(dir.join("fake.pdf"), "这不是一个PDF文件").unwrap();
    std::fs::write(dir.join("chrome.html"), "<html><body><nav>首页 栏目</nav><footer>版权所有</footer></body></html>")
        .unwrap();
    std::fs::write(dir.join("speech.htm"), "<p>要增强“四个意识”、坚定“四个自信”、做到“两个维护”。</p>").unwrap();
    let out = tmp.path().join("out");
    let o = tifa(&["analyze", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "--no-reuse"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("1 documents from 4 files, 3 skipped"), "{}", stderr(&o));
    let skipped = skipped_in(&out);
    let reason = |name: &str| skipped.iter().find(|(p, _)| p.ends_with(name)).map(|(_, r)| r.clone()).unwrap();
    assert!(reason("fake.docx").contains("not a Word .docx file"), "{skipped:?}");
    assert!(reason("fake.pdf").contains("PDF not read"), "{skipped:?}");
    assert!(reason("chrome.html").contains("web page without text"), "{skipped:?}");
}

/// Traditional characters are folded by default and kept with --keep-traditional; kwic finds a
/// phrase written either way.
#[test]
fn traditional_text_is_folded_unless_kept_and_kwic_finds_either_spelling() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("hk.txt"),
        "同志們：要增強「四個意識」、堅定「四個自信」、做到「兩個維護」。\n我們要做到兩個維護，堅持兩個維護。",
    )
    .unwrap();
    std::fs::write(dir.join("cn.txt"), "同志们：要增强“四个意识”、坚定“四个自信”、做到“两个维护”。").unwrap();
    let count = |extra: &[&str], slogan: &str| -> u64 {
        let out = tmp.path().join(format!("out{}", extra.len()));
        let mut args =
            vec!["analyze", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "--no-reuse", "--min-docs", "1"];
        args.extend(extra);
        let o = tifa(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        let docs = read_parquet(&out.join("documents.parquet"));
        assert_eq!(strs(&docs, "script"), ["simplified", "traditional"]);
        let s = read_parquet(&out.join("slogans.parquet"));
        strs(&s, "slogan").iter().zip(u64s(&s, "count")).find(|(x, _)| *x == slogan).map_or(0, |(_, n)| n)
    };
    assert_eq!(count(&[], "两个维护"), 4);
    assert_eq!(count(&["--keep-traditional"], "两个维护"), 1);
    for phrase in ["两个维护", "兩個維護"] {
        let o = tifa(&["kwic", phrase, dir.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(kwic_total(&o), (4, 2), "{phrase}");
    }
    let o = tifa(&["kwic", "兩個維護", dir.to_str().unwrap(), "--keep-traditional"]);
    assert_eq!(kwic_total(&o), (3, 1));
}

/// A generated corpus in `tmp` cut into two shards whose files alternate (so one run's document
/// order interleaves them), one run over both without reuse (`tmp/one`), and each shard's
/// partial: their paths.
fn two_shards_and_one_run(tmp: &Path) -> [String; 2] {
    let (a, b) = (tmp.join("north"), tmp.join("south"));
    generated_corpus(&[a.clone(), b.clone()], 12, 3, 30);
    let p = |name: &str| tmp.join(name).to_str().unwrap().to_string();
    let o = tifa(&["analyze", &p("north"), &p("south"), "-o", &p("one"), "-q", "--no-reuse"]);
    assert!(o.status.success(), "{}", stderr(&o));
    ["north", "south"].map(|shard| {
        let part = p(&format!("part-{shard}"));
        let o = tifa(&["analyze", &p(shard), "--partial", &part, "-q", "--no-reuse"]);
        assert!(o.status.success(), "{}", stderr(&o));
        part
    })
}

#[test]
fn range_tasks_find_the_phrases_of_one_run_between_them() {
    let tmp = tempfile::tempdir().unwrap();
    let [north, south] = two_shards_and_one_run(tmp.path());
    let p = |name: &str| tmp.path().join(name).to_str().unwrap().to_string();
    let range = |k: usize, n: usize| {
        let out = p(&format!("range-{k}-of-{n}"));
        let o = tifa(&["phrases", &south, &north, "--range", &k.to_string(), "--ranges", &n.to_string(), "-o", &out]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stderr(&o).contains(&format!("range {k} of {n}")), "{}", stderr(&o));
        PathBuf::from(out)
    };
    let whole = tifa::read_phrases(&[range(0, 1)]).unwrap();
    let three = tifa::read_phrases(&[range(2, 3), range(0, 3), range(1, 3)]).unwrap();
    assert!(whole.len() > 100, "{} phrases", whole.len());
    assert_eq!(three, whole);
    // every slogan one run's phrase detector found is among them, with its entropies
    let slogans = read_parquet(&tmp.path().join("one/slogans.parquet"));
    let (texts, found_by) = (strs(&slogans, "slogan"), strs(&slogans, "found_by"));
    let entropies = |c: &str| -> Vec<Option<f64>> { slogans.column(c).unwrap().f64().unwrap().iter().collect() };
    let (left, right) = (entropies("left_entropy"), entropies("right_entropy"));
    let mut checked = 0;
    for i in (0..texts.len()).filter(|&i| found_by[i].split('|').any(|k| k == "phrase")) {
        let (_, f) = whole.iter().find(|(t, _)| *t == texts[i]).unwrap_or_else(|| panic!("{} not found", texts[i]));
        let round4 = |x: f64| (x * 1e4).round() / 1e4;
        assert_eq!((Some(round4(f.left_entropy)), Some(round4(f.right_entropy))), (left[i], right[i]), "{}", texts[i]);
        checked += 1;
    }
    assert!(checked > 20, "{checked} phrase slogans");
    // a range the cut does not have is refused, and writes nothing
    let o = tifa(&["phrases", &north, &south, "--range", "3", "--ranges", "3", "-o", &p("bad")]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("range 3 is not one of the 3 ranges"), "{}", stderr(&o));
    assert!(!tmp.path().join("bad").exists());
}

#[test]
fn measuring_tasks_add_up_to_one_runs_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let parts = two_shards_and_one_run(tmp.path());
    let p = |name: &str| tmp.path().join(name).to_str().unwrap().to_string();
    // the strings: one run's slogans of indexable characters only, and one no shard has
    let slogans = read_parquet(&tmp.path().join("one/slogans.parquet"));
    let (texts, variants) = (strs(&slogans, "slogan"), strs(&slogans, "variants"));
    let (counts, docs) = (u64s(&slogans, "count"), u64s(&slogans, "doc_count"));
    let plain = |t: &str| t.chars().all(|c| c == '、' || c.is_alphanumeric());
    let asked: Vec<usize> = (0..texts.len()).filter(|&i| variants[i].is_empty() && plain(&texts[i])).collect();
    assert!(asked.len() > 50, "{} slogans", asked.len());
    let mut list: Vec<&str> = asked.iter().map(|&i| texts[i].as_str()).collect();
    list.push("没有这个说法");
    std::fs::write(tmp.path().join("strings.txt"), list.join("\n")).unwrap();
    let mut measured = Vec::new();
    for (k, part) in parts.iter().enumerate() {
        let out = p(&format!("measured-{k}"));
        let o = tifa(&["measure", part, "--strings", &p("strings.txt"), "-o", &out]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stderr(&o).contains(&format!("{} strings measured", list.len())), "{}", stderr(&o));
        measured.push(PathBuf::from(out));
    }
    let summed = tifa::read_measured(&measured).unwrap();
    assert_eq!(summed.stats.len(), list.len());
    assert_eq!(summed.stats["没有这个说法"].occurrences, 0);
    for &i in &asked {
        let s = &summed.stats[&texts[i]];
        assert_eq!((s.occurrences, s.docs), (counts[i], docs[i]), "{}", texts[i]);
    }
    // every position indexed, over both shards
    let one = read_parquet(&tmp.path().join("one/documents.parquet"));
    assert!(summed.totals.positions > 0 && summed.totals.positions < u64s(&one, "chars").iter().sum::<u64>());

    // finished where summed: what the decisions read, the same from the files as from the sums
    let (m0, m1) = (measured[0].to_str().unwrap(), measured[1].to_str().unwrap());
    let o = tifa(&["finish", m1, m0, "-o", &p("finished")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("{} strings finished", list.len())), "{}", stderr(&o));
    let finished = tifa::read_finished(&[tmp.path().join("finished")]).unwrap();
    let eras = summed.totals.eras();
    assert_eq!(finished.eras, eras);
    assert_eq!(finished.measures.len(), list.len());
    for (t, s) in &summed.stats {
        assert_eq!(finished.measures[t], Finished::of(s, t, &summed.totals, &eras), "{t}");
    }
    for &i in &asked {
        let f = finished.freedom_of(&texts[i]).unwrap();
        assert_eq!((f.occurrences as u64, f.docs as u64), (counts[i], docs[i]), "{}", texts[i]);
    }
    assert!(finished.freedom_of("没有这个说法").is_none());
    // the same bytes again
    let o = tifa(&["finish", m0, m1, "-o", &p("again")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = |d: &str| std::fs::read(tmp.path().join(d).join("finished.parquet")).unwrap();
    assert_eq!(bytes("finished"), bytes("again"));
}

#[test]
fn slogans_in_two_passes_from_the_tasks_files_are_one_runs() {
    use tifa::slogans::stats::FinishedSums;
    let tmp = tempfile::tempdir().unwrap();
    let parts = two_shards_and_one_run(tmp.path());
    let p = |name: &str| tmp.path().join(name).to_str().unwrap().to_string();
    let run = |args: &[&str]| {
        let o = tifa(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    };

    // pass 1: the phrases from three range tasks; the documents' candidates where the texts are
    for k in 0..3 {
        run(&["phrases", &parts[0], &parts[1], "--range", &k.to_string(), "--ranges", "3", "-o", &p(&format!("r{k}"))]);
    }
    let phrases = tifa::read_phrases(&[0, 1, 2].map(|k| tmp.path().join(format!("r{k}")))).unwrap();
    let mut docs: Vec<_> = parts.iter().flat_map(|d| tifa::partial::read(Path::new(d)).unwrap().docs).collect();
    docs.sort_by(|x, y| x.0.source.cmp(&y.0.source).then(x.0.part.cmp(&y.0.part)));
    let texts: Vec<&str> = docs.iter().map(|(_, c)| c.text.as_str()).collect();
    let place = docs.iter().enumerate().map(|(i, (m, _))| (m.doc_id.as_str(), i)).collect();
    let mut segs = vec![tifa::segment::Segmented::default(); docs.len()];
    for d in &parts {
        tifa::partial::read_words(Path::new(d), &place, &texts, &mut segs).unwrap();
    }
    let res = tifa::resources::Resources::builtin().unwrap();
    let proposed = tifa::slogans::union::join_with_phrases(
        vec![tifa::slogans::propose_in_documents(&texts, &segs, &res.slogans)],
        phrases,
    );

    // pass 2: each round's strings measured by a task per shard, then finished
    let round = std::cell::Cell::new(0);
    let measure = |missing: &[String], sums: &mut FinishedSums| {
        let k = round.get();
        round.set(k + 1);
        let strings = p(&format!("asked-{k}.txt"));
        std::fs::write(&strings, missing.join("\n")).unwrap();
        let measured = [0, 1].map(|s| p(&format!("measured-{k}-{s}")));
        for (part, out) in parts.iter().zip(&measured) {
            run(&["measure", part, "--strings", &strings, "-o", out]);
        }
        let finished = p(&format!("finished-{k}"));
        run(&["finish", &measured[0], &measured[1], "-o", &finished]);
        let new = tifa::read_finished(&[PathBuf::from(finished)]).unwrap();
        sums.eras = new.eras;
        sums.measures.extend(new.measures);
        Ok::<_, ()>(())
    };
    // the totals (and so the eras) first, from tasks that measure nothing
    let mut sums = FinishedSums::default();
    measure(&[], &mut sums).unwrap();
    let eras = sums.eras.clone();
    let seg = tifa::segment::Segmenter::new(&res);
    let (seen, settings) = (std::collections::BTreeSet::new(), tifa::slogans::Settings::default());
    let decide = |asking: &tifa::slogans::stats::Asking| {
        let ask = tifa::slogans::Asked {
            texts: &texts,
            res: &res,
            segmenter: &seg,
            settings,
            folded_seen: &seen,
            track: &[],
        };
        Ok(tifa::slogans::decide(proposed.clone(), asking, &eras, Vec::new(), ask).unwrap())
    };
    let (two, measured) = tifa::slogans::union::decide_in_rounds(&mut sums, decide, measure).unwrap();
    assert!(!measured.is_empty());

    let one = read_parquet(&tmp.path().join("one/slogans.parquet"));
    let rows: Vec<(String, u64, u64)> = two.list.iter().map(|s| (s.text.clone(), s.count, s.doc_count)).collect();
    let (texts, counts, docs) = (strs(&one, "slogan"), u64s(&one, "count"), u64s(&one, "doc_count"));
    let want: Vec<(String, u64, u64)> = (0..texts.len()).map(|i| (texts[i].clone(), counts[i], docs[i])).collect();
    assert!(want.len() > 50, "{} slogans", want.len());
    assert_eq!(rows, want);

    // the merge decides from the same files, without an index of the whole corpus: one run's
    // reports; with the finished measures of no round, it stops and names what to measure
    let ranges = [0, 1, 2].map(|k| p(&format!("r{k}")));
    let finished: Vec<String> = (0..round.get()).map(|k| p(&format!("finished-{k}"))).collect();
    let merge = |finished: &[String], out: &str| {
        let mut args = vec!["merge", &parts[0], &parts[1], "-o", out, "-q", "--no-reuse", "--phrases"];
        args.extend(ranges.iter().map(String::as_str));
        args.push("--finished");
        args.extend(finished.iter().map(String::as_str));
        let asked = p("asked.txt");
        args.extend(["--asked", &asked]);
        tifa(&args)
    };
    let o = merge(&finished, &p("merged"));
    assert!(o.status.success(), "{}", stderr(&o));
    same_reports(&report_files(&tmp.path().join("one")), &tmp.path().join("merged"), "the merge from the files");
    let o = merge(&finished[..1], &p("short"));
    assert!(!o.status.success());
    let asked = std::fs::read_to_string(tmp.path().join("asked.txt")).unwrap();
    assert_eq!(asked.lines().count(), measured[0], "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("lack {} strings", measured[0])), "{}", stderr(&o));
    assert!(report_files(&tmp.path().join("short")).is_empty());
}

#[test]
fn ask_rounds_between_the_tasks_decide_one_runs_slogans_whatever_the_shards_hold() {
    // one folder of files, cut into three shards that take its files in turn: each shard's
    // documents lie between the others' in corpus order
    let tmp = tempfile::tempdir().unwrap();
    let p = |name: &str| tmp.path().join(name).to_str().unwrap().to_string();
    let whole = tmp.path().join("whole/corpus");
    generated_corpus(std::slice::from_ref(&whole), 12, 3, 30);
    let mut names: Vec<PathBuf> = std::fs::read_dir(&whole).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    for (i, f) in names.iter().enumerate() {
        let dir = tmp.path().join(format!("shard-{}/corpus", i % 3));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(f, dir.join(f.file_name().unwrap())).unwrap();
    }
    let run = |args: &[&str]| {
        let o = tifa(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        o
    };
    run(&["analyze", &whole.to_string_lossy(), "-o", &p("one"), "-q", "--no-reuse", "--track", "主题教育"]);
    let parts: Vec<String> = (0..3).map(|k| p(&format!("part-{k}"))).collect();
    for (k, part) in parts.iter().enumerate() {
        run(&["analyze", &p(&format!("shard-{k}/corpus")), "--partial", part, "-q", "--no-reuse"]);
    }
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    let ranges = [p("r0"), p("r1")];
    for (k, out) in ranges.iter().enumerate() {
        run(&[&["phrases"], &parts[..], &["--range", &k.to_string(), "--ranges", "2", "-o", out]].concat());
    }

    // rounds: ask, measure in every shard, finish; until the measures lack nothing
    let mut finished: Vec<String> = Vec::new();
    let mut asked_counts = Vec::new();
    loop {
        let asked = p(&format!("asked-{}.txt", finished.len()));
        let mut args = [&["ask"], &parts[..], &["--phrases", &ranges[0], &ranges[1], "-o", &asked]].concat();
        args.extend(["--track", "主题教育"]);
        if !finished.is_empty() {
            args.push("--finished");
            args.extend(finished.iter().map(String::as_str));
        }
        let o = run(&args);
        let lines = std::fs::read_to_string(&asked).unwrap().lines().count();
        assert!(stderr(&o).contains(&format!("{lines} strings to measure")), "{}", stderr(&o));
        asked_counts.push(lines);
        if lines == 0 {
            break;
        }
        assert!(finished.len() < 5, "rounds do not end: {asked_counts:?}");
        let round = finished.len();
        let measured: Vec<String> = (0..3).map(|k| p(&format!("measured-{round}-{k}"))).collect();
        for (part, out) in parts.iter().zip(&measured) {
            run(&["measure", part, "--strings", &asked, "-o", out]);
        }
        let out = p(&format!("finished-{round}"));
        run(&[&["finish"], &measured.iter().map(String::as_str).collect::<Vec<_>>()[..], &["-o", &out]].concat());
        finished.push(out);
    }
    assert!(asked_counts[0] > 50, "{asked_counts:?}");

    // the merge decides from them: one run's reports
    let merged = p("merged");
    let mut args = [&["merge"], &parts[..], &["-o", &merged, "-q", "--no-reuse", "--track", "主题教育"]].concat();
    args.extend(["--phrases", &ranges[0], &ranges[1], "--finished"]);
    args.extend(finished.iter().map(String::as_str));
    run(&args);
    same_reports(&report_files(&tmp.path().join("one")), &tmp.path().join("merged"), "the merge after asking");

    // measures finished in other partials' totals are refused
    let x = p("x");
    let o = tifa(
        &[&["ask"], &parts[..2], &["--phrases", &ranges[0], &ranges[1], "--finished", &finished[0], "-o", &x]].concat(),
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("not finished in these partials' totals"), "{}", stderr(&o));
}
