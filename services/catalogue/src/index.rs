//! The read index of the public catalogue: an immutable snapshot of the framework,
//! institutions, programmes and licences, rebuilt from the database after every change
//! and swapped in atomically. Public reads never touch the database.

use std::collections::HashMap;
use std::sync::Arc;

use crate::domain::*;

pub struct Entry {
    pub institution: Institution,
    /// Folded names (three languages), code and city, for search.
    search_text: String,
    /// Sort keys by language.
    sort_ky: String,
    sort_ru: String,
    sort_en: String,
}

/// One programme in the programme search.
struct ProgEntry {
    inst: usize,
    prog: usize,
    city_text: String,
    field: String,
    licensed: bool,
    accredited: bool,
    /// Copies of what the filters read, to keep the scan in one place in memory.
    level: Level,
    form: StudyForm,
    ownership: Ownership,
    grant_places: i32,
    fee: Option<i64>,
    score: Option<i32>,
}

fn lang_index(lang: &str) -> usize {
    match lang {
        "ky" => 0,
        "ru" => 1,
        _ => 2,
    }
}

pub struct Snapshot {
    pub framework: Arc<Framework>,
    entries: Vec<Entry>,
    programmes: Vec<ProgEntry>,
    /// Programme entries in name order (specialty, then institution), per language ky, ru, en.
    programmes_by_name: [Vec<u32>; 3],
    /// Every word of every programme's search text with the programme, sorted by word:
    /// a query word matches the words it begins (binary search for the prefix range).
    programme_words: Vec<(String, u32)>,
    by_code: HashMap<String, usize>,
    by_programme: HashMap<String, (usize, usize)>,
    by_licence: HashMap<String, usize>,
    pub stats: Stats,
}

impl Snapshot {
    pub fn empty() -> Self {
        Self::build(Framework::default(), Vec::new())
    }

