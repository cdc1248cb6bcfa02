//! Tests of [`super`].

use super::*;

/// Evaluates a makefile without command-line or environment variables, on Linux.
fn evaluate(text: &str) -> MakeVariables {
    MakeVariables::evaluate(text, &[], &[], "Linux").expect("the makefile evaluates")
}

/// The expanded value of a variable of a makefile without command-line or environment variables.
fn value_of(text: &str, name: &str) -> String {
    evaluate(text).expand(name).expect("the variable expands")
}

/// The key lines of NEURON 9's `nrnmech_makefile`.
const NRNMECH_MAKEFILE_EXCERPT: &str = "\
# Arguments:
# MODOBJFILES
# UserLDFLAGS
# UserINCFLAGS

MECH_NAME =
MECH_VERSION = 0.0
MODS_PATH = .
OUTPUT = .
DESTDIR =
UserINCFLAGS =
UserLDFLAGS =
UserNMODLBIN =

# install dirs
bindir := ${ROOT}/bin
libdir := ${ROOT}/lib
incdir := ${ROOT}/include
datadir:= ${ROOT}/share/nrn
datadir_lib := ${ROOT}/share/nrn/lib

IV_LINK =
READLINE_LINK =
ifeq (\"ONOFF\", \"OFFOFF\")
    ifeq (\"ON\", \"ON\")
        IV_LINK = -linterviews
    endif
endif

LDFLAGS = $(IV_LINK) $(READLINE_LINK) $(LINKFLAGS) $(UserLDFLAGS) 

NRNLIB_FLAGS = -L$(libdir) -lnrniv
NRNLIB_RPATH_FLAGS = -Wl,-rpath,$(libdir)

OS_NAME := $(shell uname)
_cm =,

# We rebuild the include dirs since a lot of stuff changes place
INCLUDES = -I. $(INCFLAGS) $(UserINCFLAGS) -I$(incdir)
ifeq (OFF, ON)
  INCLUDES += $(if /usr/include/openmpi-x86_64, -I$(subst ;, -I,/usr/include/openmpi-x86_64),)
endif

# CXX is always defined. If the definition comes from default change it
ifeq ($(origin CXX), default)
    CXX = /opt/rh/gcc-toolset-10/root/usr/bin/g++
endif
CXXFLAGS = -O2    -std=c++17
CXXCOMPILE = $(CXX) $(CXXFLAGS) -DUSE_PYTHON -DNRN_ENABLE_THREADS -DCORENRN_BUILD=0 -DHAVE_CONFIG_H 
ifeq ($(origin CC), default)
    CC = /opt/rh/gcc-toolset-10/root/usr/bin/gcc
endif

CXX_LINK_EXE = $(CXX) $(CXXFLAGS)  -Wl,--unresolved-symbols=ignore-all 
CXX_LINK_SHARED = $(CXX) $(CXXFLAGS) -shared -fPIC  

ifeq ($(UserNMODLBIN), )
NOCMODL = $(bindir)/nocmodl
else
NOCMODL = $(UserNMODLBIN)
endif

special  = $(OUTPUT)/special
LIB_SUFFIX_ = $(if $(MECH_NAME),_$(MECH_NAME),)
mech_libname = nrnmech

ifeq (ON, ON)
    mech_lib = $(OUTPUT)/lib$(mech_libname).so
    mech_lib_type = mech_lib_shared
    extra_lib_link =
else
    mech_lib = $(OUTPUT)/lib$(mech_libname).a
    extra_lib_link = $(NRNLIB_FLAGS)
endif

_ORIGIN := $(if $(filter Darwin,$(OS_NAME)),@loader_path,$$ORIGIN)
_SONAME := -Wl,$(if $(filter Darwin,$(OS_NAME)),-install_name${_cm}@rpath/,-soname${_cm})$(notdir ${mech_lib})
DESTDIR_RPATH = $(if $(DESTDIR),$(DESTDIR)/lib,$(_ORIGIN))

C_RESET := \\033[0m

special: $(mech_lib) $(datadir)/nrnmain.cpp
\t@printf \" => $(C_GREEN)LINKING$(C_RESET) executable \\\"${PWD}/$(special)\\\" LDFLAGS are: $(LDFLAGS)\\n\"
\t$(CXX_LINK_EXE) -I $(incdir) $(datadir)/nrnmain.cpp -o $(special) \\
\t  -L$(OBJS_DIR) -l$(mech_libname) $(NRNLIB_FLAGS) -Wl,-rpath,'$(DESTDIR_RPATH)' $(LDFLAGS)

$(mech_lib): $(mech_lib_type)

mod_func.o: mod_func.cpp
\t@printf \" -> $(C_GREEN)Compiling$(C_RESET) $<\\n\"
\t$(CXXCOMPILE) $(INCLUDES) -fPIC -c $< -o $@

include makemod2c_inc

$(MODC_DIR):
\t(cd .. ; mkdir -p $(MODC_DIR))
#$(OBJS_DIR):
#\tmkdir -p $(OBJS_DIR)

.PHONY: build_always

$(VERBOSE).SILENT:
";

const GCC_TOOLSET_CXX: &str = "/opt/rh/gcc-toolset-10/root/usr/bin/g++";

/// The words of a value: make keeps the blanks between references (`-I.   -I/x` when the middle ones are empty).
fn words_of(value: &str) -> Vec<&str> {
    value.split_whitespace().collect()
}

#[test]
fn nrnmech_makefile_excerpt_gives_neuron_compiler_and_flags() {
    let makefile = MakeVariables::evaluate(
        NRNMECH_MAKEFILE_EXCERPT,
        &[("ROOT", "/opt/nrn")],
        &[],
        "Linux",
    )
    .unwrap();
    assert_eq!(makefile.expand("CXX").unwrap(), GCC_TOOLSET_CXX);
    assert_eq!(makefile.origin("CXX"), "file");
    assert_eq!(makefile.origin("ROOT"), "command line");
    assert_eq!(
            makefile.expand("CXXCOMPILE").unwrap(),
            format!("{GCC_TOOLSET_CXX} -O2    -std=c++17 -DUSE_PYTHON -DNRN_ENABLE_THREADS -DCORENRN_BUILD=0 -DHAVE_CONFIG_H")
        );
    assert_eq!(
        words_of(&makefile.expand("INCLUDES").unwrap()),
        ["-I.", "-I/opt/nrn/include"]
    );
    assert_eq!(
        makefile.expand("NRNLIB_FLAGS").unwrap(),
        "-L/opt/nrn/lib -lnrniv"
    );
    assert_eq!(
        makefile.expand("NRNLIB_RPATH_FLAGS").unwrap(),
        "-Wl,-rpath,/opt/nrn/lib"
    );
    assert_eq!(
        makefile.expand("CXX_LINK_SHARED").unwrap(),
        format!("{GCC_TOOLSET_CXX} -O2    -std=c++17 -shared -fPIC")
    );
    assert_eq!(
        makefile.expand("CC").unwrap(),
        "/opt/rh/gcc-toolset-10/root/usr/bin/gcc"
    );
    assert_eq!(makefile.expand("NOCMODL").unwrap(), "/opt/nrn/bin/nocmodl");
    assert_eq!(makefile.expand("mech_lib").unwrap(), "./libnrnmech.so");
    assert_eq!(makefile.expand("extra_lib_link").unwrap(), "");
    assert_eq!(makefile.expand("IV_LINK").unwrap(), "");
    assert_eq!(makefile.expand("OS_NAME").unwrap(), "Linux");
    assert_eq!(makefile.expand("_cm").unwrap(), ",");
    assert_eq!(
        makefile.expand("_SONAME").unwrap(),
        "-Wl,-soname,libnrnmech.so"
    );
    assert_eq!(makefile.expand("DESTDIR_RPATH").unwrap(), "$ORIGIN");
    assert_eq!(makefile.expand("LIB_SUFFIX_").unwrap(), "");
    assert_eq!(makefile.expand("C_RESET").unwrap(), "\\033[0m");
    assert_eq!(
        makefile.expand_text("$(CXXFLAGS) -I$(incdir)").unwrap(),
        "-O2    -std=c++17 -I/opt/nrn/include"
    );
}

#[test]
fn nrnmech_makefile_excerpt_follows_the_environment_and_command_line() {
    let with_clang = MakeVariables::evaluate(
        NRNMECH_MAKEFILE_EXCERPT,
        &[("ROOT", "/opt/nrn")],
        &[("CXX", "clang++")],
        "Linux",
    )
    .unwrap();
    assert_eq!(with_clang.expand("CXX").unwrap(), "clang++");
    assert_eq!(with_clang.origin("CXX"), "environment");
    assert!(with_clang
        .expand("CXXCOMPILE")
        .unwrap()
        .starts_with("clang++ -O2"));
    assert_eq!(
        with_clang.expand("CXX_LINK_SHARED").unwrap(),
        "clang++ -O2    -std=c++17 -shared -fPIC"
    );

    let with_options = MakeVariables::evaluate(
        NRNMECH_MAKEFILE_EXCERPT,
        &[
            ("ROOT", "/opt/nrn"),
            ("UserINCFLAGS", "-I/x"),
            ("CXX", "icpx"),
            ("MECH_NAME", "hh2"),
            ("DESTDIR", "/d"),
        ],
        &[],
        "Darwin",
    )
    .unwrap();
    assert_eq!(
        words_of(&with_options.expand("INCLUDES").unwrap()),
        ["-I.", "-I/x", "-I/opt/nrn/include"]
    );
    assert_eq!(with_options.expand("CXX").unwrap(), "icpx");
    assert_eq!(with_options.origin("CXX"), "command line");
    assert_eq!(with_options.expand("LIB_SUFFIX_").unwrap(), "_hh2");
    assert_eq!(
        with_options.expand("_SONAME").unwrap(),
        "-Wl,-install_name,@rpath/libnrnmech.so"
    );
    assert_eq!(with_options.expand("DESTDIR_RPATH").unwrap(), "/d/lib");
}

#[test]
fn installed_nrnmech_makefile_evaluates() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.venv/lib/python3.11/site-packages/neuron/.data/bin/nrnmech_makefile"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipped: no NEURON makefile at {path}");
        return;
    };
    let makefile = MakeVariables::evaluate(&text, &[("ROOT", "/opt/nrn")], &[], "Linux").unwrap();
    let compile = makefile.expand("CXXCOMPILE").unwrap();
    assert!(compile.contains("-DUSE_PYTHON"), "{compile}");
    assert!(compile.contains("-std=c++17"), "{compile}");
    assert!(words_of(&makefile.expand("INCLUDES").unwrap()).contains(&"-I/opt/nrn/include"));
    assert_eq!(
        makefile.expand("NRNLIB_FLAGS").unwrap(),
        "-L/opt/nrn/lib -lnrniv"
    );
    assert!(makefile
        .expand("CXX_LINK_SHARED")
        .unwrap()
        .contains("-shared"));
    assert_eq!(
        makefile.expand("_SONAME").unwrap(),
        "-Wl,-soname,libnrnmech.so"
    );
}

