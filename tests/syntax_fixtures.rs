//! Data-driven tests of the front end over the project's own fixtures in `corpus/fixtures/`.
//!
//! Every fixture goes through one `check` helper, which asserts the invariants that hold for any input (tokens
//! cover the bytes exactly; every span lies inside the file), asserts the verdict its folder promises (`valid/X`:
//! no error in dialect X; `invalid/X`: at least one error in dialect X), and snapshots the rendered diagnostics
//! and the syntax tree with insta. The folder names are checked against the real compilers by `oracle_fixtures`.

use std::path::Path;

use glia::diagnostics::{human, FileReport};
use glia::syntax::{parse, Dialect, Parse};

/// What a fixture's folder says about it.
#[derive(Clone, Copy, Debug)]
enum Expectation {
    Valid,
    Invalid,
}

fn dialects_and_expectation(path: &Path) -> (Vec<Dialect>, Expectation) {
    let components: Vec<String> = path
        .components()
        .map(|component| component.as_os_str().to_string_lossy().into_owned())
        .collect();
    let expectation = if components.iter().any(|part| part == "invalid") {
        Expectation::Invalid
    } else {
        Expectation::Valid
    };
    let dialects = if components.iter().any(|part| part == "arbor") {
        vec![Dialect::Arbor]
    } else if components.iter().any(|part| part == "both") {
        vec![Dialect::Neuron, Dialect::Arbor]
    } else {
        vec![Dialect::Neuron]
    };
    (dialects, expectation)
}

/// Checks one fixture and returns its snapshot text; a verdict that differs from the folder's is added to
/// `wrong_verdicts` (so that one run lists them all).
fn check(path: &Path, source: &[u8], wrong_verdicts: &mut Vec<String>) -> String {
    let (dialects, expectation) = dialects_and_expectation(path);
    let display = path.file_name().unwrap().to_string_lossy().into_owned();
    let mut snapshot = String::new();
    for dialect in dialects {
        let parse = parse(source, dialect);
        assert_lossless(source, &parse, path);
        let errors = parse.diagnostics.iter().filter(|d| d.is_error()).count();
        match expectation {
            Expectation::Valid if errors > 0 => wrong_verdicts.push(format!(
                "{} should have no error in the {dialect:?} dialect:\n{}",
                path.display(),
                render(&display, source, &parse)
            )),
            Expectation::Invalid if errors == 0 => wrong_verdicts.push(format!(
                "{} should have an error in the {dialect:?} dialect",
                path.display()
            )),
            _ => {}
        }
        snapshot.push_str(&format!("=== {dialect:?} diagnostics ===\n"));
        snapshot.push_str(&render(&display, source, &parse));
        snapshot.push_str(&format!("=== {dialect:?} syntax tree ===\n"));
        snapshot.push_str(&dump_tree(source, &parse));
        snapshot.push('\n');
    }
    snapshot
}

fn assert_lossless(source: &[u8], parse: &Parse, path: &Path) {
    let mut rebuilt = Vec::with_capacity(source.len());
    let mut expected_start = 0;
    for token in &parse.tokens {
        assert_eq!(
            token.span.start as usize,
            expected_start,
            "gap before {token:?} in {}",
            path.display()
        );
        rebuilt.extend_from_slice(token.span.slice(source));
        expected_start = token.span.end as usize;
    }
    assert_eq!(
        rebuilt,
        source,
        "tokens do not reproduce {}",
        path.display()
    );
    for diagnostic in &parse.diagnostics {
        for span in std::iter::once(diagnostic.primary.span)
            .chain(diagnostic.secondary.iter().map(|l| l.span))
        {
            assert!(
                span.start <= span.end && span.end as usize <= source.len(),
                "{span:?} outside {}",
                path.display()
            );
        }
    }
}

fn render(display: &str, source: &[u8], parse: &Parse) -> String {
    let mut out = Vec::new();
    human::render(
        &FileReport {
            path: display,
            source,
            diagnostics: &parse.diagnostics,
        },
        false,
        &mut out,
    )
    .unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

/// The syntax tree as JSON, with every span shown as `start..end` followed by the text it covers.
fn dump_tree(source: &[u8], parse: &Parse) -> String {
    let mut value = serde_json::to_value(&parse.file).unwrap();
    annotate_spans(&mut value, source);
    serde_json::to_string_pretty(&value).unwrap()
}

fn annotate_spans(value: &mut serde_json::Value, source: &[u8]) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            if map.len() == 2 && map.contains_key("start") && map.contains_key("end") {
                let start = map["start"].as_u64().unwrap() as usize;
                let end = map["end"].as_u64().unwrap() as usize;
                let text = String::from_utf8_lossy(&source[start..end]);
                let shown: String = if text.len() > 60 {
                    format!("{}…", text.chars().take(60).collect::<String>())
                } else {
                    text.into_owned()
                };
                *value = Value::String(format!("{start}..{end} {shown:?}"));
            } else {
                for child in map.values_mut() {
                    annotate_spans(child, source);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| annotate_spans(item, source)),
        _ => {}
    }
}

#[test]
fn fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/fixtures");
    assert!(root.is_dir(), "missing {}", root.display());
    let mut wrong_verdicts = Vec::new();
    insta::glob!("../corpus/fixtures", "**/*.mod", |path| {
        let source = std::fs::read(path).unwrap();
        let relative = path.strip_prefix(&root).unwrap().to_path_buf();
        insta::assert_snapshot!(check(&relative, &source, &mut wrong_verdicts));
    });
    assert!(
        wrong_verdicts.is_empty(),
        "{} fixture verdicts differ from their folders:\n{}",
        wrong_verdicts.len(),
        wrong_verdicts.join("\n")
    );
}
