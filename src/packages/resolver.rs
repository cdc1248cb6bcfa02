//! Resolving an asset request (`Kv1`, perhaps with a package or variant) to the mechanism NEURON knows, under the
//! user's preferences. Pure: the candidates and the preferences are given.
//!
//! Preferences come in four scopes, from strongest to weakest, as Glia's documentation orders them: the single call
//! (`insert(s, "Kv1", "high", "pkg")`), contexts (`with glia.context(...)`, innermost first; within one context,
//! the asset's own entry before the context's general `pkg`/`variant`), the script scope (`glia.select`), and the
//! global selection (`glia select` on the command line). The package and the variant are each taken from the
//! strongest scope that gives them.
//!
//! Preferences other than the call's are wishes: the request is matched with all of them, and when no candidate
//! satisfies them together (a context's `pkg` for an asset that package does not provide, a selection of an
//! uninstalled package, a script's variant of another package than the context's), the weakest wish is dropped,
//! then the next, down to the call's own constraints, which must match. Among the matching candidates, the only
//! one wins; or, when all are of one package, its variant `0`; else the request is ambiguous and the error lists
//! the candidates.
//!
//! Where nmodl-glia 8.0.2 differs, it is a bug this module does not copy (each is a test below and in
//! `tests/packages_resolution.rs`): an asset with a global or script preference ignores every context's general
//! `pkg`/`variant`; a context's entry for an asset forgets the package or variant a weaker scope gave; and a
//! NEURON-specific mod that overrides a common one is a second candidate with the same name, which makes the
//! request ambiguous when its variant is not `0`.

use std::collections::BTreeMap;

/// A package and/or variant wished for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Preference {
    pub package: Option<String>,
    pub variant: Option<String>,
}

impl Preference {
    pub fn is_empty(&self) -> bool {
        self.package.is_none() && self.variant.is_none()
    }
}

/// One `glia.context(...)`: preferences per asset, and general ones for every asset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContextPreferences {
    pub assets: BTreeMap<String, Preference>,
    pub general: Preference,
}

/// The preferences in force, weakest scopes as given.
#[derive(Clone, Copy, Debug)]
pub struct Preferences<'a> {
    /// The user's global selections.
    pub global: &'a BTreeMap<String, Preference>,
    /// `glia.select` in this script.
    pub script: &'a BTreeMap<String, Preference>,
    /// Open contexts, outermost first.
    pub contexts: &'a [ContextPreferences],
}

/// One mechanism an asset name can resolve to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub asset: String,
    pub package: String,
    pub variant: String,
    /// The name NEURON knows it by.
    pub name: String,
}

/// Why a request did not resolve.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("asset `{asset}` is not provided by any installed package{}", suggestion(.similar))]
    UnknownAsset { asset: String, similar: Vec<String> },
    #[error("no {} matches: the candidates are {}", describe_request(.asset, .package, .variant), list(.candidates))]
    NoMatches {
        asset: String,
        package: Option<String>,
        variant: Option<String>,
        candidates: Vec<String>,
    },
    #[error("{} is ambiguous: {}; choose a package or a variant (in the call, a context, glia.select, or `glia select`)", describe_request(.asset, .package, .variant), list(.candidates))]
    TooManyMatches {
        asset: String,
        package: Option<String>,
        variant: Option<String>,
        candidates: Vec<String>,
    },
}

fn suggestion(similar: &[String]) -> String {
    if similar.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", list(similar))
    }
}