#[test]
fn comments_and_continuations() {
    let makefile = evaluate(
        "A = one \\\n    two\\\nthree # a comment\n\
             B = a\\#b\n\
             C = a\\\\#b\n\
             D = x \\\n  \\\n  y\n\
             # E = commented out\n\
             F = value with trailing blanks   # comment\n\
             G = $(F)|\n",
    );
    assert_eq!(makefile.expand("A").unwrap(), "one two three");
    assert_eq!(makefile.expand("B").unwrap(), "a#b");
    assert_eq!(makefile.expand("C").unwrap(), "a\\");
    assert_eq!(makefile.expand("D").unwrap(), "x y");
    assert_eq!(makefile.origin("E"), "undefined");
    assert_eq!(
        makefile.expand("G").unwrap(),
        "value with trailing blanks   |"
    );
}

#[test]
fn crlf_line_endings() {
    assert_eq!(value_of("A = 1\r\nB = $(A) \\\r\n  2\r\n", "B"), "1 2");
}

#[test]
fn recipes_rules_and_directives_are_skipped() {
    let makefile = evaluate(
        "all: build\n\
             \tX = recipe line\n\
             \t# a recipe line, not a comment \\\n\
             \tY = continued recipe line\n\
             a b: c\n\
             $(X): y\n\
             .PHONY: all\n\
             include other.mk\n\
             -include maybe.mk\n\
             export PATH\n\
             unexport HOME\n\
             vpath %.c src\n\
             $(info nothing) $(warning nothing)\n\
             Z = after\n",
    );
    assert_eq!(makefile.origin("X"), "undefined");
    assert_eq!(makefile.origin("Y"), "undefined");
    assert_eq!(makefile.expand("Z").unwrap(), "after");
}