    pub fn build(framework: Framework, institutions: Vec<Institution>) -> Self {
        let mut entries: Vec<Entry> = institutions
            .into_iter()
            .map(|institution| {
                let s = &institution.summary;
                let search_text = fold(&format!(
                    "{} {} {} {} {} {} {}",
                    s.code, s.name.ky, s.name.ru, s.name.en, s.city.ky, s.city.ru, s.city.en
                ));
                Entry {
                    sort_ky: fold(s.name.get("ky")),
                    sort_ru: fold(s.name.get("ru")),
                    sort_en: fold(s.name.get("en")),
                    search_text,
                    institution,
                }
            })
            .collect();
        entries.sort_by(|a, b| a.institution.summary.code.cmp(&b.institution.summary.code));
        let mut by_code = HashMap::new();
        let mut by_programme = HashMap::new();
        let mut by_licence = HashMap::new();
        let mut stats = Stats::default();
        let mut by_region: HashMap<String, u64> = HashMap::new();
        let mut by_field: HashMap<String, u64> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            by_code.insert(e.institution.summary.code.clone(), i);
            for (j, p) in e.institution.programmes.iter().enumerate() {
                by_programme.insert(p.id.clone(), (i, j));
            }
            if e.institution.summary.status == InstitutionStatus::Active {
                stats.institutions += 1;
                if !e.institution.summary.region.is_empty() {
                    *by_region.entry(e.institution.summary.region.clone()).or_default() += 1;
                }
            }
            stats.programmes += e.institution.programmes.len() as u64;
            for p in &e.institution.programmes {
                if let Some(s) = framework.specialty(&p.specialty_code, p.level) {
                    *by_field.entry(s.isced_f_broad.clone()).or_default() += 1;
                }
            }
            for l in &e.institution.licences {
                by_licence.insert(l.id.clone(), i);
                if l.status == LicenceStatus::Active {
                    stats.licences += 1;
                    stats.licensed_contingent += l.contingent.max(0) as u64;
                }
            }
        }
        stats.institutions_by_region = ranked(by_region);
        stats.programmes_by_field = ranked(by_field);
        let today = today();
        let mut programmes = Vec::new();
        let mut sort_keys: Vec<[String; 3]> = Vec::new();
        // Folded specialty names and code, the institution's names and code, and its city.
        let mut search_texts: Vec<String> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let inst = &e.institution;
            if inst.summary.status != InstitutionStatus::Active {
                continue;
            }
            let s = &inst.summary;
            let inst_accredited = inst.accreditations.iter().any(|a| a.programme_id.is_none() && a.in_force_on(&today));
            for (j, p) in inst.programmes.iter().enumerate() {
                let n = &p.specialty_name;
                search_texts.push(fold(&format!(
                    "{} {} {} {} {} {} {} {} {} {} {}",
                    p.specialty_code,
                    n.ky,
                    n.ru,
                    n.en,
                    s.code,
                    s.name.ky,
                    s.name.ru,
                    s.name.en,
                    s.city.ky,
                    s.city.ru,
                    s.city.en
                )));
                programmes.push(ProgEntry {
                    inst: i,
                    prog: j,
                    city_text: fold(&format!("{} {} {}", s.city.ky, s.city.ru, s.city.en)),
                    field: framework
                        .specialty(&p.specialty_code, p.level)
                        .map(|x| x.isced_f_broad.clone())
                        .unwrap_or_default(),
                    licensed: inst.licences.iter().any(|l| l.covers(p) && l.in_force_on(&today)),
                    accredited: inst_accredited
                        || inst
                            .accreditations
                            .iter()
                            .any(|a| a.programme_id.as_deref() == Some(p.id.as_str()) && a.in_force_on(&today)),
                    level: p.level,
                    form: p.form,
                    ownership: s.ownership,
                    grant_places: p.grant_places,
                    fee: p.fee_citizen,
                    score: p.passing_score,
                });
                sort_keys.push([
                    format!("{}\u{1}{}", fold(n.get("ky")), e.sort_ky),
                    format!("{}\u{1}{}", fold(n.get("ru")), e.sort_ru),
                    format!("{}\u{1}{}", fold(n.get("en")), e.sort_en),
                ]);
            }
        }
        let order = |l: usize| {
            let mut v: Vec<u32> = (0..programmes.len() as u32).collect();
            v.sort_by(|a, b| sort_keys[*a as usize][l].cmp(&sort_keys[*b as usize][l]));
            v
        };
        let programmes_by_name = [order(0), order(1), order(2)];
        let mut programme_words: Vec<(String, u32)> = Vec::new();
        for (i, text) in search_texts.iter().enumerate() {
            let mut words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
            words.sort_unstable();
            words.dedup();
            programme_words.extend(words.into_iter().map(|w| (w.to_owned(), i as u32)));
        }
        programme_words.sort_unstable();
        Snapshot {
            framework: Arc::new(framework),
            entries,
            programmes,
            programmes_by_name,
            programme_words,
            by_code,
            by_programme,
            by_licence,
            stats,
        }
    }

    pub fn institutions(&self) -> impl Iterator<Item = &Institution> {
        self.entries.iter().map(|e| &e.institution)
    }

    /// The institution a licence belongs to.
    pub fn licence_owner(&self, licence_id: &str) -> Option<&str> {
        self.by_licence.get(licence_id).map(|&i| self.entries[i].institution.summary.id.as_str())
    }

    pub fn institution(&self, code: &str) -> Option<&Institution> {
        self.by_code.get(code).map(|&i| &self.entries[i].institution)
    }

    pub fn programme(&self, id: &str) -> Option<ProgrammeDetail> {
        let &(i, j) = self.by_programme.get(id)?;
        let inst = &self.entries[i].institution;
        let programme = inst.programmes[j].clone();
        let today = today();
        // The covering licence in force, else the latest covering one.
        let licence = inst
            .licences
            .iter()
            .filter(|l| l.covers(&programme))
            .max_by_key(|l| (l.in_force_on(&today), l.valid_from.clone()))
            .cloned();
        let accreditations = inst
            .accreditations
            .iter()
            .filter(|a| a.programme_id.is_none() || a.programme_id.as_deref() == Some(programme.id.as_str()))
            .cloned()
            .collect();
        Some(ProgrammeDetail { programme, institution: inst.summary.clone(), licence, accreditations })
    }

    /// Searches institutions: every word of the text must appear in a name (any
    /// language), the code or the city; filters must all hold. Active institutions
    /// come first, then by name in the sort language.
    pub fn search(&self, q: &InstitutionQuery) -> Page<InstitutionSummary> {
        let words: Vec<String> = fold(&q.text).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect();
        let mut hits: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| {
                let s = &e.institution.summary;
                words.iter().all(|w| e.search_text.contains(w.as_str()))
                    && q.region.as_ref().is_none_or(|r| &s.region == r)
                    && q.ownership.is_none_or(|o| s.ownership == o)
                    && q.level.is_none_or(|l| s.levels.contains(&l))
                    && q.specialty
                        .as_ref()
                        .is_none_or(|c| e.institution.programmes.iter().any(|p| &p.specialty_code == c))
            })
            .collect();
        let key = |e: &Entry| -> (bool, String) {
            let name = match q.sort_language.as_str() {
                "ky" => &e.sort_ky,
                "ru" => &e.sort_ru,
                _ => &e.sort_en,
            };
            (e.institution.summary.status != InstitutionStatus::Active, name.clone())
        };
        hits.sort_by_cached_key(|e| key(e));
        let total = hits.len() as u64;
        let per_page = q.per_page.clamp(1, MAX_PER_PAGE);
        let start = (q.page.max(1) as usize - 1).saturating_mul(per_page as usize);
        let items =
            hits.into_iter().skip(start).take(per_page as usize).map(|e| e.institution.summary.clone()).collect();
        Page { items, total, page: q.page.max(1), per_page }
    }

    /// Searches programmes of active institutions: every word of the text must begin a
    /// word of the specialty (code or name), of the institution's names or code, or of its
    /// city; filters must all hold.
    pub fn programme_search(&self, q: &ProgrammeQuery) -> Page<ProgrammeHit> {
        let words: Vec<String> = fold(&q.text).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect();
        let city = q.city.as_deref().map(fold).filter(|c| !c.is_empty());
        // Programmes with a word beginning with each query word.
        let text_match: Option<Vec<bool>> = (!words.is_empty()).then(|| {
            let mut hit = vec![true; self.programmes.len()];
            for w in &words {
                let mut this = vec![false; self.programmes.len()];
                let start = self.programme_words.partition_point(|(t, _)| t.as_str() < w.as_str());
                for (t, i) in &self.programme_words[start..] {
                    if !t.starts_with(w.as_str()) {
                        break;
                    }
                    this[*i as usize] = true;
                }
                for (h, t) in hit.iter_mut().zip(this) {
                    *h &= t;
                }
            }
            hit
        });
        // Scanned in name order, so that the name order needs no sort and the other
        // orders (stable sorts) keep names as the tie-break.
        let mut hits: Vec<&ProgEntry> = self.programmes_by_name[lang_index(&q.sort_language)]
            .iter()
            .filter(|&&i| text_match.as_ref().is_none_or(|m| m[i as usize]))
            .map(|&i| &self.programmes[i as usize])
            .filter(|e| {
                q.level.is_none_or(|l| e.level == l)
                    && q.form.is_none_or(|f| e.form == f)
                    && q.ownership.is_none_or(|o| e.ownership == o)
                    && (!q.grant_only || e.grant_places > 0)
                    && q.fee_min.is_none_or(|m| e.fee.is_some_and(|f| f >= m))
                    && q.fee_max.is_none_or(|m| e.fee.is_some_and(|f| f <= m))
                    && (!q.accredited_only || e.accredited)
                    && q.field.as_ref().is_none_or(|f| &e.field == f)
                    && city.as_ref().is_none_or(|c| e.city_text.contains(c.as_str()))
                    && {
                        let inst = &self.entries[e.inst].institution;
                        let p = &inst.programmes[e.prog];
                        q.specialty.as_ref().is_none_or(|c| &p.specialty_code == c)
                            && q.region.as_ref().is_none_or(|r| &inst.summary.region == r)
                            && q.language.as_ref().is_none_or(|l| &p.language == l)
                    }
            })
            .collect();
        // Unknown fees and scores go last in every order.
        match q.sort {
            ProgrammeSort::Name => {}
            ProgrammeSort::FeeAsc => hits.sort_by_key(|e| (e.fee.is_none(), e.fee)),
            ProgrammeSort::FeeDesc => hits.sort_by_key(|e| (e.fee.is_none(), std::cmp::Reverse(e.fee))),
            ProgrammeSort::ScoreDesc => hits.sort_by_key(|e| (e.score.is_none(), std::cmp::Reverse(e.score))),
            ProgrammeSort::GrantDesc => hits.sort_by_key(|e| std::cmp::Reverse(e.grant_places)),
        }
        let total = hits.len() as u64;
        let per_page = q.per_page.clamp(1, MAX_PER_PAGE);
        let start = (q.page.max(1) as usize - 1).saturating_mul(per_page as usize);
        let items = hits
            .into_iter()
            .skip(start)
            .take(per_page as usize)
            .map(|e| {
                let inst = &self.entries[e.inst].institution;
                let s = &inst.summary;
                ProgrammeHit {
                    programme: inst.programmes[e.prog].clone(),
                    institution_code: s.code.clone(),
                    institution_name: s.name.clone(),
                    region: s.region.clone(),
                    city: s.city.clone(),
                    ownership: s.ownership,
                    licensed: e.licensed,
                    accredited: e.accredited,
                }
            })
            .collect();
        Page { items, total, page: q.page.max(1), per_page }
    }

    /// The generation marker of the data this snapshot was built from.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn ranked(m: HashMap<String, u64>) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inst(
        code: &str,
        ky: &str,
        ru: &str,
        en: &str,
        region: &str,
        ownership: Ownership,
        progs: &[(&str, Level)],
    ) -> Institution {
        let id = format!("id-{code}");
        let programmes: Vec<Programme> = progs
            .iter()
            .enumerate()
            .map(|(n, (c, l))| Programme {
                id: format!("{code}-p{n}"),
                institution_id: id.clone(),
                specialty_code: (*c).into(),
                level: *l,
                specialty_name: Localized::default(),
                form: StudyForm::FullTime,
                language: "ru".into(),
                duration_months: 48,
                credits: 240,
                fee_citizen: Some(30_000 + n as i64 * 10_000),
                fee_foreign: None,
                grant_places: n as i32 * 5,
                contract_places: 20,
                admission_year: 2026,
                passing_score: None,
                passing_score_year: None,
                graduates: None,
                graduates_employed: None,
                outcomes_year: None,
                version: 1,
            })
            .collect();
        let mut levels: Vec<Level> = programmes.iter().map(|p| p.level).collect();
        levels.sort();
        levels.dedup();
        Institution {
            summary: InstitutionSummary {
                id,
                code: code.into(),
                name: Localized::new(ky, ru, en),
                region: region.into(),
                city: Localized::default(),
                ownership,
                status: InstitutionStatus::Active,
                founded: None,
                website: String::new(),
                special_status: false,
                programme_count: programmes.len() as u32,
                levels,
                languages: vec!["ru".into()],
                accredited: false,
                version: 1,
            },
            profile: InstitutionProfile::default(),
            programmes,
            licences: vec![],
            accreditations: vec![],
        }
    }

    fn sample() -> Snapshot {
        Snapshot::build(
            Framework::default(),
            vec![
                inst(
                    "knu",
                    "Кыргыз улуттук университети",
                    "Кыргызский национальный университет",
                    "Kyrgyz National University",
                    "bishkek",
                    Ownership::State,
                    &[("710100", Level::Bachelor), ("580100", Level::Master)],
                ),
                inst(
                    "oshsu",
                    "Ош мамлекеттик университети",
                    "Ошский государственный университет",
                    "Osh State University",
                    "osh_city",
                    Ownership::State,
                    &[("560001", Level::Specialist)],
                ),
                inst(
                    "auca",
                    "Борбордук Азиядагы Америка университети",
                    "Американский университет в Центральной Азии",
                    "American University of Central Asia",
                    "bishkek",
                    Ownership::Private,
                    &[("580100", Level::Bachelor)],
                ),
            ],
        )
    }

    fn q() -> InstitutionQuery {
        InstitutionQuery { page: 1, per_page: 20, sort_language: "en".into(), ..Default::default() }
    }

    fn codes(p: &Page<InstitutionSummary>) -> Vec<&str> {
        p.items.iter().map(|i| i.code.as_str()).collect()
    }

    #[test]
    fn finds_by_name_in_any_language() {
        let s = sample();
        assert_eq!(codes(&s.search(&InstitutionQuery { text: "улуттук".into(), ..q() })), ["knu"]);
        assert_eq!(codes(&s.search(&InstitutionQuery { text: "ОШСКИЙ".into(), ..q() })), ["oshsu"]);
        assert_eq!(codes(&s.search(&InstitutionQuery { text: "central asia".into(), ..q() })), ["auca"]);
        assert_eq!(codes(&s.search(&InstitutionQuery { text: "university".into(), ..q() })), ["auca", "knu", "oshsu"]);
        assert!(s.search(&InstitutionQuery { text: "harvard".into(), ..q() }).items.is_empty());
    }

    #[test]
    fn filters_combine() {
        let s = sample();
        assert_eq!(codes(&s.search(&InstitutionQuery { region: Some("bishkek".into()), ..q() })), ["auca", "knu"]);
        assert_eq!(
            codes(&s.search(&InstitutionQuery {
                region: Some("bishkek".into()),
                ownership: Some(Ownership::State),
                ..q()
            })),
            ["knu"]
        );
        assert_eq!(codes(&s.search(&InstitutionQuery { level: Some(Level::Specialist), ..q() })), ["oshsu"]);
        assert_eq!(codes(&s.search(&InstitutionQuery { specialty: Some("580100".into()), ..q() })), ["auca", "knu"]);
    }

    #[test]
    fn pages_and_sorts_by_the_chosen_language() {
        let s = sample();
        let p = s.search(&InstitutionQuery { per_page: 2, page: 2, ..q() });
        assert_eq!((p.total, codes(&p)), (3, vec!["oshsu"]));
        // In Russian, "Американский" < "Кыргызский" < "Ошский".
        assert_eq!(codes(&s.search(&InstitutionQuery { sort_language: "ru".into(), ..q() })), ["auca", "knu", "oshsu"]);
        // In Kyrgyz, "Борбордук" < "Кыргыз" < "Ош".
        assert_eq!(codes(&s.search(&InstitutionQuery { sort_language: "ky".into(), ..q() })), ["auca", "knu", "oshsu"]);
        assert!(s.search(&InstitutionQuery { page: 9, ..q() }).items.is_empty());
    }

    #[test]
    fn programmes_are_found_filtered_and_sorted() {
        let s = sample();
        let all = s.programme_search(&ProgrammeQuery { sort_language: "en".into(), ..Default::default() });
        assert_eq!(all.total, 4);
        let q = |f: fn(&mut ProgrammeQuery)| {
            let mut q = ProgrammeQuery { sort_language: "en".into(), ..Default::default() };
            f(&mut q);
            s.programme_search(&q).items.iter().map(|h| h.programme.id.clone()).collect::<Vec<_>>()
        };
        assert_eq!(q(|q| q.text = "osh".into()), ["oshsu-p0"]);
        assert_eq!(q(|q| q.text = "OSH stat".into()), ["oshsu-p0"], "every word begins a word, any case");
        assert!(q(|q| q.text = "tate".into()).is_empty(), "words match from their start");
        assert_eq!(q(|q| q.text = "5801".into()), ["auca-p0", "knu-p1"], "specialty code prefix");
        assert_eq!(q(|q| q.specialty = Some("580100".into())), ["auca-p0", "knu-p1"]);
        assert_eq!(q(|q| q.grant_only = true), ["knu-p1"], "only the second programme of an institution has grants");
        assert_eq!(q(|q| (q.fee_min, q.fee_max) = (Some(35_000), Some(45_000))), ["knu-p1"]);
        assert_eq!(q(|q| q.sort = ProgrammeSort::FeeDesc)[0], "knu-p1");
        assert!(q(|q| q.accredited_only = true).is_empty(), "nobody is accredited in the sample");
        assert!(q(|q| q.form = Some(StudyForm::Distance)).is_empty());
    }

    #[test]
    fn stats_count_active_things() {
        let s = sample();
        assert_eq!(s.stats.institutions, 3);
        assert_eq!(s.stats.programmes, 4);
        assert_eq!(s.stats.institutions_by_region, vec![("bishkek".to_owned(), 2), ("osh_city".to_owned(), 1)]);
        assert_eq!(s.programme("knu-p1").unwrap().programme.specialty_code, "580100");
        assert!(s.programme("nope").is_none());
    }
}
