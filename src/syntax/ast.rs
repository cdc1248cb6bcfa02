//! The abstract syntax tree. Every node carries the byte span it was parsed from; names and raw texts are spans
//! into the source (see [`Span::text`](crate::span::Span::text)), so building the tree copies no text.

use serde::Serialize;

use crate::span::Span;

/// A whole mod file.
#[derive(Clone, Debug, Default, Serialize)]
pub struct File {
    pub items: Vec<Item>,
}

/// A name as written in the source, e.g. `gnabar` or `m'`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Name {
    pub span: Span,
}

/// A top-level item.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    pub kind: ItemKind,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub enum ItemKind {
    Title {
        text: Option<Span>,
    },
    Verbatim,
    Include {
        path: Span,
    },
    Define {
        name: Name,
        value: Span,
    },
    /// File-scope `LOCAL` variables.
    Local {
        names: Vec<Declaration>,
    },
    Neuron {
        statements: Vec<NeuronStatement>,
        /// From `{` to `}` (a statement can be inserted just after `{`).
        body: Span,
    },
    Units {
        definitions: Vec<UnitDefinition>,
    },
    Declarations {
        block: DeclarationBlock,
        declarations: Vec<Declaration>,
    },
    Callable(Box<Callable>),
    FunctionTable {
        name: Name,
        arguments: Vec<Argument>,
        unit: Option<Span>,
    },
    /// Bytes that could not be read as an item; a diagnostic says why.
    Error,
}

/// The blocks that only declare names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum DeclarationBlock {
    Parameter,
    Assigned,
    State,
    Constant,
    Independent,
    WhiteNoise,
}

/// One declaration: `name[size] = value (unit) <low, high>`, `name FROM a TO b`, `name START x` and similar.
///
/// The parts most declarations lack are boxed in [`RareDeclarationParts`], so that a declaration takes 48 bytes (a
/// generated PARAMETER block can hold a million); serialized, it shows every part as before.
#[derive(Clone, Debug)]
pub struct Declaration {
    pub name: Name,
    pub value: Option<Span>,
    pub unit: Option<Span>,
    pub span: Span,
    pub rare: Option<Box<RareDeclarationParts>>,
}

/// The parts of a declaration that few have: an array size, `FROM a TO b`, limits `<low, high>` or a tolerance
/// `<t>`, and `START x` (an initial value, old NEURON syntax).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RareDeclarationParts {
    pub size: Option<Span>,
    pub from_to: Option<(Span, Span)>,
    pub limits: Option<(Span, Span)>,
    pub tolerance: Option<Span>,
    pub start: Option<Span>,
}

impl Declaration {
    /// A declaration with `value`, `unit` and, boxed when there are any, the `rare` parts.
    pub fn new(
        name: Name,
        value: Option<Span>,
        unit: Option<Span>,
        rare: RareDeclarationParts,
        span: Span,
    ) -> Declaration {
        Declaration {
            name,
            value,
            unit,
            span,
            rare: (rare != RareDeclarationParts::default()).then(|| Box::new(rare)),
        }
    }

    pub fn size(&self) -> Option<Span> {
        self.rare.as_ref().and_then(|rare| rare.size)
    }

    pub fn from_to(&self) -> Option<(Span, Span)> {
        self.rare.as_ref().and_then(|rare| rare.from_to)
    }

    pub fn limits(&self) -> Option<(Span, Span)> {
        self.rare.as_ref().and_then(|rare| rare.limits)
    }

    pub fn tolerance(&self) -> Option<Span> {
        self.rare.as_ref().and_then(|rare| rare.tolerance)
    }

    pub fn start(&self) -> Option<Span> {
        self.rare.as_ref().and_then(|rare| rare.start)
    }
}

impl Serialize for Declaration {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut declaration = serializer.serialize_struct("Declaration", 9)?;
        declaration.serialize_field("name", &self.name)?;
        declaration.serialize_field("size", &self.size())?;
        declaration.serialize_field("value", &self.value)?;
        declaration.serialize_field("unit", &self.unit)?;
        declaration.serialize_field("from_to", &self.from_to())?;
        declaration.serialize_field("limits", &self.limits())?;
        declaration.serialize_field("tolerance", &self.tolerance())?;
        declaration.serialize_field("start", &self.start())?;
        declaration.serialize_field("span", &self.span)?;
        declaration.end()
    }
}

