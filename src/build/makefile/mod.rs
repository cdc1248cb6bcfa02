//! Reads the variables of a GNU makefile — NEURON's `bin/nrnmech_makefile` — without running `make`.
//!
//! NEURON builds a mechanism library with a makefile that CMake configured when NEURON itself was built: it holds
//! the compiler NEURON was built with, its flags and defines, and the include and library flags of the
//! installation. To compile mod files the way `nrnivmodl` would, glia's build orchestrator needs those values.
//! Asking `make` (`make -p`) would need a make, a shell and the files the makefile `include`s; instead this module
//! evaluates, purely (it reads no file and starts no process), the subset of GNU make that the file uses:
//!
//! - logical lines: backslash-newline continuations (the backslash, the newline and the blanks around them become
//!   one space), `#` comments (`\#` is a literal `#`), CRLF line endings;
//! - assignments `=` (recursively expanded, at each use), `:=` and `::=` (expanded once, when assigned), `:::=`,
//!   `+=` (which keeps the variable's flavour), `?=`, and `!=` (whose command can only be `uname`); the `override`,
//!   `export`, `unexport` and `private` modifiers; `define` ... `endef`; `undefine`;
//! - origins and their precedence, as `$(origin)` reports them: make's default variables (`CC`, `CXX`, `CPP`,
//!   ...), then the environment, then the makefile, then the command line (a makefile assignment, `+=` included,
//!   leaves a command-line variable alone unless it says `override`);
//! - conditionals `ifeq`/`ifneq` (with `(a,b)`, `"a" "b"` or `'a' 'b'` arguments, blanks around the comma dropped
//!   as make drops them), `ifdef`/`ifndef`, `else`, `else ifeq ...`, `endif`, nested; as in make, only the
//!   conditions of branches that are reached are expanded;
//! - references `$(NAME)`, `${NAME}`, `$X`, `$$`, computed names (`$($(A)_FLAGS)`) and substitution references
//!   (`$(SOURCES:.c=.o)`);
//! - the functions that need neither a shell nor a file system: `subst`, `patsubst`, `strip`, `findstring`,
//!   `filter`, `filter-out`, `sort`, `word`, `wordlist`, `words`, `firstword`, `lastword`, `dir`, `notdir`,
//!   `suffix`, `basename`, `addprefix`, `addsuffix`, `join`, `if`, `and`, `or`, `origin`, `flavor`, `value`;
//!   `$(shell uname)` (the operating system the caller names); `error` (an error) and `info`/`warning` (which
//!   expand to nothing and print nothing here).
//!
//! Rules, their recipes (lines starting with a TAB after a rule), `include`, `export NAME`, `unexport NAME` and
//! `vpath` lines are skipped: the nrnmech makefile includes the per-mod-file rules `nrnivmodl` writes, which hold
//! no variable we read. A line with a `:` outside references is taken for a rule and, unlike in make, not
//! expanded; any other line (such as `$(info ...)`) is expanded, and must give nothing or a rule (make's "missing
//! separator" otherwise).
//!
//! Whatever else make could do — a `$(shell)` command other than `uname`, `wildcard`, `realpath`, `abspath`,
//! `file`, `eval`, `call`, `foreach`, `let`, `intcmp`, `guile` — is [`MakefileError::UnsupportedFunction`], but
//! only when it is expanded: like make, we expand a recursive variable's value only when it is used, and a branch
//! of a conditional only when it is taken, so an unsupported function in a variable nobody reads costs nothing.
//!
//! Expansion is bounded, so that no input overflows the stack or runs forever: a variable whose value refers to
//! itself is an error (as in make), and so is an expansion nested more than [`MAXIMUM_EXPANSION_DEPTH`] deep or
//! doing more than [`MAXIMUM_REFERENCES_PER_EXPANSION`] references or [`MAXIMUM_BYTES_PER_EXPANSION`] bytes of
//! text.

use std::collections::HashMap;
use std::ops::Range;

/// How deeply references and function calls may nest in one expansion (real makefiles nest a handful deep).
pub const MAXIMUM_EXPANSION_DEPTH: usize = 128;

/// How many `$` references and function calls one expansion may do.
pub const MAXIMUM_REFERENCES_PER_EXPANSION: usize = 1_000_000;

/// How many bytes of text one expansion may produce, its intermediate results included.
pub const MAXIMUM_BYTES_PER_EXPANSION: usize = 64 * 1024 * 1024;

/// Make's built-in variables that the makefile may read or test with `$(origin)` (GNU make 4.3 on Linux).
const DEFAULT_VARIABLES: &[(&str, &str)] = &[
    ("AR", "ar"),
    ("ARFLAGS", "rv"),
    ("AS", "as"),
    ("CC", "cc"),
    ("CPP", "$(CC) -E"),
    ("CXX", "g++"),
    ("FC", "f77"),
    ("LD", "ld"),
    ("RM", "rm -f"),
];

/// GNU make's built-in functions (as of make 4.4), with their minimum and maximum numbers of arguments (a maximum
/// of 0: no limit; the last argument takes the rest of the text, commas included). `$(name ...)` with a name not
/// in this table is a reference to a variable of that name.
const MAKE_FUNCTIONS: &[(&str, usize, usize)] = &[
    ("abspath", 0, 1),
    ("addprefix", 2, 2),
    ("addsuffix", 2, 2),
    ("and", 1, 0),
    ("basename", 0, 1),
    ("call", 1, 0),
    ("dir", 0, 1),
    ("error", 0, 1),
    ("eval", 0, 1),
    ("file", 1, 2),
    ("filter", 2, 2),
    ("filter-out", 2, 2),
    ("findstring", 2, 2),
    ("firstword", 0, 1),
    ("flavor", 0, 1),
    ("foreach", 3, 3),
    ("guile", 0, 1),
    ("if", 2, 3),
    ("info", 0, 1),
    ("intcmp", 2, 5),
    ("join", 2, 2),
    ("lastword", 0, 1),
    ("let", 3, 3),
    ("notdir", 0, 1),
    ("or", 1, 0),
    ("origin", 0, 1),
    ("patsubst", 3, 3),
    ("realpath", 0, 1),
    ("shell", 0, 1),
    ("sort", 0, 1),
    ("strip", 0, 1),
    ("subst", 3, 3),
    ("suffix", 0, 1),
    ("value", 0, 1),
    ("warning", 0, 1),
    ("wildcard", 0, 1),
    ("word", 2, 2),
    ("wordlist", 3, 3),
    ("words", 0, 1),
];

/// The functions of [`MAKE_FUNCTIONS`] this module evaluates; the others are [`MakefileError::UnsupportedFunction`].
const SUPPORTED_FUNCTIONS: &[&str] = &[
    "addprefix",
    "addsuffix",
    "and",
    "basename",
    "dir",
    "error",
    "filter",
    "filter-out",
    "findstring",
    "firstword",
    "flavor",
    "if",
    "info",
    "join",
    "lastword",
    "notdir",
    "or",
    "origin",
    "patsubst",
    "shell",
    "sort",
    "strip",
    "subst",
    "suffix",
    "value",
    "warning",
    "word",
    "wordlist",
    "words",
];

/// The variables of an evaluated makefile: what `make` would know after reading it, before running any rule.
#[derive(Debug, Clone)]
pub struct MakeVariables {
    variables: HashMap<String, Variable>,
    operating_system: String,
}

