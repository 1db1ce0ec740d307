//! Find a document's date in a file name or title: 2019年1月1日, 2019-01-01, 20190101, 2019年1月
//! and a bare year 2019 become an ISO date, month or year ("2019-01-01", "2019-01", "2019").

use std::sync::LazyLock;

use regex::Regex;

static FULL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])((?:1[89]|20)[0-9]{2})\s*(?:年|[-./_])\s*([0-9]{1,2})\s*(?:月|[-./_])\s*([0-9]{1,2})\s*日?(?:[^0-9]|$)").unwrap()
});
static COMPACT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^0-9])((?:1[89]|20)[0-9]{2})([0-9]{2})([0-9]{2})(?:[^0-9]|$)").unwrap());
static MONTH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^0-9])((?:1[89]|20)[0-9]{2})\s*年\s*([0-9]{1,2})\s*月").unwrap());
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^|[^0-9])((?:1[89]|20)[0-9]{2})(?:[^0-9]|$)").unwrap());

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

/// The most precise date found in `text`, if any.
pub fn find_date(text: &str) -> Option<String> {
    for re in [&*FULL, &*COMPACT] {
        if let Some(date) = re.captures_iter(text).find_map(|c| ymd(&c[1], &c[2], &c[3])) {
            return Some(date);
        }
    }
    if let Some(month) = MONTH.captures_iter(text).find_map(|c| {
        let m: u32 = c[2].parse().ok()?;
        (1..=12).contains(&m).then(|| format!("{}-{m:02}", &c[1]))
    }) {
        return Some(month);
    }
    YEAR.captures(text).map(|c| c[1].to_string())
}

#[cfg(test)]
mod tests {
    use super::find_date;

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
}
