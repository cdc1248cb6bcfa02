//! The symbol table of one mod file: every declaration with its kind, scope and span, and every name used in code
//! resolved to the declaration it refers to, to a builtin of the dialect's compiler, or to nothing.
//!
//! Scopes are those of both compilers: a block's arguments, LOCALs, FROM loop variables and FOR_NETCONS arguments
//! (and, in a FUNCTION, the function's own name, which holds its result) hide the file's names; the file's names
//! hide the compiler's builtins. Variables and functions are looked up separately, as nocmodl and modcc do. Scopes
//! inside a block are not told apart (a LOCAL counts for its whole block), which can only hide a finding.
//!
//! Which builtins exist differs by dialect; the lists below were checked name by name on nocmodl 9.0.2 and modcc
//! 0.12.2.

use foldhash::{HashMap, HashMapExt};
use hashbrown::HashTable;

use serde::Serialize;

use crate::semantics::mechanism::MechanismFacts;
use crate::span::Span;
use crate::syntax::ast::{
    CallableKind, DeclarationBlock, ExpressionKind, File, ItemKind, Name, StatementKind,
};
use crate::syntax::visit::{
    for_each_expression_of, for_each_statement_in_block, for_each_subexpression,
};
use crate::syntax::Dialect;

/// Variables nocmodl knows without a declaration and does not warn about (`flag` is NET_RECEIVE's, `f_flux` and
/// `b_flux` KINETIC's).
const NOCMODL_SILENT_VARIABLES: &[&str] = &["t", "v", "error", "flag", "f_flux", "b_flux"];

/// Variables nocmodl warns are undefined ("dt undefined. (declared within VERBATIM?)") but whose C++ compiles,
/// because NEURON's headers define them (checked with g++ 12 on nocmodl's output).
pub const NOCMODL_VARIABLES_DEFINED_IN_CPP: &[&str] =
    &["dt", "celsius", "diam", "area", "secondorder"];

/// Functions nocmodl knows without a definition (no "undefined" warning). `net_send`, `net_move`, `net_event` and
/// the `random_*` functions have placement rules of their own.
const NOCMODL_FUNCTIONS: &[&str] = &[
    "acos",
    "asin",
    "at_time",
    "atan",
    "atan2",
    "boundary",
    "ceil",
    "cos",
    "cosh",
    "deflate",
    "derivs",
    "erf",
    "exp",
    "expfit",
    "exprand",
    "fabs",
    "factorial",
    "floor",
    "fmod",
    "gauss",
    "harmonic",
    "hyperbol",
    "invert",
    "legendre",
    "log",
    "log10",
    "net_event",
    "net_move",
    "net_send",
    "normrand",
    "nrn_ghk",
    "nrn_pointing",
    "nrn_random_play",
    "perpulse",
    "perstep",
    "poisrand",
    "poisson",
    "pow",
    "printf",
    "prterr",
    "pulse",
    "ramp",
    "random_dpick",
    "random_ipick",
    "random_negexp",
    "random_normal",
    "random_setids",
    "random_setseq",
    "random_uniform",
    "revhyperbol",
    "revsawtooth",
    "revsigmoid",
    "romberg",
    "sawtooth",
    "schedule",
    "scop_random",
    "set_seed",
    "setseed",
    "sigmoid",
    "sin",
    "sinh",
    "spline",
    "sqrt",
    "squarewave",
    "state_discontinuity",
    "step",
    "stepforce",
    "tan",
    "tanh",
    "threshold",
];

/// Variables modcc provides without a declaration (`t` is not one of them).
pub const MODCC_VARIABLES: &[&str] = &["v", "dt", "celsius", "diam", "area", "v_peer"];

/// Functions modcc knows (`pow`, `abs`, `log10`, `tan`, `erf`, `expm1` are not among them).
const MODCC_FUNCTIONS: &[&str] = &[
    "exp",
    "exprelr",
    "log",
    "cos",
    "sin",
    "sqrt",
    "fabs",
    "min",
    "max",
    "step",
    "step_right",
    "step_left",
    "signum",
    "sigmoid",
    "tanh",
    "safeinv",
];

