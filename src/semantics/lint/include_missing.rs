//! N113: an INCLUDE whose file cannot be found where nocmodl looks.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N113",
    name: "include-missing",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Looks up each `INCLUDE \"file\"` as nocmodl does: in the folder of the mod file, then the current folder, then
`..`, then each folder of `MODL_INCLUDE`; reports the ones found nowhere.

## Why it matters
nocmodl stops at a missing include (\"Couldn't open file.inc\"), and the compile of the whole library with it.
The file is usually left out of the package, or the mod file was moved away from it.

## Example
```
INCLUDE \"units.inc\"
```

## Fix
Ship the file beside the mod file, correct the name, or add its folder to `MODL_INCLUDE`.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let Some(included) = context.included else {
        return Vec::new();
    };
    included
        .iter()
        .filter_map(|file| {
            let searched = file.contents.as_ref().err()?;
            let written = context.text(file.quoted);
            let name = written.trim_matches('"');
            Some(
                rule.finding(
                    format!("the included file `{name}` cannot be found"),
                    file.quoted,
                    format!("nocmodl stops here: {searched}"),
                )
                .with_help("ship the file beside the mod file, correct the name, or add its folder to MODL_INCLUDE"),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::{lint, lint_with_includes};
    use crate::syntax::Dialect;

    #[test]
    fn includes_are_looked_up_by_the_caller() {
        let source =
            b"NEURON { SUFFIX i }\nINCLUDE \"here.inc\"\nINCLUDE \"gone.inc\"\nBREAKPOINT { }\n";
        let lookup = |name: &str| {
            if name == "here.inc" {
                Ok(b"PARAMETER { from_include = 1 }\n".to_vec())
            } else {
                Err("not found in .".to_string())
            }
        };
        let findings: Vec<String> = lint_with_includes(source, Dialect::Neuron, Some(&lookup))
            .into_iter()
            .filter(|diagnostic| diagnostic.code.as_str() == "N113")
            .map(|diagnostic| diagnostic.message)
            .collect();
        assert_eq!(findings, ["the included file `gone.inc` cannot be found"]);
        // Without a lookup (a source from memory), nothing is claimed.
        assert!(lint(source, Dialect::Neuron)
            .iter()
            .all(|diagnostic| diagnostic.code.as_str() != "N113"));
    }
}
