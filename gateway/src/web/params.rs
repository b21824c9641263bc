//! Query parameters of the catalogue search, validated at the edge. Each error names
//! the parameter and says what to fix; pages translate it, the API returns it as
//! problem+json.

use edu24_catalogue::domain::{
    DEFAULT_PER_PAGE, Framework, InstitutionQuery, Level, MAX_PER_PAGE, MAX_QUERY_CHARS, Ownership, ProgrammeQuery,
    ProgrammeSort, StudyForm, TEACHING_LANGUAGES, is_specialty_code,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    pub parameter: &'static str,
    /// Message id in the Fluent files (`param-...`).
    pub message_id: &'static str,
    /// English text for API clients.
    pub detail: String,
}

fn err(parameter: &'static str, message_id: &'static str, detail: String) -> ParamError {
    ParamError { parameter, message_id, detail }
}

/// Splits a raw query string; the last value of a repeated key wins; empty values
/// count as absent (HTML forms send empty selects).
pub fn pairs(raw: Option<&str>) -> Result<Vec<(String, String)>, ParamError> {
    let raw = raw.unwrap_or("");
    if raw.len() > 2000 {
        return Err(err("query", "param-too-long", "the query string is longer than 2000 characters".into()));
    }
    serde_urlencoded::from_str::<Vec<(String, String)>>(raw)
        .map_err(|_| err("query", "param-malformed", "the query string is not valid URL encoding".into()))
}

fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
}

fn number(pairs: &[(String, String)], key: &'static str, min: u32, max: u32, default: u32) -> Result<u32, ParamError> {
    match get(pairs, key) {
        None => Ok(default),
        Some(v) => match v.parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(err(key, "param-number", format!("{key} must be a whole number from {min} to {max}, got {v:?}"))),
        },
    }
}

/// The catalogue search in `lang` from a query string.
pub fn search_query(raw: Option<&str>, framework: &Framework, lang: &str) -> Result<InstitutionQuery, ParamError> {
    let p = pairs(raw)?;
    let text = get(&p, "q").unwrap_or("").to_owned();
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(err("q", "param-text-long", format!("q is longer than {MAX_QUERY_CHARS} characters")));
    }
    let region = match get(&p, "region") {
        None => None,
        Some(r) if framework.region(r).is_some() => Some(r.to_owned()),
        Some(r) => {
            return Err(err(
                "region",
                "param-region",
                format!("region {r:?} is not a region code such as bishkek or osh"),
            ));
        }
    };
    let ownership = match get(&p, "ownership") {
        None => None,
        Some(o) => Some(Ownership::parse(o).ok_or_else(|| {
            err(
                "ownership",
                "param-ownership",
                format!("ownership must be state, private or intergovernmental, got {o:?}"),
            )
        })?),
    };
    let level = match get(&p, "level") {
        None => None,
        Some(l) => Some(Level::parse(l).ok_or_else(|| {
            err("level", "param-level", format!("level must be bachelor, master, specialist or phd, got {l:?}"))
        })?),
    };
    let specialty = match get(&p, "specialty") {
        None => None,
        Some(s) if is_specialty_code(s) => Some(s.to_owned()),
        Some(s) => {
            return Err(err("specialty", "param-specialty", format!("specialty must be a 6-digit code, got {s:?}")));
        }
    };
    let page = number(&p, "page", 1, 10_000, 1)?;
    let per_page = number(&p, "per_page", 1, MAX_PER_PAGE, DEFAULT_PER_PAGE)?;
    Ok(InstitutionQuery { text, region, ownership, level, specialty, page, per_page, sort_language: lang.to_owned() })
}

fn fee(pairs: &[(String, String)], key: &'static str) -> Result<Option<i64>, ParamError> {
    match get(pairs, key) {
        None => Ok(None),
        Some(v) => match v.replace([' ', '\u{a0}', '\u{202f}'], "").parse::<i64>() {
            Ok(n) if (0..=100_000_000).contains(&n) => Ok(Some(n)),
            _ => Err(err(key, "param-fee", format!("{key} must be a yearly fee in som, from 0, got {v:?}"))),
        },
    }
}

fn flag(pairs: &[(String, String)], key: &str) -> bool {
    matches!(get(pairs, key), Some("1" | "on" | "true" | "yes"))
}

