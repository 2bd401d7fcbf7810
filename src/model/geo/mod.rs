//! Target locations: ISO 3166-1 alpha-2 country codes, mapped to TikTok
//! location IDs, and numeric location IDs written as they are.
//!
//! TikTok's `targeting_spec.location_ids` takes numeric location IDs ("use the
//! `/tool/region/` endpoint", official SDK `AdgroupCreateBody.md`); a country's
//! is its GeoNames ID (the United States `6252001`). The table of
//! [`COUNTRIES`] is generated from GeoNames' `countryInfo` (CC BY 4.0) by
//! `regenerate.py` next to this file; see its README.md.

#[rustfmt::skip]
mod countries;

pub use countries::COUNTRIES;

/// The TikTok location ID and name of a country, by its ISO 3166-1 alpha-2
/// code (exact, upper case).
pub fn country(code: &str) -> Option<(&'static str, &'static str)> {
    COUNTRIES
        .binary_search_by(|(c, _, _)| (*c).cmp(code))
        .ok()
        .map(|i| (COUNTRIES[i].1, COUNTRIES[i].2))
}

/// The ISO codes, sorted.
pub fn country_codes() -> impl Iterator<Item = &'static str> {
    COUNTRIES.iter().map(|(c, _, _)| *c)
}

/// A suggestion for a string that is neither an ISO code nor a numeric ID:
/// the code it most likely means, and why.
pub fn suggest(s: &str) -> Option<String> {
    let t = s.trim();
    let upper = t.to_ascii_uppercase();
    if upper == "UK" {
        return Some("the United Kingdom's ISO code is `GB`".to_owned());
    }
    if upper != t
        && let Some((_, name)) = country(&upper)
    {
        return Some(format!("write `{upper}` ({name})"));
    }
    if t.len() <= 3 {
        return None;
    }
    // A country written by name: `Germany` → `DE`.
    if let Some((code, _, name)) = COUNTRIES.iter().find(|(_, _, n)| n.eq_ignore_ascii_case(t)) {
        return Some(format!("write `{code}` for {name}"));
    }
    let name = crate::diag::did_you_mean(t, COUNTRIES.iter().map(|(_, _, n)| *n))?;
    let (code, _, _) = COUNTRIES.iter().find(|(_, _, n)| *n == name)?;
    Some(format!("did you mean `{code}` ({name})?"))
}

/// The country code a string that is neither an ISO code nor a numeric ID
/// most likely means (the fix of [`suggest`]), and whether it is certain:
/// `UK` → `GB`, `us` → `US` and `Germany` → `DE` are; a misspelt country
/// name is a guess.
pub fn suggest_code(s: &str) -> Option<(&'static str, bool)> {
    let t = s.trim();
    let upper = t.to_ascii_uppercase();
    if upper == "UK" {
        return country("GB").map(|_| ("GB", true));
    }
    if let Some(i) = COUNTRIES.iter().position(|(c, _, _)| *c == upper) {
        return (upper != t).then(|| (COUNTRIES[i].0, true));
    }
    if t.len() <= 3 {
        return None;
    }
    if let Some((code, _, _)) = COUNTRIES.iter().find(|(_, _, n)| n.eq_ignore_ascii_case(t)) {
        return Some((code, true));
    }
    let name = crate::diag::did_you_mean(t, COUNTRIES.iter().map(|(_, _, n)| *n))?;
    let (code, _, _) = COUNTRIES.iter().find(|(_, _, n)| *n == name)?;
    Some((code, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_and_complete() {
        assert!(COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(COUNTRIES.len(), 249);
        let mut ids: Vec<&str> = COUNTRIES.iter().map(|c| c.1).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 249);
        assert!(
            COUNTRIES
                .iter()
                .all(|c| !c.1.is_empty() && c.1.bytes().all(|b| b.is_ascii_digit()))
        );
    }

    #[test]
    fn known_countries_map_to_their_geonames_ids() {
        assert_eq!(country("US"), Some(("6252001", "United States")));
        assert_eq!(country("GB"), Some(("2635167", "United Kingdom")));
        assert_eq!(country("CA").map(|c| c.0), Some("6251999"));
        assert_eq!(country("DE").map(|c| c.0), Some("2921044"));
        assert_eq!(country("IN").map(|c| c.0), Some("1269750"));
        assert_eq!(country("us"), None);
        assert_eq!(country("UK"), None);
        assert_eq!(country("XK"), None);
    }

    #[test]
    fn suggested_codes() {
        assert_eq!(suggest_code("UK"), Some(("GB", true)));
        assert_eq!(suggest_code("uk"), Some(("GB", true)));
        assert_eq!(suggest_code("us"), Some(("US", true)));
        assert_eq!(suggest_code("germany"), Some(("DE", true)));
        assert_eq!(suggest_code("Untied States"), Some(("US", false)));
        assert_eq!(suggest_code("US"), None);
        assert_eq!(suggest_code("ZZ"), None);
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            suggest("UK").as_deref(),
            Some("the United Kingdom's ISO code is `GB`")
        );
        assert_eq!(suggest("us").as_deref(), Some("write `US` (United States)"));
        assert_eq!(
            suggest("germany").as_deref(),
            Some("write `DE` for Germany")
        );
        assert_eq!(
            suggest("Untied States").as_deref(),
            Some("did you mean `US` (United States)?")
        );
        assert_eq!(suggest("ZZ"), None);
    }
}