/// Why a makefile could not be evaluated, or a variable expanded. `line` is the 1-based line of the makefile the
/// problem is on (for a value continued over several lines, the first of them); 0 when the text at fault is not
/// in the makefile: a command-line or environment variable, or a text given to [`MakeVariables::expand_text`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MakefileError {
    /// A make function that needs a shell, a file system or more of make than this module evaluates. For
    /// `$(shell ...)` (and `!=`), `function` is `shell` followed by the command.
    #[error(
        "{}: unsupported make function `{function}` (glia reads makefiles without running a shell or reading files)",
        describe_line(*line)
    )]
    UnsupportedFunction { line: usize, function: String },
    /// A function called with fewer arguments than it needs.
    #[error("{}: function `{function}` needs at least {required} arguments, it has {given}", describe_line(*line))]
    InsufficientArguments {
        line: usize,
        function: String,
        given: usize,
        required: usize,
    },
    /// A function argument make rejects, such as a non-numeric index for `word`.
    #[error("{}: invalid argument to function `{function}`: {message}", describe_line(*line))]
    InvalidFunctionArgument {
        line: usize,
        function: String,
        message: String,
    },
    /// `$(` or `${` without its closing parenthesis or brace.
    #[error("{}: unterminated variable reference or function call", describe_line(*line))]
    UnterminatedReference { line: usize },
    /// A recursively expanded variable whose value refers to itself, directly or through other variables.
    #[error("{}: recursive variable `{name}` references itself (eventually)", describe_line(*line))]
    RecursiveVariable { line: usize, name: String },
    /// An expansion nested or grown beyond this module's limits.
    #[error(
        "{}: expansion nests deeper than {MAXIMUM_EXPANSION_DEPTH} levels, or does more than \
         {MAXIMUM_REFERENCES_PER_EXPANSION} references or {MAXIMUM_BYTES_PER_EXPANSION} bytes of text",
        describe_line(*line)
    )]
    ExpansionTooComplex { line: usize },
    /// `$(error ...)` was expanded.
    #[error("{}: $(error) in the makefile: {message}", describe_line(*line))]
    ErrorFunction { line: usize, message: String },
    /// An `ifeq`, `ifneq`, `ifdef`, `ifndef` or `else` line make cannot parse.
    #[error("{}: invalid syntax in conditional", describe_line(*line))]
    InvalidConditional { line: usize },
    /// A conditional still open at the end of the makefile; `line` is the line that opened it.
    #[error("{}: conditional without its `endif`", describe_line(*line))]
    UnterminatedConditional { line: usize },
    /// `else` outside any conditional.
    #[error("{}: `else` without a conditional", describe_line(*line))]
    UnexpectedElse { line: usize },
    /// A second plain `else` in one conditional.
    #[error("{}: only one `else` per conditional", describe_line(*line))]
    DuplicateElse { line: usize },
    /// `endif` outside any conditional.
    #[error("{}: `endif` without a conditional", describe_line(*line))]
    UnexpectedEndif { line: usize },
    /// `define` without its `endef`; `line` is the `define` line.
    #[error("{}: `define` without its `endef`", describe_line(*line))]
    UnterminatedDefine { line: usize },
    /// `endef` outside any `define`.
    #[error("{}: `endef` without a `define`", describe_line(*line))]
    UnexpectedEndef { line: usize },
    /// An assignment whose variable name expands to nothing.
    #[error("{}: empty variable name", describe_line(*line))]
    EmptyVariableName { line: usize },
    /// A line that is neither an assignment, a directive nor a rule (make's "missing separator").
    #[error("{}: missing separator: not an assignment, a directive or a rule", describe_line(*line))]
    MissingSeparator { line: usize },
    /// A line starting with a TAB, outside any rule, that is not an assignment or a directive.
    #[error("{}: recipe commences before first target", describe_line(*line))]
    RecipeOutsideRule { line: usize },
}

/// The place an error is about, for its message.
fn describe_line(line: usize) -> String {
    if line == 0 {
        "outside the makefile".to_string()
    } else {
        format!("line {line}")
    }
}

impl MakeVariables {
    /// Evaluates the makefile text. `command_line` are variables given as `make NAME=value` (they override the
    /// file's assignments, and `$(origin NAME)` is "command line"); `environment` are variables of the environment
    /// (file assignments override them, `$(origin NAME)` is "environment"); `operating_system` is what
    /// `$(shell uname)` gives (e.g. "Linux").
    pub fn evaluate(
        text: &str,
        command_line: &[(&str, &str)],
        environment: &[(&str, &str)],
        operating_system: &str,
    ) -> Result<MakeVariables, MakefileError> {
        let mut variables = HashMap::new();
        let given_variables = [
            (DEFAULT_VARIABLES, Origin::Default),
            (environment, Origin::Environment),
            (command_line, Origin::CommandLine),
        ];
        for (definitions, origin) in given_variables {
            for (name, value) in definitions {
                let variable = Variable {
                    value: value.to_string(),
                    flavour: Flavour::Recursive,
                    origin,
                    line_starts: vec![LineStart { offset: 0, line: 0 }],
                };
                variables.insert(name.to_string(), variable);
            }
        }
        let mut makefile = MakeVariables {
            variables,
            operating_system: operating_system.to_string(),
        };
        MakefileReader::new(&mut makefile).read(text)?;
        Ok(makefile)
    }

    /// The fully expanded value of a variable (empty string for an undefined one, as make does), whitespace-trimmed.
    pub fn expand(&self, name: &str) -> Result<String, MakefileError> {
        let mut value = String::new();
        Expander::new(self).append_variable(name, 0, &mut value)?;
        Ok(value.trim_matches(is_space).to_string())
    }

    /// Expands an arbitrary text such as `"$(CXXFLAGS) -I$(incdir)"` with the makefile's variables,
    /// whitespace-trimmed. Errors in the text itself are on line 0.
    pub fn expand_text(&self, text: &str) -> Result<String, MakefileError> {
        let line_starts = [LineStart { offset: 0, line: 0 }];
        let value = self.expand_source(SourceText::new(text, &line_starts))?;
        Ok(value.trim_matches(is_space).to_string())
    }

    /// Where a variable's value came from, like make's `$(origin)`: "undefined", "default", "environment",
    /// "file", "command line" or "override".
    pub fn origin(&self, name: &str) -> &'static str {
        self.variables
            .get(name)
            .map_or("undefined", |variable| variable.origin.description())
    }

    /// Expands a text of the makefile (or of a variable) with the current variables.
    fn expand_source(&self, source: SourceText<'_>) -> Result<String, MakefileError> {
        Expander::new(self).expand(source)
    }

    /// Performs one assignment as make's `do_variable_definition` does: a variable from a higher-precedence origin
    /// (the command line over the file, `override` over the command line) is left alone.
    fn assign(
        &mut self,
        name: &str,
        operator: AssignmentOperator,
        value: SourceText<'_>,
        origin: Origin,
    ) -> Result<(), MakefileError> {
        let existing_origin = self.variables.get(name).map(|variable| variable.origin);
        if operator == AssignmentOperator::Conditional && existing_origin.is_some() {
            return Ok(());
        }
        if existing_origin.is_some_and(|existing_origin| existing_origin > origin) {
            return Ok(());
        }
        let line = value.line_at(0);
        let variable = match operator {
            AssignmentOperator::Recursive | AssignmentOperator::Conditional => {
                Variable::recursive_from_source(value, origin)
            }
            AssignmentOperator::Simple => {
                Variable::expanded(self.expand_source(value)?, Flavour::Simple, origin, line)
            }
            AssignmentOperator::ImmediateEscaped => {
                let expanded = self.expand_source(value)?.replace('$', "$$");
                Variable::expanded(expanded, Flavour::Recursive, origin, line)
            }
            AssignmentOperator::Shell => {
                let command = self.expand_source(value)?;
                let output = shell_output(&command, &self.operating_system, line)?;
                Variable::expanded(output, Flavour::Recursive, origin, line)
            }
            AssignmentOperator::Append => return self.append(name, value, origin),
        };
        self.variables.insert(name.to_string(), variable);
        Ok(())
    }

    /// `NAME += value`: appends, after a space, the value (expanded first if the variable is simply expanded) to a
    /// variable whose origin does not take precedence; defines a recursive variable if there is none.
    fn append(
        &mut self,
        name: &str,
        value: SourceText<'_>,
        origin: Origin,
    ) -> Result<(), MakefileError> {
        let Some(existing) = self.variables.get(name) else {
            self.variables.insert(
                name.to_string(),
                Variable::recursive_from_source(value, origin),
            );
            return Ok(());
        };
        let (addition, addition_line_starts) = match existing.flavour {
            Flavour::Recursive => (value.text.to_string(), value.owned_line_starts()),
            Flavour::Simple => {
                let line_starts = vec![LineStart {
                    offset: 0,
                    line: value.line_at(0),
                }];
                (self.expand_source(value)?, line_starts)
            }
        };
        if addition.is_empty() {
            return Ok(());
        }
        let Some(existing) = self.variables.get_mut(name) else {
            return Ok(());
        };
        if !existing.value.is_empty() {
            existing.value.push(' ');
        }
        let addition_offset = existing.value.len();
        existing.value.push_str(&addition);
        existing
            .line_starts
            .extend(addition_line_starts.into_iter().map(|start| LineStart {
                offset: start.offset + addition_offset,
                line: start.line,
            }));
        existing.origin = origin;
        Ok(())
    }

    /// `undefine NAME`: forgets a variable whose origin does not take precedence.
    fn undefine(&mut self, name: &str, origin: Origin) {
        if self
            .variables
            .get(name)
            .is_some_and(|variable| variable.origin <= origin)
        {
            self.variables.remove(name);
        }
    }
}

