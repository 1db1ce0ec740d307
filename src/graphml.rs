//! GraphML export of the slogan co-occurrence graph, for Gephi, Cytoscape or networkx.

use std::fmt::Write;

use polars::prelude::*;
use rustc_hash::FxHashMap;

use crate::error::Result;
use crate::frame::{f64s, strs, u64s};
use crate::slogans::Slogan;

/// Escape text for an XML attribute or element.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The sentence-window co-occurrence graph: one node per slogan in a pair with npmi > 0 (label,
/// kind, count, doc_count), one undirected edge per such pair (count, npmi, pmi, llr). Nodes in
/// slogans-table order, edges in cooccurrence-table order.
pub fn cooccurrence_graphml(slogans: &[Slogan], cooc: &DataFrame) -> Result<String> {
    const T: &str = "cooccurrence";
    let row_of: FxHashMap<&str, usize> = slogans.iter().enumerate().map(|(i, s)| (s.text.as_str(), i)).collect();
    let (a, b, window) = (strs(cooc, "a", T)?, strs(cooc, "b", T)?, strs(cooc, "window", T)?);
    let pair_count = u64s(cooc, "count", T)?;
    let (npmi, pmi, llr) = (f64s(cooc, "npmi", T)?, f64s(cooc, "pmi", T)?, f64s(cooc, "llr", T)?);
    let edges: Vec<(usize, usize, usize)> = (0..cooc.height())
        .filter(|&i| window[i] == "sentence" && npmi[i] > 0.0)
        .filter_map(|i| Some((*row_of.get(a[i])?, *row_of.get(b[i])?, i)))
        .collect();
    let mut used = vec![false; slogans.len()];
    for &(x, y, _) in &edges {
        used[x] = true;
        used[y] = true;
    }
    let mut xml = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" ",
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ",
        "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
        "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n",
        "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n",
        "  <key id=\"count\" for=\"node\" attr.name=\"count\" attr.type=\"long\"/>\n",
        "  <key id=\"doc_count\" for=\"node\" attr.name=\"doc_count\" attr.type=\"long\"/>\n",
        "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n",
        "  <key id=\"pair_count\" for=\"edge\" attr.name=\"count\" attr.type=\"long\"/>\n",
        "  <key id=\"pmi\" for=\"edge\" attr.name=\"pmi\" attr.type=\"double\"/>\n",
        "  <key id=\"llr\" for=\"edge\" attr.name=\"llr\" attr.type=\"double\"/>\n",
        "  <graph id=\"cooccurrence\" edgedefault=\"undirected\">\n",
    ));
    for (i, _) in used.iter().enumerate().filter(|(_, u)| **u) {
        let _ = writeln!(
            xml,
            "    <node id=\"n{i}\"><data key=\"label\">{}</data><data key=\"kind\">{}</data>\
             <data key=\"count\">{}</data><data key=\"doc_count\">{}</data></node>",
            escape(&slogans[i].text),
            escape(slogans[i].kind.as_str()),
            slogans[i].count,
            slogans[i].doc_count
        );
    }
    for (e, &(x, y, i)) in edges.iter().enumerate() {
        let _ = writeln!(
            xml,
            "    <edge id=\"e{e}\" source=\"n{x}\" target=\"n{y}\"><data key=\"weight\">{}</data>\
             <data key=\"pair_count\">{}</data><data key=\"pmi\">{}</data><data key=\"llr\">{}</data></edge>",
            npmi[i], pair_count[i], pmi[i], llr[i]
        );
    }
    xml.push_str("  </graph>\n</graphml>\n");
    Ok(xml)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slogans::Kind;

    #[test]
    fn nodes_edges_and_escaping() {
        let slogans = [
            Slogan::new("两个维护", Kind::Formula, 5, 2),
            Slogan::new("A&B<“x”>", Kind::Quoted, 3, 2),
            Slogan::new("不共现", Kind::Phrase, 2, 1),
        ];
        let cooc = df!(
            "a" => ["两个维护", "两个维护", "两个维护"],
            "b" => ["A&B<“x”>", "A&B<“x”>", "不共现"],
            "window" => ["sentence", "document", "sentence"],
            "count" => [2u64, 2, 1],
            "pmi" => [1.5, 0.5, -0.5],
            "npmi" => [0.75, 0.2, -0.1],
            "llr" => [4.0, 1.0, 0.5],
        )
        .unwrap();
        let xml = cooccurrence_graphml(&slogans, &cooc).unwrap();
        assert!(xml.contains("<data key=\"label\">A&amp;B&lt;“x”&gt;</data>"), "{xml}");
        assert_eq!(xml.matches("<node ").count(), 2);
        assert_eq!(xml.matches("<edge ").count(), 1);
        assert!(xml.contains("source=\"n0\" target=\"n1\"><data key=\"weight\">0.75</data>"), "{xml}");
        assert!(!xml.contains("不共现"));
        assert_eq!(escape("a\u{1}b'"), "ab&apos;");
    }
}
