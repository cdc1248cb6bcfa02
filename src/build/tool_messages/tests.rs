//! Tests of [`super`].

use super::*;
use ToolSeverity::{Error, Note, Warning};

fn message(
    severity: ToolSeverity,
    file: Option<&str>,
    line: Option<u32>,
    column: Option<u32>,
    words: &str,
    details: &[&str],
) -> ToolMessage {
    ToolMessage {
        severity,
        file: file.map(str::to_string),
        line,
        column,
        message: words.to_string(),
        details: details.iter().map(|detail| detail.to_string()).collect(),
    }
}

// ---- nocmodl: every output below was captured from nocmodl of NEURON 9.0.2 (stderr and stdout merged). ----

#[test]
fn syntax_error_becomes_one_located_error() {
    let output = "Translating bad.mod into /tmp/nerr/out/bad.cpp\n\
                      syntax error:\n \
                      Illegal expression:\n \
                      Illegal statement:\n \
                      Error: Illegal block at line 4 in file bad.mod\n  \
                      x = = 3\n       \
                      ^\n";
    assert_eq!(
        parse_nocmodl_output(output),
        vec![message(
            Error,
            Some("bad.mod"),
            Some(4),
            Some(8),
            "Illegal expression: Illegal statement: Illegal block",
            &["  x = = 3", "       ^"],
        )]
    );
}

#[test]
fn crlf_output_reads_like_lf_output() {
    let output = "Translating bad.mod into out/bad.cpp\r\nsyntax error:\r\n Illegal expression:\r\n \
                      Illegal statement:\r\n Error: Illegal block at line 4 in file bad.mod\r\n  x = = 3\r\n       ^\r\n";
    let messages = parse_nocmodl_output(output);
    assert_eq!(messages.len(), 1);
    assert_eq!((messages[0].line, messages[0].column), (Some(4), Some(8)));
}

#[test]
fn caret_under_tabs_counts_characters() {
    // The source line is `\tx =\t= 3`; nocmodl mirrors the tabs in the caret line.
    let output = "Translating tabs.mod into out/tabs.cpp\nsyntax error:\n Illegal expression:\n \
                      Illegal statement:\n Error: Illegal block at line 4 in file tabs.mod\n\tx =\t= 3\n\t   \t ^\n";
    let messages = parse_nocmodl_output(output);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].line, Some(4));
    assert_eq!(messages[0].column, Some(7));
    assert_eq!(messages[0].details, vec!["\tx =\t= 3", "\t   \t ^"]);
}

#[test]
fn syntax_error_with_one_rule() {
    let output = "Translating kinconserve.mod into out/kinconserve.cpp\nsyntax error:\n Illegal CONSERVE syntax:\n \
                      Error: Illegal block at line 4 in file kinconserve.mod\n\
                      KINETIC k { ~ a <-> b (1, 1)  CONSERVE a + = 1 }\n                                            ^\n";
    let messages = parse_nocmodl_output(output);
    assert_eq!(messages.len(), 1);
    assert_eq!(
        messages[0].message,
        "Illegal CONSERVE syntax: Illegal block"
    );
    assert_eq!((messages[0].line, messages[0].column), (Some(4), Some(45)));
}

#[test]
fn located_errors_without_syntax_error() {
    let cases: [(&str, &str, u32, u32); 4] = [
            (
                "Translating dup.mod into out/dup.cpp\nError: Multiple declaration of a at line 3 in file dup.mod\n\
                 ASSIGNED { a }\n             ^\n",
                "Multiple declaration of a",
                3,
                14,
            ),
            (
                "Translating ion.mod into out/ion.cpp\n\
                 Error: foo is not a valid ionic variable for na at line 1 in file ion.mod\n\
                 NEURON { SUFFIX ion USEION na READ foo WRITE ina }\n                                                 ^\n",
                "foo is not a valid ionic variable for na",
                1,
                50,
            ),
            (
                "Translating randomv.mod into out/randomv.cpp\n\
                 Error: random_negexp must have RANDOM var as first argument at line 3 in file randomv.mod\n\
                 BREAKPOINT { x = random_negexp() }\n                               ^\n",
                "random_negexp must have RANDOM var as first argument",
                3,
                32,
            ),
            (
                "Translating tabfunc.mod into out/tabfunc.cpp\n\
                 Error: TABLE stmt in FUNCTION cannot have a table name list at line 6 in file tabfunc.mod\n}\n^\n",
                "TABLE stmt in FUNCTION cannot have a table name list",
                6,
                1,
            ),
        ];
    for (output, words, line, column) in cases {
        let messages = parse_nocmodl_output(output);
        assert_eq!(messages.len(), 1, "{output}");
        assert_eq!(messages[0].severity, Error);
        assert_eq!(messages[0].message, words);
        assert_eq!(messages[0].line, Some(line), "{output}");
        assert_eq!(messages[0].column, Some(column), "{output}");
        assert_eq!(messages[0].details.len(), 2);
    }
}

#[test]
fn error_at_end_of_input_has_a_line_but_no_column() {
    // A missing `}`: nocmodl reaches the end of the file, echoes nothing and prints a lone caret.
    let brace = "Translating brace.mod into out/brace.cpp\nsyntax error:\n Illegal statement:\n \
                     Error: Illegal block at line 4 in file brace.mod\n^\n";
    assert_eq!(
        parse_nocmodl_output(brace),
        vec![message(
            Error,
            Some("brace.mod"),
            Some(4),
            None,
            "Illegal statement: Illegal block",
            &[]
        )]
    );
    let unterminated = "Translating unterm.mod into out/unterm.cpp\n\
                            Error: VERBATIMblock goes to end of file at line 4 in file unterm.mod\n^\n";
    assert_eq!(
        parse_nocmodl_output(unterminated),
        vec![message(
            Error,
            Some("unterm.mod"),
            Some(4),
            None,
            "VERBATIMblock goes to end of file",
            &[]
        )]
    );
    let net_send = "Translating netsend.mod into out/netsend.cpp\n\
                        Error: can't use net_send if there is no NET_RECEIVE block at line 4 in file netsend.mod\n^\n";
    let messages = parse_nocmodl_output(net_send);
    assert_eq!((messages[0].line, messages[0].column), (Some(4), None));
}