#[test]
fn a_tab_line_outside_a_rule_is_read() {
    let makefile = evaluate("\tA = 1\nrule:\n\tB = 2\nC = 3\n\tD = 4\n");
    assert_eq!(makefile.expand("A").unwrap(), "1");
    assert_eq!(makefile.origin("B"), "undefined");
    assert_eq!(makefile.expand("D").unwrap(), "4");
}

#[test]
fn recursive_and_simple_assignments() {
    let makefile = evaluate(
        "RECURSIVE = $(LATER)\n\
             SIMPLE := $(LATER)\n\
             POSIX ::= $(LATER)\n\
             LATER = late\n\
             ESCAPED :::= $(LATER) $$HOME\n",
    );
    assert_eq!(makefile.expand("RECURSIVE").unwrap(), "late");
    assert_eq!(makefile.expand("SIMPLE").unwrap(), "");
    assert_eq!(makefile.expand("POSIX").unwrap(), "");
    assert_eq!(makefile.expand("ESCAPED").unwrap(), "late $HOME");
    assert_eq!(
        makefile
            .expand_text("$(flavor SIMPLE) $(flavor RECURSIVE)")
            .unwrap(),
        "simple recursive"
    );
}

#[test]
fn append_keeps_the_flavour() {
    let makefile = evaluate(
        "SIMPLE := first\n\
             SIMPLE += $(LATER)\n\
             RECURSIVE = first\n\
             RECURSIVE += $(LATER)\n\
             EMPTY =\n\
             EMPTY += x\n\
             NEW += only\n\
             UNCHANGED = u\n\
             UNCHANGED +=\n\
             LATER = late\n",
    );
    assert_eq!(makefile.expand("SIMPLE").unwrap(), "first");
    assert_eq!(makefile.expand("RECURSIVE").unwrap(), "first late");
    assert_eq!(makefile.expand_text("[$(EMPTY)]").unwrap(), "[x]");
    assert_eq!(makefile.expand("NEW").unwrap(), "only");
    assert_eq!(makefile.expand_text("[$(UNCHANGED)]").unwrap(), "[u]");
}