/// The programme search in `lang` from a query string.
pub fn programme_query(raw: Option<&str>, framework: &Framework, lang: &str) -> Result<ProgrammeQuery, ParamError> {
    let base = search_query(raw, framework, lang)?;
    let p = pairs(raw)?;
    let field = match get(&p, "field") {
        None => None,
        Some(f) if framework.isced(f).is_some() => Some(f.to_owned()),
        Some(f) => {
            return Err(err("field", "param-field", format!("field must be an ISCED-F code 00 to 10, got {f:?}")));
        }
    };
    let city = get(&p, "city").map(str::to_owned);
    if city.as_deref().is_some_and(|c| c.chars().count() > 60) {
        return Err(err("city", "param-text-long", "city is longer than 60 characters".into()));
    }
    let language = match get(&p, "language") {
        None => None,
        Some(l) if TEACHING_LANGUAGES.contains(&l) => Some(l.to_owned()),
        Some(l) => {
            return Err(err("language", "param-language", format!("language must be ky, ru, en, ..., got {l:?}")));
        }
    };
    let form = match get(&p, "form") {
        None => None,
        Some(f) => Some(StudyForm::parse(f).ok_or_else(|| {
            err("form", "param-form", format!("form must be full_time, part_time, evening or distance, got {f:?}"))
        })?),
    };
    let sort = match get(&p, "sort") {
        None => ProgrammeSort::Name,
        Some(x) => ProgrammeSort::parse(x).ok_or_else(|| {
            err(
                "sort",
                "param-sort",
                format!("sort must be name, fee_asc, fee_desc, score_desc or grant_desc, got {x:?}"),
            )
        })?,
    };
    let (fee_min, fee_max) = (fee(&p, "fee_min")?, fee(&p, "fee_max")?);
    if let (Some(a), Some(b)) = (fee_min, fee_max)
        && a > b
    {
        return Err(err("fee_max", "param-fee-range", format!("fee_max {b} is below fee_min {a}")));
    }
    Ok(ProgrammeQuery {
        text: base.text,
        specialty: base.specialty,
        field,
        level: base.level,
        region: base.region,
        city,
        ownership: base.ownership,
        language,
        form,
        grant_only: flag(&p, "grant"),
        fee_min,
        fee_max,
        accredited_only: flag(&p, "accredited"),
        sort,
        page: base.page,
        per_page: base.per_page,
        sort_language: lang.to_owned(),
    })
}

/// The query string of a programme search, for links (paging, sorting, sharing).
pub fn programme_href(q: &ProgrammeQuery, page: u32) -> String {
    let mut out: Vec<(&str, String)> = Vec::new();
    let mut push = |k: &'static str, v: Option<String>| {
        if let Some(v) = v {
            out.push((k, v));
        }
    };
    push("q", (!q.text.is_empty()).then(|| q.text.clone()));
    push("specialty", q.specialty.clone());
    push("field", q.field.clone());
    push("level", q.level.map(|l| l.as_str().to_owned()));
    push("region", q.region.clone());
    push("city", q.city.clone());
    push("ownership", q.ownership.map(|o| o.as_str().to_owned()));
    push("language", q.language.clone());
    push("form", q.form.map(|f| f.as_str().to_owned()));
    push("grant", q.grant_only.then(|| "1".to_owned()));
    push("fee_min", q.fee_min.map(|f| f.to_string()));
    push("fee_max", q.fee_max.map(|f| f.to_string()));
    push("accredited", q.accredited_only.then(|| "1".to_owned()));
    push("sort", (q.sort != ProgrammeSort::Name).then(|| q.sort.as_str().to_owned()));
    push("page", (page > 1).then(|| page.to_string()));
    push("per_page", (q.per_page != DEFAULT_PER_PAGE).then(|| q.per_page.to_string()));
    serde_urlencoded::to_string(&out).unwrap_or_default()
}