#[test]
fn explaining_lines_before_an_error_become_its_details() {
    let both = "Translating both.mod into out/both.cpp\nf is a ASSIGNED\nf is a FUNCTION\n\
                    Error: f used as both variable and function at line 4 in file both.mod\n^\n";
    assert_eq!(
        parse_nocmodl_output(both),
        vec![message(
            Error,
            Some("both.mod"),
            Some(4),
            None,
            "f used as both variable and function",
            &["f is a ASSIGNED", "f is a FUNCTION"],
        )]
    );
    let units = "Translating unitbad.mod into out/unitbad.cpp\nNeed declaration in UNITS block of the form:\n\
                     \t(blorgon)\t(units)\n\
                     Error: Cannot recognize the units: blorgon at line 2 in file unitbad.mod\n\
                     UNITS { (zz) = (blorgon) }\n                       ^\n";
    assert_eq!(
        parse_nocmodl_output(units),
        vec![message(
            Error,
            Some("unitbad.mod"),
            Some(2),
            Some(24),
            "Cannot recognize the units: blorgon",
            &[
                "Need declaration in UNITS block of the form:",
                "\t(blorgon)\t(units)",
                "UNITS { (zz) = (blorgon) }",
                "                       ^"
            ],
        )]
    );
}

#[test]
fn missing_include_is_an_unlocated_error() {
    let output = "Translating inc.mod into out/inc.cpp\nCouldn't open: missing.inc\nError: Couldn't open missing.inc\n";
    assert_eq!(
        parse_nocmodl_output(output),
        vec![message(
            Error,
            None,
            None,
            None,
            "Couldn't open missing.inc",
            &["Couldn't open: missing.inc"]
        )]
    );
}

#[test]
fn error_in_included_file_names_that_file() {
    let output = "Translating incerr.mod into out/incerr.cpp\nINCLUDEing incd/broken.inc\nsyntax error:\n \
                      Illegal expression:\n Illegal statement:\n \
                      Error: Illegal block at line 3 in file incd/broken.inc\n  z = = 1\n       ^\n";
    let messages = parse_nocmodl_output(output);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].file.as_deref(), Some("incd/broken.inc"));
    assert_eq!((messages[0].line, messages[0].column), (Some(3), Some(8)));
}

#[test]
fn non_ascii_character_is_placed_on_its_line_and_column() {
    // `  x = 1 : café` is line 4; nocmodl says line 3 and prints a caret thousands of columns away.
    let output = format!(
            "Translating nonascii.mod into out/nonascii.cpp\nError: Non-Ascii character in file:  x = 1 : caf\n \
             at line 3 in file nonascii.mod\n  x = 1 : caf\n{}^\n",
            " ".repeat(8204)
        );
    assert_eq!(
        parse_nocmodl_output(&output),
        vec![message(
            Error,
            Some("nonascii.mod"),
            Some(4),
            Some(14),
            "Non-Ascii character in file:  x = 1 : caf",
            &["  x = 1 : caf"],
        )]
    );
    // On the first line nocmodl says line 0, and prints no caret at all.
    let first_line = "Translating na1.mod into out/na1.cpp\nError: Non-Ascii character in file:NEURON { SUFFIX na1 } : \n \
                          at line 0 in file na1.mod\nNEURON { SUFFIX na1 } : \n\n";
    let messages = parse_nocmodl_output(first_line);
    assert_eq!(messages.len(), 1);
    assert_eq!((messages[0].line, messages[0].column), (Some(1), Some(25)));
    assert_eq!(messages[0].details, vec!["NEURON { SUFFIX na1 } : "]);
}

#[test]
fn line_too_long_is_placed_on_its_line() {
    let long_line = format!("BREAKPOINT {{ x = 1 {}", "+ 1 ".repeat(300));
    let kept: String = long_line.chars().take(511).collect();
    // The message quotes the first 511 characters; the echo is the same text without a line end.
    let output = format!(
            "Translating longl.mod into out/longl.cpp\nError: Line too long:{kept} at line 2 in file longl.mod\n{kept}\n"
        );
    let messages = parse_nocmodl_output(&output);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].line, Some(3));
    assert_eq!(messages[0].column, None);
    assert_eq!(messages[0].details, vec![kept]);
}

#[test]
fn unlocated_warnings_notices_and_progress_lines() {
    let undeclared = "Translating undecl.mod into out/undecl.cpp\nWarning: y undefined. (declared within VERBATIM?)\n\
                          Thread Safe\n";
    assert_eq!(
        parse_nocmodl_output(undeclared),
        vec![message(
            Warning,
            None,
            None,
            None,
            "y undefined. (declared within VERBATIM?)",
            &[]
        )]
    );
    let state_assigned = "Translating stateassign.mod into out/stateassign.cpp\n\
                              WARNING: s (a STATE) is assigned a value in a DERIVATIVE block.\n \
                              Multistep integrators (such as Runge) may not work correctly.\nThread Safe\n";
    assert_eq!(
        parse_nocmodl_output(state_assigned),
        vec![message(
            Warning,
            None,
            None,
            None,
            "s (a STATE) is assigned a value in a DERIVATIVE block.",
            &[" Multistep integrators (such as Runge) may not work correctly."],
        )]
    );
    let notices =
        "Translating discrete.mod into out/discrete.cpp\nNotice: LINEAR is not thread safe.\n\
                       Notice: This mechanism cannot be used with CVODE\n";
    assert_eq!(
        parse_nocmodl_output(notices),
        vec![
            message(Note, None, None, None, "LINEAR is not thread safe.", &[]),
            message(
                Note,
                None,
                None,
                None,
                "This mechanism cannot be used with CVODE",
                &[]
            ),
        ]
    );
    let clean = "Translating good.mod into out/good.cpp\nThread Safe\n";
    assert_eq!(parse_nocmodl_output(clean), vec![]);
}

