//! Metadata tables: a CSV whose key column names a file or document (`doc_id`, `file`, `source`,
//! `path` or `filename`) and whose other columns (date, kind, province …) are attached to every
//! document of that file. A `metadata.csv` inside an input folder is read by itself.

use std::collections::BTreeMap;
use std::path::Path;

use super::{DocMeta, date};
use crate::error::{Error, Result};

/// Key columns, in the order they are looked for.
pub const KEYS: [&str; 5] = ["doc_id", "file", "source", "path", "filename"];

/// A metadata table.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    pub key: String,
    pub columns: Vec<String>,
    /// key value → the row's other columns
    pub rows: Vec<(String, BTreeMap<String, String>)>,
}

impl Metadata {
    pub fn read(path: &Path) -> Result<Metadata> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
        Self::parse(&text).map_err(|message| Error::Metadata { path: path.to_path_buf(), message })
    }

    pub fn parse(text: &str) -> std::result::Result<Metadata, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers: Vec<String> = reader.headers().map_err(|e| e.to_string())?.iter().map(str::to_string).collect();
        let key = KEYS
            .iter()
            .find(|k| headers.iter().any(|h| h == *k))
            .ok_or_else(|| format!("no key column (one of {})", KEYS.join(", ")))?
            .to_string();
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| e.to_string())?;
            let mut fields: BTreeMap<String, String> =
                headers.iter().cloned().zip(record.iter().map(str::to_string)).collect();
            let k = fields.remove(&key).unwrap_or_default().replace('\\', "/");
            rows.push((k, fields));
        }
        let columns = headers.into_iter().filter(|h| *h != key).collect();
        Ok(Metadata { key, columns, rows })
    }

    /// Attach the rows to the documents they name: by `doc_id`, or by source file (equal, or a
    /// path suffix of it: `gwr/2024年….txt` names `gov-reports/gwr/2024年….txt`). Columns that
    /// clash with a document's own fields get a `meta_` prefix; a `date` or `year` column fills a
    /// missing date. Returns the keys of the rows that named no document.
    pub fn apply(&self, metas: &mut [DocMeta]) -> Vec<String> {
        let mut unmatched = Vec::new();
        for (key, fields) in &self.rows {
            let mut hit = false;
            for m in metas.iter_mut() {
                let named =
                    m.doc_id == *key || m.source == *key || (!key.is_empty() && m.source.ends_with(&format!("/{key}")));
                if !named {
                    continue;
                }
                hit = true;
                for (col, value) in fields {
                    let name = if BUILT_IN.contains(&col.as_str()) { format!("meta_{col}") } else { col.clone() };
                    m.extra.insert(name, value.clone());
                }
                if m.date.is_none() {
                    m.date = ["date", "year"].iter().find_map(|c| fields.get(*c).and_then(|v| date::find_date(v)));
                }
            }
            if !hit {
                unmatched.push(key.clone());
            }
        }
        unmatched
    }
}

/// Column names of the documents table that record fields and metadata may not take.
pub(crate) const BUILT_IN: [&str; 17] = [
    "doc_id",
    "source",
    "part",
    "title",
    "date",
    "encoding",
    "script",
    "chars",
    "tokens",
    "noise_chars",
    "invisible_chars",
    "joined_lines",
    "boilerplate_ratio",
    "common_ratio",
    "cluster",
    "period",
    "group",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(source: &str, part: u32) -> DocMeta {
        DocMeta {
            doc_id: format!("{source}#{part}"),
            source: source.into(),
            part,
            title: "t".into(),
            date: None,
            encoding: "UTF-8",
            script: crate::ingest::script::Script::Simplified,
            extra: BTreeMap::new(),
        }
    }

    #[test]
    fn joins_by_path_suffix_and_fills_dates() {
        let md = Metadata::parse(
            "file,kind,year,title\ngwr/1954年报告.txt,gwr,1954,报告\ncpc/x.txt,cpc,1921,X\nmissing.txt,gwr,2000,M\n",
        )
        .unwrap();
        assert_eq!(md.key, "file");
        let mut metas = vec![
            meta("gov-reports/gwr/1954年报告.txt", 1),
            meta("gov-reports/cpc/x.txt", 1),
            meta("gov-reports/cpc/x.txt", 2),
        ];
        assert_eq!(md.apply(&mut metas), ["missing.txt"]);
        assert_eq!(metas[0].extra.get("kind").map(String::as_str), Some("gwr"));
        assert_eq!(metas[0].extra.get("meta_title").map(String::as_str), Some("报告"));
        assert_eq!(metas[0].date.as_deref(), Some("1954"));
        assert_eq!(metas[2].extra.get("kind").map(String::as_str), Some("cpc"));
    }

    #[test]
    fn by_doc_id_and_errors() {
        let md = Metadata::parse("doc_id,province\na.txt#2,山东\n").unwrap();
        let mut metas = vec![meta("a.txt", 1), meta("a.txt", 2)];
        assert!(md.apply(&mut metas).is_empty());
        assert!(metas[0].extra.is_empty());
        assert_eq!(metas[1].extra.get("province").map(String::as_str), Some("山东"));
        assert!(Metadata::parse("name,x\n1,2\n").unwrap_err().contains("no key column"));
    }
}