/// The query string of a search, for links (paging, sharing); `page` replaced.
pub fn search_href(q: &InstitutionQuery, page: u32) -> String {
    let mut out: Vec<(&str, String)> = Vec::new();
    if !q.text.is_empty() {
        out.push(("q", q.text.clone()));
    }
    if let Some(r) = &q.region {
        out.push(("region", r.clone()));
    }
    if let Some(o) = q.ownership {
        out.push(("ownership", o.as_str().to_owned()));
    }
    if let Some(l) = q.level {
        out.push(("level", l.as_str().to_owned()));
    }
    if let Some(s) = &q.specialty {
        out.push(("specialty", s.clone()));
    }
    if page > 1 {
        out.push(("page", page.to_string()));
    }
    if q.per_page != DEFAULT_PER_PAGE {
        out.push(("per_page", q.per_page.to_string()));
    }
    serde_urlencoded::to_string(&out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use edu24_catalogue::domain::{Localized, Region};

    fn fw() -> Framework {
        Framework { regions: vec![Region { code: "bishkek".into(), name: Localized::default() }], ..Default::default() }
    }

    #[test]
    fn parses_a_full_search() {
        let q = search_query(
            Some("q=%D0%BE%D1%88&region=bishkek&ownership=state&level=master&specialty=580100&page=2"),
            &fw(),
            "ru",
        )
        .unwrap();
        assert_eq!(q.text, "ош");
        assert_eq!(q.region.as_deref(), Some("bishkek"));
        assert_eq!(q.ownership, Some(Ownership::State));
        assert_eq!(q.level, Some(Level::Master));
        assert_eq!(q.specialty.as_deref(), Some("580100"));
        assert_eq!((q.page, q.per_page), (2, DEFAULT_PER_PAGE));
        assert_eq!(search_query(Some(&search_href(&q, 2)), &fw(), "ru").unwrap(), q);
    }

    #[test]
    fn a_programme_search_survives_its_own_link() {
        let mut f = fw();
        f.isced_fields = vec![edu24_catalogue::domain::IscedField { code: "06".into(), name: Localized::default() }];
        let raw = "q=it&field=06&level=bachelor&region=bishkek&city=%D0%9E%D1%88&ownership=state&language=ky\
                   &form=full_time&grant=1&fee_min=10%20000&fee_max=90000&accredited=on&sort=fee_asc&page=3";
        let q = programme_query(Some(raw), &f, "ky").unwrap();
        assert_eq!((q.fee_min, q.fee_max, q.grant_only, q.accredited_only), (Some(10_000), Some(90_000), true, true));
        assert_eq!((q.sort, q.page, q.city.as_deref()), (ProgrammeSort::FeeAsc, 3, Some("Ош")));
        assert_eq!(programme_query(Some(&programme_href(&q, 3)), &f, "ky").unwrap(), q);
        for (raw, param) in [
            ("field=99", "field"),
            ("form=night", "form"),
            ("language=xx", "language"),
            ("sort=best", "sort"),
            ("fee_min=-5", "fee_min"),
            ("fee_min=9&fee_max=1", "fee_max"),
        ] {
            assert_eq!(programme_query(Some(raw), &f, "en").unwrap_err().parameter, param, "{raw}");
        }
    }

    #[test]
    fn empty_values_are_absent() {
        let q = search_query(Some("q=&region=&level=&page="), &fw(), "en").unwrap();
        assert_eq!(
            q,
            InstitutionQuery { page: 1, per_page: DEFAULT_PER_PAGE, sort_language: "en".into(), ..Default::default() }
        );
    }

    #[test]
    fn each_bad_parameter_is_named() {
        for (raw, param) in [
            ("page=0", "page"),
            ("page=abc", "page"),
            ("page=-1", "page"),
            ("per_page=1000", "per_page"),
            ("region=mars", "region"),
            ("ownership=x", "ownership"),
            ("level=college", "level"),
            ("specialty=12", "specialty"),
        ] {
            assert_eq!(search_query(Some(raw), &fw(), "en").unwrap_err().parameter, param, "{raw}");
        }
        let long = format!("q={}", "a".repeat(201));
        assert_eq!(search_query(Some(&long), &fw(), "en").unwrap_err().parameter, "q");
        let huge = format!("q=a&x={}", "b".repeat(2001));
        assert_eq!(search_query(Some(&huge), &fw(), "en").unwrap_err().parameter, "query");
        // Broken percent-encoding is read leniently, never a panic.
        assert_eq!(search_query(Some("q=%ZZ%FF"), &fw(), "en").unwrap().text, "%ZZ\u{fffd}");
    }
}