/// Where a variable's value came from, in make's order of precedence (a later one overrides an earlier one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Origin {
    Default,
    Environment,
    File,
    CommandLine,
    Override,
}

impl Origin {
    /// The name `$(origin)` gives.
    fn description(self) -> &'static str {
        match self {
            Origin::Default => "default",
            Origin::Environment => "environment",
            Origin::File => "file",
            Origin::CommandLine => "command line",
            Origin::Override => "override",
        }
    }
}

/// How a variable's value is used: expanded at each use, or already expanded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavour {
    Recursive,
    Simple,
}

/// A variable: its value, and the makefile lines its parts were written on (for error messages).
#[derive(Debug, Clone)]
struct Variable {
    value: String,
    flavour: Flavour,
    origin: Origin,
    /// Where each line of the value starts in `value`, sorted; the first starts at 0.
    line_starts: Vec<LineStart>,
}

impl Variable {
    /// A recursively expanded variable holding a text of the makefile as it is written.
    fn recursive_from_source(value: SourceText<'_>, origin: Origin) -> Variable {
        Variable {
            value: value.text.to_string(),
            flavour: Flavour::Recursive,
            origin,
            line_starts: value.owned_line_starts(),
        }
    }

    /// A variable holding a computed value, attributed to the line that computed it.
    fn expanded(value: String, flavour: Flavour, origin: Origin, line: usize) -> Variable {
        Variable {
            value,
            flavour,
            origin,
            line_starts: vec![LineStart { offset: 0, line }],
        }
    }

    /// The value as a text to expand.
    fn source(&self) -> SourceText<'_> {
        SourceText::new(&self.value, &self.line_starts)
    }
}

/// The start of a line of the makefile within a text: its byte offset there, and its 1-based line number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LineStart {
    offset: usize,
    line: usize,
}

/// A text to expand — a line of the makefile, a variable's value or a part of one — with the lines it comes
/// from, so that an error names the line the faulty reference was written on.
#[derive(Debug, Clone, Copy)]
struct SourceText<'a> {
    text: &'a str,
    /// The line starts of the whole text `text` is part of.
    line_starts: &'a [LineStart],
    /// Where `text` starts in that whole text.
    offset_in_whole: usize,
}

impl<'a> SourceText<'a> {
    fn new(text: &'a str, line_starts: &'a [LineStart]) -> SourceText<'a> {
        SourceText {
            text,
            line_starts,
            offset_in_whole: 0,
        }
    }

    /// The line the byte at `position` of the text is on.
    fn line_at(&self, position: usize) -> usize {
        let offset = self.offset_in_whole + position;
        let following = self
            .line_starts
            .partition_point(|start| start.offset <= offset);
        self.line_starts
            .get(following.saturating_sub(1))
            .map_or(0, |start| start.line)
    }

    /// The part `start..end` of the text (byte offsets at character boundaries).
    fn slice(&self, start: usize, end: usize) -> SourceText<'a> {
        SourceText {
            text: &self.text[start..end],
            line_starts: self.line_starts,
            offset_in_whole: self.offset_in_whole + start,
        }
    }

    /// The text without its leading and trailing whitespace.
    fn trimmed(&self) -> SourceText<'a> {
        let start = self.text.len() - self.text.trim_start_matches(is_space).len();
        let end = self.text.trim_end_matches(is_space).len().max(start);
        self.slice(start, end)
    }

    /// The line starts of the text alone, for storing it as a variable's value.
    fn owned_line_starts(&self) -> Vec<LineStart> {
        let start = self.offset_in_whole;
        let end = start + self.text.len();
        let mut line_starts = vec![LineStart {
            offset: 0,
            line: self.line_at(0),
        }];
        line_starts.extend(
            self.line_starts
                .iter()
                .filter(|line_start| line_start.offset > start && line_start.offset < end)
                .map(|line_start| LineStart {
                    offset: line_start.offset - start,
                    line: line_start.line,
                }),
        );
        line_starts
    }
}

