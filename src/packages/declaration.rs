//! A Glia package's declaration, `package = Package(name, root, mods=[Mod(relpath, asset, …), …])`, read from its
//! module's source without running it (pure: the caller passes the module's path and how to resolve a path, as
//! `Path.resolve()` would).
//!
//! The reader evaluates the module's top-level statements in order, as far as they are made of what package modules
//! use: imports of `glia`, `pathlib` and `os`, `__file__`, string, number, list and tuple literals, `Path`
//! arithmetic (`Path(__file__).resolve().parent / "mods"`, `os.path.dirname(…)`), and calls of `Package` and `Mod`
//! with Glia 8's signatures. It is exact or it says so: the answer is refused ([`NotStatic`], with the reason and
//! place) when the declaration needs anything else (a comprehension, a helper function, an import of another
//! module), or when another statement might change it — any statement after a list, `Mod` or `Package` is bound
//! that names it (`mods.append(…)`, `package.mods = …`, an alias), or a statement between a name's binding and the
//! declaration that names it. The caller then asks the interpreter.

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

use super::python::parser::{
    names_in, parse_module, Argument, Expression, ExpressionKind, Module, StatementKind,
};
use crate::span::Span;

/// The dialect a mod file is restricted to (`dialect="neuron"` / `"arbor"`); `None` means both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeclaredDialect {
    Neuron,
    Arbor,
}

impl DeclaredDialect {
    pub fn name(self) -> &'static str {
        match self {
            DeclaredDialect::Neuron => "neuron",
            DeclaredDialect::Arbor => "arbor",
        }
    }
}

/// `Mod(...)` as declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModDeclaration {
    /// The mod file, relative to the package root (`None` for a builtin).
    pub relative_path: Option<String>,
    pub asset: String,
    pub variant: String,
    pub is_point_process: bool,
    pub is_artificial_cell: bool,
    /// The `dialect` argument as written; [`ModDeclaration::dialect`] checks it.
    pub dialect_text: Option<String>,
    pub builtin: bool,
    /// The `Mod(...)` call in the module's source, when it was read statically.
    pub span: Option<Span>,
}

impl ModDeclaration {
    /// The declared dialect, or the text when it is neither `neuron` nor `arbor`.
    pub fn dialect(&self) -> Result<Option<DeclaredDialect>, &str> {
        match self.dialect_text.as_deref() {
            None => Ok(None),
            Some("neuron") => Ok(Some(DeclaredDialect::Neuron)),
            Some("arbor") => Ok(Some(DeclaredDialect::Arbor)),
            Some(other) => Err(other),
        }
    }
}

/// `Package(...)` as declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageDeclaration {
    pub name: String,
    pub root: PathBuf,
    pub builtin: bool,
    pub mods: Vec<ModDeclaration>,
    /// Where the declaration is in the source, when it was read statically.
    pub place: Option<DeclarationPlace>,
}

/// Where a statically read declaration is, for edits (`glia pkg add`) and diagnostics (`glia pkg check`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclarationPlace {
    /// The `Package(...)` call.
    pub package_call: Span,
    /// The list literal the mods come from (`[` to `]`), when they come from one.
    pub mods_list: Option<Span>,
    /// The last item of that list, when it has one.
    pub mods_last_item: Option<Span>,
    /// Whether the call has a `mods` argument at all.
    pub has_mods_argument: bool,
    /// How this module can write a call of `Mod`: a name bound to it, or `<glia module name>.Mod`; `None` when
    /// neither is bound.
    pub mod_callee: Option<String>,
    /// The end of the last top-level `from glia import …` statement, where an import of `Mod` can go.
    pub glia_import_end: Option<usize>,
}

/// Why a declaration was not read statically.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotStatic {
    pub reason: String,
    pub span: Option<Span>,
}

impl std::fmt::Display for NotStatic {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.reason)
    }
}

/// What the reader asks of the world: what `Path.resolve()` makes of a path (absolute, links followed), and whether
/// an imported module can be found (`(name, level)`: `level` counts the dots of a relative import), since an
/// import that fails makes the whole module fail.
pub struct ReaderContext<'a> {
    pub resolve: &'a dyn Fn(&Path) -> PathBuf,
    pub module_exists: &'a dyn Fn(&str, usize) -> bool,
}