/// `(mV) = (millivolt)` or `FARADAY = (faraday) (coulomb)` or `R = 8.314 (joule/degC)`.
#[derive(Clone, Debug, Serialize)]
pub struct UnitDefinition {
    pub left: Span,
    pub right: Vec<Span>,
    pub span: Span,
}

/// The kinds of mechanism a NEURON block can declare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum MechanismKind {
    Suffix,
    PointProcess,
    ArtificialCell,
    VoltageProcess,
    JunctionProcess,
}

#[derive(Clone, Debug, Serialize)]
pub struct NeuronStatement {
    pub kind: NeuronStatementKind,
    pub span: Span,
}

/// Which list statement of the NEURON block a [`NeuronStatementKind::NameList`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum NameListKind {
    NonspecificCurrent,
    ElectrodeCurrent,
    Range,
    Global,
    Pointer,
    BbcorePointer,
    External,
    Random,
    Section,
}

#[derive(Clone, Debug, Serialize)]
pub enum NeuronStatementKind {
    Mechanism {
        kind: MechanismKind,
        name: Name,
    },
    /// Boxed: the largest statement of the NEURON block would otherwise set the size of every RANGE and GLOBAL.
    UseIon(Box<UseIon>),
    NameList {
        list: NameListKind,
        names: Vec<Name>,
    },
    ThreadSafe {
        names: Vec<Name>,
    },
    Represents {
        id: Span,
    },
    Verbatim,
    Error,
}

/// `USEION ca READ cai, eca WRITE ica VALENCE 2 REPRESENTS CHEBI:29108`.
#[derive(Clone, Debug, Serialize)]
pub struct UseIon {
    pub ion: Name,
    pub read: Vec<Name>,
    pub write: Vec<Name>,
    /// The keyword of a READ clause after a WRITE clause, or of a second READ or WRITE clause: modcc reads the
    /// clauses in any order and number, nocmodl only `READ … WRITE …`.
    pub misordered: Option<Span>,
    /// A signed number, or (modcc only) the name of a variable that receives the ion's valence.
    pub valence: Option<Span>,
    pub represents: Option<Span>,
}

/// The blocks that hold statements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CallableKind {
    Initial,
    Breakpoint,
    Derivative,
    Kinetic,
    Linear,
    Nonlinear,
    Discrete,
    Procedure,
    Function,
    NetReceive,
    Before,
    After,
    Constructor,
    Destructor,
    PostEvent,
}

impl CallableKind {
    /// The keyword that opens a block of this kind.
    pub fn keyword(self) -> &'static str {
        match self {
            CallableKind::Initial => "INITIAL",
            CallableKind::Breakpoint => "BREAKPOINT",
            CallableKind::Derivative => "DERIVATIVE",
            CallableKind::Kinetic => "KINETIC",
            CallableKind::Linear => "LINEAR",
            CallableKind::Nonlinear => "NONLINEAR",
            CallableKind::Discrete => "DISCRETE",
            CallableKind::Procedure => "PROCEDURE",
            CallableKind::Function => "FUNCTION",
            CallableKind::NetReceive => "NET_RECEIVE",
            CallableKind::Before => "BEFORE",
            CallableKind::After => "AFTER",
            CallableKind::Constructor => "CONSTRUCTOR",
            CallableKind::Destructor => "DESTRUCTOR",
            CallableKind::PostEvent => "POST_EVENT",
        }
    }
}

/// A block of statements with its header: `FUNCTION rates(v (mV)) (/ms) { … }`, `BEFORE STEP { … }`.
#[derive(Clone, Debug, Serialize)]
pub struct Callable {
    pub kind: CallableKind,
    pub name: Option<Name>,
    pub arguments: Vec<Argument>,
    pub unit: Option<Span>,
    /// `SOLVEFOR a, b` after a KINETIC/LINEAR/NONLINEAR/DERIVATIVE name.
    pub solve_for: Vec<Name>,
    pub body: Block,
}