/// Make's whitespace, between words and around values.
fn is_space(character: char) -> bool {
    matches!(character, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// [`is_space`] for a byte.
fn is_space_byte(byte: u8) -> bool {
    is_space(char::from(byte))
}

/// Make's blanks: the whitespace within a line.
fn is_blank_byte(byte: u8) -> bool {
    byte == b' ' || byte == b'\t'
}

/// The whitespace-separated words of a text.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(is_space).filter(|word| !word.is_empty())
}

/// A text's first word (up to the first whitespace) and the rest of it after that whitespace character.
fn split_first_word(text: &str) -> (&str, &str) {
    match text.find(is_space) {
        Some(end) => (&text[..end], &text[end + 1..]),
        None => (text, ""),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the makefile
// ---------------------------------------------------------------------------------------------------------------

/// A logical line: physical lines joined by backslash-newlines, still raw (the joins are in `text` as `\\\n`).
#[derive(Debug)]
struct LogicalLine {
    /// The 1-based number of its first physical line.
    number: usize,
    text: String,
}

/// Splits a makefile into logical lines: a physical line ending with an odd number of backslashes continues on
/// the next one. A carriage return before a newline is dropped.
fn logical_lines(text: &str) -> Vec<LogicalLine> {
    let mut lines = Vec::new();
    let mut continued: Option<LogicalLine> = None;
    for (index, physical) in text.split('\n').enumerate() {
        let physical = physical.strip_suffix('\r').unwrap_or(physical);
        let line = match continued.take() {
            Some(mut line) => {
                line.text.push('\n');
                line.text.push_str(physical);
                line
            }
            None => LogicalLine {
                number: index + 1,
                text: physical.to_string(),
            },
        };
        let trailing_backslashes = physical.len() - physical.trim_end_matches('\\').len();
        if !trailing_backslashes.is_multiple_of(2) {
            continued = Some(line);
        } else {
            lines.push(line);
        }
    }
    lines.extend(continued);
    lines
}

/// Joins the physical lines of a logical line as make does outside recipes: before each newline, backslashes are
/// halved; if there was an odd number of them, the newline, the blanks before it and the blanks starting the next
/// line become one space (otherwise the newline stays).
fn collapse_continuations(text: &str) -> String {
    if !text.contains('\n') {
        return text.to_string();
    }
    let mut output = String::with_capacity(text.len());
    let mut pieces = text.split('\n').peekable();
    let mut skip_leading_blanks = false;
    while let Some(piece) = pieces.next() {
        let piece = if skip_leading_blanks {
            piece.trim_start_matches([' ', '\t'])
        } else {
            piece
        };
        if pieces.peek().is_none() {
            output.push_str(piece);
            break;
        }
        let without_backslashes = piece.trim_end_matches('\\');
        let backslashes = piece.len() - without_backslashes.len();
        output.push_str(without_backslashes);
        output.extend(std::iter::repeat_n('\\', backslashes / 2));
        skip_leading_blanks = !backslashes.is_multiple_of(2);
        if skip_leading_blanks {
            let kept = output.trim_end_matches([' ', '\t']).len();
            output.truncate(kept);
            output.push(' ');
        } else {
            output.push('\n');
        }
    }
    output
}

/// Removes a `#` comment from a line, as make's `remove_comments` does: the backslashes before a `#` are halved,
/// and an odd number of them makes that `#` a literal one.
fn remove_comments(line: &str) -> String {
    let mut output = String::with_capacity(line.len());
    for character in line.chars() {
        if character == '#' {
            let backslashes = output.len() - output.trim_end_matches('\\').len();
            output.truncate(output.len() - (backslashes - backslashes / 2));
            if backslashes.is_multiple_of(2) {
                return output;
            }
        }
        output.push(character);
    }
    output
}

/// An assignment's operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AssignmentOperator {
    /// `=`: a recursively expanded variable, expanded at each use.
    Recursive,
    /// `:=` and `::=`: a simply expanded variable, expanded once, now.
    Simple,
    /// `:::=`: expanded now, its `$` escaped again, and recursively expanded at each use.
    ImmediateEscaped,
    /// `+=`: appended to the variable, keeping its flavour.
    Append,
    /// `?=`: a recursive variable, unless the variable is already defined.
    Conditional,
    /// `!=`: the output of a shell command.
    Shell,
}

/// What an assignment line does.
#[derive(Debug)]
enum AssignmentKind<'a> {
    /// `NAME op value`, with the name unexpanded and the value after the operator's following whitespace.
    Definition {
        name: &'a str,
        operator: AssignmentOperator,
        value: &'a str,
    },
    /// `define HEADER`, the header being the name and maybe an operator, unexpanded.
    Define { header: &'a str },
    /// `undefine NAME`, the name unexpanded.
    Undefine { name: &'a str },
}

/// An assignment line, with its `override` modifier.
#[derive(Debug)]
struct Assignment<'a> {
    is_override: bool,
    kind: AssignmentKind<'a>,
}

/// Recognises an assignment line (comments removed) as make's `parse_var_assignment` does: modifiers (`export`,
/// `unexport`, `override`, `private`) then either a variable definition, `define` or `undefine`.
fn parse_assignment(line: &str) -> Option<Assignment<'_>> {
    let mut rest = line.trim_start_matches(is_space);
    let mut is_override = false;
    while !rest.is_empty() {
        if let Some((name, operator, value)) = parse_variable_definition(rest) {
            let kind = AssignmentKind::Definition {
                name,
                operator,
                value,
            };
            return Some(Assignment { is_override, kind });
        }
        let (word, after_word) = split_first_word(rest);
        let after_word = after_word.trim_start_matches(is_space);
        match word {
            "export" | "unexport" | "private" => {}
            "override" => is_override = true,
            "define" => {
                let kind = AssignmentKind::Define { header: after_word };
                return Some(Assignment { is_override, kind });
            }
            "undefine" => {
                let kind = AssignmentKind::Undefine { name: after_word };
                return Some(Assignment { is_override, kind });
            }
            _ => return None,
        }
        rest = after_word;
    }
    None
}

/// Recognises `NAME op value` as make's `parse_variable_definition` does: the name runs to the operator or to a
/// blank, and is not split by references (`$(A:x=y) = 1` defines the variable named by that reference). Returns
/// the unexpanded name, the operator and the value without its leading whitespace.
fn parse_variable_definition(text: &str) -> Option<(&str, AssignmentOperator, &str)> {
    let bytes = text.as_bytes();
    let mut position = 0;
    let mut blank_start = None;
    loop {
        let mut character = *bytes.get(position)?;
        position += 1;
        if character == b'#' {
            return None;
        }
        if character == b'$' {
            let opening = *bytes.get(position)?;
            position += 1;
            let closing = match opening {
                b'(' => b')',
                b'{' => b'}',
                _ => continue,
            };
            let mut depth = 1;
            while let Some(&byte) = bytes.get(position) {
                position += 1;
                if byte == closing {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                } else if byte == opening {
                    depth += 1;
                }
            }
            continue;
        }
        if is_blank_byte(character) {
            blank_start = Some(position - 1);
            while bytes.get(position).copied().is_some_and(is_blank_byte) {
                position += 1;
            }
            character = *bytes.get(position)?;
            position += 1;
        }
        let operator_start = position - 1;
        let name_end = blank_start.unwrap_or(operator_start);
        let operator_and_value_start = if character == b'=' {
            Some((AssignmentOperator::Recursive, position))
        } else if bytes.get(position) == Some(&b'=') {
            let operator = match character {
                b':' => AssignmentOperator::Simple,
                b'+' => AssignmentOperator::Append,
                b'?' => AssignmentOperator::Conditional,
                b'!' => AssignmentOperator::Shell,
                _ if blank_start.is_some() => return None,
                // The `=` is read next, as a plain `=`.
                _ => continue,
            };
            Some((operator, position + 1))
        } else if character == b':' {
            if bytes.get(position..position + 2) == Some(b":=") {
                Some((AssignmentOperator::Simple, position + 2))
            } else if bytes.get(position..position + 3) == Some(b"::=") {
                Some((AssignmentOperator::ImmediateEscaped, position + 3))
            } else {
                return None;
            }
        } else {
            None
        };
        if let Some((operator, value_start)) = operator_and_value_start {
            let value = text[value_start..].trim_start_matches(is_space);
            return Some((&text[..name_end], operator, value));
        }
        if blank_start.is_some() {
            return None;
        }
    }
}

/// The name and operator of a `define` line's header (already expanded): `NAME`, `NAME =`, `NAME :=`, ...
fn split_define_header(header: &str) -> (&str, AssignmentOperator) {
    let header = header.trim_matches(is_space);
    let operators = [
        (":::=", AssignmentOperator::ImmediateEscaped),
        ("::=", AssignmentOperator::Simple),
        (":=", AssignmentOperator::Simple),
        ("+=", AssignmentOperator::Append),
        ("?=", AssignmentOperator::Conditional),
        ("!=", AssignmentOperator::Shell),
        ("=", AssignmentOperator::Recursive),
    ];
    for (spelling, operator) in operators {
        if let Some(name) = header.strip_suffix(spelling) {
            return (name.trim_end_matches(is_space), operator);
        }
    }
    (header, AssignmentOperator::Recursive)
}

/// The body of a `define`: the raw lines up to the matching `endef`.
struct DefineBody {
    text: String,
    line_starts: Vec<LineStart>,
    /// The index of the logical line after the `endef`.
    next_index: usize,
}

/// Whether a line (leading whitespace removed) starts with a directive word followed by a blank or its end.
fn starts_with_directive(line: &str, directive: &str) -> bool {
    line.strip_prefix(directive)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// Reads the body of a `define` opened on line `define_line`, from the logical line at `start_index`. Nested
/// `define`s are counted; lines starting with a TAB are never directives.
fn read_define_body(
    lines: &[LogicalLine],
    start_index: usize,
    define_line: usize,
) -> Result<DefineBody, MakefileError> {
    let mut nesting = 1;
    let mut text = String::new();
    let mut line_starts = Vec::new();
    for (index, logical_line) in lines.iter().enumerate().skip(start_index) {
        if !logical_line.text.starts_with('\t') {
            let content = logical_line.text.trim_start_matches(is_space);
            if starts_with_directive(content, "define") {
                nesting += 1;
            } else if starts_with_directive(content, "endef") {
                nesting -= 1;
                if nesting == 0 {
                    if line_starts.is_empty() {
                        line_starts.push(LineStart {
                            offset: 0,
                            line: logical_line.number,
                        });
                    }
                    return Ok(DefineBody {
                        text,
                        line_starts,
                        next_index: index + 1,
                    });
                }
            }
        }
        if !line_starts.is_empty() {
            text.push('\n');
        }
        line_starts.push(LineStart {
            offset: text.len(),
            line: logical_line.number,
        });
        text.push_str(&logical_line.text);
    }
    Err(MakefileError::UnterminatedDefine { line: define_line })
}

/// The conditional directives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ConditionalKind {
    IfEqual,
    IfNotEqual,
    IfDefined,
    IfNotDefined,
    Else,
    EndIf,
}

impl ConditionalKind {
    fn from_word(word: &str) -> Option<ConditionalKind> {
        match word {
            "ifeq" => Some(ConditionalKind::IfEqual),
            "ifneq" => Some(ConditionalKind::IfNotEqual),
            "ifdef" => Some(ConditionalKind::IfDefined),
            "ifndef" => Some(ConditionalKind::IfNotDefined),
            "else" => Some(ConditionalKind::Else),
            "endif" => Some(ConditionalKind::EndIf),
            _ => None,
        }
    }
}

/// Where a conditional is among its branches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BranchState {
    /// In the branch being read.
    Taking,
    /// No branch taken yet: a following `else` is taken.
    NotYetTaken,
    /// A branch was taken: the following ones are skipped.
    AlreadyTaken,
}