/// Reads the declaration bound to `attribute` (`package` in `module:package`) in `source`, the module at
/// `module_path`.
pub fn read_package_declaration(
    source: &str,
    module_path: &Path,
    attribute: &str,
    context: &ReaderContext<'_>,
) -> Result<PackageDeclaration, NotStatic> {
    let resolve = context.resolve;
    let module = parse_module(source);
    let mut evaluator = Evaluator {
        source,
        module: &module,
        module_path,
        resolve,
        bindings: HashMap::new(),
        reads: BTreeSet::new(),
    };
    evaluator.bind_builtins();
    let mut glia_import_end = None;
    for (index, statement) in module.statements.iter().enumerate() {
        let missing = |name: &str, level: usize| NotStatic {
            reason: format!(
                "it imports `{}{name}`, which is not found (the import would fail)",
                ".".repeat(level)
            ),
            span: Some(statement.span),
        };
        match &statement.kind {
            StatementKind::Import(imports) => {
                for (module_name, bound) in imports {
                    if !(context.module_exists)(module_name, 0) {
                        return Err(missing(module_name, 0));
                    }
                    let value = match bound == module_name {
                        true => imported_module(module_name),
                        // `import os.path` binds `os`; `import os.path as p` binds `os.path`.
                        false if module_name.starts_with(&format!("{bound}.")) => {
                            imported_module(bound)
                        }
                        false => imported_module(module_name),
                    };
                    evaluator.bind(bound, value, index, BTreeSet::new());
                }
            }
            StatementKind::FromImport {
                module: from,
                level,
                names,
            } => {
                if *level == 0 && (from == "glia" || from == "glia.assets") {
                    glia_import_end = Some(statement.span.end as usize);
                } else if !(context.module_exists)(from, *level) {
                    return Err(missing(from, *level));
                }
                if names.is_empty() {
                    if *level == 0 && from == "glia" {
                        evaluator.bind("Package", Value::PackageClass, index, BTreeSet::new());
                        evaluator.bind("Mod", Value::ModClass, index, BTreeSet::new());
                        continue;
                    }
                    return Err(NotStatic {
                        reason: format!("`from {from} import *` may bind any name"),
                        span: Some(statement.span),
                    });
                }
                for (name, bound) in names {
                    let value = match *level {
                        0 => imported_member(from, name),
                        _ => Value::Unknown(format!("`{name}` is imported from a relative module")),
                    };
                    evaluator.bind(bound, value, index, BTreeSet::new());
                }
            }
            StatementKind::Assign { targets, value } => {
                evaluator.reads.clear();
                let evaluated = evaluator.evaluate(value);
                let reads = std::mem::take(&mut evaluator.reads);
                for (target, _) in targets {
                    evaluator.bind(target, evaluated.clone(), index, reads.clone());
                }
            }
            StatementKind::Expression(_) | StatementKind::Other => {}
        }
    }

    let Some(binding) = evaluator.bindings.get(attribute) else {
        // An assignment written with more Python than this reader evaluates (a comprehension, a condition …).
        let unread = module.statements.iter().find(|statement| {
            let tokens = &module.tokens[statement.tokens.clone()];
            matches!(statement.kind, StatementKind::Other)
                && tokens.len() > 1
                && &source[tokens[0].span.range()] == attribute
                && tokens[1].is_operator("=")
        });
        return Err(match unread {
            Some(statement) => NotStatic {
                reason: format!(
                    "`{attribute} = …` uses Python this reader does not evaluate (a comprehension, a condition, a call of a function of the module …)"
                ),
                span: Some(statement.span),
            },
            None => NotStatic {
                reason: format!("no top-level assignment `{attribute} = …` in the module"),
                span: None,
            },
        });
    };
    let package_statement = binding.statement;
    let statement_span = module.statements[package_statement].span;
    let declaration = match &binding.value {
        Value::Package(declaration) => declaration.clone(),
        Value::Unknown(reason) => {
            return Err(NotStatic {
                reason: reason.clone(),
                span: Some(statement_span),
            })
        }
        _ => {
            return Err(NotStatic {
                reason: format!("`{attribute}` is not bound to a `Package(...)` call"),
                span: Some(statement_span),
            })
        }
    };
    evaluator.check_nothing_else_changes_it(attribute, package_statement)?;
    let mut declaration = *declaration;
    if let Some(place) = &mut declaration.place {
        place.mod_callee = evaluator.mod_callee();
        place.glia_import_end = glia_import_end;
    }
    Ok(declaration)
}

