//! The messages of the two tools a build runs on a `.mod` file, parsed from their text output, and the lines of
//! the generated C++ traced back to the `.mod` source. Pure: no IO, no processes; the orchestrator runs NEURON's
//! `nocmodl` (X.mod → X.cpp) and then the C++ compiler (g++ or clang++ on X.cpp), and passes their output here.
//!
//! - [`parse_nocmodl_output`]: nocmodl's stdout and stderr, concatenated in either order;
//! - [`parse_compiler_output`]: GCC's or Clang's diagnostics, linker errors included;
//! - [`GeneratedLineMap`]: which lines of X.cpp nocmodl copied from a VERBATIM block, and from which `.mod` line,
//!   so that a C++ error in a VERBATIM block lands on the `.mod` line the author wrote.
//!
//! Nothing here panics, whatever the text; text that cannot be understood is kept (as a message without a line, or
//! as a detail of a neighbouring message), never dropped, except nocmodl's progress lines listed below.
//!
//! # What nocmodl writes (checked with nocmodl of NEURON 9.0.2)
//!
//! nocmodl writes almost everything to stderr; only `Warning: Default … of PARAMETER …` and the `Redefinition of
//! units` lines go to stdout, so their place in the concatenation depends on the caller. An error ends the run
//! (nocmodl exits at the first one), warnings and notices do not.
//!
//! - A located error, from nocmodl's `diag()`: the message, ` at line N in file F`, then the source line as nocmodl
//!   read it (tabs kept) and a caret line of spaces and tabs mirroring it, whose `^` marks the last character
//!   nocmodl had read when it gave up (often just after the offending token):
//!   ```text
//!   Error: Multiple declaration of a at line 3 in file dup.mod
//!   ASSIGNED { a }
//!                ^
//!   ```
//!   The column is the caret's 0-based position in characters, plus one (a tab counts as one character, as in the
//!   echoed line). `F` is the file as nocmodl opened it: the `.mod` file, or an `INCLUDE`d file.
//! - A syntax error: the parser's rules that failed, innermost first, then the located line; they become one
//!   message, `Illegal expression: Illegal statement: Illegal block`:
//!   ```text
//!   syntax error:
//!    Illegal expression:
//!    Illegal statement:
//!    Error: Illegal block at line 4 in file bad.mod
//!     x = = 3
//!          ^
//!   ```
//! - Errors found after the whole file was read (`can't use net_send if there is no NET_RECEIVE block`, `Method
//!   sparse can't be used with Block st`, `s is a STATE variable and hence cannot be declared as GLOBAL`), or at the
//!   end of the file (a missing `}`, `VERBATIMblock goes to end of file`): the line is the last one nocmodl read
//!   (the file's last line, or where the unterminated block began), the echoed line is empty and the caret line is
//!   a lone `^`. Such a message keeps nocmodl's line and has no column.
//! - Lines before an error that explain it (`f is a ASSIGNED` / `f is a FUNCTION` before `f used as both variable
//!   and function`; `Need declaration in UNITS block of the form:` / `\t(blorgon)\t(units)` before `Cannot recognize
//!   the units: blorgon`; `Couldn't open: missing.inc` before `Error: Couldn't open missing.inc`) become the first
//!   [`ToolMessage::details`] of the message that follows them.
//! - Two messages whose line nocmodl counts one short, because it reports them while reading the line: `Non-Ascii
//!   character in file:<the line up to that character>` (whose location comes on its own line, ` at line N in file
//!   F`, and can say `at line 0`) and `Line too long:<the first 511 characters>`. Their line is corrected to N + 1;
//!   the non-ASCII message gets the column of the offending character (its caret line is garbage and is dropped).
//! - Messages without a location: `Warning: y undefined. (declared within VERBATIM?)`, `Warning: Default 22 of
//!   PARAMETER celsius will be ignored and set by NEURON.`, `WARNING: s (a STATE) is assigned a value in a
//!   DERIVATIVE block.` (with an indented second line, kept as a detail), `Error: Couldn't open missing.inc`,
//!   `Error: Can't open input file: nothere.mod.mod`, an assertion failure (`nocmodl: /project/src/nocmodl/
//!   nocpout.cpp:3338: void set_inside_func(Symbol*): Assertion … failed.`, for a FUNCTION declared twice), other
//!   lines containing `error:` (`mod file error: …`) and lines starting with `Error` (`Error at section location
//!   …`). `Error:`, `Warning:`/`WARNING:` and `Notice:` prefixes are dropped from [`ToolMessage::message`], other
//!   lines are kept whole.
//! - `Notice: …` lines (`Notice: VERBATIM blocks are not thread safe`, `Notice: This mechanism cannot be used with
//!   CVODE`) become [`ToolSeverity::Note`] messages without a location.
//! - Unprefixed lines that no message follows (`Derivatives of STATE array variables are not translated correctly
//!   and compile time errors will be generated.`, `Can't create output directory /proc/nope`) become one message
//!   without a location: an error when the first line reads as a failure (`Can't`, `Cannot`, `Couldn't`, `Unable`,
//!   `Bad`, `Fatal`), else a warning.
//! - Progress lines are dropped: `Translating X.mod into OUT/X.cpp`, `Thread Safe` and `INCLUDEing F`. nocmodl
//!   sometimes glues `Thread Safe` to the end of the previous line (`WARNING: 'y' cannot be used as an independent
//!   variable, only 't' is allowed.Thread Safe`); it is cut off.
//! - A crash (a segmentation fault) prints nothing but the `Translating` line: no message at all. The caller must
//!   look at nocmodl's exit status as well.
//!
//! # What the C++ compiler writes (checked with g++ 12)
//!
//! `path:line:col: error: words` (also `fatal error`, `warning`, `note`, and Clang's `remark`), `path:line: error:
//! words` (`-fno-show-column`), and `program: error: words` (`g++: error: unrecognized command-line option …`,
//! `cc1plus: fatal error: missing.cpp: No such file or directory`, `collect2: error: ld returned 1 exit status`),
//! whose [`ToolMessage::file`] is `None` and whose message keeps the program's name. Lines that set the scene for
//! the next message (`In file included from a.cpp:1:` and its `                 from …` lines, `a.cpp: In function
//! ‘int main()’:`, `a.cpp: In instantiation of …:`, `a.cpp:10:26:   required from here`, the linker's ``/usr/bin/ld:
//! /tmp/x.o: in function `main':``) become its first details; the lines after a message (the source echo and caret
//! lines, with GCC's `NN |` gutter or without, fix-it lines, `compilation terminated.`, `cc1plus: all warnings being
//! treated as errors`, Clang's `1 error generated.`) are its details. A linker error (``x.cpp:(.text+0x5): undefined
//! reference to `g()'``, `/usr/bin/ld: cannot find -lfoo`) is an error without a line, whose message is the whole line.
//!
//! Columns are kept as the compiler counts them: GCC ≥ 10 counts display columns by default (a tab advances to the
//! next multiple of 8, a wide character counts 2: `\tint y = zz;` puts `zz` at column 17), Clang counts bytes. They
//! are characters only on ASCII lines without tabs; [`character_column`] and [`GeneratedLineMap::mod_column`]
//! convert them, given the line's text and a [`CompilerColumnUnit`].
//!
//! # How VERBATIM text appears in nocmodl's C++ (checked with nocmodl of NEURON 9.0.2)
//!
//! nocmodl writes no `#line` markers. Each VERBATIM block is copied once, where its code goes (a top-level block
//! near the start, a block inside a FUNCTION, BREAKPOINT, INITIAL or NET_RECEIVE inside the C++ function made from
//! it, so not in source order), on the lines after a `/*VERBATIM*/` line, line for line: indentation, tabs,
//! trailing spaces and blank lines are kept, a CRLF or lone CR line end becomes `\n`, and the rest of the
//! `ENDVERBATIM` line is dropped. The rest of the `VERBATIM` line itself is copied as the first line, less its
//! first character when that is a blank (`VERBATIM /* c */` gives `/* c */`, `VERBATIM   ` gives two spaces), and
//! not at all when it is empty. The whole `.mod` text is also embedded as C string literals
//! (`nmodl_file_text`), one quoted line each, which never match a copied line. [`GeneratedLineMap`] finds each
//! block's lines in the C++ text and still honours `#line N "X.mod"` markers, should a translator emit them.