#[test]
fn conditional_assignment() {
    let makefile = evaluate("SET = 1\nSET ?= 2\nUNSET ?= 3\nCXX ?= clang++\nEMPTY =\nEMPTY ?= 4\n");
    assert_eq!(makefile.expand("SET").unwrap(), "1");
    assert_eq!(makefile.expand("UNSET").unwrap(), "3");
    assert_eq!(makefile.expand("CXX").unwrap(), "g++");
    assert_eq!(makefile.expand("EMPTY").unwrap(), "");
}

#[test]
fn odd_assignments() {
    let makefile = evaluate(
        "_cm =,\n\
             NAME=value\n\
             SPACED   =   spaced\n\
             K = SUFFIX\n\
             COMPUTED_$(K) = computed\n\
             define MULTI\n\
             line one\n\
             line two\n\
             endef\n\
             define SIMPLE_DEFINE :=\n\
             $(NAME)\n\
             endef\n\
             override OVER = over\n\
             export EXPORTED = exported\n\
             GONE = here\n\
             undefine GONE\n",
    );
    assert_eq!(makefile.expand("_cm").unwrap(), ",");
    assert_eq!(makefile.expand("NAME").unwrap(), "value");
    assert_eq!(makefile.expand("SPACED").unwrap(), "spaced");
    assert_eq!(makefile.expand("COMPUTED_SUFFIX").unwrap(), "computed");
    assert_eq!(makefile.expand("MULTI").unwrap(), "line one\nline two");
    assert_eq!(makefile.expand("SIMPLE_DEFINE").unwrap(), "value");
    assert_eq!(makefile.expand("OVER").unwrap(), "over");
    assert_eq!(makefile.origin("OVER"), "override");
    assert_eq!(makefile.expand("EXPORTED").unwrap(), "exported");
    assert_eq!(makefile.origin("GONE"), "undefined");
}

#[test]
fn shell_assignment_runs_only_uname() {
    assert_eq!(value_of("SYSTEM != uname\n", "SYSTEM"), "Linux");
    let error = MakeVariables::evaluate("FILES != ls\n", &[], &[], "Linux").unwrap_err();
    assert_eq!(
        error,
        MakefileError::UnsupportedFunction {
            line: 1,
            function: "shell ls".to_string()
        }
    );
}

#[test]
fn command_line_overrides_the_file() {
    let makefile = MakeVariables::evaluate(
            "X = file\nX += more\nX := simple\nX ?= maybe\nundefine X\nY = file\noverride Y = forced\nZ = $(X)\n",
            &[("X", "cli"), ("Y", "cli")],
            &[],
            "Linux",
        )
        .unwrap();
    assert_eq!(makefile.expand("X").unwrap(), "cli");
    assert_eq!(makefile.origin("X"), "command line");
    assert_eq!(makefile.expand("Y").unwrap(), "forced");
    assert_eq!(makefile.origin("Y"), "override");
    assert_eq!(makefile.expand("Z").unwrap(), "cli");
}

#[test]
fn override_appends_to_a_command_line_variable() {
    let makefile =
        MakeVariables::evaluate("override X += more\n", &[("X", "cli")], &[], "Linux").unwrap();
    assert_eq!(makefile.expand("X").unwrap(), "cli more");
}

#[test]
fn the_file_overrides_the_environment() {
    let makefile = MakeVariables::evaluate(
        "HOME = /file\nFLAGS += -O2\n",
        &[],
        &[("HOME", "/env"), ("FLAGS", "-g"), ("PATH", "/bin")],
        "Linux",
    )
    .unwrap();
    assert_eq!(makefile.expand("HOME").unwrap(), "/file");
    assert_eq!(makefile.origin("HOME"), "file");
    assert_eq!(makefile.expand("FLAGS").unwrap(), "-g -O2");
    assert_eq!(makefile.origin("FLAGS"), "file");
    assert_eq!(makefile.expand("PATH").unwrap(), "/bin");
    assert_eq!(makefile.origin("PATH"), "environment");
}