#[test]
fn glued_thread_safe_is_cut_off() {
    let output = "Translating indep.mod into out/indep.cpp\n\
                      WARNING: 'y' cannot be used as an independent variable, only 't' is allowed.Thread Safe\n";
    assert_eq!(
        parse_nocmodl_output(output),
        vec![message(
            Warning,
            None,
            None,
            None,
            "'y' cannot be used as an independent variable, only 't' is allowed.",
            &[]
        )]
    );
}

#[test]
fn stdout_lines_in_either_order() {
    // `Warning: Default …` goes to stdout, the rest to stderr.
    for output in [
        "Warning: Default 22 of PARAMETER celsius will be ignored and set by NEURON.\n\
             Translating celsius.mod into out/celsius.cpp\nThread Safe\n",
        "Translating celsius.mod into out/celsius.cpp\nThread Safe\n\
             Warning: Default 22 of PARAMETER celsius will be ignored and set by NEURON.\n",
    ] {
        assert_eq!(
            parse_nocmodl_output(output),
            vec![message(
                Warning,
                None,
                None,
                None,
                "Default 22 of PARAMETER celsius will be ignored and set by NEURON.",
                &[]
            )]
        );
    }
    // The units redefinition lines go to stdout, the error to stderr.
    let stdout = "Redefinition of units (mV) to:\t1 m2-kg/sec2-coul\n is ignored.\nThey remain:\t0.001 m2-kg/sec2-coul\n";
    let stderr = "Translating unitsdup.mod into out/unitsdup.cpp\n\
                      Error: Units redefinition at line 2 in file unitsdup.mod\n\
                      UNITS { (mV) = (millivolt) (mV) = (volt) }\n                                       ^\n";
    for output in [format!("{stdout}{stderr}"), format!("{stderr}{stdout}")] {
        let messages = parse_nocmodl_output(&output);
        let error = first_error(&messages).expect("an error");
        assert_eq!(error.message, "Units redefinition");
        assert_eq!((error.line, error.column), (Some(2), Some(40)));
        let all_text: Vec<&str> = messages
            .iter()
            .flat_map(|message| {
                std::iter::once(message.message.as_str())
                    .chain(message.details.iter().map(String::as_str))
            })
            .collect();
        assert!(all_text
            .iter()
            .any(|text| text.contains("Redefinition of units (mV)")));
        assert!(all_text.iter().any(|text| text.contains("They remain:")));
    }
}

#[test]
fn failures_without_a_location() {
    let assertion = "Translating functwice.mod into out/functwice.cpp\n\
                         nocmodl: /project/src/nocmodl/nocpout.cpp:3338: void set_inside_func(Symbol*): Assertion `funcs.count(s) == 0' failed.\n";
    assert_eq!(
            parse_nocmodl_output(assertion),
            vec![message(
                Error,
                None,
                None,
                None,
                "nocmodl: /project/src/nocmodl/nocpout.cpp:3338: void set_inside_func(Symbol*): Assertion `funcs.count(s) == 0' failed.",
                &[]
            )]
        );
    let missing_input = "Error: Can't open input file: nothere.mod.mod\n";
    assert_eq!(
        parse_nocmodl_output(missing_input),
        vec![message(
            Error,
            None,
            None,
            None,
            "Can't open input file: nothere.mod.mod",
            &[]
        )]
    );
    let output_directory = "Can't create output directory /proc/nope\n";
    assert_eq!(
        parse_nocmodl_output(output_directory),
        vec![message(
            Error,
            None,
            None,
            None,
            "Can't create output directory /proc/nope",
            &[]
        )]
    );
    // Forms described by the brief, not reproduced with 9.0.2.
    assert_eq!(
        parse_nocmodl_output("mod file error: something broke\n"),
        vec![message(
            Error,
            None,
            None,
            None,
            "mod file error: something broke",
            &[]
        )]
    );
    assert_eq!(
        parse_nocmodl_output("Error at section location soma(0.5)\n"),
        vec![message(
            Error,
            None,
            None,
            None,
            "Error at section location soma(0.5)",
            &[]
        )]
    );
}

#[test]
fn unprefixed_trailing_lines_become_a_warning() {
    let output = "Translating arrderiv.mod into out/arrderiv.cpp\nThread Safe\n\
                      Derivatives of STATE array variables are not translated correctly and compile time errors will be generated.\n\
                      The arrderiv.cpp file may be manually edited to fix these errors.\n";
    assert_eq!(
            parse_nocmodl_output(output),
            vec![message(
                Warning,
                None,
                None,
                None,
                "Derivatives of STATE array variables are not translated correctly and compile time errors will be generated.",
                &["The arrderiv.cpp file may be manually edited to fix these errors."],
            )]
        );
}

#[test]
fn unprefixed_located_message_is_an_error() {
    let output = "y is not declared at line 7 in file x.mod\n  y = 1\n    ^\n";
    assert_eq!(
        parse_nocmodl_output(output),
        vec![message(
            Error,
            Some("x.mod"),
            Some(7),
            Some(5),
            "y is not declared",
            &["  y = 1", "    ^"]
        )]
    );
}

