//! Where reuse can be: the stretches of each document covered by a window of `min_chars`
//! characters, within one line, that some other document also has. Every exact passage lies in
//! them, and the passages found in the stretches alone (each stretch a line of its own) are the
//! passages of the whole text: each window of a passage is in two documents, so all of it is
//! covered; and a character that every occurrence of a passage has next to it would make a
//! window two documents have, so it is covered too, and no stretch ends where the whole text
//! would go on. Stretches that cover more than that (a window taken for shared by a hash that
//! collides) find the same passages.
//!
//! So the exact passages of a corpus need the text of its stretches only, which the shards find
//! from their windows' document counts added up. Near-copies need more: their anchors are
//! shorter and they are aligned over the text between them.

use super::{Occurrence, Reuse, ReuseOptions, find_reuse};

/// The stretches of `text` (character ranges `start..end`, in order, apart) covered by the
/// windows of `min_chars` characters within one line that `shared` accepts.
pub fn stretches(text: &str, min_chars: usize, shared: impl Fn(&[char]) -> bool) -> Vec<(u32, u32)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<(u32, u32)> = Vec::new();
    let mut line = 0;
    while line <= chars.len() {
        let end = chars[line..].iter().position(|&c| c == '\n').map_or(chars.len(), |k| line + k);
        for i in line..(end + 1).saturating_sub(min_chars.max(1)).max(line) {
            if shared(&chars[i..i + min_chars]) {
                let (s, e) = (i as u32, (i + min_chars) as u32);
                match out.last_mut() {
                    Some(last) if last.1 >= s => last.1 = e,
                    _ => out.push((s, e)),
                }
            }
        }
        line = end + 1;
    }
    out
}

/// The exact passages of `texts` (one per document), with how much of each document they
/// cover, found in the `stretches` of each (see [`stretches`]) alone: [`Reuse::passages`],
/// [`Reuse::shared_chars`], [`Reuse::common_chars`] and [`Reuse::doc_chars`] as [`find_reuse`]
/// finds them in the whole text. Pairs are those that share a passage, and no near-copies are
/// aligned.
pub fn passages_in(texts: &[&str], stretches: &[Vec<(u32, u32)>], opts: ReuseOptions) -> Reuse {
    // each document becomes its stretches, one to a line; `back[d]`: where each stretch starts
    // in it and in the whole text
    let mut back: Vec<Vec<(u32, u32)>> = Vec::with_capacity(texts.len());
    let cut: Vec<String> = texts
        .iter()
        .zip(stretches)
        .map(|(t, st)| {
            let chars: Vec<char> = t.chars().collect();
            let mut out = String::new();
            let mut starts = Vec::with_capacity(st.len());
            let mut at = 0u32;
            for &(s, e) in st {
                if !out.is_empty() {
                    out.push('\n');
                    at += 1;
                }
                starts.push((at, s));
                out.extend(&chars[s as usize..e as usize]);
                at += e - s;
            }
            back.push(starts);
            out
        })
        .collect();
    let refs: Vec<&str> = cut.iter().map(String::as_str).collect();
    let opts = ReuseOptions { align: super::AlignOptions { anchor_chars: usize::MAX, ..opts.align }, ..opts };
    let mut r = find_reuse(&refs, opts);
    let place = |o: &mut Occurrence| {
        let starts = &back[o.doc as usize];
        let k = starts.partition_point(|&(at, _)| at <= o.start) - 1;
        o.start = o.start - starts[k].0 + starts[k].1;
    };
    for p in &mut r.passages {
        p.occurrences.iter_mut().for_each(place);
    }
    r.doc_chars = texts.iter().map(|t| t.chars().count()).collect();
    r
}