#[test]
fn default_variables() {
    let makefile = evaluate("");
    assert_eq!(makefile.expand("CXX").unwrap(), "g++");
    assert_eq!(makefile.expand("CC").unwrap(), "cc");
    assert_eq!(makefile.expand("CPP").unwrap(), "cc -E");
    assert_eq!(makefile.origin("CXX"), "default");
    assert_eq!(makefile.origin("CC"), "default");
    assert_eq!(makefile.origin("NOTHING"), "undefined");
    assert_eq!(makefile.expand("NOTHING").unwrap(), "");
    let from_environment = MakeVariables::evaluate("", &[], &[("CC", "clang")], "Linux").unwrap();
    assert_eq!(from_environment.origin("CC"), "environment");
    assert_eq!(from_environment.expand("CPP").unwrap(), "clang -E");
}

#[test]
fn conditionals() {
    let makefile = evaluate(
            "V = yes\n\
             ifeq ($(V),yes)\nA = 1\nelse\nA = 2\nendif\n\
             ifeq \"$(V)\" \"no\"\nB = 1\nelse\nB = 2\nendif\n\
             ifeq 'yes' \"$(V)\"\nC = 1\nendif\n\
             ifneq ($(V), no)\nD = 1\nendif\n\
             ifdef V\nE = 1\nendif\n\
             ifndef V\nF = 1\nelse\nF = 2\nendif\n\
             ifdef UNDEFINED_VARIABLE\nG = 1\nendif\n\
             ifeq ($(V),no)\nH = 1\nelse ifeq ($(V),yes)\nH = 2\nelse\nH = 3\nendif\n\
             ifeq (1,1)\nI = 1\nelse ifeq (1,1)\nI = 2\nelse\nI = 3\nendif\n\
             ifeq (1,2)\nJ = 1\nelse ifdef NOPE\nJ = 2\nelse\nJ = 3\nendif\n\
             ifeq (1,1)\n  ifeq (2,3)\n    K = inner\n  else\n    K = inner-else\n  endif\nelse\n  K = outer-else\nendif\n\
             ifeq (1,2)\n  ifeq (2,2)\n    L = skipped\n  else\n    L = skipped too\n  endif\nendif # a comment\n\
             ifeq ($(V),yes) # comment\nM = 1\nendif\n",
        );
    let expected = [
        ("A", "1"),
        ("B", "2"),
        ("C", "1"),
        ("D", "1"),
        ("E", "1"),
        ("F", "2"),
        ("G", ""),
        ("H", "2"),
        ("I", "1"),
        ("J", "3"),
        ("K", "inner-else"),
        ("L", ""),
        ("M", "1"),
    ];
    for (name, value) in expected {
        assert_eq!(makefile.expand(name).unwrap(), value, "{name}");
    }
}

#[test]
fn conditional_arguments_are_trimmed_as_make_trims_them() {
    let makefile = evaluate(
        "ifeq (a , a)\nA = same\nendif\n\
             ifeq ( a,a)\nB = same\nelse\nB = different\nendif\n\
             ifeq (a,a )\nC = same\nelse\nC = different\nendif\n\
             EMPTY =\nifeq ($(EMPTY), )\nD = empty\nendif\n\
             ifeq ($(filter x,$(EMPTY) x),x)\nE = nested parentheses\nendif\n",
    );
    assert_eq!(makefile.expand("A").unwrap(), "same");
    assert_eq!(makefile.expand("B").unwrap(), "different");
    assert_eq!(makefile.expand("C").unwrap(), "different");
    assert_eq!(makefile.expand("D").unwrap(), "empty");
    assert_eq!(makefile.expand("E").unwrap(), "nested parentheses");
}

#[test]
fn ifdef_tests_the_unexpanded_value() {
    let makefile = evaluate(
        "REFERENCE = $(NOTHING)\nEMPTY =\n\
             ifdef REFERENCE\nA = 1\nendif\n\
             ifdef EMPTY\nB = 1\nendif\n\
             NAME = REFERENCE\nifdef $(NAME)\nC = 1\nendif\n",
    );
    assert_eq!(makefile.expand("A").unwrap(), "1");
    assert_eq!(makefile.expand("B").unwrap(), "");
    assert_eq!(makefile.expand("C").unwrap(), "1");
}

#[test]
fn references() {
    let makefile = evaluate(
        "X = x\nK = X\nX_NAME = x-name\n\
             PAREN = $(X)\nBRACE = ${X}\nSINGLE = $X.$K\nDOLLAR = $$X $$(X)\n\
             NESTED = $($(K))\nNESTED_PART = $($(K)_NAME)\nUNDEFINED = [$(NOT_DEFINED)]\n\
             TRAILING = cost$\n",
    );
    assert_eq!(makefile.expand("PAREN").unwrap(), "x");
    assert_eq!(makefile.expand("BRACE").unwrap(), "x");
    assert_eq!(makefile.expand("SINGLE").unwrap(), "x.X");
    assert_eq!(makefile.expand("DOLLAR").unwrap(), "$X $(X)");
    assert_eq!(makefile.expand("NESTED").unwrap(), "x");
    assert_eq!(makefile.expand("NESTED_PART").unwrap(), "x-name");
    assert_eq!(makefile.expand("UNDEFINED").unwrap(), "[]");
    assert_eq!(makefile.expand("TRAILING").unwrap(), "cost$");
}

