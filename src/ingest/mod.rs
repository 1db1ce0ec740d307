//! Ingest: find input files (recursively, in a stable order), decode them (plain text in any
//! common Chinese encoding, web pages, Word and PDF files), and split each into documents with
//! an id, title and date. Files that cannot be read become [`Skipped`] entries.

pub mod date;
pub mod decode;
pub mod docx;
pub mod metadata;
pub mod pdf;
pub mod records;
pub mod script;
pub mod split;
pub mod webpage;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::resources::SplitRules;

/// File extensions read when walking a directory (files named on the command line are always
/// read). CSV corpora are read only when named: a folder's `metadata.csv` is not a corpus.
pub const EXTENSIONS: [&str; 9] = ["txt", "md", "markdown", "jsonl", "ndjson", "html", "htm", "docx", "pdf"];

/// How a file's bytes become text, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    WebPage,
    Word,
    Pdf,
}

impl Format {
    fn of(source: &str) -> Format {
        let ext = source.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        match ext.as_str() {
            "html" | "htm" => Format::WebPage,
            "docx" => Format::Word,
            "pdf" => Format::Pdf,
            _ => Format::Text,
        }
    }
}

/// Who a document is and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocMeta {
    /// `<source>#<part>`: stable across runs on the same inputs.
    pub doc_id: String,
    /// The file's path relative to the parent of the input it was found under, `/`-separated.
    pub source: String,
    /// 1-based position of the document in its file.
    pub part: u32,
    pub title: String,
    /// ISO date, month or year from the file name or the title.
    pub date: Option<String>,
    pub encoding: &'static str,
    /// Simplified or traditional characters, as read (see [`read_file`]).
    pub script: script::Script,
    /// Further columns: from a record corpus or a metadata table (kind, province …).
    pub extra: BTreeMap<String, String>,
}

/// The identifying columns of documents tables: doc_id, source, part, title, date, encoding,
/// script.
pub(crate) fn meta_columns(metas: &[DocMeta]) -> Vec<polars::prelude::Column> {
    use polars::prelude::Column;
    vec![
        Column::new("doc_id".into(), metas.iter().map(|m| m.doc_id.as_str()).collect::<Vec<_>>()),
        Column::new("source".into(), metas.iter().map(|m| m.source.as_str()).collect::<Vec<_>>()),
        Column::new("part".into(), metas.iter().map(|m| m.part).collect::<Vec<_>>()),
        Column::new("title".into(), metas.iter().map(|m| m.title.as_str()).collect::<Vec<_>>()),
        Column::new("date".into(), metas.iter().map(|m| m.date.as_deref()).collect::<Vec<_>>()),
        Column::new("encoding".into(), metas.iter().map(|m| m.encoding).collect::<Vec<_>>()),
        Column::new("script".into(), metas.iter().map(|m| m.script.as_str()).collect::<Vec<_>>()),
    ]
}

/// One column per metadata field any document has (null where a document lacks it), in name
/// order, each named `prefix` + the field's name.
pub(crate) fn extra_columns(metas: &[DocMeta], prefix: &str) -> Vec<polars::prelude::Column> {
    use polars::prelude::Column;
    let names: std::collections::BTreeSet<&str> =
        metas.iter().flat_map(|m| m.extra.keys().map(String::as_str)).collect();
    names
        .into_iter()
        .map(|name| {
            let values: Vec<Option<&str>> = metas.iter().map(|m| m.extra.get(name).map(String::as_str)).collect();
            Column::new(format!("{prefix}{name}").into(), values)
        })
        .collect()
}

/// One speech, report or news item, as read.
#[derive(Debug, Clone)]
pub struct Document {
    pub meta: DocMeta,
    pub raw: String,
}

/// An input that was not analysed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// A file to read and the name it goes by in the reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    pub source: String,
}