// ---- The compiler: outputs captured from g++ 12.2 (Debian), unless said otherwise. ----

/// `g++ -Wall -c a.cpp`, with a header that uses an undeclared name.
const GCC_SAMPLE: &str = "In file included from a.cpp:1:
helper.h: In function ‘int helper(int)’:
helper.h:3:16: error: ‘undeclared_in_header’ was not declared in this scope
    3 |     return x + undeclared_in_header;
      |                ^~~~~~~~~~~~~~~~~~~~
a.cpp: In function ‘int main()’:
a.cpp:9:16: error: no matching function for call to ‘push_back(const char [4])’
    9 |     v.push_back(\"str\");
      |     ~~~~~~~~~~~^~~~~~~
In file included from /usr/include/c++/12/vector:64,
                 from a.cpp:2:
/usr/include/c++/12/bits/stl_vector.h:1276:7: note: candidate: ‘void std::vector<_Tp, _Alloc>::push_back(const value_type&) [with _Tp = int; _Alloc = std::allocator<int>; value_type = int]’ (near match)
 1276 |       push_back(const value_type& __x)
      |       ^~~~~~~~~
/usr/include/c++/12/bits/stl_vector.h:1276:7: note:   conversion of argument 1 would be ill-formed:
a.cpp:9:17: error: invalid conversion from ‘const char*’ to ‘std::vector<int>::value_type’ {aka ‘int’} [-fpermissive]
    9 |     v.push_back(\"str\");
      |                 ^~~~~
      |                 |
      |                 const char*
a.cpp:12:21: error: expected ‘;’ before ‘}’ token
   12 |     return helper(1)
      |                     ^
      |                     ;
   13 | }
      | ~                    
a.cpp:7:9: warning: unused variable ‘unused’ [-Wunused-variable]
    7 |     int unused = 3;
      |         ^~~~~~
a.cpp: In instantiation of ‘T twice(T) [with T = std::__cxx11::basic_string<char>]’:
a.cpp:10:26:   required from here
a.cpp:5:47: error: no match for ‘operator*’ (operand types are ‘std::__cxx11::basic_string<char>’ and ‘int’)
    5 | template <typename T> T twice(T x) { return x * 2; }
      |                                             ~~^~~
";

#[test]
fn gcc_messages_with_context_and_gutters() {
    let messages = parse_compiler_output(GCC_SAMPLE);
    let summary: Vec<(ToolSeverity, &str, Option<u32>, Option<u32>)> = messages
        .iter()
        .map(|message| {
            (
                message.severity,
                message.file.as_deref().unwrap_or(""),
                message.line,
                message.column,
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (Error, "helper.h", Some(3), Some(16)),
            (Error, "a.cpp", Some(9), Some(16)),
            (
                Note,
                "/usr/include/c++/12/bits/stl_vector.h",
                Some(1276),
                Some(7)
            ),
            (
                Note,
                "/usr/include/c++/12/bits/stl_vector.h",
                Some(1276),
                Some(7)
            ),
            (Error, "a.cpp", Some(9), Some(17)),
            (Error, "a.cpp", Some(12), Some(21)),
            (Warning, "a.cpp", Some(7), Some(9)),
            (Error, "a.cpp", Some(5), Some(47)),
        ]
    );
    assert_eq!(
        messages[0],
        message(
            Error,
            Some("helper.h"),
            Some(3),
            Some(16),
            "‘undeclared_in_header’ was not declared in this scope",
            &[
                "In file included from a.cpp:1:",
                "helper.h: In function ‘int helper(int)’:",
                "    3 |     return x + undeclared_in_header;",
                "      |                ^~~~~~~~~~~~~~~~~~~~",
            ],
        )
    );
    assert_eq!(
        messages[2].details[..2],
        [
            "In file included from /usr/include/c++/12/vector:64,",
            "                 from a.cpp:2:"
        ]
    );
    assert_eq!(
        messages[3].message,
        "conversion of argument 1 would be ill-formed:"
    );
    assert_eq!(messages[5].message, "expected ‘;’ before ‘}’ token");
    assert_eq!(messages[5].details.len(), 5);
    assert_eq!(
        messages[6].message,
        "unused variable ‘unused’ [-Wunused-variable]"
    );
    assert_eq!(
        messages[7].details[..2],
        [
            "a.cpp: In instantiation of ‘T twice(T) [with T = std::__cxx11::basic_string<char>]’:",
            "a.cpp:10:26:   required from here"
        ]
    );
}

#[test]
fn gcc_fatal_errors_and_trailers() {
    let missing_header = "b.cpp:1:10: fatal error: nonexist.h: No such file or directory
    1 | #include \"nonexist.h\"
      |          ^~~~~~~~~~~~
compilation terminated.
";
    assert_eq!(
        parse_compiler_output(missing_header),
        vec![message(
            Error,
            Some("b.cpp"),
            Some(1),
            Some(10),
            "nonexist.h: No such file or directory",
            &[
                "    1 | #include \"nonexist.h\"",
                "      |          ^~~~~~~~~~~~",
                "compilation terminated."
            ],
        )]
    );
    // `g++ -fno-diagnostics-show-caret -fno-show-column -c b.cpp`
    let without_column =
        "b.cpp:1: fatal error: nonexist.h: No such file or directory\ncompilation terminated.\n";
    let messages = parse_compiler_output(without_column);
    assert_eq!((messages[0].line, messages[0].column), (Some(1), None));
    // `g++ -c missing.cpp`
    assert_eq!(
            parse_compiler_output("cc1plus: fatal error: missing.cpp: No such file or directory\ncompilation terminated.\n"),
            vec![message(
                Error,
                None,
                None,
                None,
                "cc1plus: missing.cpp: No such file or directory",
                &["compilation terminated."]
            )]
        );
    // `g++ -std=c++99 -c c.cpp`
    assert_eq!(
            parse_compiler_output("g++: error: unrecognized command-line option ‘-std=c++99’; did you mean ‘-std=c++98’?\n"),
            vec![message(
                Error,
                None,
                None,
                None,
                "g++: unrecognized command-line option ‘-std=c++99’; did you mean ‘-std=c++98’?",
                &[]
            )]
        );
}

#[test]
fn gcc_werror_trailer_stays_with_its_message() {
    // `g++ -Wall -Werror -O2 -c d.cpp`
    let output = "d.cpp: In function ‘int main()’:
d.cpp:1:27: error: ‘x’ is used uninitialized [-Werror=uninitialized]
    1 | int main(){ int x; return x; }
      |                           ^
d.cpp:1:17: note: ‘x’ was declared here
    1 | int main(){ int x; return x; }
      |                 ^
cc1plus: all warnings being treated as errors
";
    let messages = parse_compiler_output(output);
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].details[0], "d.cpp: In function ‘int main()’:");
    assert_eq!(messages[1].severity, Note);
    assert_eq!(
        messages[1].details.last().map(String::as_str),
        Some("cc1plus: all warnings being treated as errors")
    );
}

