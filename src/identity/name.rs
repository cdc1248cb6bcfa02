//! Glia's mechanism names: `glia__<pkg>__<asset>__<variant>` for NEURON and `asset` or `asset_variant` for an
//! Arbor catalogue, their validation, and the check that two assets do not end up with the same name.
//!
//! Names come from package files other people wrote, and become file names, C identifiers and parts of command
//! lines. They are data: every part is checked here, before anything makes a path or a command from it, and only
//! ASCII letters, digits and `_` get through — so no `/`, `..`, space, quote, shell character, control character
//! or non-ASCII letter ever reaches a path or a process.
//!
//! # How long a NEURON name may be
//!
//! nocmodl 9.0.2 keeps the mechanism suffix in `static char suffix[256]`, written as `"_" + name`
//! (`src/nmodl/nocpout.cpp`, `Sprintf(suffix, "_%s", mechname)`), and builds every generated C identifier
//! (`_nrn_init__<name>`, `_nrn_state__<name>` …) and every RANGE variable's hoc name (`gbar_<name>`) from that
//! buffer. Measured with the real nocmodl on `NEURON { SUFFIX <name> RANGE g }`: names of up to 254 characters
//! appear whole everywhere in the generated C++; from 255 characters on nocmodl still exits 0 but silently cuts the
//! name to 254 characters in those identifiers and RANGE names while registering the mechanism under the full name,
//! so two long names sharing their first 254 characters would clash. Beyond about 503 characters the `SUFFIX` line
//! itself passes nocmodl's 512-character line limit and is refused. [`NEURON_NAME_LENGTH_LIMIT`] is therefore 254.

use std::fmt;

use thiserror::Error;

/// The longest mechanism name nocmodl 9.0.2 uses without cutting it (see the module documentation).
pub const NEURON_NAME_LENGTH_LIMIT: usize = 254;

/// What every glia NEURON name begins with.
pub const GLIA_NAME_PREFIX: &str = "glia";

/// Separates the parts of a glia NEURON name.
pub const PART_SEPARATOR: &str = "__";

/// The variant of an asset that is used when none is asked for.
pub const DEFAULT_VARIANT: &str = "0";

/// Which part of a name a problem is in (the three parts of a glia name, or an Arbor catalogue's name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamePart {
    Package,
    Asset,
    Variant,
    Catalogue,
}

impl fmt::Display for NamePart {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            NamePart::Package => "package",
            NamePart::Asset => "asset",
            NamePart::Variant => "variant",
            NamePart::Catalogue => "catalogue",
        })
    }
}

/// Why a name is not a valid glia name.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum NameError {
    #[error("the {part} name is empty")]
    EmptyPart { part: NamePart },
    #[error("the {part} name `{text}` contains `__`, which separates the parts of a glia name")]
    DoubleUnderscoreInPart { part: NamePart, text: String },
    #[error(
        "the {part} name `{text}` begins or ends with `_`, which would merge with the `__` separating the parts"
    )]
    UnderscoreAtPartEdge { part: NamePart, text: String },
    #[error(
        "the {part} name `{}` contains {character:?}; NEURON and C names hold only ASCII letters, digits and `_`",
        .text.escape_debug()
    )]
    InvalidCharacter {
        part: NamePart,
        text: String,
        character: char,
    },
    #[error(
        "`{name}` is {length} characters long; nocmodl cuts mechanism names longer than {NEURON_NAME_LENGTH_LIMIT}"
    )]
    TooLong { name: String, length: usize },
    #[error(
        "`{}` is not a glia name: expected `glia__<package>__<asset>__<variant>`",
        .text.escape_debug()
    )]
    NotGliaName { text: String },
    #[error(
        "the Arbor name `{name}` begins with a digit; Arbor mechanism names must begin with a letter or `_`"
    )]
    ArborNameStartsWithDigit { name: String },
    #[error("the {part} name `{text}` begins with a digit, which cannot begin a C++ name")]
    StartsWithDigit { part: NamePart, text: String },
}

