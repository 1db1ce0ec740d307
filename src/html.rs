//! The run's `index.html`: one page with the run summary, every chart, the top rows of every
//! table with links to the full files, and a few lines of context for the top slogans. It needs
//! no network: charts, tables and a Chinese font are files beside it, styles are inline, there is
//! no script.

use std::fmt::Write;

use polars::prelude::*;

/// Rows of each table shown on the page.
pub const PREVIEW_ROWS: usize = 15;
/// Slogans whose context lines are shown unfolded; the rest open on a click.
const OPEN_EXAMPLES: usize = 10;
/// Characters of a cell shown before it is cut.
const CELL_CHARS: usize = 80;

/// The first rows of a table, as text.
#[derive(Debug, Clone)]
pub struct TablePreview {
    pub name: String,
    pub rows: usize,
    pub columns: Vec<String>,
    pub cells: Vec<Vec<String>>,
}

impl TablePreview {
    /// The first `n` rows of `df`.
    pub fn of(name: &str, df: &DataFrame, n: usize) -> Self {
        let head = df.head(Some(n));
        let columns: Vec<String> = head.get_column_names().iter().map(|c| c.to_string()).collect();
        let cells = (0..head.height())
            .map(|r| head.columns().iter().map(|c| c.get(r).map(|v| cell(&v)).unwrap_or_default()).collect())
            .collect();
        TablePreview { name: name.to_string(), rows: df.height(), columns, cells }
    }
}

/// A value as the page shows it: text without quotes, floats to four decimals, nulls empty.
fn cell(v: &AnyValue) -> String {
    let s = match v {
        AnyValue::Null => String::new(),
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        AnyValue::Float64(x) => trim_float(*x),
        AnyValue::Float32(x) => trim_float(*x as f64),
        other => other.to_string(),
    };
    if s.chars().count() > CELL_CHARS {
        s.chars().take(CELL_CHARS - 1).chain(std::iter::once('…')).collect()
    } else {
        s
    }
}

fn trim_float(x: f64) -> String {
    if x.is_nan() {
        return String::new();
    }
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// One line of context.
#[derive(Debug, Clone)]
pub struct ContextLine {
    pub doc_id: String,
    pub date: Option<String>,
    pub left: String,
    pub matched: String,
    pub right: String,
}

/// A slogan with a few of its occurrences.
#[derive(Debug, Clone)]
pub struct SloganExamples {
    pub slogan: String,
    pub kind: String,
    pub count: u64,
    pub doc_count: u64,
    pub lines: Vec<ContextLine>,
}

/// An aligned passage of two documents that differ in places, for the page.
#[derive(Debug, Clone)]
pub struct NearCopy {
    pub doc_a: String,
    pub doc_b: String,
    pub similarity: f64,
    pub edits: u32,
    pub chars_a: usize,
    pub chars_b: usize,
    pub pieces: Vec<crate::reuse::Piece>,
}

/// A formula family for the page: its frame and its values in order of first use.
#[derive(Debug, Clone)]
pub struct Family {
    pub frame: String,
    /// value, count, doc_count, first–last, succeeds (a value).
    pub values: Vec<(String, u64, u64, String, String)>,
    /// Values not shown.
    pub more: usize,
}

/// A chart and what it shows.
#[derive(Debug, Clone)]
pub struct Chart {
    pub file: String,
    pub caption: String,
}

/// Everything the page shows.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub title: String,
    /// Label and value pairs for the summary table.
    pub summary: Vec<(String, String)>,
    /// Inputs that were skipped, with the reason.
    pub skipped: Vec<(String, String)>,
    pub timings: Vec<(String, f64)>,
    /// Options as name and value.
    pub options: Vec<(String, String)>,
    pub charts: Vec<Chart>,
    pub examples: Vec<SloganExamples>,
    /// The longest near-copies.
    pub near_copies: Vec<NearCopy>,
    /// The largest formula families.
    pub families: Vec<Family>,
    pub tables: Vec<TablePreview>,
    /// Other files to link to (graphml, run.json).
    pub files: Vec<(String, String)>,
}