/// A formal argument `v (mV)`.
#[derive(Clone, Debug, Serialize)]
pub struct Argument {
    pub name: Name,
    pub unit: Option<Span>,
}

/// `{ statements }`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Block {
    pub statements: Vec<Statement>,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct Statement {
    pub kind: StatementKind,
    pub span: Span,
}

/// Reaction arrows in KINETIC blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ReactionArrow {
    /// `<->`, with forward and backward rates.
    Reversible,
    /// `<<`, a flux into a state.
    Flux,
    /// `->`, a one-way reaction.
    Forward,
}

/// One side of a reaction: terms like `2 A + B`.
#[derive(Clone, Debug, Serialize)]
pub struct ReactionTerm {
    pub coefficient: Option<Span>,
    pub state: Expression,
}

#[derive(Clone, Debug, Serialize)]
pub enum StatementKind {
    Local {
        names: Vec<Declaration>,
    },
    Assignment {
        target: Expression,
        value: Expression,
    },
    Expression(Expression),
    /// `~ A + B <-> C (kf, kb)`, `~ ca << (flux)`, `~ A -> (rate)`.
    Reaction {
        left: Vec<ReactionTerm>,
        arrow: ReactionArrow,
        arrow_span: Span,
        right: Vec<ReactionTerm>,
        rates: Vec<Expression>,
    },
    /// `~ a*x + b = c` in LINEAR/NONLINEAR blocks.
    Equation {
        left: Expression,
        right: Expression,
    },
    /// `CONSERVE a + 2 b = total`.
    Conserve {
        left: Vec<ReactionTerm>,
        right: Expression,
    },
    Compartment {
        arguments: Vec<Expression>,
        states: Vec<Name>,
    },
    LongitudinalDiffusion {
        arguments: Vec<Expression>,
        states: Vec<Name>,
    },
    If {
        condition: Expression,
        then_block: Block,
        else_branch: Option<Box<Statement>>,
    },
    While {
        condition: Expression,
        body: Block,
    },
    /// The bounds are boxed, as in TABLE: both statements are rare, and boxing keeps every [`Statement`] small.
    From {
        variable: Name,
        from: Box<Expression>,
        to: Box<Expression>,
        by: Option<Box<Expression>>,
        body: Block,
    },
    Solve {
        name: Name,
        method: Option<Name>,
        steady_state: Option<Name>,
        if_error: Option<Block>,
    },
    Table {
        names: Vec<Name>,
        depend: Vec<Name>,
        from: Box<Expression>,
        to: Box<Expression>,
        with: Box<Expression>,
    },
    Protect(Box<Statement>),
    MutexLock,
    MutexUnlock,
    Lag {
        name: Name,
        by: Name,
    },
    Watch {
        watches: Vec<(Expression, Expression)>,
    },
    ForNetcons {
        arguments: Vec<Argument>,
        body: Block,
    },
    Conductance {
        name: Name,
        ion: Option<Name>,
    },
    Initial(Block),
    Block(Block),
    Verbatim,
    Error,
}

/// Binary operators, tightest last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum BinaryOperator {
    Or,
    And,
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Add,
    Subtract,
    Multiply,
    Divide,
    Power,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum UnaryOperator {
    Negate,
    Not,
    Plus,
}

#[derive(Clone, Debug, Serialize)]
pub struct Expression {
    pub kind: ExpressionKind,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub enum ExpressionKind {
    /// `22`, `1e-3`, with an optional unit `22 (degC)`.
    Number {
        unit: Option<Span>,
    },
    /// `x`, `m'`, `a[i]`, `x@2`.
    Variable {
        name: Name,
        index: Option<Box<Expression>>,
        at: Option<Span>,
    },
    Call {
        name: Name,
        /// A boxed slice (not a `Vec`): every expression is the size of its largest kind.
        arguments: Box<[Expression]>,
    },
    Unary {
        operator: UnaryOperator,
        operand: Box<Expression>,
    },
    /// `operands` are the left and the right operand, in one allocation.
    Binary {
        operator: BinaryOperator,
        operands: Box<[Expression; 2]>,
    },
    Parenthesized(Box<Expression>),
    String,
    Error,
}