/// What a name or expression is known to be.
#[derive(Clone, Debug)]
enum Value {
    String(String),
    Integer(i64),
    Bool(bool),
    None,
    List {
        items: Vec<Value>,
        /// The literal's span and its last item's.
        literal: Option<(Span, Option<Span>)>,
    },
    Tuple(Vec<Value>),
    Path(PathBuf),
    /// A module this reader knows: `glia`, `glia.assets`, `os`, `os.path`, `pathlib`.
    Module(&'static str),
    PackageClass,
    ModClass,
    PathClass,
    Function(Function),
    /// `path.resolve`, `path.absolute`, `path.joinpath`, not yet called.
    PathMethod(PathMethod, PathBuf),
    Mod(Box<ModDeclaration>),
    Package(Box<PackageDeclaration>),
    /// Not known without running code; the text says why.
    Unknown(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Function {
    Str,
    Dirname,
    Abspath,
    Realpath,
    Join,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PathMethod {
    Resolve,
    Absolute,
    Joinpath,
}

impl Value {
    /// Whether code could change the value in place (so any later mention of its name matters).
    fn is_mutable(&self) -> bool {
        match self {
            Value::List { .. } | Value::Mod(_) | Value::Package(_) => true,
            Value::Tuple(items) => items.iter().any(Value::is_mutable),
            _ => false,
        }
    }

    fn describe(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Integer(_) => "an integer",
            Value::Bool(_) => "a boolean",
            Value::None => "None",
            Value::List { .. } => "a list",
            Value::Tuple(_) => "a tuple",
            Value::Path(_) => "a path",
            Value::Module(_) => "a module",
            Value::PackageClass | Value::ModClass | Value::PathClass => "a class",
            Value::Function(_) | Value::PathMethod(..) => "a function",
            Value::Mod(_) => "a Mod",
            Value::Package(_) => "a Package",
            Value::Unknown(_) => "unknown",
        }
    }
}

fn imported_module(name: &str) -> Value {
    match name {
        "glia" => Value::Module("glia"),
        "glia.assets" => Value::Module("glia.assets"),
        "os" => Value::Module("os"),
        "os.path" => Value::Module("os.path"),
        "pathlib" => Value::Module("pathlib"),
        other => Value::Unknown(format!(
            "module `{other}` is imported (only glia, os and pathlib are read)"
        )),
    }
}

fn imported_member(module: &str, name: &str) -> Value {
    match (module, name) {
        ("glia" | "glia.assets", "Package") => Value::PackageClass,
        ("glia" | "glia.assets", "Mod") => Value::ModClass,
        ("pathlib", "Path" | "PurePath" | "PosixPath") => Value::PathClass,
        ("os", "path") => Value::Module("os.path"),
        ("os.path", "dirname") => Value::Function(Function::Dirname),
        ("os.path", "abspath") => Value::Function(Function::Abspath),
        ("os.path", "realpath") => Value::Function(Function::Realpath),
        ("os.path", "join") => Value::Function(Function::Join),
        _ => Value::Unknown(format!("`{name}` is imported from `{module}`")),
    }
}

struct Binding {
    value: Value,
    statement: usize,
    /// The names read to compute the value, with the statement each was bound by (transitively).
    reads: BTreeSet<(String, usize)>,
}

struct Evaluator<'a> {
    source: &'a str,
    module: &'a Module,
    module_path: &'a Path,
    resolve: &'a dyn Fn(&Path) -> PathBuf,
    bindings: HashMap<String, Binding>,
    /// The names read while evaluating the current statement.
    reads: BTreeSet<(String, usize)>,
}

/// Builtin names are bound "before" the first statement.
const BUILTIN_STATEMENT: usize = usize::MAX;

impl Evaluator<'_> {
    fn bind_builtins(&mut self) {
        let file = self.module_path.to_string_lossy().into_owned();
        for (name, value) in [
            ("__file__", Value::String(file)),
            ("str", Value::Function(Function::Str)),
        ] {
            self.bindings.insert(
                name.to_string(),
                Binding {
                    value,
                    statement: BUILTIN_STATEMENT,
                    reads: BTreeSet::new(),
                },
            );
        }
    }

    fn bind(
        &mut self,
        name: &str,
        value: Value,
        statement: usize,
        reads: BTreeSet<(String, usize)>,
    ) {
        self.bindings.insert(
            name.to_string(),
            Binding {
                value,
                statement,
                reads,
            },
        );
    }

    fn lookup(&mut self, name: &str) -> Value {
        match self.bindings.get(name) {
            Some(binding) => {
                self.reads.insert((name.to_string(), binding.statement));
                self.reads.extend(binding.reads.iter().cloned());
                binding.value.clone()
            }
            None => Value::Unknown(format!(
                "`{name}` is not bound by a statement this reader understands"
            )),
        }
    }

    /// Refuses when a statement other than those the declaration was computed from might change it (see the
    /// module documentation).
    fn check_nothing_else_changes_it(
        &self,
        attribute: &str,
        package_statement: usize,
    ) -> Result<(), NotStatic> {
        let binding = &self.bindings[attribute];
        let mut dependencies: Vec<(String, usize, bool)> = binding
            .reads
            .iter()
            .filter(|(_, statement)| *statement != BUILTIN_STATEMENT)
            .map(|(name, statement)| {
                let mutable = self
                    .bindings
                    .get(name)
                    .is_some_and(|binding| binding.statement == *statement && binding.value.is_mutable())
                    // A name rebound since: its old value may still be shared; count it as mutable.
                    || self.bindings.get(name).is_none_or(|binding| binding.statement != *statement);
                (name.clone(), *statement, mutable)
            })
            .collect();
        dependencies.push((attribute.to_string(), package_statement, true));
        // `a = b = [...]` binds one list to two names: the other name is a dependency too.
        let mut aliases = Vec::new();
        for (_, statement, _) in &dependencies {
            if let Some(StatementKind::Assign { targets, .. }) = self
                .module
                .statements
                .get(*statement)
                .map(|statement| &statement.kind)
            {
                for (target, _) in targets.iter().skip(1) {
                    aliases.push((target.clone(), *statement, true));
                }
            }
        }
        dependencies.extend(aliases);
        let used: BTreeSet<usize> = dependencies
            .iter()
            .map(|(_, statement, _)| *statement)
            .collect();
        for (index, statement) in self.module.statements.iter().enumerate() {
            if used.contains(&index) {
                continue;
            }
            let names: BTreeSet<&str> = names_in(self.module, self.source, statement).collect();
            for forbidden in ["globals", "vars", "exec", "eval", "setattr", "__dict__"] {
                if names.contains(forbidden) {
                    return Err(NotStatic {
                        reason: format!("a top-level statement uses `{forbidden}`"),
                        span: Some(statement.span),
                    });
                }
            }
            for (name, bound_at, mutable) in &dependencies {
                let matters = index > *bound_at && (*mutable || index < package_statement);
                if matters && names.contains(name.as_str()) {
                    return Err(NotStatic {
                        reason: format!(
                            "a later statement names `{name}` and might change the declaration"
                        ),
                        span: Some(statement.span),
                    });
                }
            }
        }
        Ok(())
    }

    /// How to write a call of `Mod` in this module.
    fn mod_callee(&self) -> Option<String> {
        let mut names: Vec<(&String, &Binding)> = self.bindings.iter().collect();
        names.sort_by_key(|(name, binding)| (binding.statement, name.as_str()));
        names
            .iter()
            .find(|(_, binding)| matches!(binding.value, Value::ModClass))
            .map(|(name, _)| name.to_string())
            .or_else(|| {
                names
                    .iter()
                    .find(|(_, binding)| {
                        matches!(binding.value, Value::Module("glia" | "glia.assets"))
                    })
                    .map(|(name, _)| format!("{name}.Mod"))
            })
    }

    fn evaluate(&mut self, expression: &Expression) -> Value {
        match &expression.kind {
            ExpressionKind::Name(name) => self.lookup(name),
            ExpressionKind::String(Some(text)) => Value::String(text.clone()),
            ExpressionKind::String(None) => {
                Value::Unknown("an f-string, a bytes literal or an undecoded escape".to_string())
            }
            ExpressionKind::Integer(Some(value)) => Value::Integer(*value),
            ExpressionKind::Integer(None) | ExpressionKind::OtherNumber => {
                Value::Unknown("a number that is not a small integer".to_string())
            }
            ExpressionKind::True => Value::Bool(true),
            ExpressionKind::False => Value::Bool(false),
            ExpressionKind::None => Value::None,
            ExpressionKind::List(items) => Value::List {
                items: items.iter().map(|item| self.evaluate(item)).collect(),
                literal: Some((expression.span, items.last().map(|item| item.span))),
            },
            ExpressionKind::Tuple(items) => {
                Value::Tuple(items.iter().map(|item| self.evaluate(item)).collect())
            }
            ExpressionKind::Dict(_) | ExpressionKind::Subscript { .. } => {
                Value::Unknown("a dict or a subscript".to_string())
            }
            ExpressionKind::Attribute { value, name } => {
                let value = self.evaluate(value);
                attribute(value, name)
            }
            ExpressionKind::Call {
                function,
                arguments,
            } => {
                let callee = self.evaluate(function);
                let values: Vec<(Option<&str>, Value, Span)> = arguments
                    .iter()
                    .map(|Argument { keyword, value, .. }| {
                        (keyword.as_deref(), self.evaluate(value), value.span)
                    })
                    .collect();
                self.call(callee, values, expression.span)
            }
            ExpressionKind::Unary { .. } => Value::Unknown("a unary operator".to_string()),
            ExpressionKind::Binary {
                operator,
                left,
                right,
            } => {
                let left = self.evaluate(left);
                let right = self.evaluate(right);
                match (*operator, left, right) {
                    ("/", Value::Path(path), Value::String(part)) => {
                        Value::Path(join_path(&path, &part))
                    }
                    ("/", Value::Path(path), Value::Path(part)) => {
                        Value::Path(join_path(&path, &part.to_string_lossy()))
                    }
                    ("/", Value::String(path), Value::Path(part)) => {
                        Value::Path(join_path(Path::new(&path), &part.to_string_lossy()))
                    }
                    ("+", Value::String(left), Value::String(right)) => {
                        Value::String(left + &right)
                    }
                    (_, Value::Unknown(reason), _) | (_, _, Value::Unknown(reason)) => {
                        Value::Unknown(reason)
                    }
                    (operator, left, right) => Value::Unknown(format!(
                        "`{operator}` between {} and {}",
                        left.describe(),
                        right.describe()
                    )),
                }
            }
        }
    }

    fn call(
        &mut self,
        callee: Value,
        arguments: Vec<(Option<&str>, Value, Span)>,
        span: Span,
    ) -> Value {
        if let Some(reason) = arguments
            .iter()
            .find_map(|(_, value, _)| unknown_inside(value))
        {
            return Value::Unknown(reason.to_string());
        }
        let positional: Vec<&Value> = arguments
            .iter()
            .filter(|(keyword, _, _)| keyword.is_none())
            .map(|(_, value, _)| value)
            .collect();
        match callee {
            Value::Unknown(reason) => Value::Unknown(reason),
            Value::PathClass => {
                if arguments.iter().any(|(keyword, _, _)| keyword.is_some()) {
                    return Value::Unknown("Path() with keyword arguments".to_string());
                }
                let mut path = PathBuf::new();
                for value in positional {
                    match path_text(value) {
                        Some(part) => path = join_path(&path, &part),
                        None => return Value::Unknown(format!("Path() of {}", value.describe())),
                    }
                }
                Value::Path(path)
            }
            Value::PathMethod(method, path) => match (method, positional.as_slice()) {
                (PathMethod::Resolve, []) => Value::Path((self.resolve)(&path)),
                (PathMethod::Absolute, []) => Value::Path(normalize(&path)),
                (PathMethod::Joinpath, parts) => {
                    let mut joined = path;
                    for part in parts.iter() {
                        match path_text(part) {
                            Some(part) => joined = join_path(&joined, &part),
                            None => return Value::Unknown("joinpath() of a non-path".to_string()),
                        }
                    }
                    Value::Path(joined)
                }
                _ => Value::Unknown("a path method with unexpected arguments".to_string()),
            },
            Value::Function(function) => {
                let texts: Option<Vec<String>> =
                    positional.iter().map(|value| path_text(value)).collect();
                match (function, texts.as_deref()) {
                    (Function::Str, Some([text])) => Value::String(text.clone()),
                    (Function::Dirname, Some([text])) => Value::String(
                        Path::new(text)
                            .parent()
                            .map(|parent| parent.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                    ),
                    (Function::Abspath, Some([text])) => {
                        Value::String(normalize(Path::new(text)).to_string_lossy().into_owned())
                    }
                    (Function::Realpath, Some([text])) => Value::String(
                        (self.resolve)(Path::new(text))
                            .to_string_lossy()
                            .into_owned(),
                    ),
                    (Function::Join, Some(parts)) if !parts.is_empty() => {
                        let mut joined = PathBuf::new();
                        for part in parts {
                            joined = join_path(&joined, part);
                        }
                        Value::String(joined.to_string_lossy().into_owned())
                    }
                    _ => Value::Unknown(
                        "a call of str() or os.path with unexpected arguments".to_string(),
                    ),
                }
            }
            Value::ModClass => match mod_call(&arguments, span) {
                Ok(declaration) => Value::Mod(Box::new(declaration)),
                Err(reason) => Value::Unknown(reason),
            },
            Value::PackageClass => match package_call(&arguments, span) {
                Ok(declaration) => Value::Package(Box::new(declaration)),
                Err(reason) => Value::Unknown(reason),
            },
            other => Value::Unknown(format!("a call of {}", other.describe())),
        }
    }
}

fn attribute(value: Value, name: &str) -> Value {
    match (value, name) {
        (Value::Module("glia" | "glia.assets"), "Package") => Value::PackageClass,
        (Value::Module("glia" | "glia.assets"), "Mod") => Value::ModClass,
        (Value::Module("os"), "path") => Value::Module("os.path"),
        (Value::Module("os.path"), "dirname") => Value::Function(Function::Dirname),
        (Value::Module("os.path"), "abspath") => Value::Function(Function::Abspath),
        (Value::Module("os.path"), "realpath") => Value::Function(Function::Realpath),
        (Value::Module("os.path"), "join") => Value::Function(Function::Join),
        (Value::Module("pathlib"), "Path" | "PurePath" | "PosixPath") => Value::PathClass,
        (Value::Path(path), "parent") => Value::Path(
            path.parent()
                .map(Path::to_path_buf)
                .filter(|parent| !parent.as_os_str().is_empty())
                .unwrap_or_else(|| PathBuf::from(".")),
        ),
        (Value::Path(path), "resolve") => Value::PathMethod(PathMethod::Resolve, path),
        (Value::Path(path), "absolute") => Value::PathMethod(PathMethod::Absolute, path),
        (Value::Path(path), "joinpath") => Value::PathMethod(PathMethod::Joinpath, path),
        (Value::Unknown(reason), _) => Value::Unknown(reason),
        (other, name) => Value::Unknown(format!("`.{name}` of {}", other.describe())),
    }
}

/// The reason a value, or an item of it, is unknown.
fn unknown_inside(value: &Value) -> Option<&str> {
    match value {
        Value::Unknown(reason) => Some(reason),
        Value::List { items, .. } | Value::Tuple(items) => items.iter().find_map(unknown_inside),
        _ => None,
    }
}

/// A string or path as text.
fn path_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Path(path) => Some(path.to_string_lossy().into_owned()),
        _ => None,
    }
}