/// Escape text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A relative link to a file in the report folder (names may hold any character).
fn href(file: &str) -> String {
    let mut out = String::new();
    for b in file.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => out.push(b as char),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// The near-copies section: each passage of one document above the other's, the differences
/// struck out on the first and marked on the second.
fn families(h: &mut String, fams: &[Family]) {
    h.push_str("<h2 id=\"families\">Formula families</h2>\n<p class=\"sub\">Formulations that share a frame and differ in a numeral, each value counted exactly, in order of first use; <i>succeeds</i> names the formulation whose use it took over. <a href=\"families.csv\">families.csv</a> has every family.</p>\n");
    for f in fams {
        let _ = write!(
            h,
            "<details open><summary><b>{}</b></summary><div class=\"scroll box\"><table><tr><th>form (value in bold)</th><th>count</th><th>documents</th><th>used</th><th>succeeds</th></tr>",
            escape(&f.frame)
        );
        // the value inside its form, never alone in a cell (a lone 五 is drawn as a box by some
        // browsers' font fallback)
        let (prefix, suffix) = f.frame.split_once("{}").unwrap_or((f.frame.as_str(), ""));
        for (value, count, docs, span, succeeds) in &f.values {
            let _ = write!(
                h,
                "<tr><td>{}<b>{}</b>{}</td><td class=\"num\">{count}</td><td class=\"num\">{docs}</td><td>{}</td><td>{}</td></tr>",
                escape(prefix),
                escape(value),
                escape(suffix),
                escape(span),
                if succeeds.is_empty() { String::new() } else { escape(&format!("{prefix}{succeeds}{suffix}")) }
            );
        }
        if f.more > 0 {
            let _ = write!(h, "<tr><td colspan=\"5\" class=\"sub\">and {} more values</td></tr>", f.more);
        }
        h.push_str("</table></div></details>\n");
    }
}

fn near_copies(h: &mut String, copies: &[NearCopy]) {
    use crate::reuse::Piece;
    h.push_str("<h2 id=\"near-copies\">Near-copies</h2>\n<p class=\"sub\">The longest aligned passages that are not exact copies, each document's side in full: <del>struck out</del> where the first has what the second does not, <ins>marked</ins> where the second differs. <a href=\"reuse_alignments.csv\">reuse_alignments.csv</a> has every aligned passage; <code>tifa reuse --show DOC_ID INPUT…</code> shows one document's.</p>\n");
    for c in copies {
        let _ = write!(
            h,
            "<details open><summary><b>{}</b> ↔ <b>{}</b> <span class=\"sub\" style=\"display:inline\">{:.1} % the same · {} edits · {} / {} characters</span></summary>",
            escape(&c.doc_a),
            escape(&c.doc_b),
            c.similarity * 100.0,
            c.edits,
            c.chars_a,
            c.chars_b
        );
        for (side, tag) in [(0, "del"), (1, "ins")] {
            h.push_str("<p class=\"kwic\">");
            for p in &c.pieces {
                match p {
                    Piece::Same(t) => h.push_str(&escape(&t.replace('\n', " ⏎ "))),
                    Piece::Differ(a, b) => {
                        let t = if side == 0 { a } else { b };
                        if !t.is_empty() {
                            let _ = write!(h, "<{tag}>{}</{tag}>", escape(&t.replace('\n', " ⏎ ")));
                        }
                    }
                }
            }
            h.push_str("</p>");
        }
        h.push_str("</details>\n");
    }
}

/// The font file written beside the page, used when the system has no Chinese font.
pub const FONT_FILE: &str = "NotoSansSC-subset.otf";

const STYLE: &str = "\
@font-face{font-family:'tifa-cjk';src:url('NotoSansSC-subset.otf') format('opentype')}\
body{font-family:system-ui,-apple-system,'Segoe UI','Noto Sans SC','Noto Sans CJK SC','PingFang SC','Microsoft YaHei','tifa-cjk',sans-serif;\
margin:0;color:#212529;background:#f8f9fa;line-height:1.5}\
main{max-width:1200px;margin:0 auto;padding:16px 24px 48px}\
header{background:#fff;border-bottom:1px solid #dee2e6}header div{max-width:1200px;margin:0 auto;padding:16px 24px}\
h1{font-size:1.6rem;margin:0 0 4px}h2{font-size:1.3rem;margin:32px 0 8px;border-bottom:2px solid #dee2e6;padding-bottom:4px}\
h3{font-size:1.05rem;margin:20px 0 6px}nav a{margin-right:14px}a{color:#1864ab}\
.sub{color:#6c757d;margin:0}.box{background:#fff;border:1px solid #dee2e6;border-radius:6px;padding:12px 16px;margin:8px 0}\
table{border-collapse:collapse;font-size:.85rem;background:#fff}th,td{border:1px solid #dee2e6;padding:3px 8px;text-align:left;vertical-align:top;white-space:nowrap}\
th{background:#f1f3f5;position:sticky;top:0}td.num{text-align:right;font-variant-numeric:tabular-nums}\
.scroll{overflow-x:auto;max-width:100%}figure{margin:16px 0;background:#fff;border:1px solid #dee2e6;border-radius:6px;padding:8px}\
figure img{width:100%;height:auto;display:block}figcaption{color:#495057;font-size:.9rem;padding:6px 4px 0}\
.kwic{font-size:.9rem;margin:2px 0 2px 12px;white-space:normal}.kwic .doc{color:#6c757d;font-size:.8rem;margin-right:8px}\
mark{background:#ffe066;padding:0 1px}del{background:#fdd;color:#a00}ins{background:#dfd;color:#060;text-decoration:none}details{margin:4px 0}summary{cursor:pointer}\
.skipped td{white-space:normal}";

/// The whole page.
pub fn render(page: &Page) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-Hans\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&page.title)
    );
    let _ = write!(h, "<header><div><h1>{}</h1><nav>", escape(&page.title));
    let near = (!page.near_copies.is_empty()).then_some(("near-copies", "Near-copies"));
    let fams = (!page.families.is_empty()).then_some(("families", "Families"));
    let sections = [("summary", "Summary"), ("charts", "Charts"), ("slogans", "Slogans in context")];
    for (id, label) in sections.into_iter().chain(fams).chain(near).chain([("tables", "Tables")]) {
        let _ = write!(h, "<a href=\"#{id}\">{label}</a>");
    }
    h.push_str("</nav></div></header>\n<main>\n");

    // summary
    h.push_str("<h2 id=\"summary\">Summary</h2>\n<div class=\"box\"><table>");
    for (k, v) in &page.summary {
        let _ = write!(h, "<tr><th>{}</th><td>{}</td></tr>", escape(k), escape(v));
    }
    h.push_str("</table></div>\n");
    if !page.skipped.is_empty() {
        let _ = write!(
            h,
            "<h3>Skipped inputs ({})</h3>\n<div class=\"scroll\"><table class=\"skipped\">",
            page.skipped.len()
        );
        h.push_str("<tr><th>path</th><th>reason</th></tr>");
        for (p, r) in &page.skipped {
            let _ = write!(h, "<tr><td>{}</td><td>{}</td></tr>", escape(p), escape(r));
        }
        h.push_str("</table></div>\n");
    }
    h.push_str("<details><summary>Timings and options</summary><div class=\"box\"><table>");
    for (stage, s) in &page.timings {
        let _ = write!(h, "<tr><th>{}</th><td class=\"num\">{s:.3} s</td></tr>", escape(stage));
    }
    h.push_str("</table><table>");
    for (k, v) in &page.options {
        let _ = write!(h, "<tr><th>{}</th><td>{}</td></tr>", escape(k), escape(v));
    }
    h.push_str("</table></div></details>\n");

    // charts
    h.push_str("<h2 id=\"charts\">Charts</h2>\n");
    for c in &page.charts {
        let _ = writeln!(
            h,
            "<figure><a href=\"{0}\"><img src=\"{0}\" alt=\"{1}\" loading=\"eager\"></a><figcaption><b>{2}</b> · {1}</figcaption></figure>",
            href(&c.file),
            escape(&c.caption),
            escape(&c.file)
        );
    }

    // slogans in context
    h.push_str("<h2 id=\"slogans\">Slogans in context</h2>\n<p class=\"sub\">The top slogans of <a href=\"slogans.csv\">slogans.csv</a>, each with lines from the first documents that use it (clean text). <code>tifa kwic PHRASE INPUT…</code> lists every occurrence.</p>\n");
    for (i, ex) in page.examples.iter().enumerate() {
        let _ = write!(h, "<details{}><summary>", if i < OPEN_EXAMPLES { " open" } else { "" });
        let _ = write!(
            h,
            "<summary><b>{}</b> <span class=\"sub\" style=\"display:inline\">{} · {} times in {} documents</span></summary>",
            escape(&ex.slogan),
            escape(&ex.kind),
            ex.count,
            ex.doc_count
        );
        for l in &ex.lines {
            let _ = write!(
                h,
                "<p class=\"kwic\"><span class=\"doc\">{}{}</span>…{}<mark>{}</mark>{}…</p>",
                escape(&l.doc_id),
                l.date.as_deref().map(|d| format!(" · {}", escape(d))).unwrap_or_default(),
                escape(&l.left.replace('\n', " ")),
                escape(&l.matched),
                escape(&l.right.replace('\n', " "))
            );
        }
        h.push_str("</details>\n");
    }

    if !page.families.is_empty() {
        families(&mut h, &page.families);
    }
    if !page.near_copies.is_empty() {
        near_copies(&mut h, &page.near_copies);
    }

    // tables
    h.push_str("<h2 id=\"tables\">Tables</h2>\n");
    for t in &page.tables {
        let _ = write!(
            h,
            "<h3 id=\"t-{0}\">{0}</h3><p class=\"sub\">{1} rows · <a href=\"{2}.csv\">{0}.csv</a> · <a href=\"{2}.parquet\">{0}.parquet</a>{3}</p>\n<div class=\"scroll box\"><table><tr>",
            escape(&t.name),
            t.rows,
            href(&t.name),
            if t.rows > t.cells.len() { format!(" · first {} shown", t.cells.len()) } else { String::new() }
        );
        for c in &t.columns {
            let _ = write!(h, "<th>{}</th>", escape(c));
        }
        h.push_str("</tr>");
        for row in &t.cells {
            h.push_str("<tr>");
            for v in row {
                let numeric = !v.is_empty() && v.parse::<f64>().is_ok();
                let _ = write!(h, "<td{}>{}</td>", if numeric { " class=\"num\"" } else { "" }, escape(v));
            }
            h.push_str("</tr>");
        }
        h.push_str("</table></div>\n");
    }
    if !page.files.is_empty() {
        h.push_str("<h3>Other files</h3><ul>");
        for (f, what) in &page.files {
            let _ = write!(h, "<li><a href=\"{}\">{}</a>: {}</li>", href(f), escape(f), escape(what));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_text_is_escaped_everywhere() {
        let evil = "<script>alert('x')</script>&\"";
        let page = Page {
            title: evil.into(),
            summary: vec![("inputs".into(), evil.into())],
            skipped: vec![(evil.into(), evil.into())],
            examples: vec![SloganExamples {
                slogan: evil.into(),
                kind: "quoted".into(),
                count: 2,
                doc_count: 1,
                lines: vec![ContextLine {
                    doc_id: evil.into(),
                    date: Some(evil.into()),
                    left: evil.into(),
                    matched: evil.into(),
                    right: evil.into(),
                }],
            }],
            tables: vec![TablePreview {
                name: "slogans".into(),
                rows: 1,
                columns: vec![evil.into()],
                cells: vec![vec![evil.into()]],
            }],
            charts: vec![Chart { file: "a b.png".into(), caption: evil.into() }],
            ..Page::default()
        };
        let html = render(&page);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("alert('x')"));
        assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"));
        assert!(html.contains("src=\"a%20b.png\""));
    }

    #[test]
    fn previews_show_values_plainly() {
        let df = df!("s" => ["两个维护", "x"], "n" => [3u64, 4], "f" => [Some(0.5), None], "long" => ["长".repeat(100), String::new()])
            .unwrap();
        let p = TablePreview::of("t", &df, 1);
        assert_eq!(p.rows, 2);
        assert_eq!(p.columns, ["s", "n", "f", "long"]);
        assert_eq!(p.cells.len(), 1);
        assert_eq!(&p.cells[0][..3], ["两个维护", "3", "0.5"]);
        assert_eq!(p.cells[0][3].chars().count(), CELL_CHARS);
        assert_eq!(TablePreview::of("t", &df, 5).cells[1][2], "");
        assert_eq!(trim_float(2.0), "2");
        assert_eq!(trim_float(0.12345), "0.1235");
    }
}