#[test]
fn linker_errors_have_no_line() {
    // `g++ c.cpp -o c`, where `g()` is declared and never defined.
    let output = "/usr/bin/ld: /tmp/cchQIff0.o: in function `main':
c.cpp:(.text+0x5): undefined reference to `g()'
collect2: error: ld returned 1 exit status
";
    assert_eq!(
        parse_compiler_output(output),
        vec![
            message(
                Error,
                None,
                None,
                None,
                "c.cpp:(.text+0x5): undefined reference to `g()'",
                &["/usr/bin/ld: /tmp/cchQIff0.o: in function `main':"]
            ),
            message(
                Error,
                None,
                None,
                None,
                "collect2: ld returned 1 exit status",
                &[]
            ),
        ]
    );
    let cannot_find = "/usr/bin/ld: cannot find -lfoo: No such file or directory\n";
    assert_eq!(
        parse_compiler_output(cannot_find),
        vec![message(
            Error,
            None,
            None,
            None,
            "/usr/bin/ld: cannot find -lfoo: No such file or directory",
            &[]
        )]
    );
}

#[test]
fn clang_and_windows_forms() {
    // Written in Clang's format (Clang is not installed here): no gutter, byte columns, a summary line.
    let clang = "In file included from x.cpp:1:
./h.h:2:5: error: use of undeclared identifier 'zz'
    zz = 1;
    ^
x.cpp:4:10: warning: unused variable 'k' [-Wunused-variable]
  int k = 0;
      ^
x.cpp:4:3: note: previous definition is here
1 warning and 1 error generated.
clang: error: linker command failed with exit code 1 (use -v to see invocation)
";
    let messages = parse_compiler_output(clang);
    assert_eq!(messages.len(), 4);
    assert_eq!(
        messages[0],
        message(
            Error,
            Some("./h.h"),
            Some(2),
            Some(5),
            "use of undeclared identifier 'zz'",
            &["In file included from x.cpp:1:", "    zz = 1;", "    ^"]
        )
    );
    assert_eq!(
        messages[2].details,
        vec!["1 warning and 1 error generated."]
    );
    assert_eq!(
        messages[3].message,
        "clang: linker command failed with exit code 1 (use -v to see invocation)"
    );
    let windows = "C:\\work\\x.cpp:3:4: error: expected ';'\n";
    assert_eq!(
        parse_compiler_output(windows),
        vec![message(
            Error,
            Some("C:\\work\\x.cpp"),
            Some(3),
            Some(4),
            "expected ';'",
            &[]
        )]
    );
}

// ---- VERBATIM mapping. ----

/// The generated text with `excerpt` starting at line `first_line`, earlier lines empty.
fn generated_from(first_line: usize, excerpt: &str) -> String {
    format!("{}{excerpt}", "\n".repeat(first_line - 1))
}