/// What declares a symbol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum SymbolKind {
    /// A declaration in a PARAMETER, ASSIGNED, STATE, CONSTANT, INDEPENDENT or WHITE_NOISE block.
    Declared(DeclarationBlock),
    /// A variable of a USEION statement (`ena`, `ica`, `cai` …), or modcc's `VALENCE zx` variable.
    IonVariable,
    /// nocmodl's `c0` for each STATE `c`: a parameter it declares itself, holding the state's initial value.
    StateInitialValue,
    NonspecificCurrent,
    ElectrodeCurrent,
    Range,
    Global,
    Pointer,
    BbcorePointer,
    Random,
    External,
    Define,
    /// A LOCAL at file scope.
    FileLocal,
    /// `FARADAY = (faraday) (coulomb)` in a UNITS block.
    UnitsConstant,
    FunctionTable,
    /// A named block: FUNCTION, PROCEDURE, DERIVATIVE, KINETIC …
    Callable(CallableKind),
    Argument,
    Local,
    /// The variable of a FROM loop, which needs no declaration.
    LoopVariable,
    /// A FUNCTION's own name inside its body, which holds its result.
    FunctionResult,
    /// Provided by the compiler.
    BuiltinVariable,
    BuiltinFunction,
}

impl SymbolKind {
    /// Whether the declaration gives the variable storage of its own in nocmodl's C++. A RANGE, GLOBAL or
    /// NONSPECIFIC_CURRENT statement only says how a variable is seen; a USEION variable still needs a declaration
    /// for NEURON (see lint N109).
    pub fn declares_storage(self) -> bool {
        !matches!(
            self,
            SymbolKind::Range
                | SymbolKind::Global
                | SymbolKind::NonspecificCurrent
                | SymbolKind::ElectrodeCurrent
                | SymbolKind::IonVariable
        )
    }
}

/// Where a symbol is visible.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Scope {
    /// Everywhere in the file.
    File,
    /// Inside the block that is the file's item with this index.
    Block(u32),
    /// Provided by the compiler of the table's dialect.
    Compiler,
}

/// A name as text, kept inline when it is short (as almost every NMODL name is): a symbol table of a million names
/// then makes no allocation per name.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum NameText {
    /// Up to [`NameText::INLINE`] bytes, and their count.
    Inline([u8; NameText::INLINE], u8),
    Long(Box<str>),
}

impl NameText {
    const INLINE: usize = 22;

    pub fn new(text: &str) -> NameText {
        if text.len() <= NameText::INLINE {
            let mut bytes = [0; NameText::INLINE];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            NameText::Inline(bytes, text.len() as u8)
        } else {
            NameText::Long(text.into())
        }
    }

    /// The bytes of the name, without the check that makes them a `str` (for lookups by name).
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            NameText::Inline(bytes, length) => &bytes[..usize::from(*length)],
            NameText::Long(text) => text.as_bytes(),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            // The bytes were copied from a `str` of exactly this length.
            NameText::Inline(bytes, length) => {
                std::str::from_utf8(&bytes[..usize::from(*length)]).unwrap_or_default()
            }
            NameText::Long(text) => text,
        }
    }
}

impl std::ops::Deref for NameText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for NameText {
    fn eq(&self, other: &str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for NameText {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl std::fmt::Display for NameText {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl std::fmt::Debug for NameText {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), formatter)
    }
}

impl Serialize for NameText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One declared name.
#[derive(Clone, Debug, Serialize)]
pub struct Symbol {
    /// The name as written, without a prime.
    pub name: NameText,
    pub kind: SymbolKind,
    pub scope: Scope,
    /// Where it is declared; `None` for a builtin.
    pub span: Option<Span>,
}

/// An index into [`SymbolTable::symbols`].
pub type SymbolId = usize;

/// A name that some symbol has: the id of the first symbol with it. Two symbols have the same name exactly when
/// their `NameId`s are equal, so rules index vectors of the table's length by it instead of hashing names.
pub type NameId = usize;

/// One name used in code.
#[derive(Clone, Debug, Serialize)]
pub struct NameUse {
    pub name: Name,
    /// The name as written, without a prime: [`NameUse::text`].
    pub unprimed: Span,
    /// Called as a function or procedure, rather than read or written as a variable.
    pub is_call: bool,
    /// The target of an assignment (`x = …`).
    pub is_assignment: bool,
    /// The index of the file item (the block) it is used in.
    pub item: u32,
    /// Its name among the table's symbols ([`NameUse::name_id`]), or [`NameUse::NONE`].
    name_index: u32,
    /// What it refers to ([`NameUse::resolved`]), or [`NameUse::NONE`].
    symbol: u32,
}

impl NameUse {
    /// No name or symbol: ids are 32 bits (a file has fewer than 4 G bytes), which halves a use.
    const NONE: u32 = u32::MAX;