fn list(names: &[String]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe_request(asset: &str, package: &Option<String>, variant: &Option<String>) -> String {
    let mut text = format!("asset `{asset}`");
    if let Some(package) = package {
        text.push_str(&format!(" of package `{package}`"));
    }
    if let Some(variant) = variant {
        text.push_str(&format!(" in variant `{variant}`"));
    }
    text
}

/// Resolves `asset` (with the call's own `package` and `variant`) among `candidates` (every mechanism of every
/// asset) under `preferences`. A full NEURON name (`glia__pkg__asset__variant`) resolves to itself.
pub fn resolve<'a>(
    candidates: &'a [Candidate],
    asset: &str,
    package: Option<&str>,
    variant: Option<&str>,
    preferences: Preferences<'_>,
) -> Result<&'a Candidate, ResolveError> {
    if let Some(candidate) = candidates
        .iter()
        .find(|candidate| candidate.name == asset && candidate.name.starts_with("glia__"))
    {
        return Ok(candidate);
    }
    let of_asset: Vec<&Candidate> = candidates
        .iter()
        .filter(|candidate| candidate.asset == asset)
        .collect();
    if of_asset.is_empty() {
        let mut assets: Vec<&str> = candidates
            .iter()
            .map(|candidate| candidate.asset.as_str())
            .collect();
        assets.sort_unstable();
        assets.dedup();
        return Err(ResolveError::UnknownAsset {
            asset: asset.to_string(),
            similar: similar_names(asset, &assets),
        });
    }
    let call = Preference {
        package: package.map(str::to_string),
        variant: variant.map(str::to_string),
    };
    let matching = |wanted: &Preference| -> Vec<&'a Candidate> {
        of_asset
            .iter()
            .copied()
            .filter(|candidate| {
                wanted
                    .package
                    .as_ref()
                    .is_none_or(|package| &candidate.package == package)
            })
            .filter(|candidate| {
                wanted
                    .variant
                    .as_ref()
                    .is_none_or(|variant| &candidate.variant == variant)
            })
            .collect()
    };
    // The strongest wishes that some candidate satisfies: all of them, then without the weakest, and so on.
    let wishes = wishes_for(asset, preferences);
    let mut wanted = call.clone();
    let mut found = Vec::new();
    for count in (0..=wishes.len()).rev() {
        wanted = merge(&call, &wishes[..count]);
        found = matching(&wanted);
        if !found.is_empty() {
            break;
        }
    }
    match found.as_slice() {
        [only] => Ok(only),
        [] => Err(ResolveError::NoMatches {
            asset: asset.to_string(),
            package: wanted.package,
            variant: wanted.variant,
            candidates: of_asset
                .iter()
                .map(|candidate| candidate.name.clone())
                .collect(),
        }),
        several => {
            let one_package = several
                .iter()
                .all(|candidate| candidate.package == several[0].package);
            let default = several.iter().find(|candidate| candidate.variant == "0");
            match (one_package, default) {
                (true, Some(default)) => Ok(default),
                _ => Err(ResolveError::TooManyMatches {
                    asset: asset.to_string(),
                    package: wanted.package,
                    variant: wanted.variant,
                    candidates: several
                        .iter()
                        .map(|candidate| candidate.name.clone())
                        .collect(),
                }),
            }
        }
    }
}

/// `call` completed field by field from `wishes`, strongest first.
fn merge(call: &Preference, wishes: &[&Preference]) -> Preference {
    let mut merged = call.clone();
    for wish in wishes {
        if merged.package.is_none() {
            merged.package = wish.package.clone();
        }
        if merged.variant.is_none() {
            merged.variant = wish.variant.clone();
        }
    }
    merged
}

/// The preferences that apply to `asset` in the scopes weaker than the call, strongest first: each context from
/// the innermost (its entry for the asset, then its general preference), the script's, the global one.
pub fn wishes_for<'p>(asset: &str, preferences: Preferences<'p>) -> Vec<&'p Preference> {
    let mut wishes = Vec::new();
    for context in preferences.contexts.iter().rev() {
        wishes.extend(context.assets.get(asset));
        wishes.push(&context.general);
    }
    wishes.extend(preferences.script.get(asset));
    wishes.extend(preferences.global.get(asset));
    wishes.retain(|wish| !wish.is_empty());
    wishes
}

