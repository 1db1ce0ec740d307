//! Corpora stored as records: JSON Lines (one object per line) or CSV with a header, one document
//! per record. The text column holds the document; a date column and a title column are used when
//! present; every other column is kept as metadata. A record that cannot be read is skipped and
//! named, the rest of the file is read.

use std::collections::BTreeMap;

use super::metadata::BUILT_IN;
use super::{DocMeta, Document, Skipped, date};

/// Which columns of a record corpus hold what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub text: String,
    pub date: String,
    pub title: String,
}

impl Default for Columns {
    fn default() -> Self {
        Columns { text: "text".into(), date: "date".into(), title: "title".into() }
    }
}

/// True for file names read as record corpora.
pub fn is_records(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    lower.ends_with(".jsonl") || lower.ends_with(".ndjson") || lower.ends_with(".csv")
}

/// One document from a record's fields.
fn document(
    source: &str,
    row: usize,
    mut fields: BTreeMap<String, String>,
    cols: &Columns,
    encoding: &'static str,
) -> Option<Document> {
    let text = fields.remove(&cols.text)?;
    let date = fields.remove(&cols.date).and_then(|d| date::find_date(&d));
    let title = fields.remove(&cols.title).unwrap_or_else(|| {
        text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("").chars().take(60).collect()
    });
    Some(Document {
        meta: DocMeta {
            doc_id: format!("{source}#{row}"),
            source: source.to_string(),
            part: row as u32,
            title,
            date,
            encoding,
            script: crate::ingest::script::Script::Simplified,
            extra: fields
                .into_iter()
                .map(|(k, v)| if BUILT_IN.contains(&k.as_str()) { (format!("meta_{k}"), v) } else { (k, v) })
                .collect(),
        },
        raw: text,
    })
}

/// Read a JSON Lines or CSV corpus already decoded to `text`.
pub fn read_records(
    path: &str,
    source: &str,
    text: &str,
    cols: &Columns,
    encoding: &'static str,
) -> (Vec<Document>, Vec<Skipped>) {
    let mut docs = Vec::new();
    let mut skipped = Vec::new();
    let skip = |what: String, reason: String| Skipped { path: format!("{path}:{what}"), reason };
    if source.to_ascii_lowercase().ends_with(".csv") {
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(str::to_string).collect(),
            Err(e) => return (docs, vec![Skipped { path: path.to_string(), reason: format!("not a CSV file: {e}") }]),
        };
        if !headers.contains(&cols.text) {
            let reason = format!("no {:?} column (choose one with --text-column)", cols.text);
            return (docs, vec![Skipped { path: path.to_string(), reason }]);
        }
        for (i, record) in reader.records().enumerate() {
            let row = i + 1;
            match record {
                Ok(r) => {
                    let fields = headers.iter().cloned().zip(r.iter().map(str::to_string)).collect();
                    docs.extend(document(source, row, fields, cols, encoding));
                }
                Err(e) => skipped.push(skip(format!("record {row}"), e.to_string())),
            }
        }
    } else {
        for (i, line) in text.lines().enumerate() {
            let row = i + 1;
            if line.trim().is_empty() {
                continue;
            }
            let value: serde_json::Value = match serde_json::from_str(line) {
                Ok(v) => v,
                Err(e) => {
                    skipped.push(skip(format!("line {row}"), format!("invalid JSON: {e}")));
                    continue;
                }
            };
            let Some(object) = value.as_object() else {
                skipped.push(skip(format!("line {row}"), "not a JSON object".into()));
                continue;
            };
            let fields: BTreeMap<String, String> = object
                .iter()
                .filter_map(|(k, v)| {
                    let s = match v {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Number(n) => n.to_string(),
                        serde_json::Value::Bool(b) => b.to_string(),
                        _ => return None,
                    };
                    Some((k.clone(), s))
                })
                .collect();
            match document(source, row, fields, cols, encoding) {
                Some(d) => docs.push(d),
                None => skipped.push(skip(format!("line {row}"), format!("no {:?} field", cols.text))),
            }
        }
    }
    (docs, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_records_with_metadata_and_a_bad_line() {
        let text = "{\"text\":\"增强“四个意识”。\",\"date\":\"2020-01-01 19:00\",\"province\":\"山东\",\"n\":3}\nnot json\n{\"body\":\"x\"}\n";
        let (docs, skipped) = read_records("c.jsonl", "c.jsonl", text, &Columns::default(), "UTF-8");
        assert_eq!(docs.len(), 1);
        let m = &docs[0].meta;
        assert_eq!(
            (m.doc_id.as_str(), m.date.as_deref(), m.title.as_str()),
            ("c.jsonl#1", Some("2020-01-01"), "增强“四个意识”。")
        );
        assert_eq!(m.extra.get("province").map(String::as_str), Some("山东"));
        assert_eq!(m.extra.get("n").map(String::as_str), Some("3"));
        let reasons: Vec<&str> = skipped.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(reasons, ["c.jsonl:line 2", "c.jsonl:line 3"]);
    }

    #[test]
    fn csv_records_with_named_columns() {
        let text = "id,body,day\n1,\"第一篇，有逗号\",2019年3月5日\n2,第二篇,\n";
        let cols = Columns { text: "body".into(), date: "day".into(), ..Columns::default() };
        let (docs, skipped) = read_records("c.csv", "x/c.csv", text, &cols, "UTF-8");
        assert!(skipped.is_empty());
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].raw, "第一篇，有逗号");
        assert_eq!(docs[0].meta.date.as_deref(), Some("2019-03-05"));
        assert_eq!(docs[1].meta.doc_id, "x/c.csv#2");
        assert_eq!(docs[1].meta.date, None);
        let (_, skipped) = read_records("c.csv", "c.csv", "a,b\n1,2\n", &Columns::default(), "UTF-8");
        assert!(skipped[0].reason.contains("no \"text\" column"), "{skipped:?}");
    }
}
