//! A small deterministic generator (64-bit LCG) for the tests that recompute a result by brute
//! force on generated input.

/// The generator; the same seed gives the same sequence on every machine.
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    /// A number in `0..n`.
    pub(crate) fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// The seed speeches of `data/sample`, each file cut into five documents at line ends,
/// dated one a year from 1996.
pub(crate) fn sample_documents() -> (Vec<String>, Vec<u32>, Vec<Option<u32>>) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let (mut texts, mut sources) = (Vec::new(), Vec::new());
    for (f, path) in files.iter().enumerate() {
        let text = std::fs::read_to_string(path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for part in lines.chunks(lines.len().div_ceil(5)) {
            texts.push(part.join("\n"));
            sources.push(f as u32);
        }
    }
    let years = (0..texts.len()).map(|d| Some(1996 + d as u32)).collect();
    (texts, sources, years)
}