/// What [`discover`] found under the inputs.
#[derive(Debug, Default)]
pub struct Discovered {
    /// The files to read, sorted by their source name.
    pub files: Vec<InputFile>,
    /// Entries that could not be walked.
    pub skipped: Vec<Skipped>,
    /// Folders below an input that were not read because they hold reports: the run's own
    /// output folder and any folder with a `run.json` tifa wrote.
    pub reports: Vec<PathBuf>,
}

/// The files under `inputs`, sorted by their source name, plus entries that could not be walked.
/// A missing input is an error; unreadable directories and symlink loops are skipped, and so
/// are the folders below an input that hold reports (`output` or a tifa `run.json`), so that a
/// run never reads its own earlier output. An input named directly is always read.
pub fn discover(inputs: &[PathBuf], output: &Path) -> Result<Discovered> {
    let mut found = Discovered::default();
    let mut seen = HashSet::new();
    let output = std::fs::canonicalize(output).ok();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|_| Error::NoInput(input.clone()))?;
        let base = base_of(input);
        if meta.is_file() {
            push_file(&mut found.files, &mut seen, input, display_name(input, &base));
            continue;
        }
        let mut reports = Vec::new();
        let walker =
            walkdir::WalkDir::new(input).follow_links(true).sort_by_file_name().into_iter().filter_entry(|e| {
                if e.depth() == 0 {
                    return true;
                }
                if e.file_name().to_string_lossy().starts_with('.') {
                    return false;
                }
                let report = e.file_type().is_dir()
                    && (crate::report::holds_tifa_run(e.path())
                        || output.as_deref().is_some_and(|o| std::fs::canonicalize(e.path()).is_ok_and(|p| p == o)));
                if report {
                    reports.push(e.path().to_path_buf());
                }
                !report
            });
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() && has_text_extension(e.path()) => {
                    push_file(&mut found.files, &mut seen, e.path(), display_name(e.path(), &base));
                }
                Ok(_) => {}
                Err(err) => found.skipped.push(Skipped {
                    path: err.path().unwrap_or(input).display().to_string(),
                    reason: walk_reason(&err),
                }),
            }
        }
        found.reports.extend(reports);
    }
    let files = &mut found.files;
    files.sort_by(|a, b| a.source.cmp(&b.source).then_with(|| a.path.cmp(&b.path)));
    // Two inputs can hold files with the same relative name: keep ids unique.
    let mut names = HashSet::new();
    for f in files.iter_mut() {
        let mut name = f.source.clone();
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = format!("{}~{n}", f.source);
            n += 1;
        }
        f.source = name;
    }
    Ok(found)
}

fn walk_reason(err: &walkdir::Error) -> String {
    if err.loop_ancestor().is_some() {
        "symbolic link loop".to_string()
    } else if let Some(io) = err.io_error() {
        io.to_string()
    } else {
        err.to_string()
    }
}

fn push_file(files: &mut Vec<InputFile>, seen: &mut HashSet<PathBuf>, path: &Path, source: String) {
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if seen.insert(key) {
        files.push(InputFile { path: path.to_path_buf(), source });
    }
}

fn has_text_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// The directory names are taken relative to: the input's parent, so `data/sample` gives
/// `sample/…` and a file given alone keeps just its name.
fn base_of(input: &Path) -> PathBuf {
    let abs = std::path::absolute(input).unwrap_or_else(|_| input.to_path_buf());
    let abs = normalise(&abs);
    abs.parent().map(Path::to_path_buf).unwrap_or(abs)
}

