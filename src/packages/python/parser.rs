//! The top-level statements of a Python module, read exactly as far as they are simple: imports, assignments to
//! names and expression statements, with expressions made of names, literals, lists, tuples, dicts, attribute
//! access, calls and arithmetic. Everything else (a `def`, an `if`, a comprehension, a conditional expression …)
//! is kept as a statement this reader does not understand, with its tokens, so that the evaluator can tell whether
//! it might change what it reads.

use std::ops::Range;

use super::lexer::{tokenize, Token, TokenKind};
use crate::span::Span;

/// Python's reserved words; a name token spelled like one of these is not a name.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// A module's source and its top-level statements.
#[derive(Debug)]
pub struct Module {
    pub tokens: Vec<Token>,
    pub statements: Vec<Statement>,
}

#[derive(Debug)]
pub struct Statement {
    pub kind: StatementKind,
    /// From the statement's first token to the end of its last (nested lines included).
    pub span: Span,
    /// The statement's tokens, nested lines included.
    pub tokens: Range<usize>,
}

#[derive(Debug)]
pub enum StatementKind {
    /// `import a.b as c, d`: (module path, the name it binds).
    Import(Vec<(String, String)>),
    /// `from module import a as b, c` (`level` counts leading dots); `names` is empty for `*`.
    FromImport {
        module: String,
        level: usize,
        names: Vec<(String, String)>,
    },
    /// `a = b = value` (only names as targets).
    Assign {
        targets: Vec<(String, Span)>,
        value: Expression,
    },
    Expression(Expression),
    /// Anything else: compound statements (`def`, `class`, `if` …), other simple statements, and simple ones this
    /// reader could not read.
    Other,
}

#[derive(Clone, Debug)]
pub struct Expression {
    pub kind: ExpressionKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExpressionKind {
    Name(String),
    /// A string (adjacent literals joined); `None` when its value is not known without running code.
    String(Option<String>),
    Integer(Option<i64>),
    OtherNumber,
    True,
    False,
    None,
    List(Vec<Expression>),
    Tuple(Vec<Expression>),
    Dict(Vec<(Expression, Expression)>),
    Attribute {
        value: Box<Expression>,
        name: String,
    },
    Call {
        function: Box<Expression>,
        arguments: Vec<Argument>,
    },
    Subscript {
        value: Box<Expression>,
        index: Box<Expression>,
    },
    Unary {
        operator: &'static str,
        operand: Box<Expression>,
    },
    Binary {
        operator: &'static str,
        left: Box<Expression>,
        right: Box<Expression>,
    },
}

#[derive(Clone, Debug)]
pub struct Argument {
    pub keyword: Option<String>,
    pub value: Expression,
    /// From the keyword (or the value) to the end of the value.
    pub span: Span,
}

/// Reads `source` into its top-level statements.
pub fn parse_module(source: &str) -> Module {
    let tokens = tokenize(source);
    let mut statements = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        let line_end = end_of_logical_line(&tokens, index);
        // A compound statement's nested lines are indented; they belong to it.
        let mut statement_end = line_end;
        while statement_end < tokens.len() && tokens[statement_end].line_indentation > 0 {
            statement_end = end_of_logical_line(&tokens, statement_end);
        }
        let mut part_start = index;
        if statement_end == line_end {
            // Simple statements, possibly several separated by `;`.
            for separator in top_level_semicolons(&tokens, index, line_end) {
                statements.push(statement(source, &tokens, part_start..separator));
                part_start = separator + 1;
            }
        }
        statements.push(statement(source, &tokens, part_start..statement_end));
        index = statement_end;
    }
    statements.retain(|statement| !statement.tokens.is_empty());
    Module { tokens, statements }
}

/// The index just after the Newline ending the logical line that starts at `start`.
fn end_of_logical_line(tokens: &[Token], start: usize) -> usize {
    let mut index = start;
    while index < tokens.len() {
        index += 1;
        if tokens[index - 1].kind == TokenKind::Newline {
            break;
        }
    }
    index
}

