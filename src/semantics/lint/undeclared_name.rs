//! N111 (warning): a name used in NEURON code that nothing declares, so nocmodl's C++ does not compile.

use foldhash::{HashSet, HashSetExt};

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::semantics::symbols::SymbolKind;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N111",
    name: "undeclared-name",
    severity: Severity::Warning,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds variables and functions used in code that the file declares nowhere: not in PARAMETER, ASSIGNED, STATE,
CONSTANT or INDEPENDENT, not an argument or LOCAL of the block, not a FUNCTION, PROCEDURE, FUNCTION_TABLE, DEFINE,
POINTER, EXTERNAL or named UNITS constant, and not one of nocmodl's builtins (`t`, `v`, `exp`, `fabs`, `net_send`
…). A name that appears in a VERBATIM block of the file is left alone: C code may declare it. So are `dt`,
`celsius`, `diam`, `area` and `secondorder`, which NEURON's headers define, and the variables of a USEION statement
(N109 covers those). Names declared in an INCLUDEd file count; when an INCLUDE cannot be read, the rule says
nothing (N113 reports the INCLUDE).

## Why it matters
nocmodl translates the file with only a warning (\"erev undefined. (declared within VERBATIM?)\"), and the C++ it
writes then fails to compile (\"'erev' was not declared in this scope\"). A RANGE or NONSPECIFIC_CURRENT
statement is not a declaration: the variable must also be in ASSIGNED (or PARAMETER). Note that `PI`, `pi`,
`FARADAY` and `R` are not builtins: declare them in UNITS or CONSTANT.

## Example
```
NEURON { SUFFIX leak NONSPECIFIC_CURRENT i RANGE g }
PARAMETER { g = 0.001 (S/cm2) }
ASSIGNED { v (mV) }
BREAKPOINT { i = g*(v - erev) }
```

## Fix
Declare the variable (`erev` in PARAMETER, `i (mA/cm2)` in ASSIGNED), or correct the spelling.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    // An INCLUDEd file that could not be read may declare any of them.
    if !context.symbols.complete {
        return Vec::new();
    }
    let mut reported = HashSet::new();
    let mut findings = Vec::new();
    for name_use in &context.symbols.uses {
        let symbol = context.symbols.symbol_of(name_use);
        // Found, with storage; or a USEION variable, whose missing declaration is N109's.
        if symbol.is_some_and(|symbol| {
            symbol.kind.declares_storage() || symbol.kind == SymbolKind::IonVariable
        }) || context.mentioned_in_verbatim(name_use.unprimed.slice(context.source))
            || !reported.insert(name_use.unprimed.slice(context.source))
        {
            continue;
        }
        let used = name_use.text(context.source);
        let (message, help) = if name_use.is_call {
            (
                format!(
                    "no FUNCTION or PROCEDURE is named `{used}`: nocmodl's C++ will not compile"
                ),
                "define it in the file, or correct the name".to_string(),
            )
        } else if symbol.is_some_and(|symbol| {
            matches!(
                symbol.kind,
                SymbolKind::NonspecificCurrent | SymbolKind::ElectrodeCurrent
            )
        }) {
            (
                format!("the current `{used}` is used but not declared: nocmodl's C++ will not compile"),
                format!("add `{used}` with its unit to the ASSIGNED block (for NEURON; modcc refuses it there)"),
            )
        } else {
            (
                format!("`{used}` is used but not declared: nocmodl's C++ will not compile"),
                format!("declare `{used}` in PARAMETER, ASSIGNED or CONSTANT, or correct the name"),
            )
        };
        findings.push(
            rule.finding(
                message,
                name_use.name.span,
                "nocmodl: undefined (only a warning there)".to_string(),
            )
            .with_help(help),
        );
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    fn undeclared(source: &str) -> Vec<String> {
        lint(source.as_bytes(), Dialect::Neuron)
            .into_iter()
            .filter(|diagnostic| diagnostic.code.as_str() == "N111")
            .map(|diagnostic| diagnostic.message)
            .collect()
    }

    /// Each case as nocmodl 9.0.2 and g++ 12 were seen to treat it.
    #[test]
    fn names_whose_cpp_does_not_compile_are_reported() {
        assert_eq!(
            undeclared("NEURON { SUFFIX u NONSPECIFIC_CURRENT i RANGE y }\nASSIGNED { x }\nBREAKPOINT {\n i = 0.001*(v + 65)\n x = diam + area + t + dt + celsius + exp(1) + PI + FARADAY + R + secondorder + pi + y + foo(1)\n}\n"),
            [
                "the current `i` is used but not declared: nocmodl's C++ will not compile",
                "`PI` is used but not declared: nocmodl's C++ will not compile",
                "`FARADAY` is used but not declared: nocmodl's C++ will not compile",
                "`R` is used but not declared: nocmodl's C++ will not compile",
                "`pi` is used but not declared: nocmodl's C++ will not compile",
                "`y` is used but not declared: nocmodl's C++ will not compile",
                "no FUNCTION or PROCEDURE is named `foo`: nocmodl's C++ will not compile",
            ]
        );
    }

    /// nocmodl pastes an INCLUDEd file in: its declarations count, and an unreadable one silences the rule.
    #[test]
    fn declarations_in_included_files_count() {
        use crate::semantics::lint::lint_with_includes;
        let source = b"NEURON { SUFFIX inc NONSPECIFIC_CURRENT i }\nINCLUDE \"decls.inc\"\nASSIGNED { i }\nBREAKPOINT { i = gbar*q(1) }\n";
        let codes = |lookup: &dyn Fn(&str) -> Result<Vec<u8>, String>| -> Vec<String> {
            lint_with_includes(source, Dialect::Neuron, Some(lookup))
                .iter()
                .map(|diagnostic| diagnostic.code.as_str().to_string())
                .collect()
        };
        let found = |_: &str| Ok(b"PARAMETER { gbar = 1 }\nFUNCTION q(x) { q = x }\n".to_vec());
        assert!(codes(&found).is_empty(), "{:?}", codes(&found));
        let missing = |_: &str| Err("not found in .".to_string());
        assert_eq!(codes(&missing), ["N113"]);
        let empty = |_: &str| Ok(Vec::new());
        assert_eq!(codes(&empty), ["N111", "N111"]);
    }

    #[test]
    fn declarations_of_every_kind_and_verbatim_names_count() {
        let source = "NEURON { SUFFIX d NONSPECIFIC_CURRENT i POINTER p EXTERNAL ext }\nDEFINE N 3\nUNITS { FARADAY = (faraday) (coulomb) }\nCONSTANT { k = 2 }\nASSIGNED { i p ext }\nLOCAL file_local\nSTATE { a b }\nVERBATIM\nstatic double c_value;\nENDVERBATIM\nBREAKPOINT { SOLVE kin METHOD sparse\n i = FARADAY*k*N + p + ext + file_local + c_value + rate(1) }\nKINETIC kin { ~ a <-> b (1, 2)\n i = f_flux - b_flux }\nFUNCTION rate(x) { LOCAL y\n FROM j = 0 TO 2 { y = x*j }\n rate = y + t }\n";
        assert!(undeclared(source).is_empty(), "{:?}", undeclared(source));
        // The same misspelling is reported once.
        assert_eq!(
            undeclared("NEURON { SUFFIX o RANGE x }\nASSIGNED { x }\nBREAKPOINT { x = gbar + gbar }\nINITIAL { x = gbar }\n").len(),
            1
        );
    }
}