/// A validated glia mechanism name: package, asset and variant.
///
/// Formats as the NEURON name `glia__<package>__<asset>__<variant>`; [`ModName::parse`] reads it back. Each part is
/// non-empty ASCII letters, digits and single `_` inside (not at its edges), so the NEURON name is a valid NEURON
/// and C identifier and splits back into the same three parts.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModName {
    package: String,
    asset: String,
    variant: String,
}

impl ModName {
    /// Builds and validates a name from its parts.
    pub fn new(package: &str, asset: &str, variant: &str) -> Result<ModName, NameError> {
        validate_part(NamePart::Package, package)?;
        validate_part(NamePart::Asset, asset)?;
        validate_part(NamePart::Variant, variant)?;
        let name = ModName {
            package: package.to_owned(),
            asset: asset.to_owned(),
            variant: variant.to_owned(),
        };
        let neuron_name = name.neuron_name();
        if neuron_name.len() > NEURON_NAME_LENGTH_LIMIT {
            return Err(NameError::TooLong {
                length: neuron_name.len(),
                name: neuron_name,
            });
        }
        Ok(name)
    }

    /// Reads a NEURON name `glia__<package>__<asset>__<variant>`.
    pub fn parse(text: &str) -> Result<ModName, NameError> {
        let not_glia_name = || NameError::NotGliaName {
            text: text.to_owned(),
        };
        let rest = text
            .strip_prefix(GLIA_NAME_PREFIX)
            .and_then(|rest| rest.strip_prefix(PART_SEPARATOR))
            .ok_or_else(not_glia_name)?;
        let parts: Vec<&str> = rest.split(PART_SEPARATOR).collect();
        match parts.as_slice() {
            [package, asset, variant] => ModName::new(package, asset, variant),
            _ => Err(not_glia_name()),
        }
    }

    pub fn package(&self) -> &str {
        &self.package
    }

    pub fn asset(&self) -> &str {
        &self.asset
    }

    pub fn variant(&self) -> &str {
        &self.variant
    }

    /// `glia__<package>__<asset>__<variant>`, the name NEURON knows the mechanism by.
    pub fn neuron_name(&self) -> String {
        self.to_string()
    }

    /// The name in an Arbor catalogue: the asset for variant `0`, else `asset_variant`, with runs of `_` collapsed.
    pub fn arbor_name(&self) -> String {
        arbor_catalogue_name(&self.asset, &self.variant)
    }

    /// [`ModName::arbor_name`], refused when Arbor cannot use it as a mechanism name (it begins with a digit).
    pub fn valid_arbor_name(&self) -> Result<String, NameError> {
        let name = self.arbor_name();
        if name.starts_with(|character: char| character.is_ascii_digit()) {
            return Err(NameError::ArborNameStartsWithDigit { name });
        }
        Ok(name)
    }
}

impl fmt::Display for ModName {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{GLIA_NAME_PREFIX}{PART_SEPARATOR}{}{PART_SEPARATOR}{}{PART_SEPARATOR}{}",
            self.package, self.asset, self.variant
        )
    }
}

impl std::str::FromStr for ModName {
    type Err = NameError;

    fn from_str(text: &str) -> Result<ModName, NameError> {
        ModName::parse(text)
    }
}

/// The catalogue name of `asset` in `variant`: `asset` for variant `0`, else `asset_variant`; characters outside
/// `[A-Za-z0-9_]` become `_` and runs of `_` are collapsed to one, as Arbor catalogue names are.
pub fn arbor_catalogue_name(asset: &str, variant: &str) -> String {
    let joined = if variant == DEFAULT_VARIANT {
        asset.to_owned()
    } else {
        format!("{asset}_{variant}")
    };
    let mut name = String::with_capacity(joined.len());
    for character in joined.chars() {
        let character = if character.is_ascii_alphanumeric() {
            character
        } else {
            '_'
        };
        if character == '_' && name.ends_with('_') {
            continue;
        }
        name.push(character);
    }
    name
}