use std::mem;

/// How serious a tool's message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToolSeverity {
    Error,
    Warning,
    /// A note, a notice or a remark: information attached to the build, never a failure.
    Note,
}

/// One message of nocmodl or of the C++ compiler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToolMessage {
    pub severity: ToolSeverity,
    /// The file the message is about, as the tool wrote it (relative or absolute); `None` when the tool named none,
    /// or named a program (`g++`, `collect2`) rather than a file.
    pub file: Option<String>,
    /// 1-based.
    pub line: Option<u32>,
    /// 1-based, in characters for nocmodl; as the compiler counts for the compiler (see the module documentation).
    pub column: Option<u32>,
    /// One line, the tool's words.
    pub message: String,
    /// Context and continuation lines, verbatim: what led to the message, then the lines printed after it.
    pub details: Vec<String>,
}

impl ToolMessage {
    fn without_location(severity: ToolSeverity, message: impl Into<String>) -> ToolMessage {
        ToolMessage {
            severity,
            file: None,
            line: None,
            column: None,
            message: message.into(),
            details: Vec::new(),
        }
    }
}

/// The first error among `messages`, if any.
pub fn first_error(messages: &[ToolMessage]) -> Option<&ToolMessage> {
    messages
        .iter()
        .find(|message| message.severity == ToolSeverity::Error)
}

/// The lines of `text`: a line ends at `\n`, `\r\n` or a lone `\r` (nocmodl reads all three as a line end); the
/// line ends are not part of the lines, and a final line end does not start an empty last line.
fn split_lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut line_start = 0;
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'\n' => {
                lines.push(&text[line_start..index]);
                index += 1;
                line_start = index;
            }
            b'\r' => {
                lines.push(&text[line_start..index]);
                index += if bytes.get(index + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                line_start = index;
            }
            _ => index += 1,
        }
    }
    if line_start < bytes.len() {
        lines.push(&text[line_start..]);
    }
    lines
}

/// `text` without `prefix`, compared ignoring ASCII case.
fn strip_prefix_ignoring_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Whether `lowercase_text` starts with `word` followed by something other than a letter or digit.
fn starts_with_word(lowercase_text: &str, word: &str) -> bool {
    lowercase_text.strip_prefix(word).is_some_and(|rest| {
        !rest
            .chars()
            .next()
            .is_some_and(|next| next.is_alphanumeric())
    })
}

/// The number of leading ASCII digits of `text`.
fn leading_digit_count(text: &str) -> usize {
    text.bytes().take_while(u8::is_ascii_digit).count()
}

/// A positive line or column number; `None` for 0 or a number too large.
fn positive_number(digits: &str) -> Option<u32> {
    digits.parse::<u32>().ok().filter(|&number| number > 0)
}

// ---------------------------------------------------------------------------------------------------------------
// nocmodl
// ---------------------------------------------------------------------------------------------------------------

/// nocmodl's messages in its output (stdout and stderr concatenated, in either order). See the module
/// documentation for the forms recognised.
pub fn parse_nocmodl_output(output: &str) -> Vec<ToolMessage> {
    let lines = split_lines(output);
    let mut parser = NocmodlParser::default();
    let mut index = 0;
    while index < lines.len() {
        index += parser.take_line(&lines, index).max(1);
    }
    parser.finish()
}

#[derive(Default)]
struct NocmodlParser {
    messages: Vec<ToolMessage>,
    /// The message that later indented lines continue.
    open: Option<OpenNocmodlMessage>,
    /// Lines that belong to no message yet: the next message takes them as its first details.
    unattached: Vec<String>,
}

struct OpenNocmodlMessage {
    message: ToolMessage,
    /// While the message is a `syntax error:` that has not reached its located line: the parser rules reported so
    /// far (` Illegal expression:` gives `Illegal expression`).
    syntax_error_rules: Option<Vec<String>>,
}

/// A line holding `at line N in file F`.
struct NocmodlLocation<'a> {
    /// The text before `at line`, trimmed.
    text: &'a str,
    /// N as written (0 is possible).
    line_number: u32,
    file: Option<&'a str>,
}