fn top_level_semicolons(tokens: &[Token], start: usize, end: usize) -> Vec<usize> {
    let mut depth = 0i32;
    let mut separators = Vec::new();
    for (index, token) in tokens.iter().enumerate().take(end).skip(start) {
        match token.kind {
            TokenKind::Operator("(" | "[" | "{") => depth += 1,
            TokenKind::Operator(")" | "]" | "}") => depth -= 1,
            TokenKind::Operator(";") if depth == 0 => separators.push(index),
            _ => {}
        }
    }
    separators
}

fn statement(source: &str, tokens: &[Token], range: Range<usize>) -> Statement {
    // Without its Newline and `;`.
    let mut end = range.end;
    while end > range.start
        && matches!(
            tokens[end - 1].kind,
            TokenKind::Newline | TokenKind::Operator(";")
        )
    {
        end -= 1;
    }
    let span = if end > range.start {
        tokens[range.start].span.cover(tokens[end - 1].span)
    } else {
        Span::empty_at(
            tokens
                .get(range.start)
                .map_or(0, |token| token.span.start as usize),
        )
    };
    let mut reader = Reader {
        source,
        tokens: &tokens[..end],
        position: range.start,
    };
    let kind = reader.simple_statement().unwrap_or(StatementKind::Other);
    Statement {
        kind,
        span,
        tokens: range.start..end,
    }
}

/// Why an expression or statement was not read; the statement then counts as [`StatementKind::Other`].
struct NotSimple;

struct Reader<'a> {
    source: &'a str,
    tokens: &'a [Token],
    position: usize,
}

type Read<T> = Result<T, NotSimple>;