    /// Its name among the table's symbols, if any symbol has that name.
    pub fn name_id(&self) -> Option<NameId> {
        (self.name_index != NameUse::NONE).then_some(self.name_index as NameId)
    }

    /// What it refers to: the innermost visible declaration, for a variable preferring one with storage.
    pub fn resolved(&self) -> Option<SymbolId> {
        (self.symbol != NameUse::NONE).then_some(self.symbol as SymbolId)
    }

    /// The name as written in `source` (the table's file), without a prime.
    pub fn text<'a>(&self, source: &'a [u8]) -> &'a str {
        // A name is ASCII (see the lexer).
        std::str::from_utf8(self.unprimed.slice(source)).unwrap_or_default()
    }
}

/// Every declaration and every use of one file.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SymbolTable {
    pub symbols: Vec<Symbol>,
    pub uses: Vec<NameUse>,
    /// False when an INCLUDEd file could not be read: an unresolved name may be declared there. (The builder sets
    /// it to true; whoever reads the includes lowers it.)
    pub complete: bool,
    #[serde(skip)]
    names: NameIndex,
}

impl SymbolTable {
    /// Builds the table of `file` (parsed from `source`) as `dialect`'s compiler sees it. The file-scope symbols of
    /// `included` (the tables of its INCLUDEd files) are added as the file's own, without a span.
    pub fn build(
        file: &File,
        source: &[u8],
        facts: &MechanismFacts,
        dialect: Dialect,
        included: &[SymbolTable],
    ) -> SymbolTable {
        let text =
            |name: &Name| {
                NameText::new(name.span.text(source).trim_end_matches(|character: char| {
                    character == '\'' || character.is_whitespace()
                }))
            };
        let mut table = SymbolTable {
            complete: true,
            ..SymbolTable::default()
        };
        let add = |table: &mut SymbolTable, name: &Name, kind: SymbolKind, scope: Scope| {
            table.symbols.push(Symbol {
                name: text(name),
                kind,
                scope,
                span: Some(name.span),
            });
        };

        // The file's declarations, in the order resolution prefers them.
        for (index, item) in (0u32..).zip(&file.items) {
            match &item.kind {
                ItemKind::Declarations {
                    block,
                    declarations,
                } => {
                    for declaration in declarations {
                        add(
                            &mut table,
                            &declaration.name,
                            SymbolKind::Declared(*block),
                            Scope::File,
                        );
                    }
                }
                ItemKind::Define { name, .. } => {
                    add(&mut table, name, SymbolKind::Define, Scope::File)
                }
                ItemKind::Local { names } => {
                    for declaration in names {
                        add(
                            &mut table,
                            &declaration.name,
                            SymbolKind::FileLocal,
                            Scope::File,
                        );
                    }
                }
                ItemKind::Units { definitions } => {
                    for definition in definitions {
                        let left = definition.left.text(source);
                        let left = left.trim();
                        if !left.is_empty() && !left.starts_with('(') {
                            table.symbols.push(Symbol {
                                name: NameText::new(left),
                                kind: SymbolKind::UnitsConstant,
                                scope: Scope::File,
                                span: Some(definition.left),
                            });
                        }
                    }
                }
                ItemKind::FunctionTable { name, .. } => {
                    add(&mut table, name, SymbolKind::FunctionTable, Scope::File)
                }
                ItemKind::Callable(callable) => {
                    if let Some(name) = &callable.name {
                        add(
                            &mut table,
                            name,
                            SymbolKind::Callable(callable.kind),
                            Scope::File,
                        );
                        if callable.kind == CallableKind::Function {
                            add(
                                &mut table,
                                name,
                                SymbolKind::FunctionResult,
                                Scope::Block(index),
                            );
                        }
                    }
                    for argument in &callable.arguments {
                        add(
                            &mut table,
                            &argument.name,
                            SymbolKind::Argument,
                            Scope::Block(index),
                        );
                    }
                    for_each_statement_in_block(&callable.body, 1, &mut |statement, _depth| {
                        match &statement.kind {
                            StatementKind::Local { names } => {
                                for declaration in names {
                                    add(
                                        &mut table,
                                        &declaration.name,
                                        SymbolKind::Local,
                                        Scope::Block(index),
                                    );
                                }
                            }
                            StatementKind::From { variable, .. } => add(
                                &mut table,
                                variable,
                                SymbolKind::LoopVariable,
                                Scope::Block(index),
                            ),
                            StatementKind::ForNetcons { arguments, .. } => {
                                for argument in arguments {
                                    add(
                                        &mut table,
                                        &argument.name,
                                        SymbolKind::Argument,
                                        Scope::Block(index),
                                    );
                                }
                            }
                            _ => {}
                        }
                    });
                }
                _ => {}
            }
        }
        if dialect == Dialect::Neuron {
            for declaration in file.items.iter().flat_map(|item| match &item.kind {
                ItemKind::Declarations {
                    block: DeclarationBlock::State,
                    declarations,
                } => declarations.as_slice(),
                _ => &[],
            }) {
                table.symbols.push(Symbol {
                    name: NameText::new(&format!("{}0", text(&declaration.name))),
                    kind: SymbolKind::StateInitialValue,
                    scope: Scope::File,
                    span: Some(declaration.name.span),
                });
            }
        }
        let neuron_statements: [(&[Name], SymbolKind); 8] = [
            (&facts.pointers, SymbolKind::Pointer),
            (&facts.bbcore_pointers, SymbolKind::BbcorePointer),
            (&facts.randoms, SymbolKind::Random),
            (&facts.externals, SymbolKind::External),
            (&facts.nonspecific_currents, SymbolKind::NonspecificCurrent),
            (&facts.electrode_currents, SymbolKind::ElectrodeCurrent),
            (&facts.ranges, SymbolKind::Range),
            (&facts.globals, SymbolKind::Global),
        ];
        for (names, kind) in neuron_statements {
            for name in names {
                add(&mut table, name, kind, Scope::File);
            }
        }
        for ion in &facts.ions {
            for name in ion.read.iter().chain(&ion.write) {
                add(&mut table, name, SymbolKind::IonVariable, Scope::File);
            }
            // modcc's `VALENCE zx`: a variable that receives the ion's valence.
            if let Some(valence) = ion
                .valence
                .filter(|valence| valence.slice(source)[0].is_ascii_alphabetic())
            {
                add(
                    &mut table,
                    &Name { span: valence },
                    SymbolKind::IonVariable,
                    Scope::File,
                );
            }
        }
        table.symbols.extend(
            included
                .iter()
                .flat_map(|included| &included.symbols)
                .filter(|symbol| symbol.scope == Scope::File)
                .map(|symbol| Symbol {
                    span: None,
                    ..symbol.clone()
                }),
        );
        let (variables, functions): (&[&str], &[&str]) = match dialect {
            Dialect::Neuron => (NOCMODL_SILENT_VARIABLES, NOCMODL_FUNCTIONS),
            Dialect::Arbor => (MODCC_VARIABLES, MODCC_FUNCTIONS),
        };
        let neuron_extra: &[&str] = match dialect {
            Dialect::Neuron => NOCMODL_VARIABLES_DEFINED_IN_CPP,
            Dialect::Arbor => &[],
        };
        for (names, kind) in [
            (variables, SymbolKind::BuiltinVariable),
            (neuron_extra, SymbolKind::BuiltinVariable),
            (functions, SymbolKind::BuiltinFunction),
        ] {
            table.symbols.extend(names.iter().map(|name| Symbol {
                name: NameText::new(name),
                kind,
                scope: Scope::Compiler,
                span: None,
            }));
        }

        let mut uses = uses_in(file, source);
        table.names = NameIndex::new(&table.symbols);
        for name_use in &mut uses {
            let name = table
                .names
                .name_id(&table.symbols, name_use.unprimed.slice(source));
            name_use.name_index = name.map_or(NameUse::NONE, |name| name as u32);
        }
        resolve_uses(&table.symbols, &table.names, &mut uses);
        table.uses = uses;
        table
    }