/// Checks an Arbor catalogue's name (`glia build-catalogue NAME`): ASCII letters, digits and `_`, not starting
/// with a digit, without `__` — the names modcc pastes into C++ unchanged and `arbor-build-catalogue` leaves as
/// they are (a leading or trailing `_` is allowed, unlike in the parts of a glia name).
pub fn validate_catalogue_name(name: &str) -> Result<(), NameError> {
    let part = NamePart::Catalogue;
    require_identifier_characters(part, name)?;
    if name.starts_with(|character: char| character.is_ascii_digit()) {
        return Err(NameError::StartsWithDigit {
            part,
            text: name.to_owned(),
        });
    }
    if name.contains(PART_SEPARATOR) {
        return Err(NameError::DoubleUnderscoreInPart {
            part,
            text: name.to_owned(),
        });
    }
    Ok(())
}

/// A name must not be empty, and holds only ASCII letters, digits and `_`.
fn require_identifier_characters(part: NamePart, text: &str) -> Result<(), NameError> {
    if text.is_empty() {
        return Err(NameError::EmptyPart { part });
    }
    match text
        .chars()
        .find(|character| !(character.is_ascii_alphanumeric() || *character == '_'))
    {
        Some(character) => Err(NameError::InvalidCharacter {
            part,
            text: text.to_owned(),
            character,
        }),
        None => Ok(()),
    }
}

fn validate_part(part: NamePart, text: &str) -> Result<(), NameError> {
    require_identifier_characters(part, text)?;
    if text.contains(PART_SEPARATOR) {
        return Err(NameError::DoubleUnderscoreInPart {
            part,
            text: text.to_owned(),
        });
    }
    if text.starts_with('_') || text.ends_with('_') {
        return Err(NameError::UnderscoreAtPartEdge {
            part,
            text: text.to_owned(),
        });
    }
    Ok(())
}

/// The simulator in which two assets would share a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Simulator {
    Neuron,
    Arbor,
}

impl fmt::Display for Simulator {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Simulator::Neuron => "NEURON",
            Simulator::Arbor => "Arbor",
        })
    }
}

/// Two assets that would be registered under the same name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameCollision {
    pub simulator: Simulator,
    /// The name both would get.
    pub name: String,
    pub first: ModName,
    pub second: ModName,
}

impl fmt::Display for NameCollision {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{} name `{}` is shared by package `{}` asset `{}` variant `{}` and package `{}` asset `{}` variant `{}`",
            self.simulator,
            self.name,
            self.first.package,
            self.first.asset,
            self.first.variant,
            self.second.package,
            self.second.asset,
            self.second.variant,
        )
    }
}

/// Every pair of `names` that NEURON or Arbor would register under the same name, in input order.
///
/// NEURON names are global to the loaded library, so any two equal NEURON names collide (only the same triple can
/// give the same glia name, as parts cannot hold `__`). Arbor names are compared within one package, because glia
/// builds one Arbor catalogue per package (as nmodl-glia does); that is where `Na`/`t` and `Na_t`/`0` both become
/// `Na_t`.
pub fn find_name_collisions(names: &[ModName]) -> Vec<NameCollision> {
    let mut collisions = Vec::new();
    for (first_index, first) in names.iter().enumerate() {
        for second in &names[first_index + 1..] {
            if first == second {
                collisions.push(NameCollision {
                    simulator: Simulator::Neuron,
                    name: first.neuron_name(),
                    first: first.clone(),
                    second: second.clone(),
                });
            }
            if first.package == second.package && first.arbor_name() == second.arbor_name() {
                collisions.push(NameCollision {
                    simulator: Simulator::Arbor,
                    name: first.arbor_name(),
                    first: first.clone(),
                    second: second.clone(),
                });
            }
        }
    }
    collisions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_back() {
        let name = ModName::new("dbbs", "Kv1_1", "high_activity").expect("valid");
        assert_eq!(name.to_string(), "glia__dbbs__Kv1_1__high_activity");
        assert_eq!(ModName::parse(&name.to_string()), Ok(name.clone()));
        assert_eq!(name.arbor_name(), "Kv1_1_high_activity");
        let default_variant = ModName::new("dbbs", "Kv1_1", "0").expect("valid");
        assert_eq!(default_variant.arbor_name(), "Kv1_1");
    }

    #[test]
    fn catalogue_names_collapse_underscores() {
        assert_eq!(arbor_catalogue_name("Na__x", "0"), "Na_x");
        assert_eq!(arbor_catalogue_name("Na.x", "b-c"), "Na_x_b_c");
    }
}