#[test]
fn substitution_references() {
    let makefile = evaluate("SOURCES = a.c  b.c c.h\n");
    assert_eq!(
        makefile.expand_text("$(SOURCES:.c=.o)").unwrap(),
        "a.o b.o c.h"
    );
    assert_eq!(
        makefile.expand_text("$(SOURCES:%.c=obj/%.o)").unwrap(),
        "obj/a.o obj/b.o c.h"
    );
    assert_eq!(
        makefile.expand_text("${SOURCES:.h=.hpp}").unwrap(),
        "a.c b.c c.hpp"
    );
}

#[test]
fn functions() {
    let makefile = evaluate("X = v\nSPACE := $(EMPTY) $(EMPTY)\nLIST = b a c a\n");
    let cases = [
        (
            "$(origin X) $(origin CXX) $(origin NOPE)",
            "file default undefined",
        ),
        ("$(shell uname)", "Linux"),
        (
            "$(if $(X),yes,no) $(if $(NOPE),yes,no) [$(if ,yes)]",
            "yes no []",
        ),
        ("$(if $(SPACE),blank counts,no)", "blank counts"),
        ("$(filter %.c b,a.c b c.h)", "a.c b"),
        ("$(filter-out %.c,a.c b c.h)", "b c.h"),
        ("[$(subst a,b, a a )]", "[ b b ]"),
        ("$(subst ;, -I,/a;/b)", "/a -I/b"),
        ("$(subst ,x,abc)", "abcx"),
        ("$(patsubst %.c,%.o,x.c  y.c z.h)", "x.o y.o z.h"),
        ("[$(patsubst %.c, %.o,a.c)]", "[ a.o]"),
        ("$(patsubst a,x%y,a b)", "x%y b"),
        ("$(notdir /a/b c d/e.f)", "b c e.f"),
        ("$(dir /a/b c d/)", "/a/ ./ d/"),
        ("[$(strip  a   b  )]", "[a b]"),
        ("$(word 2,a b c) [$(word 4,a b c)]", "b []"),
        ("$(wordlist 2,3,a b c d) [$(wordlist 3,2,a b c)]", "b c []"),
        ("$(words a b  c) $(firstword x y) $(lastword x y)", "3 x y"),
        ("$(addprefix -I,a b) $(addsuffix .o,a b)", "-Ia -Ib a.o b.o"),
        ("$(findstring b,abc) [$(findstring d,abc)]", "b []"),
        ("$(sort $(LIST))", "a b c"),
        ("$(suffix a.b/c d.e f.g.h)", ".e .h"),
        ("$(basename a.b/c d.e f.g.h)", "a.b/c d f.g"),
        ("$(join a b c,1 2)", "a1 b2 c"),
        ("[$(and a,,b)] $(and a, b) $(or ,, c,d)", "[] b c"),
        ("$(value X) $(value SPACE)", "v"),
        (
            "$(flavor X) $(flavor SPACE) $(flavor NOPE)",
            "recursive simple undefined",
        ),
        ("$(if a,b,c,d)", "b"),
        ("$(if ,b,c,d)", "c,d"),
        ("${subst a,b,aaa}", "bbb"),
        ("$(info printed nowhere)$(warning nor here)done", "done"),
    ];
    for (text, expected) in cases {
        assert_eq!(makefile.expand_text(text).unwrap(), expected, "{text}");
    }
}

#[test]
fn a_function_name_needs_whitespace_after_it() {
    let makefile = evaluate("if = variable named if\n");
    assert_eq!(makefile.expand_text("$(if)").unwrap(), "variable named if");
}

#[test]
fn unsupported_functions_are_errors_only_when_expanded() {
    let text = "\
UNUSED = $(wildcard *.c)
ifeq (1,2)
SKIPPED := $(shell ls)
ifeq ($(realpath .),x)
endif
endif
ifeq (1,1)
else ifeq ($(abspath .),x)
endif
USED = $(foreach x,a b,$(x))
";
    let makefile = evaluate(text);
    assert_eq!(
        makefile.expand("UNUSED").unwrap_err(),
        MakefileError::UnsupportedFunction {
            line: 1,
            function: "wildcard".to_string()
        }
    );
    let error = makefile.expand("USED").unwrap_err();
    assert_eq!(
        error,
        MakefileError::UnsupportedFunction {
            line: 10,
            function: "foreach".to_string()
        }
    );
    assert_eq!(
            error.to_string(),
            "line 10: unsupported make function `foreach` (glia reads makefiles without running a shell or reading files)"
        );
}