/// Resolve `.` and `..` components without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn display_name(path: &Path, base: &Path) -> String {
    let abs = normalise(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
    let rel = abs.strip_prefix(base).unwrap_or(&abs);
    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

/// Read, decode and split one file (a record corpus gives one document per record); what could
/// not be read is listed as skipped. With `fold`, a file in traditional characters is folded to
/// simplified ones before it is split (the split rules and everything after are simplified);
/// its documents' `script` still says traditional.
pub fn read_file(
    file: &InputFile,
    rules: &SplitRules,
    cols: &records::Columns,
    fold: bool,
) -> (Vec<Document>, Vec<Skipped>) {
    let skip = |reason: String| (Vec::new(), vec![Skipped { path: file.path.display().to_string(), reason }]);
    let (text, encoding, title) = match extract(file) {
        Ok(Extracted::Text { text, encoding, title }) => (text, encoding, title),
        Ok(Extracted::Records(text, encoding)) => {
            let path = file.path.display().to_string();
            let (mut docs, skipped) = records::read_records(&path, &file.source, &text, cols, encoding);
            // each record is a document of its own script
            for d in &mut docs {
                let title = Some(std::mem::take(&mut d.meta.title));
                let (raw, title, script) = in_script(std::mem::take(&mut d.raw), title, fold);
                (d.raw, d.meta.title, d.meta.script) = (raw, title.unwrap_or_default(), script);
            }
            return (docs, skipped);
        }
        Err(reason) => return skip(reason),
    };
    let (text, title, script) = in_script(text, title, fold);
    let mut docs = documents_from_text(&file.source, &text, encoding, rules, title.as_deref());
    for d in &mut docs {
        d.meta.script = script;
    }
    (docs, Vec::new())
}

/// A text and its title in simplified characters when `fold` is on and the text is traditional,
/// and the text's script.
fn in_script(text: String, title: Option<String>, fold: bool) -> (String, Option<String>, script::Script) {
    let script = script::detect(&text);
    if fold && script == script::Script::Traditional {
        (script::to_simplified(&text), title.map(|t| script::to_simplified(&t)), script)
    } else {
        (text, title, script)
    }
}

/// What a file holds, by its format.
enum Extracted {
    /// One text (split into documents later), how it was read, and the title the file gives itself.
    Text { text: String, encoding: &'static str, title: Option<String> },
    /// A record corpus (.jsonl, .csv): one document per record.
    Records(String, &'static str),
}

/// The text of a file, or why it has none.
fn extract(file: &InputFile) -> Result<Extracted, String> {
    let format = Format::of(&file.source);
    if format == Format::Pdf {
        let text = pdf::read(&file.path).map_err(|e| e.to_string())?;
        return Ok(Extracted::Text { text, encoding: "PDF", title: None });
    }
    let bytes = std::fs::read(&file.path).map_err(|e| e.to_string())?;
    if format == Format::Word {
        let d = docx::read(&bytes).map_err(|e| e.to_string())?;
        if d.text.trim().is_empty() {
            return Err(decode::DecodeError::Empty.to_string());
        }
        return Ok(Extracted::Text { text: d.text, encoding: "DOCX", title: d.title });
    }
    let decoded = decode::decode(&bytes).map_err(|e| e.to_string())?;
    if format == Format::WebPage {
        let page = webpage::read(&decoded.text);
        if page.text.trim().is_empty() {
            return Err("web page without text".into());
        }
        return Ok(Extracted::Text { text: page.text, encoding: decoded.encoding, title: page.title });
    }
    if records::is_records(&file.source) {
        return Ok(Extracted::Records(decoded.text, decoded.encoding));
    }
    Ok(Extracted::Text { text: decoded.text, encoding: decoded.encoding, title: None })
}

/// Split decoded text into documents named after `source`. A file that is one document and does
/// not open with a title is named `title` (a web page's or Word file's own title) or, without
/// one, after the file.
pub fn documents_from_text(
    source: &str,
    text: &str,
    encoding: &'static str,
    rules: &SplitRules,
    title: Option<&str>,
) -> Vec<Document> {
    let file_date = date::find_date_in_name(source);
    let parts = split::split(text, rules);
    let single = parts.len() == 1;
    let stem = source.rsplit('/').next().unwrap_or(source);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    parts
        .into_iter()
        .enumerate()
        .map(|(i, mut part)| {
            let n = i as u32 + 1;
            // A file that is one document and opens with a sentence is named after the file.
            if single && !split::title_like(&crate::clean::without_invisible(&part.title), rules) {
                part.title = title.unwrap_or(stem).to_string();
            }
            let date = file_date.clone().or_else(|| date::find_date(&part.title));
            Document {
                meta: DocMeta {
                    doc_id: format!("{source}#{n}"),
                    source: source.to_string(),
                    part: n,
                    title: part.title,
                    date,
                    encoding,
                    script: script::Script::Simplified,
                    extra: BTreeMap::new(),
                },
                raw: part.text,
            }
        })
        .collect()
}

/// Titles a reader can tell apart. A title that documents of several files share (政府工作报告)
/// becomes the file's name where the file is that one document; a title still shared by
/// documents of different dates (a recurring news heading) gets the date added: 国内联播快讯（2020-01-01）.
pub fn distinct_titles(metas: &mut [DocMeta]) {
    use std::collections::{BTreeSet, HashMap};
    let mut parts: HashMap<&str, usize> = HashMap::new();
    let mut sources: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for m in metas.iter() {
        *parts.entry(m.source.as_str()).or_insert(0) += 1;
        sources.entry(m.title.as_str()).or_default().insert(m.source.as_str());
    }
    let renamed: Vec<Option<String>> = metas
        .iter()
        .map(|m| {
            let shared = sources.get(m.title.as_str()).is_some_and(|s| s.len() > 1);
            (shared && parts[m.source.as_str()] == 1).then(|| {
                let file = m.source.rsplit('/').next().unwrap_or(&m.source);
                file.rsplit_once('.').map_or(file, |(stem, _)| stem).to_string()
            })
        })
        .collect();
    drop((parts, sources));
    for (m, r) in metas.iter_mut().zip(renamed) {
        if let Some(r) = r {
            m.title = r;
        }
    }
    let mut dates: HashMap<String, BTreeSet<Option<String>>> = HashMap::new();
    for m in metas.iter() {
        dates.entry(m.title.clone()).or_default().insert(m.date.clone());
    }
    for m in metas.iter_mut() {
        if let Some(date) = &m.date
            && dates[&m.title].len() > 1
        {
            m.title = format!("{}（{date}）", m.title);
        }
    }
}

/// Read all files in parallel; documents keep the files' order. `on_file` is called once per file.
pub fn read_all(
    files: &[InputFile],
    rules: &SplitRules,
    cols: &records::Columns,
    fold: bool,
    on_file: &(dyn Fn(u64) + Sync),
) -> (Vec<Document>, Vec<Skipped>) {
    let results: Vec<_> = files
        .par_iter()
        .map(|f| {
            let r = read_file(f, rules, cols, fold);
            on_file(1);
            r
        })
        .collect();
    let mut docs = Vec::new();
    let mut skipped = Vec::new();
    for (d, s) in results {
        docs.extend(d);
        skipped.extend(s);
    }
    (docs, skipped)
}

/// The `metadata.csv` files found directly inside the input folders.
pub fn metadata_beside(inputs: &[PathBuf]) -> Vec<PathBuf> {
    inputs.iter().map(|i| i.join("metadata.csv")).filter(|p| p.is_file()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovers_recursively_in_stable_order_and_names_relative_to_input_parent() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        std::fs::create_dir_all(root.join("b/c")).unwrap();
        for p in ["b/c/2.txt", "a.md", "b/1.TXT", "skip.doc", ".hidden.txt", "page.HTM"] {
            std::fs::write(root.join(p), "主题教育").unwrap();
        }
        let none = dir.path().join("elsewhere");
        let found = discover(std::slice::from_ref(&root), &none).unwrap();
        let names: Vec<&str> = found.files.iter().map(|f| f.source.as_str()).collect();
        assert_eq!(names, ["corpus/a.md", "corpus/b/1.TXT", "corpus/b/c/2.txt", "corpus/page.HTM"]);
        assert!(found.skipped.is_empty() && found.reports.is_empty());
        // the same file twice is read once
        let again = discover(&[root.clone(), root.join("a.md")], &none).unwrap();
        assert_eq!(again.files.len(), 4);
        assert!(matches!(discover(&[root.join("missing")], &none), Err(Error::NoInput(_))));
    }

    #[test]
    fn report_folders_below_an_input_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        for sub in ["reports/clean", "old/clean", "notes"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        for p in ["a.txt", "reports/clean/a.txt", "old/clean/a.txt", "notes/b.txt"] {
            std::fs::write(root.join(p), "主题教育").unwrap();
        }
        std::fs::write(root.join("old/run.json"), r#"{"tool": "tifa", "outputs": []}"#).unwrap();
        std::fs::write(root.join("notes/run.json"), r#"{"tool": "other"}"#).unwrap();
        let found = discover(std::slice::from_ref(&root), &root.join("reports")).unwrap();
        let names: Vec<&str> = found.files.iter().map(|f| f.source.as_str()).collect();
        assert_eq!(names, ["corpus/a.txt", "corpus/notes/b.txt"]);
        assert_eq!(found.reports, [root.join("old"), root.join("reports")]);
        // a report folder named as the input is read
        let found = discover(&[root.join("old/clean")], &root.join("reports")).unwrap();
        assert_eq!(found.files.len(), 1);
    }

    #[test]
    fn shared_and_salutation_titles_are_told_apart() {
        let rules = crate::resources::Resources::builtin().unwrap().split;
        let one = documents_from_text(
            "gov/2015年政府工作报告.txt",
            "各位代表：\n现在，我代表国务院。",
            "UTF-8",
            &rules,
            None,
        );
        assert_eq!(one[0].meta.title, "2015年政府工作报告");
        let mut metas: Vec<DocMeta> = [
            ("a/2023年政府工作报告.txt", "政府工作报告"),
            ("a/2024年政府工作报告.txt", "政府工作报告"),
            ("x/20200101.txt", "国内联播快讯"),
            ("x/20200101.txt", "国内联播快讯"),
            ("x/20200102.txt", "国内联播快讯"),
            ("x/20200102.txt", "新闻"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (source, title))| DocMeta {
            doc_id: format!("{source}#{i}"),
            source: source.to_string(),
            part: 1,
            title: title.to_string(),
            date: date::find_date_in_name(source),
            encoding: "UTF-8",
            script: script::Script::Simplified,
            extra: BTreeMap::new(),
        })
        .collect();
        distinct_titles(&mut metas);
        let titles: Vec<&str> = metas.iter().map(|m| m.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "2023年政府工作报告",
                "2024年政府工作报告",
                "国内联播快讯（2020-01-01）",
                "国内联播快讯（2020-01-01）",
                "国内联播快讯（2020-01-02）",
                "新闻"
            ]
        );
    }

    #[test]
    fn doc_ids_titles_and_dates() {
        let rules = crate::resources::Resources::builtin().unwrap().split;
        let docs = documents_from_text(
            "xwlb/2020/20200101.txt",
            "## 标题一\n正文。\n## 标题二\n正文。",
            "UTF-8",
            &rules,
            None,
        );
        let got: Vec<(&str, &str, Option<&str>)> =
            docs.iter().map(|d| (d.meta.doc_id.as_str(), d.meta.title.as_str(), d.meta.date.as_deref())).collect();
        assert_eq!(
            got,
            [
                ("xwlb/2020/20200101.txt#1", "标题一", Some("2020-01-01")),
                ("xwlb/2020/20200101.txt#2", "标题二", Some("2020-01-01"))
            ]
        );
        let one = documents_from_text("gwr/1921_01_广州报告.txt", "一、去年\n正文。", "UTF-8", &rules, None);
        assert_eq!(one[0].meta.title, "1921_01_广州报告");
        let one = documents_from_text("a/2024年政府工作报告.txt", "政府工作报告\n\n各位代表：", "UTF-8", &rules, None);
        assert_eq!(one[0].meta.title, "政府工作报告");
    }
}