/// An open conditional.
#[derive(Debug)]
struct ConditionalLevel {
    state: BranchState,
    seen_plain_else: bool,
    opening_line: usize,
}

/// Splits the arguments of `ifeq`/`ifneq` as make's `conditional_line` does: `(a,b)` — blanks before the comma and
/// after it are dropped, but not those after `(` or before `)` — or two quoted strings, `"a" "b"` or `'a' 'b'`.
/// Returns the byte ranges of the two (unexpanded) arguments.
fn split_comparison(arguments: &str) -> Option<(Range<usize>, Range<usize>)> {
    let bytes = arguments.as_bytes();
    match *bytes.first()? {
        b'(' => {
            let mut depth = 0_i64;
            let mut comma = None;
            for (index, &byte) in bytes.iter().enumerate().skip(1) {
                match byte {
                    b'(' => depth += 1,
                    b')' => depth -= 1,
                    b',' if depth <= 0 => {
                        comma = Some(index);
                        break;
                    }
                    _ => {}
                }
            }
            let comma = comma?;
            let mut first_end = comma;
            while first_end > 1 && is_blank_byte(bytes[first_end - 1]) {
                first_end -= 1;
            }
            let mut second_start = comma + 1;
            while bytes.get(second_start).copied().is_some_and(is_space_byte) {
                second_start += 1;
            }
            let mut depth = 0_i64;
            let mut second_end = None;
            for (index, &byte) in bytes.iter().enumerate().skip(second_start) {
                match byte {
                    b'(' => depth += 1,
                    b')' if depth <= 0 => {
                        second_end = Some(index);
                        break;
                    }
                    b')' => depth -= 1,
                    _ => {}
                }
            }
            Some((1..first_end, second_start..second_end?))
        }
        first_quote @ (b'"' | b'\'') => {
            let first_end = 1 + arguments[1..].find(char::from(first_quote))?;
            let mut second_quote_position = first_end + 1;
            while bytes
                .get(second_quote_position)
                .copied()
                .is_some_and(is_space_byte)
            {
                second_quote_position += 1;
            }
            let second_quote = *bytes.get(second_quote_position)?;
            if second_quote != b'"' && second_quote != b'\'' {
                return None;
            }
            let second_start = second_quote_position + 1;
            let second_end =
                second_start + arguments[second_start..].find(char::from(second_quote))?;
            Some((1..first_end, second_start..second_end))
        }
        _ => None,
    }
}

/// Whether a line has a `:` outside `$(...)` and `${...}` references: a rule (or a target-specific assignment).
fn has_colon_outside_references(line: &str) -> bool {
    let bytes = line.as_bytes();
    let mut position = 0;
    while let Some(&byte) = bytes.get(position) {
        position += 1;
        match byte {
            b':' => return true,
            b'$' => {
                let closing = match bytes.get(position) {
                    Some(b'(') => b')',
                    Some(b'{') => b'}',
                    _ => {
                        position += 1;
                        continue;
                    }
                };
                let opening = bytes[position];
                position += 1;
                let mut depth = 0_usize;
                while let Some(&byte) = bytes.get(position) {
                    position += 1;
                    if byte == opening {
                        depth += 1;
                    } else if byte == closing {
                        if depth == 0 {
                            break;
                        }
                        depth -= 1;
                    }
                }
            }
            _ => {}
        }
    }
    false
}

/// Reads a makefile's lines into a [`MakeVariables`], as make's `eval` does, skipping rules.
struct MakefileReader<'a> {
    makefile: &'a mut MakeVariables,
    conditionals: Vec<ConditionalLevel>,
    /// After a rule line, until an assignment or a directive: lines starting with a TAB are its recipe.
    in_rule_context: bool,
}