/// `base / part` as pathlib joins: an absolute part replaces the base.
fn join_path(base: &Path, part: &str) -> PathBuf {
    if base.as_os_str().is_empty() {
        PathBuf::from(part)
    } else {
        base.join(part)
    }
}

/// Removes `.` and resolves `..` lexically, as `os.path.abspath` does for an absolute path.
fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

type Arguments<'a> = [(Option<&'a str>, Value, Span)];

/// Binds call arguments to parameters like Python: `positional` names the parameters that may be given by
/// position, `keywords` the keyword-only ones. A mismatch is the TypeError Python would raise.
fn bind_arguments<'a>(
    callee: &str,
    arguments: &'a Arguments<'a>,
    positional: &[&'static str],
    keywords: &[&'static str],
) -> Result<HashMap<&'static str, &'a Value>, String> {
    let mut bound = HashMap::new();
    let mut position = 0;
    for (keyword, value, _) in arguments {
        match keyword {
            None => {
                let Some(parameter) = positional.get(position) else {
                    return Err(format!(
                        "{callee}() takes {} positional arguments but more were given",
                        positional.len()
                    ));
                };
                position += 1;
                bound.insert(*parameter, value);
            }
            Some(keyword) => {
                let Some(parameter) = positional
                    .iter()
                    .chain(keywords)
                    .find(|name| *name == keyword)
                else {
                    return Err(format!(
                        "{callee}() got an unexpected keyword argument '{keyword}'"
                    ));
                };
                if bound.insert(*parameter, value).is_some() {
                    return Err(format!(
                        "{callee}() got multiple values for argument '{keyword}'"
                    ));
                }
            }
        }
    }
    Ok(bound)
}

/// Python's truth value of a constant.
fn truth(value: &Value) -> Result<bool, String> {
    match value {
        Value::Bool(value) => Ok(*value),
        Value::Integer(value) => Ok(*value != 0),
        Value::None => Ok(false),
        Value::String(text) => Ok(!text.is_empty()),
        other => Err(format!("a flag given as {}", other.describe())),
    }
}

fn mod_call(arguments: &Arguments<'_>, span: Span) -> Result<ModDeclaration, String> {
    let bound = bind_arguments(
        "Mod",
        arguments,
        &["relpath", "asset_name"],
        &[
            "variant",
            "is_point_process",
            "is_artificial_cell",
            "dialect",
            "builtin",
        ],
    )?;
    for required in ["relpath", "asset_name"] {
        if !bound.contains_key(required) {
            return Err(format!("Mod() missing required argument: '{required}'"));
        }
    }
    let relative_path = match bound["relpath"] {
        Value::None => None,
        value => Some(
            path_text(value)
                .ok_or_else(|| format!("Mod() relpath given as {}", value.describe()))?,
        ),
    };
    let asset = match bound["asset_name"] {
        Value::String(text) => text.clone(),
        value => return Err(format!("Mod() asset name given as {}", value.describe())),
    };
    // nmodl-glia formats the variant into names with an f-string, so `variant=0` means "0".
    let variant = match bound.get("variant") {
        None => "0".to_string(),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Integer(number)) => number.to_string(),
        Some(value) => return Err(format!("Mod() variant given as {}", value.describe())),
    };
    let flag = |name: &str| bound.get(name).map_or(Ok(false), |value| truth(value));
    let dialect_text = match bound.get("dialect") {
        None | Some(Value::None) => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(value) => return Err(format!("Mod() dialect given as {}", value.describe())),
    };
    Ok(ModDeclaration {
        relative_path,
        asset,
        variant,
        is_point_process: flag("is_point_process")?,
        is_artificial_cell: flag("is_artificial_cell")?,
        dialect_text,
        builtin: flag("builtin")?,
        span: Some(span),
    })
}

