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
mod tests;
