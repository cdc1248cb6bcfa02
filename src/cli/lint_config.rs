//! Lint configuration: a `[lint]` table in `glia.toml`, or `[tool.glia.lint]` in `pyproject.toml`, found in the
//! current folder or the nearest one above it (or named with `--config`).
//!
//! ```toml
//! [tool.glia.lint]
//! dialect = "both"                        # neuron, arbor or both (the command line wins)
//! select = ["A1", "N101"]                 # rule codes or code prefixes; default: every rule
//! ignore = ["A103"]
//! [tool.glia.lint.per-path-dialect]
//! "arbor/**" = "arbor"                    # glob patterns, relative to the configuration file
//! [tool.glia.lint.per-file-ignores]
//! "legacy/*.mod" = ["A101"]
//! ```
//!
//! A code that names no rule is an error, not silence: a typo must not switch a check off.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Code, Diagnostic};
use crate::semantics::lint::RULES;
use crate::syntax::Dialect;

/// The `[lint]` table as written.
#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct LintTable {
    dialect: Option<String>,
    #[serde(default)]
    select: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    per_path_dialect: BTreeMap<String, String>,
    #[serde(default)]
    per_file_ignores: BTreeMap<String, Vec<String>>,
}

/// The configuration in force, with paths resolved against the configuration file's folder.
#[derive(Debug, Default)]
pub struct LintConfiguration {
    root: PathBuf,
    dialect: Option<Vec<Dialect>>,
    select: Vec<String>,
    ignore: Vec<String>,
    per_path_dialect: Vec<(String, Vec<Dialect>)>,
    per_file_ignores: Vec<(String, Vec<String>)>,
}

/// Parses `neuron`, `arbor` or `both`.
pub fn dialects_named(name: &str) -> Option<Vec<Dialect>> {
    match name {
        "neuron" => Some(vec![Dialect::Neuron]),
        "arbor" => Some(vec![Dialect::Arbor]),
        "both" => Some(vec![Dialect::Neuron, Dialect::Arbor]),
        _ => None,
    }
}

impl LintConfiguration {
    /// Reads `explicit`, or else the nearest `glia.toml` / `pyproject.toml` with a lint table from `start` upwards.
    /// No file at all is the default configuration; a file that cannot be read or is wrong is an error.
    pub fn discover(explicit: Option<&Path>, start: &Path) -> Result<LintConfiguration, String> {
        if let Some(path) = explicit {
            let text = std::fs::read_to_string(path)
                .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
            let table = lint_table(path, &text)?.ok_or_else(|| {
                format!("{} has no [lint] or [tool.glia.lint] table", path.display())
            })?;
            return LintConfiguration::from_table(path, table);
        }
        let mut folder = Some(start);
        while let Some(current) = folder {
            for name in ["glia.toml", "pyproject.toml"] {
                let candidate = current.join(name);
                if let Ok(text) = std::fs::read_to_string(&candidate) {
                    if let Some(table) = lint_table(&candidate, &text)? {
                        return LintConfiguration::from_table(&candidate, table);
                    }
                }
            }
            folder = current.parent();
        }
        Ok(LintConfiguration::default())
    }

    fn from_table(path: &Path, table: LintTable) -> Result<LintConfiguration, String> {
        let where_ = path.display();
        let parse_dialect = |name: &str| {
            dialects_named(name).ok_or_else(|| {
                format!("{where_}: unknown dialect `{name}` (neuron, arbor or both)")
            })
        };
        for code in table
            .select
            .iter()
            .chain(&table.ignore)
            .chain(table.per_file_ignores.values().flatten())
        {
            if !RULES
                .iter()
                .any(|rule| rule.code.starts_with(code.to_ascii_uppercase().as_str()))
            {
                return Err(format!(
                    "{where_}: `{code}` names no rule (`glia rule --all` lists them)"
                ));
            }
        }
        Ok(LintConfiguration {
            root: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            dialect: table.dialect.as_deref().map(parse_dialect).transpose()?,
            select: table
                .select
                .iter()
                .map(|code| code.to_ascii_uppercase())
                .collect(),
            ignore: table
                .ignore
                .iter()
                .map(|code| code.to_ascii_uppercase())
                .collect(),
            per_path_dialect: table
                .per_path_dialect
                .iter()
                .map(|(pattern, name)| Ok((pattern.clone(), parse_dialect(name)?)))
                .collect::<Result<_, String>>()?,
            per_file_ignores: table
                .per_file_ignores
                .into_iter()
                .map(|(pattern, codes)| {
                    (
                        pattern,
                        codes.iter().map(|code| code.to_ascii_uppercase()).collect(),
                    )
                })
                .collect(),
        })
    }