fn package_call(arguments: &Arguments<'_>, span: Span) -> Result<PackageDeclaration, String> {
    let bound = bind_arguments(
        "Package",
        arguments,
        &["name", "root"],
        &["mods", "builtin"],
    )?;
    for required in ["name", "root"] {
        if !bound.contains_key(required) {
            return Err(format!("Package() missing required argument: '{required}'"));
        }
    }
    let name = match bound["name"] {
        Value::String(text) => text.clone(),
        value => return Err(format!("Package() name given as {}", value.describe())),
    };
    let root = path_text(bound["root"])
        .map(PathBuf::from)
        .ok_or_else(|| format!("Package() root given as {}", bound["root"].describe()))?;
    let (mods, mods_list, mods_last_item) = match bound.get("mods") {
        None | Some(Value::None) => (Vec::new(), None, None),
        Some(Value::List { items, literal }) => (
            items.clone(),
            literal.map(|(list, _)| list),
            literal.and_then(|(_, last)| last),
        ),
        Some(Value::Tuple(items)) => (items.clone(), None, None),
        Some(value) => return Err(format!("Package() mods given as {}", value.describe())),
    };
    let mods = mods
        .into_iter()
        .map(|item| match item {
            Value::Mod(declaration) => Ok(*declaration),
            // nmodl-glia raises PackageFileError for anything that is not a Mod.
            other => Err(format!(
                "a package mod given as {}, not a `glia.Mod`",
                other.describe()
            )),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let builtin = match bound.get("builtin") {
        None => false,
        Some(value) => truth(value)?,
    };
    Ok(PackageDeclaration {
        name,
        root,
        builtin,
        mods,
        place: Some(DeclarationPlace {
            package_call: span,
            mods_list,
            mods_last_item,
            has_mods_argument: bound.contains_key("mods"),
            mod_callee: None,
            glia_import_end: None,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(source: &str) -> Result<PackageDeclaration, NotStatic> {
        read_package_declaration(
            source,
            Path::new("/site/pkg/__init__.py"),
            "package",
            &ReaderContext {
                resolve: &|path: &Path| normalize(path),
                module_exists: &|name: &str, _| name != "absent",
            },
        )
    }

    #[test]
    fn reads_the_dbbs_catalogue_form() {
        let source = r#""""
Doc
"""
from pathlib import Path
from glia import Package, Mod

__version__ = "6.0.1"
package = Package(
    "dbbs",
    Path(__file__).resolve().parent,
    mods=[
        Mod("mods/arbor/Ca__0.mod", "Ca", dialect="arbor"),
        Mod(
            "mods/neuron/AMPA__granule.mod",
            "AMPA",
            variant="granule",
            is_point_process=True,
            dialect="neuron",
        ),
    ],
)
"#;
        let declaration = read(source).expect("static");
        assert_eq!(declaration.name, "dbbs");
        assert_eq!(declaration.root, PathBuf::from("/site/pkg"));
        assert_eq!(declaration.mods.len(), 2);
        let ampa = &declaration.mods[1];
        assert_eq!(ampa.asset, "AMPA");
        assert_eq!(ampa.variant, "granule");
        assert!(ampa.is_point_process);
        assert_eq!(ampa.dialect(), Ok(Some(DeclaredDialect::Neuron)));
        assert_eq!(declaration.mods[0].variant, "0");
        let place = declaration.place.expect("place");
        assert_eq!(place.mod_callee.as_deref(), Some("Mod"));
        let list = &source[place.mods_list.expect("list").range()];
        assert!(
            list.starts_with("[\n        Mod(") && list.ends_with("    ]"),
            "{list}"
        );
    }

    #[test]
    fn module_aliases_os_path_and_names_are_followed() {
        let source = "import os\nimport glia as g\nROOT = os.path.dirname(os.path.abspath(__file__))\nNAME = 'x'\nmods = [g.Mod('a/b.mod', 'B', variant=2, is_artificial_cell=1)]\npackage = g.Package(NAME, ROOT, mods=mods)\n";
        let declaration = read(source).expect("static");
        assert_eq!(declaration.root, PathBuf::from("/site/pkg"));
        assert_eq!(declaration.mods[0].variant, "2");
        assert!(declaration.mods[0].is_artificial_cell);
        assert_eq!(
            declaration.place.unwrap().mod_callee.as_deref(),
            Some("g.Mod")
        );
    }

    #[test]
    fn anything_that_might_change_the_declaration_is_refused() {
        let cases = [
            // A mutation after the binding.
            "from glia import Package, Mod\nmods = []\nmods.append(Mod('a.mod', 'A'))\npackage = Package('p', '/r', mods=mods)\n",
            // After the declaration.
            "from glia import Package, Mod\npackage = Package('p', '/r', mods=[])\npackage.mods.append(Mod('a.mod', 'A'))\n",
            // A computed list.
            "from glia import Package, Mod\npackage = Package('p', '/r', mods=[Mod(f, f) for f in x])\n",
            // A helper module.
            "from glia import Package\nfrom .helpers import mods\npackage = Package('p', '/r', mods=mods)\n",
            // Bound only inside a compound statement.
            "from glia import Package\nif True:\n    package = Package('p', '/r')\n",
            // A name used in between.
            "from glia import Package\nname = 'p'\nprint(name)\npackage = Package(name, '/r')\n",
            // Wrong arguments: Python would raise a TypeError.
            "from glia import Package, Mod\npackage = Package('p', '/r', mods=[Mod('a.mod')])\n",
            "from glia import Package\npackage = Package('p', '/r', extra=1)\n",
            // An f-string.
            "from glia import Package\nx = 1\npackage = Package(f'p{x}', '/r')\n",
            // Not a Package.
            "package = object()\n",
            // An import that fails.
            "import absent\nfrom glia import Package\npackage = Package('p', '/r')\n",
        ];
        for source in cases {
            assert!(read(source).is_err(), "read statically:\n{source}");
        }
    }

    #[test]
    fn statements_that_cannot_change_it_are_allowed() {
        let source = "try:\n    from importlib.metadata import version\nexcept ImportError:\n    version = None\nfrom glia import Package, Mod\nfrom pathlib import Path\npackage = Package('p', Path(__file__).parent / 'sub', mods=[Mod('a.mod', 'A')])\ndef helper():\n    return Path('x')\n__all__ = ['package']\n";
        let declaration = read(source).expect("static");
        assert_eq!(declaration.root, PathBuf::from("/site/pkg/sub"));
    }
}