    /// The uses that refer to nothing.
    pub fn unresolved_uses(&self) -> impl Iterator<Item = &NameUse> {
        self.uses
            .iter()
            .filter(|name_use| name_use.resolved().is_none())
    }

    /// The symbol a use refers to.
    pub fn symbol_of(&self, name_use: &NameUse) -> Option<&Symbol> {
        name_use.resolved().map(|id| &self.symbols[id])
    }

    /// The file's own declarations in `block` blocks (not those of INCLUDEd files), in source order.
    pub fn declarations_in(
        &self,
        block: DeclarationBlock,
    ) -> impl Iterator<Item = (SymbolId, &Symbol)> + '_ {
        self.symbols.iter().enumerate().filter(move |(_, symbol)| {
            symbol.kind == SymbolKind::Declared(block) && symbol.span.is_some()
        })
    }

    /// The places in `source` (the table's file) where a declaration or a use writes a symbol's name exactly (a
    /// trailing prime aside), with the name (a [`NameId`] in 32 bits), in source order and once each: what a scan
    /// of the name tokens would find for them, without hashing each token's text.
    pub fn spans_of_names(&self, source: &[u8]) -> Vec<(Span, u32)> {
        let writes_name = |span: Span, name: &[u8]| {
            let text = span.slice(source);
            text.strip_suffix(b"'").unwrap_or(text) == name
        };
        let mut spans: Vec<(Span, u32)> = self
            .symbols
            .iter()
            .enumerate()
            .filter_map(|(id, symbol)| {
                let span = symbol.span?;
                writes_name(span, symbol.name.as_bytes()).then(|| (span, self.name_of(id) as u32))
            })
            .chain(self.uses.iter().filter_map(|name_use| {
                let name = name_use.name_id()?;
                writes_name(name_use.name.span, name_use.unprimed.slice(source))
                    .then_some((name_use.name.span, name as u32))
            }))
            .collect();
        // A stable sort: the symbols are in runs of source order (each block, each kind of NEURON statement), which
        // it merges rather than sorts.
        spans.sort_by_key(|(span, _)| span.start);
        spans.dedup_by_key(|(span, _)| span.start);
        spans
    }

    /// The name `bytes` (written without a prime), if a symbol has it: one hash lookup.
    pub fn name_id(&self, bytes: &[u8]) -> Option<NameId> {
        self.names.name_id(&self.symbols, bytes)
    }

    /// The name of the symbol `id`.
    pub fn name_of(&self, id: SymbolId) -> NameId {
        self.names.name_of_symbol[id] as NameId
    }
}

