//! Find a document's date in a file name or title: 2019年1月1日, 2019-01-01, 20190101, 2019年1月
//! and a bare year 2019 become an ISO date, month or year ("2019-01-01", "2019-01", "2019").

use std::sync::LazyLock;

use regex::Regex;

/// The date patterns, with what may touch a date on either side.
struct Patterns {
    full: Regex,
    compact: Regex,
    month: Regex,
    year: Regex,
}

impl Patterns {
    /// `edge`: a character class of what may stand just before or after a date.
    fn new(edge: &str) -> Patterns {
        let (before, after) = (format!("(?:^|{edge})"), format!("(?:{edge}|$)"));
        let year = "((?:1[89]|20)[0-9]{2})";
        let re = |body: String| Regex::new(&body).unwrap();
        Patterns {
            full: re(format!(
                r"{before}{year}\s*(?:年|[-./_])\s*([0-9]{{1,2}})\s*(?:月|[-./_])\s*([0-9]{{1,2}})\s*日?{after}"
            )),
            compact: re(format!("{before}{year}([0-9]{{2}})([0-9]{{2}}){after}")),
            month: re(format!(r"{before}{year}\s*年\s*([0-9]{{1,2}})\s*月")),
            year: re(format!("{before}{year}(?:年|{after})")),
        }
    }
}

/// In a title, anything but a digit may touch a date.
static TITLE: LazyLock<Patterns> = LazyLock::new(|| Patterns::new("[^0-9]"));
/// In a file name, a date must not touch a Latin letter or a digit: `d1999.txt` is no year.
static NAME: LazyLock<Patterns> = LazyLock::new(|| Patterns::new("[^0-9A-Za-z]"));

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn ymd(y: &str, m: &str, d: &str) -> Option<String> {
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && (1..=days_in_month(y, m)).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// The most precise date found in a title or other text, if any.
pub fn find_date(text: &str) -> Option<String> {
    find(&TITLE, text)
}

/// The most precise date found in a file name (with its folders), if any: the date must stand
/// between separators, Chinese characters or the ends of the name, not against a Latin letter
/// or another digit.
pub fn find_date_in_name(name: &str) -> Option<String> {
    find(&NAME, name)
}

fn find(p: &Patterns, text: &str) -> Option<String> {
    for re in [&p.full, &p.compact] {
        if let Some(date) = re.captures_iter(text).find_map(|c| ymd(&c[1], &c[2], &c[3])) {
            return Some(date);
        }
    }
    if let Some(month) = p.month.captures_iter(text).find_map(|c| {
        let m: u32 = c[2].parse().ok()?;
        (1..=12).contains(&m).then(|| format!("{}-{m:02}", &c[1]))
    }) {
        return Some(month);
    }
    p.year.captures(text).map(|c| c[1].to_string())
}

#[cfg(test)]
mod tests {
    use super::{find_date, find_date_in_name};

    #[test]
    fn forms() {
        let cases = [
            ("20190101.txt", Some("2019-01-01")),
            ("xwlb/2020/20200229.txt", Some("2020-02-29")),
            ("2019-1-5 讲话", Some("2019-01-05")),
            ("在2019年1月1日的会议上", Some("2019-01-01")),
            ("2023年4月主题教育", Some("2023-04")),
            ("2024年中华人民共和国国务院政府工作报告.txt", Some("2024")),
            ("2022_20_高举中国特色社会主义伟大旗帜.txt", Some("2022")),
            ("2023主题教育正面反面案例交流发言稿", Some("2023")),
            ("20190230.txt", None),
            ("12345678 no date", None),
            ("主题教育", None),
            ("第20230号", None),
        ];
        for (text, want) in cases {
            assert_eq!(find_date(text).as_deref(), want, "{text}");
        }
    }

    #[test]
    fn a_file_name_needs_a_separator_around_its_date() {
        let cases = [
            ("d1800.txt", None),
            ("d1999.txt", None),
            ("v2019a.txt", None),
            ("report2020-01-05.txt", None),
            ("d1000.txt", None),
            ("1999.txt", Some("1999")),
            ("gwr/1999_报告.txt", Some("1999")),
            ("2019年报告.txt", Some("2019")),
            ("2023主题教育发言.txt", Some("2023")),
            ("报告-2019.txt", Some("2019")),
            ("xwlb/2020/20200229.txt", Some("2020-02-29")),
            ("notes_2019-1-5.md", Some("2019-01-05")),
            ("sample/004_d7d8bd07474446d3.txt", None),
        ];
        for (name, want) in cases {
            assert_eq!(find_date_in_name(name).as_deref(), want, "{name}");
        }
        // a title keeps the looser rule
        assert_eq!(find_date("第1999次会议").as_deref(), Some("1999"));
    }
}