    /// The dialects a file is linted in when the command line names none.
    pub fn dialects_for(&self, file: &Path) -> Vec<Dialect> {
        let relative = self.relative(file);
        self.per_path_dialect
            .iter()
            .find(|(pattern, _)| glob_matches(pattern, &relative))
            .map(|(_, dialects)| dialects.clone())
            .or_else(|| self.dialect.clone())
            .unwrap_or_else(|| vec![Dialect::Neuron])
    }

    /// Whether `diagnostic` in `file` is kept: rule findings obey select, ignore and per-file ignores; everything
    /// else (syntax, dialect) is always kept.
    pub fn keeps(&self, file: &Path, diagnostic: &Diagnostic) -> bool {
        let Code::Rule(code) = diagnostic.code else {
            return true;
        };
        let matches =
            |codes: &[String]| codes.iter().any(|prefix| code.starts_with(prefix.as_str()));
        if !self.select.is_empty() && !matches(&self.select) {
            return false;
        }
        if matches(&self.ignore) {
            return false;
        }
        if self.per_file_ignores.is_empty() {
            return true;
        }
        let relative = self.relative(file);
        !self
            .per_file_ignores
            .iter()
            .any(|(pattern, codes)| glob_matches(pattern, &relative) && matches(codes))
    }

    fn relative(&self, file: &Path) -> String {
        let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let root = std::path::absolute(&self.root).unwrap_or_else(|_| self.root.clone());
        absolute
            .strip_prefix(&root)
            .unwrap_or(&absolute)
            .to_string_lossy()
            .replace('\\', "/")
    }
}

/// The lint table of a `glia.toml` (`[lint]`) or `pyproject.toml` (`[tool.glia.lint]`), if it has one.
fn lint_table(path: &Path, text: &str) -> Result<Option<LintTable>, String> {
    let document: toml::Table =
        toml::from_str(text).map_err(|error| format!("{}: {error}", path.display()))?;
    let table = if path
        .file_name()
        .is_some_and(|name| name == "pyproject.toml")
    {
        document
            .get("tool")
            .and_then(|tool| tool.get("glia"))
            .and_then(|glia| glia.get("lint"))
            .cloned()
    } else {
        document.get("lint").cloned()
    };
    table
        .map(|table| {
            table
                .try_into()
                .map_err(|error| format!("{}: [lint]: {error}", path.display()))
        })
        .transpose()
}

/// Glob matching on `/`-separated paths: `*` matches within one segment, `**` across segments, `?` one character.
pub fn glob_matches(pattern: &str, path: &str) -> bool {
    fn matches(pattern: &[u8], path: &[u8]) -> bool {
        match pattern {
            [] => path.is_empty(),
            [b'*', b'*', rest @ ..] => {
                let rest = rest.strip_prefix(b"/").unwrap_or(rest);
                (0..=path.len()).any(|skip| matches(rest, &path[skip..]))
            }
            [b'*', rest @ ..] => (0..=path.len())
                .take_while(|&skip| skip == 0 || path[skip - 1] != b'/')
                .any(|skip| matches(rest, &path[skip..])),
            [b'?', rest @ ..] => {
                path.first().is_some_and(|&byte| byte != b'/') && matches(rest, &path[1..])
            }
            [byte, rest @ ..] => path.first() == Some(byte) && matches(rest, &path[1..]),
        }
    }
    matches(pattern.as_bytes(), path.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_matches("arbor/**", "arbor/a/b.mod"));
        assert!(glob_matches("**/*.mod", "x/y/z.mod"));
        assert!(glob_matches("*.mod", "z.mod"));
        assert!(!glob_matches("*.mod", "x/z.mod"));
        assert!(glob_matches("legacy/k?.mod", "legacy/k1.mod"));
        assert!(!glob_matches("legacy/k?.mod", "legacy/k12.mod"));
    }
}