impl Reader<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position)
    }

    fn text(&self, token: &Token) -> &str {
        &self.source[token.span.range()]
    }

    fn at_end(&self) -> bool {
        self.position >= self.tokens.len()
    }

    fn at_operator(&self, operator: &str) -> bool {
        self.peek().is_some_and(|token| token.is_operator(operator))
    }

    fn at_word(&self, word: &str) -> bool {
        self.peek()
            .is_some_and(|token| token.kind == TokenKind::Name && self.text(token) == word)
    }

    fn accept_operator(&mut self, operator: &str) -> bool {
        let found = self.at_operator(operator);
        if found {
            self.position += 1;
        }
        found
    }

    fn expect_operator(&mut self, operator: &str) -> Read<Span> {
        match self.peek() {
            Some(token) if token.is_operator(operator) => {
                let span = token.span;
                self.position += 1;
                Ok(span)
            }
            _ => Err(NotSimple),
        }
    }

    fn accept_word(&mut self, word: &str) -> bool {
        let found = self.at_word(word);
        if found {
            self.position += 1;
        }
        found
    }

    /// A name that is not a keyword.
    fn name(&mut self) -> Read<(String, Span)> {
        match self.peek() {
            Some(token) if token.kind == TokenKind::Name => {
                let text = self.text(token).to_string();
                if KEYWORDS.contains(&text.as_str()) {
                    return Err(NotSimple);
                }
                let span = token.span;
                self.position += 1;
                Ok((text, span))
            }
            _ => Err(NotSimple),
        }
    }

    fn dotted_name(&mut self) -> Read<String> {
        let mut name = self.name()?.0;
        while self.accept_operator(".") {
            name.push('.');
            name.push_str(&self.name()?.0);
        }
        Ok(name)
    }

    fn simple_statement(&mut self) -> Read<StatementKind> {
        let kind = if self.accept_word("import") {
            self.import()?
        } else if self.accept_word("from") {
            self.import_from()?
        } else {
            self.assignment_or_expression()?
        };
        if self.at_end() {
            Ok(kind)
        } else {
            Err(NotSimple)
        }
    }

    fn import(&mut self) -> Read<StatementKind> {
        let mut imported = Vec::new();
        loop {
            let module = self.dotted_name()?;
            let bound = if self.accept_word("as") {
                self.name()?.0
            } else {
                // `import a.b` binds `a`.
                module.split('.').next().unwrap_or_default().to_string()
            };
            imported.push((module, bound));
            if !self.accept_operator(",") {
                break;
            }
        }
        Ok(StatementKind::Import(imported))
    }

    fn import_from(&mut self) -> Read<StatementKind> {
        let mut level = 0;
        loop {
            if self.accept_operator(".") {
                level += 1;
            } else if self.accept_operator("...") {
                level += 3;
            } else {
                break;
            }
        }
        let module = if self.at_word("import") {
            String::new()
        } else {
            self.dotted_name()?
        };
        if !self.accept_word("import") {
            return Err(NotSimple);
        }
        let mut names = Vec::new();
        if !self.accept_operator("*") {
            let parenthesised = self.accept_operator("(");
            loop {
                if parenthesised && self.at_operator(")") {
                    break;
                }
                let name = self.name()?.0;
                let bound = if self.accept_word("as") {
                    self.name()?.0
                } else {
                    name.clone()
                };
                names.push((name, bound));
                if !self.accept_operator(",") {
                    break;
                }
            }
            if parenthesised {
                self.expect_operator(")")?;
            }
        }
        Ok(StatementKind::FromImport {
            module,
            level,
            names,
        })
    }

    fn assignment_or_expression(&mut self) -> Read<StatementKind> {
        let first = self.expression_list()?;
        if self.accept_operator(":") {
            // An annotated assignment `name: annotation = value`.
            let target = as_target(&first)?;
            self.expression()?;
            self.expect_operator("=")?;
            let value = self.expression_list()?;
            return Ok(StatementKind::Assign {
                targets: vec![target],
                value,
            });
        }
        if !self.at_operator("=") {
            return Ok(StatementKind::Expression(first));
        }
        let mut targets = vec![as_target(&first)?];
        let mut value;
        loop {
            self.expect_operator("=")?;
            value = self.expression_list()?;
            if !self.at_operator("=") {
                break;
            }
            targets.push(as_target(&value)?);
        }
        Ok(StatementKind::Assign { targets, value })
    }

    /// An expression, or a bare tuple `a, b`.
    fn expression_list(&mut self) -> Read<Expression> {
        let first = self.expression()?;
        if !self.at_operator(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.accept_operator(",") {
            if self.at_end() || self.at_operator("=") || self.at_operator(")") {
                break;
            }
            items.push(self.expression()?);
        }
        let span = items[0].span.cover(items[items.len() - 1].span);
        Ok(Expression {
            kind: ExpressionKind::Tuple(items),
            span,
        })
    }

    fn expression(&mut self) -> Read<Expression> {
        let expression = self.binary(0)?;
        // Conditional expressions, comparisons and boolean operators are not read.
        for word in ["if", "and", "or", "in", "is", "not", "for"] {
            if self.at_word(word) {
                return Err(NotSimple);
            }
        }
        for operator in ["<", ">", "<=", ">=", "==", "!=", ":="] {
            if self.at_operator(operator) {
                return Err(NotSimple);
            }
        }
        Ok(expression)
    }

    /// Arithmetic by precedence climbing: `+ -` < `* / // % @` < unary < `**`.
    fn binary(&mut self, minimum: u8) -> Read<Expression> {
        let mut left = self.unary()?;
        while let Some(TokenKind::Operator(operator)) = self.peek().map(|token| token.kind.clone())
        {
            let precedence = match operator {
                "|" => 1,
                "^" => 2,
                "&" => 3,
                "<<" | ">>" => 4,
                "+" | "-" => 5,
                "*" | "/" | "//" | "%" | "@" => 6,
                _ => break,
            };
            if precedence < minimum {
                break;
            }
            self.position += 1;
            let right = self.binary(precedence + 1)?;
            let span = left.span.cover(right.span);
            left = Expression {
                kind: ExpressionKind::Binary {
                    operator,
                    left: Box::new(left),
                    right: Box::new(right),
                },
                span,
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Read<Expression> {
        for operator in ["-", "+", "~"] {
            if let Some(token) = self.peek().filter(|token| token.is_operator(operator)) {
                let start = token.span;
                self.position += 1;
                let operand = self.unary()?;
                let span = start.cover(operand.span);
                return Ok(Expression {
                    kind: ExpressionKind::Unary {
                        operator,
                        operand: Box::new(operand),
                    },
                    span,
                });
            }
        }
        let base = self.primary()?;
        if self.accept_operator("**") {
            let exponent = self.unary()?;
            let span = base.span.cover(exponent.span);
            return Ok(Expression {
                kind: ExpressionKind::Binary {
                    operator: "**",
                    left: Box::new(base),
                    right: Box::new(exponent),
                },
                span,
            });
        }
        Ok(base)
    }

    fn primary(&mut self) -> Read<Expression> {
        let mut expression = self.atom()?;
        loop {
            if self.accept_operator(".") {
                let (name, name_span) = self.name()?;
                let span = expression.span.cover(name_span);
                expression = Expression {
                    kind: ExpressionKind::Attribute {
                        value: Box::new(expression),
                        name,
                    },
                    span,
                };
            } else if self.accept_operator("(") {
                let arguments = self.arguments()?;
                let close = self.expect_operator(")")?;
                let span = expression.span.cover(close);
                expression = Expression {
                    kind: ExpressionKind::Call {
                        function: Box::new(expression),
                        arguments,
                    },
                    span,
                };
            } else if self.accept_operator("[") {
                let index = self.expression_list()?;
                let close = self.expect_operator("]")?;
                let span = expression.span.cover(close);
                expression = Expression {
                    kind: ExpressionKind::Subscript {
                        value: Box::new(expression),
                        index: Box::new(index),
                    },
                    span,
                };
            } else {
                return Ok(expression);
            }
        }
    }

    fn arguments(&mut self) -> Read<Vec<Argument>> {
        let mut arguments = Vec::new();
        while !self.at_operator(")") {
            if self.at_operator("*") || self.at_operator("**") {
                return Err(NotSimple);
            }
            let keyword_follows = self
                .tokens
                .get(self.position + 1)
                .is_some_and(|token| token.is_operator("="));
            let (keyword, start) = if keyword_follows {
                let (name, span) = self.name()?;
                self.position += 1;
                (Some(name), Some(span))
            } else {
                (None, None)
            };
            let value = self.expression()?;
            let span = start.map_or(value.span, |start| start.cover(value.span));
            arguments.push(Argument {
                keyword,
                value,
                span,
            });
            if !self.accept_operator(",") {
                break;
            }
        }
        Ok(arguments)
    }

    fn atom(&mut self) -> Read<Expression> {
        let token = self.peek().ok_or(NotSimple)?.clone();
        let span = token.span;
        let simple = |kind| Ok(Expression { kind, span });
        match &token.kind {
            TokenKind::Name => match self.text(&token) {
                "True" => {
                    self.position += 1;
                    simple(ExpressionKind::True)
                }
                "False" => {
                    self.position += 1;
                    simple(ExpressionKind::False)
                }
                "None" => {
                    self.position += 1;
                    simple(ExpressionKind::None)
                }
                _ => {
                    let (name, span) = self.name()?;
                    Ok(Expression {
                        kind: ExpressionKind::Name(name),
                        span,
                    })
                }
            },
            TokenKind::Integer(value) => {
                self.position += 1;
                simple(ExpressionKind::Integer(*value))
            }
            TokenKind::OtherNumber => {
                self.position += 1;
                simple(ExpressionKind::OtherNumber)
            }
            TokenKind::String(_) => self.strings(),
            TokenKind::Operator("(") => {
                self.position += 1;
                if let Ok(close) = self.expect_operator(")") {
                    return Ok(Expression {
                        kind: ExpressionKind::Tuple(Vec::new()),
                        span: span.cover(close),
                    });
                }
                let inner = self.expression()?;
                if self.at_operator(")") {
                    let close = self.expect_operator(")")?;
                    return Ok(Expression {
                        kind: inner.kind,
                        span: span.cover(close),
                    });
                }
                let mut items = vec![inner];
                while self.accept_operator(",") {
                    if self.at_operator(")") {
                        break;
                    }
                    items.push(self.expression()?);
                }
                let close = self.expect_operator(")")?;
                Ok(Expression {
                    kind: ExpressionKind::Tuple(items),
                    span: span.cover(close),
                })
            }
            TokenKind::Operator("[") => {
                self.position += 1;
                let mut items = Vec::new();
                while !self.at_operator("]") {
                    items.push(self.expression()?);
                    if !self.accept_operator(",") {
                        break;
                    }
                }
                let close = self.expect_operator("]")?;
                Ok(Expression {
                    kind: ExpressionKind::List(items),
                    span: span.cover(close),
                })
            }
            TokenKind::Operator("{") => {
                self.position += 1;
                let mut entries = Vec::new();
                while !self.at_operator("}") {
                    let key = self.expression()?;
                    self.expect_operator(":")?;
                    let value = self.expression()?;
                    entries.push((key, value));
                    if !self.accept_operator(",") {
                        break;
                    }
                }
                let close = self.expect_operator("}")?;
                Ok(Expression {
                    kind: ExpressionKind::Dict(entries),
                    span: span.cover(close),
                })
            }
            _ => Err(NotSimple),
        }
    }

    /// Adjacent string literals, joined as Python joins them.
    fn strings(&mut self) -> Read<Expression> {
        let start = self.peek().ok_or(NotSimple)?.span;
        let mut end = start;
        let mut value = Some(String::new());
        while let Some(token) = self.peek() {
            let TokenKind::String(part) = &token.kind else {
                break;
            };
            value = match (value, part) {
                (Some(mut joined), Some(part)) => {
                    joined.push_str(part);
                    Some(joined)
                }
                _ => None,
            };
            end = token.span;
            self.position += 1;
        }
        Ok(Expression {
            kind: ExpressionKind::String(value),
            span: start.cover(end),
        })
    }
}

fn as_target(expression: &Expression) -> Read<(String, Span)> {
    match &expression.kind {
        ExpressionKind::Name(name) => Ok((name.clone(), expression.span)),
        _ => Err(NotSimple),
    }
}

/// The names (not keywords) that appear anywhere in `statement`, nested lines included.
pub fn names_in<'a>(
    module: &'a Module,
    source: &'a str,
    statement: &Statement,
) -> impl Iterator<Item = &'a str> {
    module.tokens[statement.tokens.clone()]
        .iter()
        .filter(|token| token.kind == TokenKind::Name)
        .map(move |token| &source[token.span.range()])
        .filter(|text| !KEYWORDS.contains(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<String> {
        parse_module(source)
            .statements
            .iter()
            .map(|statement| match &statement.kind {
                StatementKind::Import(names) => format!("import {names:?}"),
                StatementKind::FromImport {
                    module,
                    level,
                    names,
                } => format!("from {level}{module} {names:?}"),
                StatementKind::Assign { targets, .. } => {
                    let names: Vec<&str> = targets.iter().map(|(name, _)| name.as_str()).collect();
                    format!("assign {}", names.join(","))
                }
                StatementKind::Expression(_) => "expression".to_string(),
                StatementKind::Other => "other".to_string(),
            })
            .collect()
    }

    #[test]
    fn top_level_statements_are_told_apart() {
        let source = "\"\"\"doc\"\"\"\nimport os.path, glia as g\nfrom glia import (Package,\n   Mod as M)\nfrom . import x\n\ndef f():\n    return 1\n\nif True:\n    y = 2\nelse:\n    y = 3\na = b = [1, 2]; c: int = 3\nd = [i for i in x]\n";
        assert_eq!(
            kinds(source),
            vec![
                "expression",
                r#"import [("os.path", "os"), ("glia", "g")]"#,
                r#"from 0glia [("Package", "Package"), ("Mod", "M")]"#,
                r#"from 1 [("x", "x")]"#,
                "other",
                "other",
                "other",
                "assign a,b",
                "assign c",
                "other",
            ]
        );
    }

    #[test]
    fn calls_keep_their_keyword_arguments_and_spans() {
        let source = "package = Package(\"dbbs\", Path(__file__).resolve().parent, mods=[Mod('a.mod', 'A', variant=\"x\")])";
        let module = parse_module(source);
        let StatementKind::Assign { value, .. } = &module.statements[0].kind else {
            panic!("not an assignment");
        };
        let ExpressionKind::Call { arguments, .. } = &value.kind else {
            panic!("not a call");
        };
        assert_eq!(arguments.len(), 3);
        assert_eq!(arguments[2].keyword.as_deref(), Some("mods"));
        assert_eq!(
            &source[arguments[2].span.range()],
            "mods=[Mod('a.mod', 'A', variant=\"x\")]"
        );
        assert_eq!(
            &source[value.span.range()],
            source.split_once("= ").unwrap().1
        );
    }
}