#[test]
fn compiler_error_in_verbatim_block_lands_on_the_mod_line() {
    // leak.mod, translated by nocmodl of NEURON 9.0.2 and compiled by g++ 12 (lines 214–250 of leak.cpp).
    let mod_source = "NEURON { SUFFIX leak NONSPECIFIC_CURRENT i }
PARAMETER { g = 0.001 (S/cm2) e = -65 (mV) }
ASSIGNED { v (mV) i (mA/cm2) }
VERBATIM
static double scale(double x) {
\treturn x * factor;   /* factor is undeclared */
}
ENDVERBATIM
BREAKPOINT {
  i = g*(v - e)
VERBATIM
\ti = scale(i)
ENDVERBATIM
}
";
    let excerpt = "static int _match_recurse=1;
static void _modl_cleanup(){ _match_recurse=1;}
 
/*VERBATIM*/
static double scale(double x) {
\treturn x * factor;   /* factor is undeclared */
}

static void initmodel() {
  int _i; double _save;_ninits++;
{

}
}

static void nrn_init(_nrn_model_sorted_token const& _sorted_token, NrnThread* _nt, Memb_list* _ml_arg, int _type){
Node *_nd; double _v; int* _ni; int _cntml;
_nrn_mechanism_cache_range _lmr{_sorted_token, *_nt, *_ml_arg, _type};
auto* const _vec_v = _nt->node_voltage_storage();
_ml = &_lmr;
_ni = _ml_arg->_nodeindices;
_cntml = _ml_arg->_nodecount;
for (_iml = 0; _iml < _cntml; ++_iml) {
 _ppvar = _ml_arg->_pdata[_iml];
   _v = _vec_v[_ni[_iml]];
 v = _v;
 initmodel();
}}

static double _nrn_current(double _v){double _current=0.;v=_v;{ {
   i = g * ( v - e ) ;
   
/*VERBATIM*/
\ti = scale(i)
 }
 _current += i;
";
    let compiler_output = "leak.cpp: In function ‘double scale(double)’:
leak.cpp:219:20: error: ‘factor’ was not declared in this scope
  219 |         return x * factor;   /* factor is undeclared */
      |                    ^~~~~~
leak.cpp: In function ‘double _nrn_current__leak(double)’:
leak.cpp:247:21: error: expected ‘;’ before ‘}’ token
  247 |         i = scale(i)
      |                     ^
      |                     ;
  248 |  }
      |  ~                   
";
    // The blocks as glia's syntax tree gives them: the text right after the `VERBATIM` keyword.
    let after_keyword = |keyword_line: usize| {
        let start = mod_source
            .match_indices("VERBATIM\n")
            .map(|(offset, _)| offset)
            .find(|&offset| mod_source[..offset].matches('\n').count() + 1 == keyword_line)
            .expect("a VERBATIM keyword");
        let content_start = start + "VERBATIM".len();
        let end = mod_source[content_start..]
            .find("ENDVERBATIM")
            .expect("a terminator")
            + content_start;
        &mod_source[content_start..end]
    };
    let blocks = [(4, after_keyword(4)), (11, after_keyword(11))];
    let map = GeneratedLineMap::new(&blocks, &generated_from(214, excerpt));
    let messages = parse_compiler_output(compiler_output);
    assert_eq!(messages.len(), 2);
    let placed: Vec<(Option<u32>, Option<u32>)> = messages
        .iter()
        .map(|message| {
            let line = message.line.expect("a line");
            let column = message.column.expect("a column");
            (
                map.mod_line(line),
                map.mod_column(line, column, CompilerColumnUnit::GCC),
            )
        })
        .collect();
    // `factor` is the 13th character of `\treturn x * factor;`; the missing `;` goes after `\ti = scale(i)`.
    assert_eq!(placed, vec![(Some(6), Some(13)), (Some(12), Some(14))]);
    // The same blocks given from the line after the keyword map the same way.
    let blocks = [(5, &after_keyword(4)[1..]), (12, &after_keyword(11)[1..])];
    let map = GeneratedLineMap::new(&blocks, &generated_from(214, excerpt));
    assert_eq!(
        (map.mod_line(218), map.mod_line(219), map.mod_line(220)),
        (Some(5), Some(6), Some(7))
    );
    assert_eq!(
        (
            map.mod_line(217),
            map.mod_line(221),
            map.mod_line(247),
            map.mod_line(248)
        ),
        (None, None, Some(12), None)
    );
}