/// Names close to `name` (same letters ignoring case and `_`, or one edit away), for suggestions.
fn similar_names(name: &str, names: &[&str]) -> Vec<String> {
    let simplify = |text: &str| -> String {
        text.chars()
            .filter(|character| *character != '_' && *character != '.')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let simple = simplify(name);
    names
        .iter()
        .filter(|candidate| {
            let other = simplify(candidate);
            other == simple || edit_distance(&other, &simple) <= 1
        })
        .map(|candidate| candidate.to_string())
        .collect()
}

fn edit_distance(left: &str, right: &str) -> usize {
    let right: Vec<char> = right.chars().collect();
    let mut previous: Vec<usize> = (0..=right.len()).collect();
    for (row, left_character) in left.chars().enumerate() {
        let mut current = vec![row + 1];
        for (column, right_character) in right.iter().enumerate() {
            let substitution = previous[column] + usize::from(left_character != *right_character);
            current.push(
                substitution
                    .min(previous[column + 1] + 1)
                    .min(current[column] + 1),
            );
        }
        previous = current;
    }
    previous[right.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidates() -> Vec<Candidate> {
        let candidate = |asset: &str, package: &str, variant: &str| Candidate {
            asset: asset.to_string(),
            package: package.to_string(),
            variant: variant.to_string(),
            name: format!("glia__{package}__{asset}__{variant}"),
        };
        vec![
            candidate("Kv1", "a", "0"),
            candidate("Kv1", "a", "high"),
            candidate("Kv1", "b", "0"),
            candidate("Na", "a", "0"),
            candidate("Na", "a", "fast"),
            candidate("HCN1", "b", "golgi"),
        ]
    }

    fn preference(package: Option<&str>, variant: Option<&str>) -> Preference {
        Preference {
            package: package.map(str::to_string),
            variant: variant.map(str::to_string),
        }
    }

    fn check(
        asset: &str,
        call: (Option<&str>, Option<&str>),
        global: &[(&str, Preference)],
        script: &[(&str, Preference)],
        contexts: &[ContextPreferences],
    ) -> Result<String, String> {
        let candidates = candidates();
        let global: BTreeMap<String, Preference> = global
            .iter()
            .map(|(asset, preference)| (asset.to_string(), preference.clone()))
            .collect();
        let script: BTreeMap<String, Preference> = script
            .iter()
            .map(|(asset, preference)| (asset.to_string(), preference.clone()))
            .collect();
        let preferences = Preferences {
            global: &global,
            script: &script,
            contexts,
        };
        resolve(&candidates, asset, call.0, call.1, preferences)
            .map(|candidate| candidate.name.clone())
            .map_err(|error| error.to_string())
    }

    fn context(assets: &[(&str, Preference)], general: Preference) -> ContextPreferences {
        ContextPreferences {
            assets: assets
                .iter()
                .map(|(asset, preference)| (asset.to_string(), preference.clone()))
                .collect(),
            general,
        }
    }

    #[test]
    fn the_only_candidate_or_variant_zero_of_one_package_wins() {
        assert_eq!(
            check("HCN1", (None, None), &[], &[], &[]),
            Ok("glia__b__HCN1__golgi".into())
        );
        assert_eq!(
            check("Na", (None, None), &[], &[], &[]),
            Ok("glia__a__Na__0".into())
        );
        let ambiguous = check("Kv1", (None, None), &[], &[], &[]).unwrap_err();
        assert!(
            ambiguous.contains("glia__a__Kv1__0") && ambiguous.contains("glia__b__Kv1__0"),
            "{ambiguous}"
        );
        assert_eq!(
            check("Kv1", (Some("b"), None), &[], &[], &[]),
            Ok("glia__b__Kv1__0".into())
        );
        assert_eq!(
            check("Kv1", (None, Some("high")), &[], &[], &[]),
            Ok("glia__a__Kv1__high".into())
        );
    }

    #[test]
    fn scopes_are_ordered_call_context_script_global() {
        let global = [("Kv1", preference(Some("b"), None))];
        let script = [("Kv1", preference(Some("a"), Some("high")))];
        assert_eq!(
            check("Kv1", (None, None), &global, &[], &[]),
            Ok("glia__b__Kv1__0".into())
        );
        assert_eq!(
            check("Kv1", (None, None), &global, &script, &[]),
            Ok("glia__a__Kv1__high".into())
        );
        let outer = context(&[], preference(Some("b"), None));
        assert_eq!(
            check(
                "Kv1",
                (None, None),
                &global,
                &script,
                std::slice::from_ref(&outer)
            ),
            // nmodl-glia ignores the context here because Kv1 has a script preference.
            Ok("glia__b__Kv1__0".into())
        );
        let inner = context(
            &[("Kv1", preference(Some("a"), Some("0")))],
            Preference::default(),
        );
        assert_eq!(
            check(
                "Kv1",
                (None, None),
                &global,
                &script,
                &[outer.clone(), inner]
            ),
            Ok("glia__a__Kv1__0".into())
        );
        assert_eq!(
            check("Kv1", (Some("a"), None), &[], &[], &[outer]),
            Ok("glia__a__Kv1__0".into())
        );
    }

    #[test]
    fn a_context_entry_keeps_what_weaker_scopes_give() {
        // The script chooses package a; a context chooses the variant only.
        let script = [("Kv1", preference(Some("a"), None))];
        let inner = context(
            &[("Kv1", preference(None, Some("high")))],
            Preference::default(),
        );
        assert_eq!(
            check("Kv1", (None, None), &[], &script, &[inner]),
            Ok("glia__a__Kv1__high".into())
        );
    }

    #[test]
    fn wishes_that_match_nothing_give_way_but_the_call_must_match() {
        let general = context(&[], preference(Some("b"), None));
        assert_eq!(
            check("Na", (None, None), &[], &[], &[general]),
            Ok("glia__a__Na__0".into())
        );
        let global = [("Na", preference(Some("uninstalled"), None))];
        assert_eq!(
            check("Na", (None, None), &global, &[], &[]),
            Ok("glia__a__Na__0".into())
        );
        let error = check("Na", (Some("b"), None), &[], &[], &[]).unwrap_err();
        assert!(
            error.starts_with("no asset `Na` of package `b` matches"),
            "{error}"
        );
        assert!(error.contains("glia__a__Na__fast"), "{error}");
    }

    #[test]
    fn unknown_assets_suggest_close_names_and_full_names_resolve_to_themselves() {
        let error = check("kv_1", (None, None), &[], &[], &[]).unwrap_err();
        assert_eq!(
            error,
            "asset `kv_1` is not provided by any installed package; did you mean `Kv1`?"
        );
        assert_eq!(
            check("glia__a__Na__fast", (None, None), &[], &[], &[]),
            Ok("glia__a__Na__fast".into())
        );
    }
}
