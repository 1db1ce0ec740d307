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

/// [`sample_documents`] as slogan discovery sees it: segmented, with the data files, the
/// default settings and 不忘初心 tracked; for the tests of slogans in two passes.
pub(crate) struct SampleRun {
    pub texts: Vec<String>,
    pub sources: Vec<u32>,
    pub years: Vec<Option<u32>>,
    pub res: crate::resources::Resources,
    pub seg: crate::segment::Segmenter,
    pub segs: Vec<crate::segment::Segmented>,
    pub settings: crate::slogans::Settings,
    pub seen: std::collections::BTreeSet<String>,
    pub track: Vec<String>,
}

impl SampleRun {
    pub(crate) fn new() -> SampleRun {
        let (texts, sources, years) = sample_documents();
        Self::of(texts, sources, years)
    }

    /// Documents `texts` of the source files `sources`, dated `years`, as [`SampleRun::new`] sees
    /// the seed speeches.
    pub(crate) fn of(texts: Vec<String>, sources: Vec<u32>, years: Vec<Option<u32>>) -> SampleRun {
        let res = crate::resources::Resources::builtin().unwrap();
        let seg = crate::segment::Segmenter::new(&res);
        let segs = texts.iter().map(|t| seg.segment(t)).collect();
        let (settings, seen, track) = (Default::default(), Default::default(), vec!["不忘初心".to_string()]);
        SampleRun { texts, sources, years, res, seg, segs, settings, seen, track }
    }

    pub(crate) fn refs(&self) -> Vec<&str> {
        self.texts.iter().map(String::as_str).collect()
    }

    /// One run's slogans.
    pub(crate) fn one_run(&self) -> crate::slogans::Slogans {
        let refs = self.refs();
        let corpus = crate::slogans::Corpus {
            texts: &refs,
            segs: self.segs.clone(),
            sources: &self.sources,
            years: &self.years,
        };
        let (res, seg) = (&self.res, &self.seg);
        crate::slogans::discover(corpus, res, seg, self.settings, &self.seen, &self.track, &[]).unwrap()
    }

    /// The slogans `decide` finds in `proposed`, measured by `measures` (the shards' sums), in
    /// the `eras` of the sums' totals.
    pub(crate) fn decide(
        &self,
        proposed: crate::slogans::Proposed,
        measures: impl crate::slogans::stats::Measures,
        eras: &crate::slogans::setphrase::Eras,
    ) -> crate::slogans::Slogans {
        let refs = self.refs();
        let ask = crate::slogans::Asked {
            texts: &refs,
            res: &self.res,
            segmenter: &self.seg,
            settings: self.settings,
            folded_seen: &self.seen,
            track: &self.track,
        };
        crate::slogans::decide(proposed, measures, eras, Vec::new(), ask).unwrap()
    }
}

/// A corpus of documents written from a few slogan pieces, principle verbs, frame nouns and
/// punctuation, some copied whole, dated over 30 years, several documents per source file.
pub(crate) fn slogan_corpus(seed: u64) -> (Vec<String>, Vec<u32>, Vec<Option<u32>>) {
    let mut g = crate::testgen::Lcg(seed);
    let pieces = [
        "稳中求进",
        "坚持",
        "工作总基调",
        "的",
        "方针",
        "和平",
        "发展",
        "、",
        "，",
        "。",
        "战略",
        "改革开放",
        "贯彻落实",
        "理念",
        "学思想",
        "强党性",
        "和",
        "主题教育",
        "新",
        "\n",
        "一带一路",
    ];
    let (mut texts, mut sources, mut years): (Vec<String>, _, _) = (Vec::new(), Vec::new(), Vec::new());
    for d in 0..60 {
        let t: String = if d > 3 && g.next(6) == 0 {
            texts[g.next(d)].clone()
        } else {
            // 改革开放 is born halfway, 阶级斗争 retired there
            let era = |p: &'static str| if p == "改革开放" && d < 30 { "阶级斗争" } else { p };
            (0..g.next(30)).map(|_| era(pieces[g.next(pieces.len())])).collect()
        };
        texts.push(t);
        sources.push((d / 3) as u32);
        years.push((g.next(5) > 0).then(|| 1990 + (d as u32 / 2) + g.next(3) as u32));
    }
    (texts, sources, years)
}