/// The source line nocmodl echoes after a located message, and its caret line.
#[derive(Default)]
struct SourceEcho<'a> {
    lines_consumed: usize,
    echoed_line: Option<&'a str>,
    caret_line: Option<&'a str>,
    /// The number of characters before the `^`.
    caret_offset: Option<usize>,
}

const THREAD_SAFE: &str = "Thread Safe";
const NON_ASCII_MESSAGE: &str = "Non-Ascii character in file:";
const LINE_TOO_LONG_MESSAGE: &str = "Line too long:";

impl NocmodlParser {
    /// Reads the line at `index` (and the echo after a located message); returns how many lines were read.
    fn take_line(&mut self, lines: &[&str], index: usize) -> usize {
        let line = without_glued_thread_safe(lines[index]);
        if is_nocmodl_progress_line(line) {
            self.close_open_message();
            self.flush_unattached();
            return 1;
        }
        if line.trim().is_empty() {
            return 1;
        }
        if let Some(location) = split_nocmodl_location(line) {
            return self.take_located_line(line, location, lines, index);
        }
        if is_syntax_error_start(line) {
            self.close_open_message();
            let mut message = ToolMessage::without_location(ToolSeverity::Error, line.trim());
            message.details = mem::take(&mut self.unattached);
            self.open = Some(OpenNocmodlMessage {
                message,
                syntax_error_rules: Some(Vec::new()),
            });
            return 1;
        }
        if line.starts_with([' ', '\t']) {
            self.take_indented_line(line);
            return 1;
        }
        if let Some((severity, words)) = classify_nocmodl_line(line) {
            self.close_open_message();
            let mut message = ToolMessage::without_location(severity, words);
            message.details = mem::take(&mut self.unattached);
            self.open = Some(OpenNocmodlMessage {
                message,
                syntax_error_rules: None,
            });
            return 1;
        }
        self.close_open_message();
        self.unattached.push(line.to_string());
        1
    }

    /// An indented line continues the open message, or the unattached lines.
    fn take_indented_line(&mut self, line: &str) {
        if self.unattached.is_empty() {
            if let Some(open) = &mut self.open {
                if let Some(rules) = &mut open.syntax_error_rules {
                    if let Some(rule) = line.trim().strip_suffix(':') {
                        rules.push(rule.trim().to_string());
                        return;
                    }
                }
                open.message.details.push(line.to_string());
                return;
            }
        }
        self.unattached.push(line.to_string());
    }

    fn take_located_line(
        &mut self,
        line: &str,
        location: NocmodlLocation<'_>,
        lines: &[&str],
        index: usize,
    ) -> usize {
        let text = location.text;
        let continues_open_message = self.unattached.is_empty()
            && self.open.as_ref().is_some_and(|open| {
                open.message.line.is_none()
                    && open.message.file.is_none()
                    && (open.syntax_error_rules.is_some() || text.is_empty())
            });
        let mut message = match self.open.take() {
            Some(open) if continues_open_message => match open.syntax_error_rules {
                Some(mut rules) => {
                    let mut message = open.message;
                    let words = classify_nocmodl_line(text)
                        .map_or_else(|| text.to_string(), |(_, words)| words);
                    if !words.is_empty() {
                        rules.push(words);
                    }
                    message.message = rules.join(": ");
                    if message.message.is_empty() {
                        message.message = "syntax error".to_string();
                    }
                    message
                }
                None => open.message,
            },
            other => {
                self.open = other;
                self.close_open_message();
                let (severity, words) = if text.is_empty() {
                    (ToolSeverity::Error, line.trim().to_string())
                } else {
                    // nocmodl's diag() reports errors; an unprefixed located message is one too.
                    classify_nocmodl_line(text).unwrap_or((ToolSeverity::Error, text.to_string()))
                };
                let mut message = ToolMessage::without_location(severity, words);
                message.details = mem::take(&mut self.unattached);
                message
            }
        };
        message.file = location.file.map(str::to_string);

        let echo = read_source_echo(lines, index + 1);
        let echoed_characters = echo.echoed_line.map(|echoed| echoed.chars().count());
        let mut column = match (echoed_characters, echo.caret_offset) {
            (Some(length), Some(offset)) if offset <= length => u32::try_from(offset + 1).ok(),
            _ => None,
        };
        if let Some(echoed) = echo.echoed_line {
            message.details.push(echoed.to_string());
        }
        if let (Some(caret_line), Some(_)) = (echo.caret_line, column) {
            message.details.push(caret_line.to_string());
        }

        // nocmodl reports these while reading the line, before counting it.
        let mut line_number = location.line_number;
        let counted_one_short = message.message.starts_with(NON_ASCII_MESSAGE)
            || message.message.starts_with(LINE_TOO_LONG_MESSAGE);
        if counted_one_short {
            line_number = line_number.saturating_add(1);
            column = None;
        }
        if message.message.starts_with(NON_ASCII_MESSAGE) {
            // The echoed text is the line up to the offending character.
            column = echoed_characters.and_then(|length| u32::try_from(length + 1).ok());
        }
        message.line = Some(line_number).filter(|&number| number > 0);
        message.column = column.filter(|_| message.line.is_some());

        self.open = Some(OpenNocmodlMessage {
            message,
            syntax_error_rules: None,
        });
        1 + echo.lines_consumed
    }

    fn close_open_message(&mut self) {
        if let Some(open) = self.open.take() {
            let mut message = open.message;
            if let Some(rules) = open.syntax_error_rules {
                message.message = if rules.is_empty() {
                    "syntax error".to_string()
                } else {
                    format!("syntax error: {}", rules.join(": "))
                };
            }
            self.messages.push(message);
        }
    }

    /// Unattached lines that no message took become a message of their own.
    fn flush_unattached(&mut self) {
        if self.unattached.is_empty() {
            return;
        }
        let mut lines = mem::take(&mut self.unattached).into_iter();
        let first = lines.next().unwrap_or_default();
        let first = first.trim();
        let severity = if reads_as_failure(first) {
            ToolSeverity::Error
        } else {
            ToolSeverity::Warning
        };
        let mut message = ToolMessage::without_location(severity, first);
        message.details = lines.collect();
        self.messages.push(message);
    }