#[test]
fn an_unsupported_function_in_an_immediate_assignment_fails_the_evaluation() {
    let error =
        MakeVariables::evaluate("A = 1\n\nB := $(shell gcc --version)\n", &[], &[], "Linux")
            .unwrap_err();
    assert_eq!(
        error,
        MakefileError::UnsupportedFunction {
            line: 3,
            function: "shell gcc --version".to_string()
        }
    );
    let error =
        MakeVariables::evaluate("ifeq ($(wildcard x),)\nendif\n", &[], &[], "Linux").unwrap_err();
    assert!(matches!(
        error,
        MakefileError::UnsupportedFunction { line: 1, .. }
    ));
    let error = MakeVariables::evaluate("$(eval X = 1)\n", &[], &[], "Linux").unwrap_err();
    assert!(
        matches!(error, MakefileError::UnsupportedFunction { line: 1, ref function } if function == "eval")
    );
}

#[test]
fn errors_name_the_line_of_the_faulty_part_of_a_value() {
    let makefile =
        evaluate("A = ok\nA += $(wildcard *)\nB = $(A)\ndefine C\nfine\n$(abspath x)\nendef\n");
    assert!(matches!(
        makefile.expand("B"),
        Err(MakefileError::UnsupportedFunction { line: 2, .. })
    ));
    assert!(matches!(
        makefile.expand("C"),
        Err(MakefileError::UnsupportedFunction { line: 6, .. })
    ));
    let error = makefile.expand_text("$(A) $(call f)").unwrap_err();
    assert!(matches!(
        error,
        MakefileError::UnsupportedFunction { line: 2, .. }
    ));
    let error = makefile.expand_text("$(call f)").unwrap_err();
    assert!(matches!(
        error,
        MakefileError::UnsupportedFunction { line: 0, .. }
    ));
    assert!(error.to_string().starts_with("outside the makefile: "));
}

#[test]
fn self_reference_is_an_error() {
    let makefile =
        evaluate("A = $(A) more\nB = $(C)\nC = x $(B)\nD = $(if ,$(D),fine)\nE = $(E:a=b)\n");
    assert_eq!(
        makefile.expand("A").unwrap_err(),
        MakefileError::RecursiveVariable {
            line: 1,
            name: "A".to_string()
        }
    );
    assert!(matches!(
        makefile.expand("B"),
        Err(MakefileError::RecursiveVariable { .. })
    ));
    assert_eq!(makefile.expand("D").unwrap(), "fine");
    assert!(matches!(
        makefile.expand("E"),
        Err(MakefileError::RecursiveVariable { .. })
    ));
    // A simple variable's value is its old value.
    assert_eq!(value_of("S = a\nS := $(S) b\n", "S"), "a b");
}

#[test]
fn function_argument_errors() {
    let makefile = evaluate("");
    assert!(matches!(
        makefile.expand_text("$(subst a,b)"),
        Err(MakefileError::InsufficientArguments {
            given: 2,
            required: 3,
            ..
        })
    ));
    assert!(matches!(
        makefile.expand_text("$(word x,a b)"),
        Err(MakefileError::InvalidFunctionArgument { .. })
    ));
    assert!(matches!(
        makefile.expand_text("$(word 0,a b)"),
        Err(MakefileError::InvalidFunctionArgument { .. })
    ));
    assert_eq!(
        makefile.expand_text("$(error stop here)").unwrap_err(),
        MakefileError::ErrorFunction {
            line: 0,
            message: "stop here".to_string()
        }
    );
}