/// `span` without the primes (and spaces) that end it: `m'` and `m '` name `m`.
fn unprimed(span: Span, source: &[u8]) -> Span {
    let text = span.slice(source);
    let kept = text
        .iter()
        .rposition(|&byte| byte != b'\'' && !byte.is_ascii_whitespace())
        .map_or(0, |last| last + 1);
    Span::new(span.start as usize, span.start as usize + kept)
}

/// Every variable and call written in the file's blocks, in source order within each block.
fn uses_in(file: &File, source: &[u8]) -> Vec<NameUse> {
    let mut uses = Vec::new();
    for (index, item) in (0u32..).zip(&file.items) {
        let ItemKind::Callable(callable) = &item.kind else {
            continue;
        };
        for_each_statement_in_block(&callable.body, 1, &mut |statement, _depth| {
            let assignment_target = match &statement.kind {
                StatementKind::Assignment { target, .. } => Some(target.span),
                _ => None,
            };
            for_each_expression_of(statement, &mut |expression| {
                for_each_subexpression(expression, &mut |inner| {
                    let (name, is_call) = match &inner.kind {
                        ExpressionKind::Variable { name, .. } => (name, false),
                        ExpressionKind::Call { name, .. } => (name, true),
                        _ => return,
                    };
                    uses.push(NameUse {
                        name: *name,
                        unprimed: unprimed(name.span, source),
                        is_call,
                        is_assignment: assignment_target == Some(inner.span),
                        item: index,
                        name_index: NameUse::NONE,
                        symbol: NameUse::NONE,
                    });
                })
            });
        });
    }
    uses
}

/// The symbols grouped by name, built once per table so that a name costs one hash lookup wherever it is asked
/// about: a hash table of each distinct name's first symbol (its [`NameId`]), and for each symbol its name. Rules use
/// the ids as indices into plain vectors, so none of them hashes every declaration again.
#[derive(Clone, Default)]
struct NameIndex {
    /// The first symbol of each distinct name, hashed by that symbol's name.
    first_of_each_name: HashTable<u32>,
    /// For each symbol, the first symbol of its name.
    name_of_symbol: Vec<u32>,
}