    fn finish(mut self) -> Vec<ToolMessage> {
        self.close_open_message();
        self.flush_unattached();
        self.messages
    }
}

/// `line` without a `Thread Safe` that nocmodl wrote right after it, without a line break.
fn without_glued_thread_safe(line: &str) -> &str {
    match line.strip_suffix(THREAD_SAFE) {
        Some(before) if !before.trim().is_empty() => before,
        _ => line,
    }
}

/// `Translating X.mod into OUT/X.cpp`, `Thread Safe`, `INCLUDEing F`.
fn is_nocmodl_progress_line(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed == THREAD_SAFE
        || (trimmed.starts_with("Translating ") && trimmed.contains(" into "))
        || trimmed.starts_with("INCLUDEing ")
}

fn is_syntax_error_start(line: &str) -> bool {
    starts_with_word(&line.trim().to_ascii_lowercase(), "syntax error")
}

/// Splits a line holding `… at line N in file F`: the last such phrase counts, as the text before it may hold
/// anything (a quoted source line).
fn split_nocmodl_location(line: &str) -> Option<NocmodlLocation<'_>> {
    const AT_LINE: &str = "at line ";
    const IN_FILE: &str = " in file ";
    let mut search_end = line.len();
    while let Some(at) = line[..search_end].rfind(AT_LINE) {
        search_end = at;
        let starts_a_word = line[..at]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
        let after = &line[at + AT_LINE.len()..];
        let digits = leading_digit_count(after);
        if !starts_a_word || digits == 0 || !after[digits..].starts_with(IN_FILE) {
            continue;
        }
        // A number too large is no location: the line is then kept whole as an unlocated message.
        let line_number = after[..digits].parse::<u32>().ok()?;
        let file = after[digits + IN_FILE.len()..].trim();
        return Some(NocmodlLocation {
            text: line[..at].trim(),
            line_number,
            file: (!file.is_empty()).then_some(file),
        });
    }
    None
}

/// The severity and words of a line that starts a nocmodl message; `None` for other lines.
fn classify_nocmodl_line(line: &str) -> Option<(ToolSeverity, String)> {
    let trimmed = line.trim();
    for (prefix, severity) in [
        ("error:", ToolSeverity::Error),
        ("warning:", ToolSeverity::Warning),
        ("notice:", ToolSeverity::Note),
    ] {
        if let Some(rest) = strip_prefix_ignoring_case(trimmed, prefix) {
            let rest = rest.trim();
            let words = if rest.is_empty() { trimmed } else { rest };
            return Some((severity, words.to_string()));
        }
    }
    let lowercase = trimmed.to_ascii_lowercase();
    let is_error = starts_with_word(&lowercase, "error")
        || lowercase.contains("error:")
        || (lowercase.contains("assertion") && lowercase.contains("failed"))
        || lowercase.starts_with("terminate called")
        || lowercase.contains("segmentation fault");
    if is_error {
        return Some((ToolSeverity::Error, trimmed.to_string()));
    }
    if starts_with_word(&lowercase, "warning") || lowercase.contains(": warning") {
        return Some((ToolSeverity::Warning, trimmed.to_string()));
    }
    None
}

/// Whether an unprefixed line reads as a failure.
fn reads_as_failure(line: &str) -> bool {
    let lowercase = line.to_ascii_lowercase();
    [
        "can't",
        "cannot",
        "can not",
        "couldn't",
        "could not",
        "unable",
        "bad ",
        "fatal",
    ]
    .iter()
    .any(|start| lowercase.starts_with(start))
}

/// The number of characters before the `^` of a caret line (blanks, then `^`, then nothing but blanks).
fn caret_offset(line: &str) -> Option<usize> {
    let caret = line.find('^')?;
    let (before, after) = (&line[..caret], &line[caret + 1..]);
    (before.bytes().all(|byte| byte == b' ' || byte == b'\t') && after.trim().is_empty())
        .then_some(caret)
}

/// Whether `line` would start a nocmodl message (so it is not the echo of a source line).
fn starts_nocmodl_message(line: &str) -> bool {
    is_nocmodl_progress_line(line)
        || is_syntax_error_start(line)
        || split_nocmodl_location(line).is_some()
        || (!line.starts_with([' ', '\t']) && classify_nocmodl_line(line).is_some())
}

/// The echo after a located message, starting at `lines[first]`: the source line then the caret line, or a lone
/// caret line (nothing was left on the line), or the source line then an empty line (no caret), or the source line
/// alone (a line too long, printed without its line end).
fn read_source_echo<'a>(lines: &[&'a str], first: usize) -> SourceEcho<'a> {
    let Some(&first_line) = lines.get(first) else {
        return SourceEcho::default();
    };
    if let Some(offset) = caret_offset(first_line) {
        return SourceEcho {
            lines_consumed: 1,
            echoed_line: None,
            caret_line: Some(first_line),
            caret_offset: Some(offset),
        };
    }
    let second_line = lines.get(first + 1).copied();
    if let Some(offset) = second_line.and_then(caret_offset) {
        return SourceEcho {
            lines_consumed: 2,
            echoed_line: Some(first_line),
            caret_line: second_line,
            caret_offset: Some(offset),
        };
    }
    if starts_nocmodl_message(first_line) {
        return SourceEcho::default();
    }
    SourceEcho {
        lines_consumed: if second_line == Some("") { 2 } else { 1 },
        echoed_line: Some(first_line),
        caret_line: None,
        caret_offset: None,
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The C++ compiler
// ---------------------------------------------------------------------------------------------------------------

/// GCC's or Clang's messages (and the linker's) in the compiler's output. See the module documentation for the
/// forms recognised. Columns are as the compiler wrote them.
pub fn parse_compiler_output(output: &str) -> Vec<ToolMessage> {
    let mut messages = Vec::new();
    let mut open: Option<ToolMessage> = None;
    let mut context: Vec<String> = Vec::new();
    for line in split_lines(output) {
        if line.trim().is_empty() {
            continue;
        }
        match classify_compiler_line(line, !context.is_empty()) {
            CompilerLine::Context => {
                messages.extend(open.take());
                context.push(line.to_string());
            }
            CompilerLine::Message(mut message) => {
                messages.extend(open.take());
                message.details = mem::take(&mut context);
                open = Some(message);
            }
            CompilerLine::Continuation => match &mut open {
                Some(message) if context.is_empty() => message.details.push(line.to_string()),
                _ => context.push(line.to_string()),
            },
        }
    }
    messages.extend(open);
    let mut leftover = context.into_iter();
    if let Some(first) = leftover.next() {
        let mut message = ToolMessage::without_location(ToolSeverity::Note, first.trim());
        message.details = leftover.collect();
        messages.push(message);
    }
    messages
}

enum CompilerLine {
    /// Sets the scene for the next message.
    Context,
    Message(ToolMessage),
    /// Belongs to the message before it.
    Continuation,
}

/// `file:line[:column]:` at the start of a compiler line, and what follows.
struct CompilerLocation<'a> {
    file: &'a str,
    line: Option<u32>,
    column: Option<u32>,
    rest: &'a str,
}