#[test]
fn structural_errors() {
    let error_of = |text: &str| MakeVariables::evaluate(text, &[], &[], "Linux").unwrap_err();
    assert_eq!(
        error_of("A = 1\nifeq (a,b)\nB = 2\n"),
        MakefileError::UnterminatedConditional { line: 2 }
    );
    assert_eq!(
        error_of("ifdef A\nifdef B\nendif\n"),
        MakefileError::UnterminatedConditional { line: 1 }
    );
    assert_eq!(
        error_of("A = 1\nelse\n"),
        MakefileError::UnexpectedElse { line: 2 }
    );
    assert_eq!(
        error_of("endif\n"),
        MakefileError::UnexpectedEndif { line: 1 }
    );
    assert_eq!(
        error_of("ifdef A\nelse\nelse\nendif\n"),
        MakefileError::DuplicateElse { line: 3 }
    );
    assert_eq!(
        error_of("ifeq a b\nendif\n"),
        MakefileError::InvalidConditional { line: 1 }
    );
    assert_eq!(
        error_of("ifeq (a,b\nendif\n"),
        MakefileError::InvalidConditional { line: 1 }
    );
    assert_eq!(
        error_of("ifdef A\nelse junk\nendif\n"),
        MakefileError::InvalidConditional { line: 2 }
    );
    assert_eq!(
        error_of("\n\nA := $(B\n"),
        MakefileError::UnterminatedReference { line: 3 }
    );
    assert_eq!(
        error_of("A := $(subst a,b,c\n"),
        MakefileError::UnterminatedReference { line: 1 }
    );
    assert_eq!(
        error_of("define A\nx\n"),
        MakefileError::UnterminatedDefine { line: 1 }
    );
    assert_eq!(
        error_of("endef\n"),
        MakefileError::UnexpectedEndef { line: 1 }
    );
    assert_eq!(
        error_of("= value\n"),
        MakefileError::EmptyVariableName { line: 1 }
    );
    assert_eq!(
        error_of("A = 1\njust words\n"),
        MakefileError::MissingSeparator { line: 2 }
    );
    assert_eq!(
        error_of("\techo hello\n"),
        MakefileError::RecipeOutsideRule { line: 1 }
    );
    assert_eq!(
        error_of("ifeq (a,b)\n").to_string(),
        "line 1: conditional without its `endif`"
    );
    // In a branch not taken, nothing is checked but the conditionals' nesting.
    evaluate("ifeq (1,2)\njust words\nA := $(B\nifeq nonsense\nendif\nendef\nendif\n");
}

#[test]
fn expansion_is_bounded() {
    let deep = format!("A = {}x{}\n", "$(strip ".repeat(10_000), ")".repeat(10_000));
    assert!(matches!(
        evaluate(&deep).expand("A"),
        Err(MakefileError::ExpansionTooComplex { .. })
    ));

    let mut chain = String::new();
    for index in 0..5_000 {
        chain.push_str(&format!("V{index} = $(V{})\n", index + 1));
    }
    assert!(matches!(
        evaluate(&chain).expand("V0"),
        Err(MakefileError::ExpansionTooComplex { .. })
    ));

    let mut doubling = String::from("D0 = xxxxxxxxxxxxxxxx\n");
    for index in 1..64 {
        doubling.push_str(&format!(
            "D{index} = $(D{previous})$(D{previous})\n",
            previous = index - 1
        ));
    }
    assert!(matches!(
        evaluate(&doubling).expand("D63"),
        Err(MakefileError::ExpansionTooComplex { .. })
    ));

    let mut discarded = String::from("E0 = x\n");
    for index in 1..64 {
        discarded.push_str(&format!(
            "E{index} = $(if $(E{previous})$(E{previous}),)\n",
            previous = index - 1
        ));
    }
    assert!(matches!(
        evaluate(&discarded).expand("E63"),
        Err(MakefileError::ExpansionTooComplex { .. })
    ));

    let mut growing = String::from("G := xxxxxxxxxxxxxxxx\n");
    for _ in 0..64 {
        growing.push_str("G := $(G)$(G)\n");
    }
    let error = MakeVariables::evaluate(&growing, &[], &[], "Linux").unwrap_err();
    assert!(matches!(error, MakefileError::ExpansionTooComplex { .. }));
}

#[test]
fn garbage_never_panics() {
    const PIECES: &[&str] = &[
        "$",
        "$$",
        "(",
        ")",
        "{",
        "}",
        ":",
        "=",
        ":=",
        "::=",
        ":::=",
        "+=",
        "?=",
        "!=",
        ",",
        "#",
        "\\",
        "\n",
        "\t",
        " ",
        "%",
        "'",
        "\"",
        "A",
        "B",
        "x",
        "é",
        "ifeq",
        "ifneq",
        "ifdef",
        "else",
        "endif",
        "define",
        "endef",
        "override",
        "export",
        "undefine",
        "$(A)",
        "$(",
        "${",
        "$(if ",
        "$(subst ",
        "$(patsubst ",
        "$(word ",
        "$(wordlist ",
        "$(shell ",
        "$(origin ",
        "$(filter ",
        "$(notdir ",
        "$(dir ",
        "$(suffix ",
        "$(join ",
        "$(and ",
        "$(or ",
        "$(wildcard ",
        "$(error ",
        "uname",
        "\r\n",
        "\\\n",
        "A = ",
        "B := ",
        "$(A:",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..3_000 {
        let length = next() % 40;
        let mut text = String::new();
        for _ in 0..length {
            text.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
        }
        if let Ok(makefile) =
            MakeVariables::evaluate(&text, &[("A", "$(B)")], &[("B", "x")], "Linux")
        {
            for name in ["A", "B", "x", "é", "CXX"] {
                let _ = makefile.expand(name);
                let _ = makefile.origin(name);
            }
            let _ = makefile.expand_text(&text);
        }
    }
}