impl NameIndex {
    fn new(symbols: &[Symbol]) -> NameIndex {
        let mut index = NameIndex {
            first_of_each_name: HashTable::with_capacity(symbols.len()),
            name_of_symbol: Vec::with_capacity(symbols.len()),
        };
        for (id, symbol) in symbols.iter().enumerate() {
            let bytes = symbol.name.as_bytes();
            let first = *index
                .first_of_each_name
                .entry(
                    hash_name(bytes),
                    |&first| symbols[first as usize].name.as_bytes() == bytes,
                    |&first| hash_name(symbols[first as usize].name.as_bytes()),
                )
                .or_insert(id as u32)
                .get();
            index.name_of_symbol.push(first);
        }
        index
    }

    fn name_id(&self, symbols: &[Symbol], bytes: &[u8]) -> Option<NameId> {
        self.first_of_each_name
            .find(hash_name(bytes), |&first| {
                symbols[first as usize].name.as_bytes() == bytes
            })
            .map(|&first| first as NameId)
    }
}

/// Resolves every use in one pass over the symbols and one over the uses, whatever the number of symbols that share
/// a name (a LOCAL `x` in each of 30,000 blocks): the block's own symbol first, then the file's (one with storage
/// before one without), then the compiler's; functions and variables apart.
fn resolve_uses(symbols: &[Symbol], names: &NameIndex, uses: &mut [NameUse]) {
    const NONE: u32 = u32::MAX;
    let is_function = |kind: SymbolKind| {
        matches!(
            kind,
            SymbolKind::Callable(_) | SymbolKind::FunctionTable | SymbolKind::BuiltinFunction
        )
    };
    // A FUNCTION_TABLE is called; a DEFINE may stand for either.
    let fits_variable = |kind: SymbolKind| !is_function(kind) || kind == SymbolKind::FunctionTable;
    let fits_call = |kind: SymbolKind| is_function(kind) || kind == SymbolKind::Define;
    // By name id: the symbol a variable or a call of that name refers to in the file, and in the compiler.
    let mut file_variable = vec![NONE; symbols.len()];
    let mut file_call = vec![NONE; symbols.len()];
    let mut compiler_variable = vec![NONE; symbols.len()];
    let mut compiler_call = vec![NONE; symbols.len()];
    // Where each block's symbols are: they are added block by block.
    let mut block_symbols: HashMap<u32, std::ops::Range<usize>> = HashMap::new();
    for (id, symbol) in symbols.iter().enumerate() {
        let name = names.name_of_symbol[id] as usize;
        let (variable, call) = match symbol.scope {
            Scope::File => (&mut file_variable[name], &mut file_call[name]),
            Scope::Compiler => (&mut compiler_variable[name], &mut compiler_call[name]),
            Scope::Block(item) => {
                block_symbols
                    .entry(item)
                    .and_modify(|range| range.end = id + 1)
                    .or_insert(id..id + 1);
                continue;
            }
        };
        for (fits, slot) in [
            (fits_variable(symbol.kind), variable),
            (fits_call(symbol.kind), call),
        ] {
            if !fits {
                continue;
            }
            // The first that fits; in the file, replaced once by the first with storage if it has none.
            let replace = *slot == NONE
                || (symbol.scope == Scope::File
                    && !symbols[*slot as usize].kind.declares_storage()
                    && symbol.kind.declares_storage());
            if replace {
                *slot = id as u32;
            }
        }
    }
    // The symbols of the block whose uses are being resolved (the uses come block by block), by name id.
    let mut block: HashMap<u32, u32> = HashMap::new();
    let mut current_item = None;
    for name_use in uses {
        let Some(name) = name_use.name_id() else {
            continue;
        };
        if current_item != Some(name_use.item) {
            current_item = Some(name_use.item);
            block.clear();
            for id in block_symbols
                .get(&name_use.item)
                .cloned()
                .unwrap_or_default()
            {
                if symbols[id].scope == Scope::Block(name_use.item) {
                    block.entry(names.name_of_symbol[id]).or_insert(id as u32);
                }
            }
        }
        // Every symbol of a block is a variable.
        let in_block = if name_use.is_call {
            None
        } else {
            block.get(&(name as u32)).copied()
        };
        let (file, compiler) = if name_use.is_call {
            (file_call[name], compiler_call[name])
        } else {
            (file_variable[name], compiler_variable[name])
        };
        name_use.symbol = in_block
            .or((file != NONE).then_some(file))
            .or((compiler != NONE).then_some(compiler))
            .unwrap_or(NONE);
    }
}