fn classify_compiler_line(line: &str, after_context: bool) -> CompilerLine {
    if is_gutter_line(line) {
        return CompilerLine::Continuation;
    }
    let trimmed = line.trim();
    let continues_include_chain = after_context
        && line.starts_with([' ', '\t'])
        && trimmed.starts_with("from ")
        && (trimmed.ends_with(':') || trimmed.ends_with(','));
    if line.starts_with("In file included from ") || continues_include_chain {
        return CompilerLine::Context;
    }
    if let Some(location) = split_compiler_location(line) {
        if let Some((severity, words)) =
            location.rest.strip_prefix(' ').and_then(severity_and_words)
        {
            return CompilerLine::Message(ToolMessage {
                severity,
                file: Some(location.file.to_string()),
                line: location.line,
                column: location.column.filter(|_| location.line.is_some()),
                message: words.to_string(),
                details: Vec::new(),
            });
        }
        // `a.cpp:10:26:   required from here`, `…:   in 'constexpr' expansion of …`.
        if location.rest.starts_with("  ") {
            return CompilerLine::Context;
        }
        return CompilerLine::Continuation;
    }
    let sets_scene = trimmed.ends_with(':')
        && (trimmed.contains(": In ")
            || trimmed.contains(": At ")
            || trimmed.contains(": in function "));
    if sets_scene {
        return CompilerLine::Context;
    }
    if let Some(message) = unlocated_compiler_message(line) {
        return CompilerLine::Message(message);
    }
    if is_linker_failure(trimmed) {
        return CompilerLine::Message(ToolMessage::without_location(ToolSeverity::Error, trimmed));
    }
    CompilerLine::Continuation
}

/// GCC's source echo and caret lines (` 219 |   code`, `     |   ^~~`, ` +++ |+#include <x>`).
fn is_gutter_line(line: &str) -> bool {
    if !line.starts_with(' ') {
        return false;
    }
    let rest = line.trim_start();
    let rest =
        rest.trim_start_matches(|character: char| character.is_ascii_digit() || character == '+');
    rest.trim_start().starts_with('|')
}

/// The severity named at the start of `text` (`error: …`, `fatal error: …`, `warning: …`, `note: …`, …) and the
/// words after it.
fn severity_and_words(text: &str) -> Option<(ToolSeverity, &str)> {
    const MARKERS: [(&str, ToolSeverity); 7] = [
        ("error:", ToolSeverity::Error),
        ("fatal error:", ToolSeverity::Error),
        ("internal compiler error:", ToolSeverity::Error),
        ("sorry, unimplemented:", ToolSeverity::Error),
        ("warning:", ToolSeverity::Warning),
        ("note:", ToolSeverity::Note),
        ("remark:", ToolSeverity::Note),
    ];
    MARKERS.iter().find_map(|&(marker, severity)| {
        let rest = text.strip_prefix(marker)?;
        (rest.is_empty() || rest.starts_with(' ')).then(|| (severity, rest.trim()))
    })
}

/// Splits `file:line:column: rest` or `file:line: rest` (the first colon followed by digits and a colon ends the
/// file, so `C:\x\a.cpp:3:4:` works).
fn split_compiler_location(line: &str) -> Option<CompilerLocation<'_>> {
    for (colon, _) in line.match_indices(':') {
        let file = &line[..colon];
        if file.is_empty() || file.starts_with(char::is_whitespace) || file.contains('"') {
            continue;
        }
        let after_file = &line[colon + 1..];
        let line_digits = leading_digit_count(after_file);
        if line_digits == 0 || !after_file[line_digits..].starts_with(':') {
            continue;
        }
        let after_line = &after_file[line_digits + 1..];
        let column_digits = leading_digit_count(after_line);
        let (column, rest) = if column_digits > 0 && after_line[column_digits..].starts_with(':') {
            (
                positive_number(&after_line[..column_digits]),
                &after_line[column_digits + 1..],
            )
        } else {
            (None, after_line)
        };
        return Some(CompilerLocation {
            file,
            line: positive_number(&after_file[..line_digits]),
            column,
            rest,
        });
    }
    None
}

/// `error: …`, `program: error: …` or `file: error: …`, without a line number.
fn unlocated_compiler_message(line: &str) -> Option<ToolMessage> {
    if let Some((severity, words)) = severity_and_words(line) {
        return Some(ToolMessage::without_location(severity, words));
    }
    if line.starts_with(char::is_whitespace) || line.contains('"') {
        return None;
    }
    line.match_indices(": ").find_map(|(separator, _)| {
        let (severity, words) = severity_and_words(&line[separator + 2..])?;
        let prefix = &line[..separator];
        let mut message = ToolMessage::without_location(severity, words);
        if prefix.contains(": ") || names_a_program(prefix) {
            message.message = format!("{prefix}: {words}");
        } else {
            message.file = Some(prefix.to_string());
        }
        Some(message)
    })
}

/// Whether the prefix of a message names a program (`g++`, `cc1plus`, `collect2`, `/usr/bin/ld`, `ld.lld`) rather
/// than a file: its last path component has no extension.
fn names_a_program(prefix: &str) -> bool {
    let name = prefix.rsplit(['/', '\\']).next().unwrap_or(prefix);
    !name.contains('.') || name.starts_with("ld.")
}