impl<'a> MakefileReader<'a> {
    fn new(makefile: &'a mut MakeVariables) -> MakefileReader<'a> {
        MakefileReader {
            makefile,
            conditionals: Vec::new(),
            in_rule_context: false,
        }
    }

    /// Whether lines are being skipped, in a branch not taken.
    fn is_ignoring(&self) -> bool {
        self.conditionals
            .iter()
            .any(|level| level.state != BranchState::Taking)
    }

    fn read(&mut self, text: &str) -> Result<(), MakefileError> {
        let lines = logical_lines(text);
        let mut index = 0;
        while let Some(logical_line) = lines.get(index) {
            index += 1;
            let number = logical_line.number;
            let starts_with_tab = logical_line.text.starts_with('\t');
            if starts_with_tab && self.in_rule_context {
                continue;
            }
            let line = remove_comments(&collapse_continuations(&logical_line.text));
            let content = line.trim_start_matches(is_space);
            if let Some(assignment) = parse_assignment(content) {
                if self.is_ignoring() {
                    if let AssignmentKind::Define { .. } = assignment.kind {
                        index = read_define_body(&lines, index, number)?.next_index;
                    }
                    continue;
                }
                self.in_rule_context = false;
                index = self.perform_assignment(assignment, number, &lines, index)?;
                continue;
            }
            if content.is_empty() {
                continue;
            }
            let (first_word, rest) = split_first_word(content);
            if let Some(kind) = ConditionalKind::from_word(first_word) {
                self.conditional(kind, rest.trim_start_matches(is_space), number)?;
                continue;
            }
            if self.is_ignoring() {
                continue;
            }
            match first_word {
                "endef" => return Err(MakefileError::UnexpectedEndef { line: number }),
                "include" | "-include" | "sinclude" | "load" | "-load" | "export" | "unexport"
                | "vpath" => {
                    self.in_rule_context = false;
                }
                _ => self.rule_or_other_line(content, starts_with_tab, number)?,
            }
        }
        match self.conditionals.last() {
            Some(level) => Err(MakefileError::UnterminatedConditional {
                line: level.opening_line,
            }),
            None => Ok(()),
        }
    }

    /// Performs an assignment on line `number`; returns the index of the next logical line to read (after the
    /// body of a `define`).
    fn perform_assignment(
        &mut self,
        assignment: Assignment<'_>,
        number: usize,
        lines: &[LogicalLine],
        next_index: usize,
    ) -> Result<usize, MakefileError> {
        let origin = if assignment.is_override {
            Origin::Override
        } else {
            Origin::File
        };
        let line_starts = [LineStart {
            offset: 0,
            line: number,
        }];
        match assignment.kind {
            AssignmentKind::Definition {
                name,
                operator,
                value,
            } => {
                let name = self
                    .makefile
                    .expand_source(SourceText::new(name, &line_starts))?;
                if name.is_empty() {
                    return Err(MakefileError::EmptyVariableName { line: number });
                }
                let value = SourceText::new(value, &line_starts);
                self.makefile.assign(&name, operator, value, origin)?;
                Ok(next_index)
            }
            AssignmentKind::Define { header } => {
                let body = read_define_body(lines, next_index, number)?;
                let header = self
                    .makefile
                    .expand_source(SourceText::new(header, &line_starts))?;
                let (name, operator) = split_define_header(&header);
                if name.is_empty() {
                    return Err(MakefileError::EmptyVariableName { line: number });
                }
                let value = SourceText::new(&body.text, &body.line_starts);
                self.makefile.assign(name, operator, value, origin)?;
                Ok(body.next_index)
            }
            AssignmentKind::Undefine { name } => {
                let name = self
                    .makefile
                    .expand_source(SourceText::new(name, &line_starts))?;
                let name = name.trim_matches(is_space);
                if name.is_empty() {
                    return Err(MakefileError::EmptyVariableName { line: number });
                }
                self.makefile.undefine(name, origin);
                Ok(next_index)
            }
        }
    }

    /// Handles a conditional directive on line `number`, `arguments` being the text after its keyword.
    fn conditional(
        &mut self,
        kind: ConditionalKind,
        arguments: &str,
        number: usize,
    ) -> Result<(), MakefileError> {
        match kind {
            ConditionalKind::EndIf => match self.conditionals.pop() {
                Some(_) => Ok(()),
                None => Err(MakefileError::UnexpectedEndif { line: number }),
            },
            ConditionalKind::Else => {
                let Some(level) = self.conditionals.last_mut() else {
                    return Err(MakefileError::UnexpectedElse { line: number });
                };
                if level.seen_plain_else {
                    return Err(MakefileError::DuplicateElse { line: number });
                }
                level.state = match level.state {
                    BranchState::NotYetTaken => BranchState::Taking,
                    BranchState::Taking | BranchState::AlreadyTaken => BranchState::AlreadyTaken,
                };
                let arguments = arguments.trim_end_matches(is_space);
                if arguments.is_empty() {
                    level.seen_plain_else = true;
                    return Ok(());
                }
                let (word, rest) = split_first_word(arguments);
                let nested_kind = ConditionalKind::from_word(word)
                    .filter(|kind| !matches!(kind, ConditionalKind::Else | ConditionalKind::EndIf))
                    .ok_or(MakefileError::InvalidConditional { line: number })?;
                let nested_state =
                    self.test(nested_kind, rest.trim_start_matches(is_space), number)?;
                if let Some(level) = self.conditionals.last_mut() {
                    if level.state != BranchState::AlreadyTaken {
                        level.state = nested_state;
                    }
                }
                Ok(())
            }
            ConditionalKind::IfEqual
            | ConditionalKind::IfNotEqual
            | ConditionalKind::IfDefined
            | ConditionalKind::IfNotDefined => {
                let state = self.test(kind, arguments, number)?;
                self.conditionals.push(ConditionalLevel {
                    state,
                    seen_plain_else: false,
                    opening_line: number,
                });
                Ok(())
            }
        }
    }

    /// The state of a new conditional branch: its test is evaluated only if lines are not being skipped.
    fn test(
        &self,
        kind: ConditionalKind,
        arguments: &str,
        number: usize,
    ) -> Result<BranchState, MakefileError> {
        if self.is_ignoring() {
            return Ok(BranchState::NotYetTaken);
        }
        let line_starts = [LineStart {
            offset: 0,
            line: number,
        }];
        let source = SourceText::new(arguments, &line_starts);
        let invalid = MakefileError::InvalidConditional { line: number };
        let holds = match kind {
            ConditionalKind::IfEqual | ConditionalKind::IfNotEqual => {
                let (first, second) = split_comparison(arguments).ok_or(invalid)?;
                let first = self
                    .makefile
                    .expand_source(source.slice(first.start, first.end))?;
                let second = self
                    .makefile
                    .expand_source(source.slice(second.start, second.end))?;
                (first == second) == (kind == ConditionalKind::IfEqual)
            }
            ConditionalKind::IfDefined | ConditionalKind::IfNotDefined => {
                let expanded = self.makefile.expand_source(source)?;
                let name = expanded.trim_end_matches(is_space);
                if name.contains(is_space) {
                    return Err(invalid);
                }
                let is_defined = self
                    .makefile
                    .variables
                    .get(name)
                    .is_some_and(|variable| !variable.value.is_empty());
                is_defined == (kind == ConditionalKind::IfDefined)
            }
            ConditionalKind::Else | ConditionalKind::EndIf => return Err(invalid),
        };
        Ok(if holds {
            BranchState::Taking
        } else {
            BranchState::NotYetTaken
        })
    }

    /// A line that is neither an assignment nor a directive: a rule, which is skipped, or a line of function calls
    /// that must expand to nothing (or to a rule).
    fn rule_or_other_line(
        &mut self,
        content: &str,
        starts_with_tab: bool,
        number: usize,
    ) -> Result<(), MakefileError> {
        if starts_with_tab {
            return Err(MakefileError::RecipeOutsideRule { line: number });
        }
        self.in_rule_context = false;
        if has_colon_outside_references(content) {
            self.in_rule_context = true;
            return Ok(());
        }
        let line_starts = [LineStart {
            offset: 0,
            line: number,
        }];
        let expanded = self
            .makefile
            .expand_source(SourceText::new(content, &line_starts))?;
        if expanded.trim_matches(is_space).is_empty() {
            return Ok(());
        }
        if expanded.contains(':') {
            self.in_rule_context = true;
            return Ok(());
        }
        Err(MakefileError::MissingSeparator { line: number })
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Expanding
// ---------------------------------------------------------------------------------------------------------------

/// One expansion, with its guards: the recursive variables being expanded, the nesting depth, and the work done.
struct Expander<'a> {
    variables: &'a HashMap<String, Variable>,
    operating_system: &'a str,
    variables_being_expanded: Vec<&'a str>,
    depth: usize,
    references: usize,
    bytes: usize,
}

impl<'a> Expander<'a> {
    fn new(makefile: &'a MakeVariables) -> Expander<'a> {
        Expander {
            variables: &makefile.variables,
            operating_system: &makefile.operating_system,
            variables_being_expanded: Vec::new(),
            depth: 0,
            references: 0,
            bytes: 0,
        }
    }

    /// Expands a text: its references and function calls replaced by their values.
    fn expand(&mut self, source: SourceText<'_>) -> Result<String, MakefileError> {
        if self.depth >= MAXIMUM_EXPANSION_DEPTH {
            return Err(MakefileError::ExpansionTooComplex {
                line: source.line_at(0),
            });
        }
        self.depth += 1;
        let result = self.expand_references(source);
        self.depth -= 1;
        let output = result?;
        self.bytes = self.bytes.saturating_add(output.len());
        if self.bytes > MAXIMUM_BYTES_PER_EXPANSION {
            return Err(MakefileError::ExpansionTooComplex {
                line: source.line_at(0),
            });
        }
        Ok(output)
    }

    fn expand_references(&mut self, source: SourceText<'_>) -> Result<String, MakefileError> {
        let text = source.text;
        let mut output = String::new();
        let mut position = 0;
        while let Some(found) = text[position..].find('$') {
            let dollar = position + found;
            output.push_str(&text[position..dollar]);
            let after_dollar = dollar + 1;
            let Some(next_character) = text[after_dollar..].chars().next() else {
                // A `$` ending the text stands for itself.
                output.push('$');
                position = text.len();
                break;
            };
            self.references += 1;
            if self.references > MAXIMUM_REFERENCES_PER_EXPANSION {
                return Err(MakefileError::ExpansionTooComplex {
                    line: source.line_at(dollar),
                });
            }
            position = match next_character {
                '$' => {
                    output.push('$');
                    after_dollar + 1
                }
                '(' => self.expand_parenthesised(source, dollar, b'(', b')', &mut output)?,
                '{' => self.expand_parenthesised(source, dollar, b'{', b'}', &mut output)?,
                _ => {
                    let name_end = after_dollar + next_character.len_utf8();
                    let name = &text[after_dollar..name_end];
                    self.append_variable(name, source.line_at(dollar), &mut output)?;
                    name_end
                }
            };
            if self.bytes.saturating_add(output.len()) > MAXIMUM_BYTES_PER_EXPANSION {
                return Err(MakefileError::ExpansionTooComplex {
                    line: source.line_at(dollar),
                });
            }
        }
        output.push_str(&text[position..]);
        Ok(output)
    }

    /// Expands the `$(...)` or `${...}` starting at `dollar` into `output`; returns the position after it.
    fn expand_parenthesised(
        &mut self,
        source: SourceText<'_>,
        dollar: usize,
        opening: u8,
        closing: u8,
        output: &mut String,
    ) -> Result<usize, MakefileError> {
        let text = source.text;
        let bytes = text.as_bytes();
        let inner_start = dollar + 2;
        let line = source.line_at(dollar);
        if let Some(function) = function_at(text, inner_start) {
            return self.expand_function(source, function, inner_start, (opening, closing), output);
        }
        let Some(first_closing) = find_byte(bytes, inner_start, closing) else {
            return Err(MakefileError::UnterminatedReference { line });
        };
        let mut resume = first_closing + 1;
        let name = if text[inner_start..first_closing].contains('$') {
            match matching_closing(bytes, inner_start, opening, closing) {
                Some(end) => {
                    resume = end + 1;
                    self.expand(source.slice(inner_start, end))?
                }
                // Make takes the text up to the first closing character as the name, and the rest of the text
                // as part of the reference.
                None => {
                    resume = text.len();
                    text[inner_start..first_closing].to_string()
                }
            }
        } else {
            text[inner_start..first_closing].to_string()
        };
        if let Some(colon) = name.find(':') {
            if let Some(equals) = name[colon + 1..].find('=') {
                let equals = colon + 1 + equals;
                let mut value = String::new();
                self.append_variable(&name[..colon], line, &mut value)?;
                output.push_str(&substitution_reference(
                    &value,
                    &name[colon + 1..equals],
                    &name[equals + 1..],
                ));
                return Ok(resume);
            }
        }
        self.append_variable(&name, line, output)?;
        Ok(resume)
    }

    /// Appends a variable's value to `output`, expanding it if it is recursive; nothing for an undefined variable.
    /// `line` is the line of the reference, for the error if the variable refers to itself.
    fn append_variable(
        &mut self,
        name: &str,
        line: usize,
        output: &mut String,
    ) -> Result<(), MakefileError> {
        let variables = self.variables;
        let Some((stored_name, variable)) = variables.get_key_value(name) else {
            return Ok(());
        };
        match variable.flavour {
            Flavour::Simple => output.push_str(&variable.value),
            Flavour::Recursive => {
                if self
                    .variables_being_expanded
                    .contains(&stored_name.as_str())
                {
                    return Err(MakefileError::RecursiveVariable {
                        line,
                        name: name.to_string(),
                    });
                }
                self.variables_being_expanded.push(stored_name);
                let expansion = self.expand(variable.source());
                self.variables_being_expanded.pop();
                output.push_str(&expansion?);
            }
        }
        Ok(())
    }

    /// Expands the call of `function` whose name starts at `inner_start` into `output`; returns the position after
    /// the call. Arguments are split at the commas outside nested parentheses of the call's own kind.
    fn expand_function(
        &mut self,
        source: SourceText<'_>,
        function: &'static (&'static str, usize, usize),
        inner_start: usize,
        (opening, closing): (u8, u8),
        output: &mut String,
    ) -> Result<usize, MakefileError> {
        let &(name, minimum_arguments, maximum_arguments) = function;
        let bytes = source.text.as_bytes();
        let line = source.line_at(inner_start);
        let mut arguments_start = inner_start + name.len();
        while bytes
            .get(arguments_start)
            .copied()
            .is_some_and(is_space_byte)
        {
            arguments_start += 1;
        }
        let mut depth = 0_usize;
        let mut commas = Vec::new();
        let mut end = None;
        for (index, &byte) in bytes.iter().enumerate().skip(arguments_start) {
            if byte == opening {
                depth += 1;
            } else if byte == closing {
                if depth == 0 {
                    end = Some(index);
                    break;
                }
                depth -= 1;
            } else if byte == b',' && depth == 0 {
                commas.push(index);
            }
        }
        let end = end.ok_or(MakefileError::UnterminatedReference { line })?;
        if commas.len() + 1 < minimum_arguments {
            return Err(MakefileError::InsufficientArguments {
                line,
                function: name.to_string(),
                given: commas.len() + 1,
                required: minimum_arguments,
            });
        }
        let mut arguments = Vec::new();
        let mut argument_start = arguments_start;
        for comma in commas {
            if maximum_arguments != 0 && arguments.len() + 1 == maximum_arguments {
                break;
            }
            arguments.push(source.slice(argument_start, comma));
            argument_start = comma + 1;
        }
        arguments.push(source.slice(argument_start, end));
        let result = self.call_function(name, &arguments, line)?;
        output.push_str(&result);
        Ok(end + 1)
    }

    /// Evaluates a function on its unexpanded arguments.
    fn call_function(
        &mut self,
        function: &str,
        arguments: &[SourceText<'_>],
        line: usize,
    ) -> Result<String, MakefileError> {
        if !SUPPORTED_FUNCTIONS.contains(&function) {
            return Err(MakefileError::UnsupportedFunction {
                line,
                function: function.to_string(),
            });
        }
        match function {
            "if" => return self.function_if(arguments),
            "and" => return self.function_and(arguments),
            "or" => return self.function_or(arguments),
            _ => {}
        }
        let mut values = Vec::with_capacity(arguments.len());
        for argument in arguments {
            values.push(self.expand(*argument)?);
        }
        let argument = |index: usize| values.get(index).map_or("", String::as_str);
        let value = match function {
            "origin" => self
                .variables
                .get(argument(0))
                .map_or("undefined", |variable| variable.origin.description())
                .to_string(),
            "flavor" => match self
                .variables
                .get(argument(0))
                .map(|variable| variable.flavour)
            {
                None => "undefined",
                Some(Flavour::Recursive) => "recursive",
                Some(Flavour::Simple) => "simple",
            }
            .to_string(),
            "value" => self
                .variables
                .get(argument(0))
                .map_or(String::new(), |variable| variable.value.clone()),
            "shell" => shell_output(argument(0), self.operating_system, line)?,
            "subst" => substitute(argument(0), argument(1), argument(2)),
            "patsubst" => pattern_substitute(argument(0), argument(1), argument(2)),
            "filter" => filter_words(argument(0), argument(1), true),
            "filter-out" => filter_words(argument(0), argument(1), false),
            "findstring" => {
                if argument(1).contains(argument(0)) {
                    argument(0).to_string()
                } else {
                    String::new()
                }
            }
            "sort" => {
                let mut sorted: Vec<&str> = words(argument(0)).collect();
                sorted.sort_unstable();
                sorted.dedup();
                sorted.join(" ")
            }
            "strip" => words(argument(0)).collect::<Vec<_>>().join(" "),
            "words" => words(argument(0)).count().to_string(),
            "word" => {
                let index = parse_count("word", "first", argument(0), line)?;
                if index == 0 {
                    return Err(invalid_argument(
                        "word",
                        "the first argument must be greater than 0",
                        line,
                    ));
                }
                words(argument(1)).nth(index - 1).unwrap_or("").to_string()
            }
            "wordlist" => {
                let first = parse_count("wordlist", "first", argument(0), line)?;
                let last = parse_count("wordlist", "second", argument(1), line)?;
                if first == 0 {
                    return Err(invalid_argument(
                        "wordlist",
                        "the first argument must be greater than 0",
                        line,
                    ));
                }
                let count = (last + 1).saturating_sub(first);
                words(argument(2))
                    .skip(first - 1)
                    .take(count)
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            "firstword" => words(argument(0)).next().unwrap_or("").to_string(),
            "lastword" => words(argument(0)).last().unwrap_or("").to_string(),
            "notdir" => map_words(argument(0), |word| {
                Some(word.rsplit('/').next().unwrap_or(word).to_string())
            }),
            "dir" => map_words(argument(0), |word| match word.rfind('/') {
                Some(slash) => Some(word[..=slash].to_string()),
                None => Some("./".to_string()),
            }),
            "suffix" => map_words(argument(0), |word| {
                let dot = word.rfind(['.', '/'])?;
                word[dot..]
                    .starts_with('.')
                    .then(|| word[dot..].to_string())
            }),
            "basename" => map_words(argument(0), |word| match word.rfind(['.', '/']) {
                Some(dot) if word[dot..].starts_with('.') => Some(word[..dot].to_string()),
                _ => Some(word.to_string()),
            }),
            "addprefix" => map_words(argument(1), |word| Some(format!("{}{word}", argument(0)))),
            "addsuffix" => map_words(argument(1), |word| Some(format!("{word}{}", argument(0)))),
            "join" => {
                let mut firsts = words(argument(0));
                let mut seconds = words(argument(1));
                let mut joined = Vec::new();
                loop {
                    match (firsts.next(), seconds.next()) {
                        (None, None) => break,
                        (first, second) => {
                            joined.push(format!("{}{}", first.unwrap_or(""), second.unwrap_or("")))
                        }
                    }
                }
                joined.join(" ")
            }
            "info" | "warning" => String::new(),
            "error" => {
                return Err(MakefileError::ErrorFunction {
                    line,
                    message: argument(0).to_string(),
                })
            }
            _ => {
                return Err(MakefileError::UnsupportedFunction {
                    line,
                    function: function.to_string(),
                })
            }
        };
        Ok(value)
    }

    /// `$(if condition,then[,else])`: the condition, stripped, is true if it expands to anything (even blanks);
    /// only the branch chosen is expanded.
    fn function_if(&mut self, arguments: &[SourceText<'_>]) -> Result<String, MakefileError> {
        let Some(condition) = arguments.first().map(SourceText::trimmed) else {
            return Ok(String::new());
        };
        let holds = !condition.text.is_empty() && !self.expand(condition)?.is_empty();
        match arguments.get(if holds { 1 } else { 2 }) {
            Some(branch) => self.expand(*branch),
            None => Ok(String::new()),
        }
    }

    /// `$(and a,b,...)`: the stripped arguments expanded in turn, up to the first empty one (giving nothing);
    /// the last one's expansion if none is.
    fn function_and(&mut self, arguments: &[SourceText<'_>]) -> Result<String, MakefileError> {
        let mut last = String::new();
        for argument in arguments {
            let argument = argument.trimmed();
            if argument.text.is_empty() {
                return Ok(String::new());
            }
            last = self.expand(argument)?;
            if last.is_empty() {
                return Ok(String::new());
            }
        }
        Ok(last)
    }

    /// `$(or a,b,...)`: the first non-empty expansion of the stripped arguments.
    fn function_or(&mut self, arguments: &[SourceText<'_>]) -> Result<String, MakefileError> {
        for argument in arguments {
            let argument = argument.trimmed();
            if argument.text.is_empty() {
                continue;
            }
            let expansion = self.expand(argument)?;
            if !expansion.is_empty() {
                return Ok(expansion);
            }
        }
        Ok(String::new())
    }
}

/// The built-in function whose name starts a `$(` reference at `start`: a name of [`MAKE_FUNCTIONS`] followed by
/// whitespace (or the end of the text). `$(if)` is a reference to a variable named `if`.
fn function_at(text: &str, start: usize) -> Option<&'static (&'static str, usize, usize)> {
    let name_length = text[start..]
        .bytes()
        .take_while(|byte| byte.is_ascii_lowercase() || *byte == b'-')
        .count();
    if name_length == 0 {
        return None;
    }
    let name_end = start + name_length;
    if text
        .as_bytes()
        .get(name_end)
        .is_some_and(|byte| !is_space_byte(*byte))
    {
        return None;
    }
    MAKE_FUNCTIONS
        .iter()
        .find(|(name, _, _)| *name == &text[start..name_end])
}

/// The position of the first `byte` at or after `start`.
fn find_byte(bytes: &[u8], start: usize, byte: u8) -> Option<usize> {
    bytes
        .get(start..)?
        .iter()
        .position(|candidate| *candidate == byte)
        .map(|position| start + position)
}

/// The position of the `closing` byte that closes a reference whose text starts at `start`, nested pairs of
/// `opening` and `closing` skipped.
fn matching_closing(bytes: &[u8], start: usize, opening: u8, closing: u8) -> Option<usize> {
    let mut depth = 0_usize;
    for (index, &byte) in bytes.iter().enumerate().skip(start) {
        if byte == opening {
            depth += 1;
        } else if byte == closing {
            if depth == 0 {
                return Some(index);
            }
            depth -= 1;
        }
    }
    None
}

/// What `$(shell command)` gives: the operating system for `uname` (or `uname -s`); any other command is
/// unsupported, as glia never runs a shell.
fn shell_output(
    command: &str,
    operating_system: &str,
    line: usize,
) -> Result<String, MakefileError> {
    let command_words: Vec<&str> = words(command).collect();
    match command_words.as_slice() {
        ["uname"] | ["uname", "-s"] => Ok(operating_system.trim_matches(is_space).to_string()),
        _ => Err(MakefileError::UnsupportedFunction {
            line,
            function: format!("shell {}", command_words.join(" ")),
        }),
    }
}

/// An [`MakefileError::InvalidFunctionArgument`].
fn invalid_argument(function: &str, message: &str, line: usize) -> MakefileError {
    MakefileError::InvalidFunctionArgument {
        line,
        function: function.to_string(),
        message: message.to_string(),
    }
}

/// A numeric argument of `word` or `wordlist`: digits, maybe surrounded by whitespace (nothing counts as 0).
fn parse_count(
    function: &str,
    which: &str,
    text: &str,
    line: usize,
) -> Result<usize, MakefileError> {
    let digits = text.trim_matches(is_space);
    if !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        let message = format!("non-numeric {which} argument `{text}`");
        return Err(invalid_argument(function, &message, line));
    }
    if digits.is_empty() {
        return Ok(0);
    }
    Ok(digits.parse().unwrap_or(usize::MAX))
}

/// Applies a function to each word of a text, joining the results that are not `None` with single spaces.
fn map_words(text: &str, function: impl FnMut(&str) -> Option<String>) -> String {
    words(text)
        .filter_map(function)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `$(subst from,to,text)`: every occurrence of `from` replaced; an empty `from` matches once, at the end.
fn substitute(from: &str, to: &str, text: &str) -> String {
    if from.is_empty() {
        format!("{text}{to}")
    } else {
        text.replace(from, to)
    }
}

/// What a make pattern (with at most one meaningful `%`, the first) matches in a word: the stem (the text `%`
/// stands for; empty for a pattern without `%`, which must equal the word).
fn pattern_stem<'w>(pattern: &str, word: &'w str) -> Option<&'w str> {
    let Some(percent) = pattern.find('%') else {
        return (pattern == word).then_some("");
    };
    let (prefix, suffix) = (&pattern[..percent], &pattern[percent + 1..]);
    let matches = word.len() >= prefix.len() + suffix.len()
        && word.starts_with(prefix)
        && word.ends_with(suffix);
    matches.then(|| &word[prefix.len()..word.len() - suffix.len()])
}

/// `$(patsubst pattern,replacement,text)`: each word matching the pattern replaced, the first `%` of the
/// replacement by the stem if the pattern has a `%`; words joined with single spaces.
fn pattern_substitute(pattern: &str, replacement: &str, text: &str) -> String {
    let pattern_has_percent = pattern.contains('%');
    map_words(text, |word| {
        Some(match pattern_stem(pattern, word) {
            Some(stem) if pattern_has_percent => replacement.replacen('%', stem, 1),
            Some(_) => replacement.to_string(),
            None => word.to_string(),
        })
    })
}

/// `$(NAME:pattern=replacement)`: `patsubst` on the value, a pattern without `%` standing for a suffix.
fn substitution_reference(value: &str, pattern: &str, replacement: &str) -> String {
    if pattern.contains('%') {
        pattern_substitute(pattern, replacement, value)
    } else {
        pattern_substitute(&format!("%{pattern}"), &format!("%{replacement}"), value)
    }
}

/// `$(filter patterns,text)` (`keep_matching`) and `$(filter-out patterns,text)`.
fn filter_words(patterns: &str, text: &str, keep_matching: bool) -> String {
    let patterns: Vec<&str> = words(patterns).collect();
    map_words(text, |word| {
        let matches = patterns
            .iter()
            .any(|pattern| pattern_stem(pattern, word).is_some());
        (matches == keep_matching).then(|| word.to_string())
    })
}

#[cfg(test)]
mod tests;
