//! Pure text work of the NEURON build: the registration source nrnivmodl generates (`mod_func.cpp`), and the
//! shared block of `#include`s at the top of nocmodl's output that a precompiled header can stand for.

/// A mechanism's registration as `mod_func.cpp` needs it: the translated file's stem (nocmodl names the
/// registration function `_<stem>_reg`) and the mod file's path as the banner shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    pub stem: String,
    pub banner_path: String,
}

/// The text of `mod_func.cpp`, line for line what NEURON 9's nrnivmodl writes for the same files: declarations of
/// every `_<stem>_reg`, the "Additional mechanisms from files" banner, and `modl_reg` calling each registration in
/// order.
pub fn registration_source(registrations: &[Registration]) -> String {
    let mut text = String::from(
        "#include <stdio.h>\n#include \"hocdec.h\"\nextern int nrnmpi_myid;\nextern int nrn_nobanner_;\n\n",
    );
    for registration in registrations {
        text.push_str(&format!(
            "extern \"C\" void _{}_reg(void);\n",
            registration.stem
        ));
    }
    text.push_str("\nextern \"C\" void modl_reg() {\n");
    text.push_str("  if (!nrn_nobanner_) if (nrnmpi_myid < 1) {\n");
    text.push_str("    fprintf(stderr, \"Additional mechanisms from files\\n\");\n");
    for registration in registrations {
        text.push_str(&format!(
            "    fprintf(stderr, \" \\\"{}\\\"\");\n",
            c_string_content(&registration.banner_path)
        ));
    }
    text.push_str("    fprintf(stderr, \"\\n\");\n  }\n");
    for registration in registrations {
        text.push_str(&format!("  _{}_reg();\n", registration.stem));
    }
    text.push_str("}\n");
    text
}

/// `text` escaped for use inside a C string literal that is itself a `printf` format (so `%` is doubled).
fn c_string_content(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '\\' => escaped.push_str("\\\\"),
            '"' => escaped.push_str("\\\""),
            '%' => escaped.push_str("%%"),
            '\n' => escaped.push_str("\\n"),
            character if character.is_control() => {}
            character => escaped.push(character),
        }
    }
    escaped
}

/// Whether `stem` can name nocmodl's registration function `_<stem>_reg`: a C identifier.
pub fn is_valid_registration_stem(stem: &str) -> bool {
    let mut characters = stem.chars();
    characters
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && characters.all(|character| character.is_ascii_alphanumeric() || character == '_')
}

/// The leading block of a generated C++ file that a precompiled header can replace: from the start, the run of
/// lines that are blank, comments or preprocessor directives, cut after the last `#include` of that run. `None`
/// when the run has no `#include`.
pub fn leading_include_block(generated: &str) -> Option<&str> {
    let mut end_of_block = None;
    let mut offset = 0;
    for line in generated.split_inclusive('\n') {
        let trimmed = line.trim();
        let is_directive_or_comment = trimmed.is_empty()
            || trimmed.starts_with('#')
            || trimmed.starts_with("//")
            || (trimmed.len() >= 4 && trimmed.starts_with("/*") && trimmed.ends_with("*/"));
        if !is_directive_or_comment || !line.ends_with('\n') {
            break;
        }
        offset += line.len();
        if trimmed.starts_with("#include") {
            end_of_block = Some(offset);
        }
    }
    end_of_block.map(|end| &generated[..end])
}

/// The generated file with its leading block (which must be exactly `block`) replaced by an include of `header`,
/// followed by a `#line` marker so every later line keeps its number (compiler messages still name `file_name` and
/// the original line).
pub fn with_prefix_header(
    generated: &str,
    block: &str,
    header: &str,
    file_name: &str,
) -> Option<String> {
    let rest = generated.strip_prefix(block)?;
    let next_line = block.matches('\n').count() + 1;
    Some(format!(
        "#include \"{header}\"\n#line {next_line} \"{file_name}\"\n{rest}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GENERATED: &str = "/* Created by Language version: 7.7.0 */\n/* VECTORIZED */\n#define NRN_VECTORIZED 1\n#include <stdio.h>\n// clang-format off\n#include \"md1redef.h\"\n// clang-format on\n#include \"neuron/cache/mechanism_range.hpp\"\nstatic constexpr auto number_of_datum_variables = 3;\n#include \"late.h\"\n";

    #[test]
    fn the_block_ends_after_the_last_leading_include() {
        let block = leading_include_block(GENERATED).unwrap();
        assert!(block.ends_with("#include \"neuron/cache/mechanism_range.hpp\"\n"));
        assert!(!block.contains("late.h"));
        assert_eq!(leading_include_block("int x;\n#include <a.h>\n"), None);
        assert_eq!(leading_include_block(""), None);
    }

    #[test]
    fn replacing_the_block_keeps_line_numbers() {
        let block = leading_include_block(GENERATED).unwrap();
        let rewritten = with_prefix_header(GENERATED, block, "prefix.hpp", "Kv.cpp").unwrap();
        assert!(
            rewritten.starts_with("#include \"prefix.hpp\"\n#line 9 \"Kv.cpp\"\nstatic constexpr")
        );
        assert_eq!(
            with_prefix_header("other", block, "prefix.hpp", "Kv.cpp"),
            None
        );
    }

    #[test]
    fn the_registration_source_matches_nrnivmodl() {
        let text = registration_source(&[
            Registration {
                stem: "hh2".into(),
                banner_path: "mods/hh2.mod".into(),
            },
            Registration {
                stem: "syn".into(),
                banner_path: "syn.mod".into(),
            },
        ]);
        let expected = r#"#include <stdio.h>
#include "hocdec.h"
extern int nrnmpi_myid;
extern int nrn_nobanner_;

extern "C" void _hh2_reg(void);
extern "C" void _syn_reg(void);

extern "C" void modl_reg() {
  if (!nrn_nobanner_) if (nrnmpi_myid < 1) {
    fprintf(stderr, "Additional mechanisms from files\n");
    fprintf(stderr, " \"mods/hh2.mod\"");
    fprintf(stderr, " \"syn.mod\"");
    fprintf(stderr, "\n");
  }
  _hh2_reg();
  _syn_reg();
}
"#;
        assert_eq!(text, expected);
    }

    #[test]
    fn odd_paths_stay_inside_the_string() {
        let text = registration_source(&[Registration {
            stem: "a".into(),
            banner_path: "100%/\"q\".mod".into(),
        }]);
        assert!(
            text.contains(r#"fprintf(stderr, " \"100%%/\"q\".mod\"");"#),
            "{text}"
        );
    }

    #[test]
    fn stems_must_be_c_identifiers() {
        assert!(is_valid_registration_stem("Kv1_1__0"));
        assert!(is_valid_registration_stem("_x"));
        assert!(!is_valid_registration_stem("1x"));
        assert!(!is_valid_registration_stem("a-b"));
        assert!(!is_valid_registration_stem(""));
    }
}