/// A linker line without a severity: ``x.cpp:(.text+0x5): undefined reference to `g()'``, `/usr/bin/ld: cannot find
/// -lfoo: No such file or directory`.
fn is_linker_failure(line: &str) -> bool {
    if line.contains("undefined reference to") || line.contains("multiple definition of") {
        return true;
    }
    let program = line.split(": ").next().unwrap_or_default();
    let name = program.rsplit('/').next().unwrap_or(program);
    line.contains(": ") && (name == "ld" || name.starts_with("ld.") || name == "collect2")
}

// ---------------------------------------------------------------------------------------------------------------
// Generated C++ lines → mod lines
// ---------------------------------------------------------------------------------------------------------------

/// How a compiler counts the columns it reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompilerColumnUnit {
    /// GCC ≥ 10's default (`-fdiagnostics-column-unit=display`): a tab advances to the next multiple of `tab_stop`
    /// (`-ftabstop`, 8 by default); a wide (East Asian) character counts 2, a combining mark 0 (an approximation of
    /// GCC's Unicode tables).
    Display { tab_stop: u32 },
    /// Clang's, and GCC's with `-fdiagnostics-column-unit=byte`: UTF-8 bytes.
    Byte,
    /// Characters already (nocmodl's).
    Character,
}

impl CompilerColumnUnit {
    /// GCC's default unit.
    pub const GCC: CompilerColumnUnit = CompilerColumnUnit::Display { tab_stop: 8 };
    /// Clang's unit.
    pub const CLANG: CompilerColumnUnit = CompilerColumnUnit::Byte;
}

/// The 1-based character column on `line_text` of a 1-based `column` counted in `unit`; `None` for column 0. A
/// column past the end of the line counts the rest as one character per unit.
pub fn character_column(line_text: &str, column: u32, unit: CompilerColumnUnit) -> Option<u32> {
    let index = character_index(line_text, column, unit)?;
    u32::try_from(index + 1).ok()
}

/// The 0-based character index on `text` of a 1-based `column` counted in `unit`.
fn character_index(text: &str, column: u32, unit: CompilerColumnUnit) -> Option<usize> {
    let target = usize::try_from(column.checked_sub(1)?).ok()?;
    match unit {
        CompilerColumnUnit::Character => Some(target),
        CompilerColumnUnit::Byte => {
            for (index, (byte_offset, character)) in text.char_indices().enumerate() {
                if byte_offset + character.len_utf8() > target {
                    return Some(index);
                }
            }
            Some(text.chars().count() + target.saturating_sub(text.len()))
        }
        CompilerColumnUnit::Display { tab_stop } => {
            let tab_stop = usize::try_from(tab_stop.max(1)).unwrap_or(8);
            let mut display = 0usize;
            let mut count = 0usize;
            for (index, character) in text.chars().enumerate() {
                let width = if character == '\t' {
                    tab_stop - display % tab_stop
                } else {
                    display_width(character)
                };
                if display + width > target {
                    return Some(index);
                }
                display += width;
                count = index + 1;
            }
            Some(count + target.saturating_sub(display))
        }
    }
}