#[test]
fn verbatim_edge_cases_as_nocmodl_copies_them() {
    // vedge.mod: the rest of the VERBATIM line, blank lines and trailing spaces, a CRLF block, and blocks that
    // nocmodl emits out of source order (NET_RECEIVE before INITIAL). Lines 236–266 of the generated C++.
    let excerpt = "static int _match_recurse=1;
static void _modl_cleanup(){ _match_recurse=1;}
 
/*VERBATIM*/
/* rest of line */

static int k = 1;   

  int j = 2;
 
static void _net_receive (Point_process* _pnt, double* _args, double _lflag) 
{   neuron::legacy::set_globals_from_prop(_pnt->_prop, _ml_real, _ml, _iml);
    _ppvar = _nrn_mechanism_access_dparam(_pnt->_prop);
  if (_tsav > t){ hoc_execerror(hoc_object_name(_pnt->ob), \":Event arrived out of order. Must call ParallelContext.set_maxstep AFTER assigning minimum NetCon.delay\");}
 _tsav = t; {
   
/*VERBATIM*/
  k = 4;
 } }

static void initmodel() {
  int _i; double _save;_ninits++;
{
 {
   
/*VERBATIM*/
  k = 3;
 }

}
}
";
    let generated = generated_from(236, excerpt);
    let blocks = [
        // `VERBATIM /* rest of line */` on line 3, then a blank line, `static int k = 1;   `, a blank, `  int j = 2;`.
        (
            3,
            " /* rest of line */\n\nstatic int k = 1;   \n\n  int j = 2;\n",
        ),
        // INITIAL's block, in a CRLF part of the file: `VERBATIM\r\n  k = 3;\r\nENDVERBATIM`.
        (10, "\r\n  k = 3;\r\n"),
        // NET_RECEIVE's block.
        (15, "\n  k = 4;\n"),
    ];
    let map = GeneratedLineMap::new(&blocks, &generated);
    let mapped: Vec<(u32, u32)> = (1..=270)
        .filter_map(|line| map.mod_line(line).map(|mod_line| (line, mod_line)))
        .collect();
    assert_eq!(
        mapped,
        vec![
            (240, 3),
            (241, 4),
            (242, 5),
            (243, 6),
            (244, 7),
            (253, 16),
            (262, 11)
        ]
    );
    // The first line lost a blank (and the `VERBATIM` keyword is before it on the mod line): no column.
    assert_eq!(map.mod_column(240, 1, CompilerColumnUnit::GCC), None);
    assert_eq!(map.mod_column(244, 3, CompilerColumnUnit::GCC), Some(3));
    assert_eq!(map.mod_column(236, 1, CompilerColumnUnit::GCC), None);
}

#[test]
fn leading_blank_lines_of_a_block() {
    // vblank.mod: `VERBATIM   ` then two blank lines, `  static int a;`, two blank lines.
    let excerpt = "static void _modl_cleanup(){ _match_recurse=1;}\n \n/*VERBATIM*/\n  \n\n\n  static int a;\n\n\n\n";
    let generated = generated_from(205, excerpt);
    let map = GeneratedLineMap::new(&[(3, "   \n\n\n  static int a;\n\n\n")], &generated);
    assert_eq!(map.mod_line(211), Some(6));
    assert_eq!((map.mod_line(208), map.mod_line(212)), (None, None));
}

#[test]
fn identical_blocks_map_to_their_copies_in_order() {
    let generated = "int f() {\n/*VERBATIM*/\n  return 0;\n}\nint g() {\n/*VERBATIM*/\n  return 0;\n}\nreturn 0;\n";
    let map = GeneratedLineMap::new(&[(10, "  return 0;\n"), (20, "  return 0;\n")], generated);
    assert_eq!(
        (map.mod_line(3), map.mod_line(7), map.mod_line(9)),
        (Some(10), Some(20), None)
    );
    // One block copied twice maps both copies.
    let map = GeneratedLineMap::new(&[(10, "  return 0;\n")], generated);
    assert_eq!((map.mod_line(3), map.mod_line(7)), (Some(10), Some(10)));
}

#[test]
fn reindented_block_matches_ignoring_blanks() {
    let generated = "/*VERBATIM*/\n    a = 1;\n    b = 2;\n";
    let map = GeneratedLineMap::new(&[(7, "a = 1;\n\tb = 2;\n")], generated);
    assert_eq!((map.mod_line(2), map.mod_line(3)), (Some(7), Some(8)));
    // `b` is the 5th generated character, the 2nd of `\tb = 2;`.
    assert_eq!(map.mod_column(3, 5, CompilerColumnUnit::Character), Some(2));
    // The first line could be the rest of the `VERBATIM` line: no column.
    assert_eq!(map.mod_column(2, 5, CompilerColumnUnit::Character), None);
}

#[test]
fn block_not_found_maps_nothing() {
    let generated = "/*VERBATIM*/\nint x;\n";
    let map = GeneratedLineMap::new(&[(3, "int y;\n"), (9, "\n\n"), (12, "")], generated);
    assert_eq!(
        (map.mod_line(1), map.mod_line(2), map.mod_line(3)),
        (None, None, None)
    );
    // Without a marker, a found block still counts.
    let map = GeneratedLineMap::new(&[(3, "int x;\n")], "int x;\n");
    assert_eq!(map.mod_line(1), Some(3));
}

#[test]
fn line_directives_are_honoured() {
    let generated = "int a;\n#line 12 \"x.mod\"\nfoo();\nbar();\n#line 5 \"x.cpp\"\nbaz();\n# 40 \"X.MOD\" 2\nqux();\n#line 7\nquux();\n";
    let map = GeneratedLineMap::new(&[(99, "baz();\n")], generated);
    let mapped: Vec<Option<u32>> = (1..=10).map(|line| map.mod_line(line)).collect();
    assert_eq!(
        mapped,
        vec![
            None,
            None,
            Some(12),
            Some(13),
            None,
            Some(99),
            None,
            Some(40),
            None,
            Some(7)
        ]
    );
    assert_eq!(map.mod_column(3, 1, CompilerColumnUnit::GCC), None);
}

#[test]
fn columns_in_each_unit() {
    let line = "\tint y = \u{e9}t\u{e9} + zz;";
    // g++ 12 on this line: `été` at display column 17, `zz` at 23.
    assert_eq!(
        character_column(line, 17, CompilerColumnUnit::GCC),
        Some(10)
    );
    assert_eq!(
        character_column(line, 23, CompilerColumnUnit::GCC),
        Some(16)
    );
    // Clang's byte columns: `zz` is at byte 18.
    assert_eq!(
        character_column(line, 18, CompilerColumnUnit::CLANG),
        Some(16)
    );
    assert_eq!(
        character_column(line, 16, CompilerColumnUnit::Character),
        Some(16)
    );
    // Past the end of the line, and column 0.
    assert_eq!(character_column("ab", 5, CompilerColumnUnit::GCC), Some(5));
    assert_eq!(
        character_column("ab", 5, CompilerColumnUnit::CLANG),
        Some(5)
    );
    assert_eq!(character_column("ab", 0, CompilerColumnUnit::GCC), None);
    // Wide characters count 2 display columns.
    assert_eq!(
        character_column("\u{4e2d}\u{6587}x", 5, CompilerColumnUnit::GCC),
        Some(3)
    );
    assert_eq!(
        character_column("\tx", 3, CompilerColumnUnit::Display { tab_stop: 0 }),
        Some(3)
    );
}

// ---- Nothing panics. ----

const ODD_INPUTS: &[&str] = &[
    "",
    "\n",
    "\r",
    "\r\r\n\n",
    "at line",
    "at line ",
    " at line 4 in file",
    "at line 4 in file ",
    "at line 0 in file x.mod\n^",
    "Error: x at line 99999999999999999999999 in file y.mod\n",
    "Error: x at line 4294967295 in file y.mod\n  a\n ^\n",
    "Error: Non-Ascii character in file: at line 4294967295 in file y.mod\n",
    "Error: Line too long: at line 4294967295 in file z.mod",
    "syntax error:",
    "syntax error:\n Illegal:\n",
    "syntax error:\n :\n at line 3 in file q.mod\n",
    "^",
    "^^^",
    "   ^   ",
    "Error:",
    "error:",
    "::::",
    ": : : error: ",
    "a.cpp:99999999999999999999:1: error: x",
    "a.cpp:1:99999999999999999999: error: x",
    "a.cpp:0:0: error: x",
    "a.cpp:1:",
    "a.cpp:1:2:",
    ":1:2: error: x",
    "In file included from",
    "                 from x:",
    "    |",
    " 12 |",
    "Thread Safe",
    "Thread SafeThread Safe",
    "Translating  into ",
    "caf\u{e9} \u{4e2d}\u{6587} at line 3 in file \u{e9}.mod\n\u{e9}\u{e9}\n  ^\n",
    "\u{e9}: error: \u{e9}",
    "\u{e9}:1:\u{e9}: warning: x",
    "#line",
    "#line 99999999999999999999 \"x.mod\"\nx\n",
    "#line 4294967295 \"x.mod\"\nx\ny\n",
    "# 1 \"unterminated",
    "/*VERBATIM*/",
];

#[test]
fn odd_inputs_never_panic() {
    for input in ODD_INPUTS {
        let _ = parse_nocmodl_output(input);
        let _ = parse_compiler_output(input);
        for start_line in [0, 1, u32::MAX - 1, u32::MAX] {
            let map = GeneratedLineMap::new(&[(start_line, input), (start_line, "x\ny")], input);
            for line in [0, 1, 2, 3, u32::MAX] {
                let _ = map.mod_line(line);
                for unit in [
                    CompilerColumnUnit::GCC,
                    CompilerColumnUnit::CLANG,
                    CompilerColumnUnit::Character,
                ] {
                    let _ = map.mod_column(line, 0, unit);
                    let _ = map.mod_column(line, u32::MAX, unit);
                }
            }
        }
        for unit in [
            CompilerColumnUnit::GCC,
            CompilerColumnUnit::CLANG,
            CompilerColumnUnit::Character,
        ] {
            let _ = character_column(input, u32::MAX, unit);
            let _ = character_column(input, 3, unit);
        }
    }
    assert_eq!(parse_nocmodl_output(""), vec![]);
    assert_eq!(parse_compiler_output(""), vec![]);
    // A line number that does not fit is no location: the text is kept whole.
    let huge = parse_nocmodl_output("Error: x at line 99999999999999999999999 in file y.mod\n");
    assert_eq!(huge.len(), 1);
    assert_eq!(huge[0].line, None);
    assert_eq!(
        huge[0].message,
        "x at line 99999999999999999999999 in file y.mod"
    );
    let huge = parse_compiler_output("a.cpp:99999999999999999999:1: error: x");
    assert_eq!((huge[0].line, huge[0].column), (None, None));
    assert_eq!(first_error(&[]), None);
}

#[test]
fn text_is_never_lost() {
    let odd = "some unknown line\n  indented\nError at section location\n";
    let messages = parse_nocmodl_output(odd);
    let text: Vec<&str> = messages
        .iter()
        .flat_map(|message| {
            std::iter::once(message.message.as_str())
                .chain(message.details.iter().map(String::as_str))
        })
        .collect();
    assert_eq!(
        text,
        vec![
            "Error at section location",
            "some unknown line",
            "  indented"
        ]
    );
    let compiler = "make: Entering directory '/x'\n";
    assert_eq!(
        parse_compiler_output(compiler),
        vec![message(
            Note,
            None,
            None,
            None,
            "make: Entering directory '/x'",
            &[]
        )]
    );
}

mod properties {
    use super::super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn arbitrary_text_never_panics(
            text in "(\\PC|[\\n\\r\\t ^:|#\"]|at line |Error: | in file |syntax error:|[0-9]{1,12}){0,40}",
            start_line in any::<u32>(),
            line in any::<u32>(),
            column in any::<u32>(),
        ) {
            let _ = parse_nocmodl_output(&text);
            let _ = parse_compiler_output(&text);
            let map = GeneratedLineMap::new(&[(start_line, text.as_str())], &text);
            let _ = map.mod_line(line);
            let _ = map.mod_column(line, column, CompilerColumnUnit::GCC);
            let _ = character_column(&text, column, CompilerColumnUnit::CLANG);
        }
    }
}

/// Captured from modcc 0.12.2 (colours included, as modcc writes them into a pipe).
#[test]
fn modcc_messages_are_located() {
    let output = "\u{1b}[1;31merror: \u{1b}[0m\u{1b}[1;37mbad.mod:(line 4,col 7) \u{1b}[0m\n  unexpected token '\u{1b}[1;33m=\u{1b}[0m' in expression\n";
    let messages = parse_modcc_output(output);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(messages[0].line, Some(4));
    assert_eq!(messages[0].column, Some(7));
    assert_eq!(messages[0].file.as_deref(), Some("bad.mod"));
    assert_eq!(messages[0].message, "unexpected token '=' in expression");

    let trace = "\u{1b}[1;31merror trace:\n\u{1b}[0m\u{1b}[1;31m  * \u{1b}[0m\u{1b}[1;37mvbad.mod:(line 2,col 12) \u{1b}[0mthe symbol '\u{1b}[1;33mv\u{1b}[0m' is defined as a builtin and cannot be used as an ASSIGNED here (line 2,col 12).\n";
    let messages = parse_modcc_output(trace);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!((messages[0].line, messages[0].column), (Some(2), Some(12)));
    assert!(messages[0]
        .message
        .starts_with("the symbol 'v' is defined as a builtin"));
    assert!(parse_modcc_output("").is_empty());
    assert_eq!(parse_modcc_output("something odd")[0].line, None);
    assert_eq!(
        parse_modcc_output("x.mod:(line 99999999999,col 1) big")[0].line,
        None
    );
}