impl std::fmt::Debug for NameIndex {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("NameIndex")
            .field("names", &self.first_of_each_name.len())
            .finish()
    }
}

fn hash_name(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x676c_6961).hash_one(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semantics::mechanism::mechanism_facts;
    use crate::syntax::parse;

    fn resolutions(source: &str, dialect: Dialect) -> Vec<(String, Option<SymbolKind>)> {
        let parse = parse(source.as_bytes(), dialect);
        let facts = mechanism_facts(&parse.file);
        let table = SymbolTable::build(&parse.file, source.as_bytes(), &facts, dialect, &[]);
        table
            .uses
            .iter()
            .map(|name_use| {
                (
                    name_use.text(source.as_bytes()).to_string(),
                    table.symbol_of(name_use).map(|symbol| symbol.kind),
                )
            })
            .collect()
    }

    #[test]
    fn each_block_s_uses_resolve_to_its_own_local() {
        let source = "NEURON { SUFFIX s RANGE x }\nPARAMETER { x = 1 }\nPROCEDURE a() { LOCAL x\n x = 1 }\nPROCEDURE b() { x = 2 }\nPROCEDURE c() { LOCAL x\n x = 3 }\n";
        let parse = parse(source.as_bytes(), Dialect::Neuron);
        let facts = mechanism_facts(&parse.file);
        let table =
            SymbolTable::build(&parse.file, source.as_bytes(), &facts, Dialect::Neuron, &[]);
        let resolved: Vec<(SymbolKind, Scope)> = table
            .uses
            .iter()
            .map(|name_use| {
                let symbol = table.symbol_of(name_use).expect("resolved");
                (symbol.kind, symbol.scope)
            })
            .collect();
        // Items: NEURON 0, PARAMETER 1, then the procedures 2, 3, 4.
        assert_eq!(
            resolved,
            [
                (SymbolKind::Local, Scope::Block(2)),
                (
                    SymbolKind::Declared(DeclarationBlock::Parameter),
                    Scope::File
                ),
                (SymbolKind::Local, Scope::Block(4)),
            ]
        );
    }

    #[test]
    fn uses_resolve_to_the_innermost_declaration() {
        let source = "NEURON { SUFFIX s USEION na READ ena WRITE ina RANGE g, x }\nPARAMETER { g = 1 }\nASSIGNED { ina }\nBREAKPOINT { LOCAL g\n ina = g*(v - ena) + rate(x) + t }\nFUNCTION rate(a) { FROM i = 0 TO 1 { rate = a*i } }\n";
        assert_eq!(
            resolutions(source, Dialect::Neuron),
            [
                (
                    "ina".into(),
                    Some(SymbolKind::Declared(DeclarationBlock::Assigned))
                ),
                ("g".into(), Some(SymbolKind::Local)),
                ("v".into(), Some(SymbolKind::BuiltinVariable)),
                ("ena".into(), Some(SymbolKind::IonVariable)),
                (
                    "rate".into(),
                    Some(SymbolKind::Callable(CallableKind::Function))
                ),
                ("x".into(), Some(SymbolKind::Range)),
                ("t".into(), Some(SymbolKind::BuiltinVariable)),
                ("rate".into(), Some(SymbolKind::FunctionResult)),
                ("a".into(), Some(SymbolKind::Argument)),
                ("i".into(), Some(SymbolKind::LoopVariable)),
            ]
        );
        // Arbor has no `t`.
        let arbor = resolutions(
            "NEURON { SUFFIX s NONSPECIFIC_CURRENT i }\nBREAKPOINT { i = t }\n",
            Dialect::Arbor,
        );
        assert_eq!(
            arbor,
            [
                ("i".into(), Some(SymbolKind::NonspecificCurrent)),
                ("t".into(), None)
            ]
        );
    }
}