/// How many columns GCC gives a character: 2 for wide East Asian characters and emoji, 0 for combining marks and
/// zero-width characters, else 1 (the common ranges only).
fn display_width(character: char) -> usize {
    match u32::from(character) {
        0x0300..=0x036F | 0x200B..=0x200F | 0xFE00..=0xFE0F => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x2FFFD
        | 0x30000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// Which lines of a generated C++ file came from the `.mod` file: the lines nocmodl copied from VERBATIM blocks,
/// and the lines after a `#line N "X.mod"` marker. See the module documentation for how nocmodl copies VERBATIM
/// text.
///
/// Each block's lines (the blank lines at its start and end aside: they are too ambiguous to place) are looked for
/// as consecutive lines of the generated text, first exactly (the block's first line may have lost its first
/// blank, as nocmodl drops it), then ignoring the lines' leading and trailing blanks. When some occurrences follow
/// a `/*VERBATIM*/` line, only those count. Blocks claim occurrences in order: each block its first free one, then
/// each block its other free ones (a block copied twice), so two blocks with the same text map to their two
/// copies in order. A block whose text is not found maps nothing. Lines under a `#line` marker take precedence.
#[derive(Clone, Debug, Default)]
pub struct GeneratedLineMap {
    /// By generated line − 1.
    origins: Vec<Option<LineOrigin>>,
}

#[derive(Clone, Debug)]
struct LineOrigin {
    mod_line: u32,
    /// The generated line and the source line it was copied from, when their characters correspond (so a column
    /// can be carried over).
    copied_text: Option<CopiedText>,
}

#[derive(Clone, Debug)]
struct CopiedText {
    generated: String,
    source: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineMatching {
    /// Equal lines; a block's first line may also have lost its first blank.
    Exact,
    /// Equal once leading and trailing blanks are removed.
    IgnoringBlanks,
}

/// A VERBATIM block, ready to be looked for.
struct PreparedBlock<'a> {
    /// Each line of the content with its mod line.
    lines: Vec<(u32, &'a str)>,
    /// The lines looked for: from the first to the last line that is not blank.
    searched: std::ops::Range<usize>,
}

/// Where a block was found.
struct BlockOccurrence {
    generated_start: usize,
    matching: LineMatching,
}

const VERBATIM_MARKER: &str = "/*VERBATIM*/";

impl GeneratedLineMap {
    /// `verbatim_blocks`: for each VERBATIM block of the mod source, the 1-based line in the mod file where its
    /// content starts and the content text (between VERBATIM and ENDVERBATIM, exactly as in the source). The content
    /// may start right after the `VERBATIM` keyword (the line of the keyword is then its first line) or on the next
    /// line; CRLF and lone CR line ends are read as nocmodl reads them.
    pub fn new(verbatim_blocks: &[(u32, &str)], generated: &str) -> GeneratedLineMap {
        let generated_lines = split_lines(generated);
        let mut origins = vec![None; generated_lines.len()];
        apply_line_directives(&generated_lines, &mut origins);

        let blocks: Vec<PreparedBlock<'_>> = verbatim_blocks
            .iter()
            .map(|&(start_line, content)| PreparedBlock::new(start_line, content))
            .collect();
        let occurrences: Vec<Vec<BlockOccurrence>> = blocks
            .iter()
            .map(|block| block.occurrences(&generated_lines))
            .collect();
        let mut claimed = vec![false; generated_lines.len()];
        for (block, found) in blocks.iter().zip(&occurrences) {
            if let Some(occurrence) = found
                .iter()
                .find(|occurrence| block.is_free(occurrence, &claimed))
            {
                block.claim(occurrence, &generated_lines, &mut claimed, &mut origins);
            }
        }
        for (block, found) in blocks.iter().zip(&occurrences) {
            for occurrence in found {
                if block.is_free(occurrence, &claimed) {
                    block.claim(occurrence, &generated_lines, &mut claimed, &mut origins);
                }
            }
        }
        GeneratedLineMap { origins }
    }

    /// The mod-file line for a 1-based line of the generated file, when that line was copied from a VERBATIM block.
    pub fn mod_line(&self, generated_line: u32) -> Option<u32> {
        self.origin(generated_line).map(|origin| origin.mod_line)
    }

    /// The 1-based character column on the mod-file line of a column the compiler reported on a copied generated
    /// line, counted in `unit`. `None` when the line was not copied from a VERBATIM block, or when the columns of
    /// the two lines do not correspond: the first line of a block when nocmodl changed it (the rest of the
    /// `VERBATIM` line, whose place on the mod line is not known here), and lines under a `#line` marker.
    pub fn mod_column(
        &self,
        generated_line: u32,
        column: u32,
        unit: CompilerColumnUnit,
    ) -> Option<u32> {
        let copied = self.origin(generated_line)?.copied_text.as_ref()?;
        let generated_index = character_index(&copied.generated, column, unit)?;
        let source_index = if copied.generated == copied.source {
            generated_index
        } else {
            let generated_indent = leading_blank_count(&copied.generated);
            let source_indent = leading_blank_count(&copied.source);
            if generated_index < generated_indent {
                generated_index.min(source_indent)
            } else {
                generated_index - generated_indent + source_indent
            }
        };
        u32::try_from(source_index + 1).ok()
    }

    fn origin(&self, generated_line: u32) -> Option<&LineOrigin> {
        let index = usize::try_from(generated_line).ok()?.checked_sub(1)?;
        self.origins.get(index)?.as_ref()
    }
}

fn leading_blank_count(text: &str) -> usize {
    text.chars()
        .take_while(|character| character.is_whitespace())
        .count()
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

impl<'a> PreparedBlock<'a> {
    fn new(start_line: u32, content: &'a str) -> PreparedBlock<'a> {
        let lines: Vec<(u32, &str)> = split_lines(content)
            .into_iter()
            .enumerate()
            .map_while(|(offset, text)| {
                let offset = u32::try_from(offset).ok()?;
                Some((start_line.checked_add(offset)?, text))
            })
            .filter(|&(mod_line, _)| mod_line > 0)
            .collect();
        let first = lines.iter().position(|(_, text)| !is_blank(text));
        let last = lines.iter().rposition(|(_, text)| !is_blank(text));
        let searched = match (first, last) {
            (Some(first), Some(last)) => first..last + 1,
            _ => 0..0,
        };
        PreparedBlock { lines, searched }
    }

    /// Whether content line `index` matches a generated line.
    fn line_matches(&self, index: usize, generated: &str, matching: LineMatching) -> bool {
        let source = self.lines[index].1;
        match matching {
            LineMatching::Exact => {
                generated == source
                    || (index == 0 && source.starts_with([' ', '\t']) && generated == &source[1..])
            }
            LineMatching::IgnoringBlanks => generated.trim() == source.trim(),
        }
    }

    fn occurrences(&self, generated_lines: &[&str]) -> Vec<BlockOccurrence> {
        let length = self.searched.len();
        if length == 0 || length > generated_lines.len() {
            return Vec::new();
        }
        for matching in [LineMatching::Exact, LineMatching::IgnoringBlanks] {
            let mut found = Vec::new();
            let mut after_marker = Vec::new();
            for generated_start in 0..=generated_lines.len() - length {
                let matches = self.searched.clone().enumerate().all(|(offset, index)| {
                    self.line_matches(index, generated_lines[generated_start + offset], matching)
                });
                if !matches {
                    continue;
                }
                let occurrence = BlockOccurrence {
                    generated_start,
                    matching,
                };
                if follows_verbatim_marker(generated_lines, generated_start, self.searched.start) {
                    after_marker.push(occurrence);
                } else {
                    found.push(occurrence);
                }
            }
            if !after_marker.is_empty() {
                return after_marker;
            }
            if !found.is_empty() {
                return found;
            }
        }
        Vec::new()
    }

    fn is_free(&self, occurrence: &BlockOccurrence, claimed: &[bool]) -> bool {
        let start = occurrence.generated_start;
        claimed
            .get(start..start + self.searched.len())
            .is_some_and(|lines| lines.iter().all(|&taken| !taken))
    }

    fn claim(
        &self,
        occurrence: &BlockOccurrence,
        generated_lines: &[&str],
        claimed: &mut [bool],
        origins: &mut [Option<LineOrigin>],
    ) {
        for (offset, index) in self.searched.clone().enumerate() {
            let generated_index = occurrence.generated_start + offset;
            let (Some(generated), Some(taken), Some(origin)) = (
                generated_lines.get(generated_index),
                claimed.get_mut(generated_index),
                origins.get_mut(generated_index),
            ) else {
                continue;
            };
            *taken = true;
            if origin.is_some() {
                continue;
            }
            let (mod_line, source) = self.lines[index];
            let columns_correspond = *generated == source
                || (index > 0 && occurrence.matching == LineMatching::IgnoringBlanks);
            *origin = Some(LineOrigin {
                mod_line,
                copied_text: columns_correspond.then(|| CopiedText {
                    generated: generated.to_string(),
                    source: source.to_string(),
                }),
            });
        }
    }
}

/// Whether the generated line at `start`, after at most `leading_blank_lines` + 1 blank lines, follows a
/// `/*VERBATIM*/` line.
fn follows_verbatim_marker(
    generated_lines: &[&str],
    start: usize,
    leading_blank_lines: usize,
) -> bool {
    let mut index = start;
    let mut skipped = 0;
    while index > 0 && skipped <= leading_blank_lines && is_blank(generated_lines[index - 1]) {
        index -= 1;
        skipped += 1;
    }
    index > 0 && generated_lines[index - 1].trim() == VERBATIM_MARKER
}

/// A `#line N "file"` or `# N "file"` marker.
struct LineDirective<'a> {
    line: u32,
    file: Option<&'a str>,
}

fn parse_line_directive(line: &str) -> Option<LineDirective<'_>> {
    let rest = line.trim_start().strip_prefix('#')?.trim_start();
    let rest = match rest.strip_prefix("line") {
        Some(after) if after.starts_with([' ', '\t']) => after.trim_start(),
        Some(_) => return None,
        None => rest,
    };
    let digits = leading_digit_count(rest);
    if digits == 0 {
        return None;
    }
    let number = rest[..digits].parse::<u32>().ok()?;
    let after = &rest[digits..];
    if !after.is_empty() && !after.starts_with([' ', '\t']) {
        return None;
    }
    let after = after.trim_start();
    let file = match after.strip_prefix('"') {
        Some(quoted) => Some(&quoted[..quoted.find('"')?]),
        None => None,
    };
    Some(LineDirective { line: number, file })
}

/// Maps the lines after each `#line N "….mod"` marker to N, N + 1, …, until a marker names another file.
fn apply_line_directives(generated_lines: &[&str], origins: &mut [Option<LineOrigin>]) {
    let mut in_mod_file = false;
    let mut next_mod_line: Option<u32> = None;
    for (index, line) in generated_lines.iter().enumerate() {
        if let Some(directive) = parse_line_directive(line) {
            if let Some(file) = directive.file {
                in_mod_file = file.to_ascii_lowercase().ends_with(".mod");
            }
            next_mod_line = in_mod_file.then_some(directive.line);
            continue;
        }
        let Some(mod_line) = next_mod_line else {
            continue;
        };
        if mod_line > 0 {
            if let Some(origin) = origins.get_mut(index) {
                *origin = Some(LineOrigin {
                    mod_line,
                    copied_text: None,
                });
            }
        }
        next_mod_line = mod_line.checked_add(1);
    }
}

/// modcc's messages. Seen from modcc 0.12.2: `error: FILE:(line L,col C) ` or `error: FILE (line L,col C) ` with
/// the message on the next line; a `Warnings:` list and an `error trace:` list of `* FILE:(line L,col C) message`
/// items. ANSI colour codes are removed first (modcc colours its output even into a pipe). The trace's summary
/// ("There were N errors in the semantic analysis") is dropped; other text without a location is kept as a
/// message without a line.
pub fn parse_modcc_output(output: &str) -> Vec<ToolMessage> {
    let plain = strip_ansi_escapes(output);
    let lines: Vec<&str> = plain.lines().collect();
    let mut messages = Vec::new();
    let mut severity = ToolSeverity::Error;
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index].trim();
        index += 1;
        if line.is_empty() {
            continue;
        }
        let lowercase = line.to_ascii_lowercase();
        if lowercase.starts_with("warning") {
            severity = ToolSeverity::Warning;
        } else if lowercase.starts_with("error") {
            severity = ToolSeverity::Error;
        }
        let Some((file, line_number, column, rest)) = modcc_location(line) else {
            let is_heading = lowercase.starts_with("error") || lowercase.starts_with("warning");
            if !is_heading {
                messages.push(ToolMessage {
                    severity,
                    file: None,
                    line: None,
                    column: None,
                    message: line.to_string(),
                    details: Vec::new(),
                });
            }
            continue;
        };
        let mut message = rest.trim().to_string();
        if message.is_empty() {
            // The message is on the following, indented line(s).
            while index < lines.len() {
                let next = lines[index].trim();
                let next_lowercase = next.to_ascii_lowercase();
                if next.is_empty()
                    || modcc_location(next).is_some()
                    || next_lowercase.starts_with("error")
                    || next_lowercase.starts_with("warning")
                {
                    break;
                }
                if !message.is_empty() {
                    message.push(' ');
                }
                message.push_str(next);
                index += 1;
            }
        }
        if message.starts_with("There were ")
            && message.contains(" errors in the semantic analysis")
        {
            continue;
        }
        messages.push(ToolMessage {
            severity,
            file: Some(file),
            line: Some(line_number),
            column: Some(column),
            message,
            details: Vec::new(),
        });
    }
    messages
}

/// `FILE:(line L,col C) rest` or `FILE (line L,col C) rest`, possibly after `error: ` or `* `.
fn modcc_location(line: &str) -> Option<(String, u32, u32, &str)> {
    let start = line.find("(line ")?;
    let prefix = line[..start].trim_end().trim_end_matches(':');
    let file = prefix.rsplit(' ').next().unwrap_or(prefix).to_string();
    let after = &line[start + "(line ".len()..];
    let close = after.find(')')?;
    let (line_text, column_text) = after[..close].split_once(",col ")?;
    let line_number = line_text.trim().parse().ok()?;
    let column = column_text.trim().parse().ok()?;
    Some((file, line_number, column, &after[close + 1..]))
}

/// The text without ANSI escape sequences (`ESC [ ... letter`).
fn strip_ansi_escapes(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        if character == '\u{1b}' {
            if characters.peek() == Some(&'[') {
                characters.next();
                for inner in characters.by_ref() {
                    if inner.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        plain.push(character);
    }
    plain
}

#[cfg(test)]
mod tests {
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
        let brace =
            "Translating brace.mod into out/brace.cpp\nsyntax error:\n Illegal statement:\n \
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
        let without_column = "b.cpp:1: fatal error: nonexist.h: No such file or directory\ncompilation terminated.\n";
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
                let map =
                    GeneratedLineMap::new(&[(start_line, input), (start_line, "x\ny")], input);
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
}
