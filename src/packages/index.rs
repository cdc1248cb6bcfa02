//! The environment's assets: every installed package's mods, checked and named, and which of them each simulator
//! gets.
//!
//! Checks that nmodl-glia does not make, each a [`PackageProblem`] naming the package and the file: package, asset
//! and variant names that cannot make a glia name (`__` inside a part, characters outside `[A-Za-z0-9_]`, too long:
//! the identity layer's rules, applied before any path is made from a name), an unknown `dialect`, a declared mod
//! file that does not exist, one asset and variant declared twice for one dialect, two installed distributions
//! declaring one package name, and two mods that would get one Arbor catalogue name.
//!
//! Which mods a simulator gets follows nmodl-glia's `Package.get_mods(dialect)`: the mods without a dialect, each
//! replaced by a mod of the simulator's dialect with the same name, then the simulator's other mods.

use std::collections::HashMap;
use std::path::PathBuf;

use super::declaration::{DeclaredDialect, ModDeclaration};
use super::discovery::{Discovery, InstalledPackage, PackageProblem};
use super::resolver::Candidate;
use crate::identity::name::{find_name_collisions, ModName, Simulator};

/// A mod of an installed package, checked.
#[derive(Clone, Debug)]
pub struct IndexedMod {
    pub declaration: ModDeclaration,
    pub dialect: Option<DeclaredDialect>,
    /// The glia name (`glia__pkg__asset__variant`).
    pub name: ModName,
    /// The mod file (`root/relpath`); `None` for a builtin.
    pub file: Option<PathBuf>,
}

impl IndexedMod {
    /// The name NEURON knows it by: the glia name, or the asset for a builtin.
    pub fn neuron_name(&self) -> String {
        if self.declaration.builtin {
            self.declaration.asset.clone()
        } else {
            self.name.neuron_name()
        }
    }

    /// What `glia.insert` makes of it, as declared.
    pub fn declared_kind(&self) -> DeclaredKind {
        if self.declaration.is_artificial_cell {
            DeclaredKind::ArtificialCell
        } else if self.declaration.is_point_process {
            DeclaredKind::PointProcess
        } else {
            DeclaredKind::Density
        }
    }
}

/// How a mod is declared to be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeclaredKind {
    Density,
    PointProcess,
    ArtificialCell,
}

impl DeclaredKind {
    pub fn name(self) -> &'static str {
        match self {
            DeclaredKind::Density => "density",
            DeclaredKind::PointProcess => "point_process",
            DeclaredKind::ArtificialCell => "artificial_cell",
        }
    }
}

/// An installed package with its checked mods.
#[derive(Clone, Debug)]
pub struct IndexedPackage {
    pub installed: InstalledPackage,
    /// The mods that passed the checks, in declaration order.
    pub mods: Vec<IndexedMod>,
}

impl IndexedPackage {
    pub fn name(&self) -> &str {
        &self.installed.declaration.name
    }

    /// The mods `simulator` gets, as nmodl-glia's `get_mods(dialect)` orders them.
    pub fn mods_for(&self, simulator: Simulator) -> Vec<&IndexedMod> {
        let dialect = match simulator {
            Simulator::Neuron => DeclaredDialect::Neuron,
            Simulator::Arbor => DeclaredDialect::Arbor,
        };
        let mut chosen: Vec<&IndexedMod> = Vec::new();
        let mut position_by_name: HashMap<String, usize> = HashMap::new();
        for indexed in self.mods.iter().filter(|indexed| indexed.dialect.is_none()) {
            match position_by_name.get(&indexed.neuron_name()) {
                Some(&position) => chosen[position] = indexed,
                None => {
                    position_by_name.insert(indexed.neuron_name(), chosen.len());
                    chosen.push(indexed);
                }
            }
        }
        for indexed in self
            .mods
            .iter()
            .filter(|indexed| indexed.dialect == Some(dialect))
        {
            match position_by_name.get(&indexed.neuron_name()) {
                Some(&position) => chosen[position] = indexed,
                None => {
                    position_by_name.insert(indexed.neuron_name(), chosen.len());
                    chosen.push(indexed);
                }
            }
        }
        chosen
    }
}

/// Every installed package, checked.
#[derive(Clone, Debug, Default)]
pub struct PackageIndex {
    pub packages: Vec<IndexedPackage>,
    /// Everything wrong, discovery's problems first. A package whose name is invalid or taken is left out; a mod
    /// with a problem is left out of its package.
    pub problems: Vec<PackageProblem>,
}

impl PackageIndex {
    /// Checks what discovery found.
    pub fn new(discovery: Discovery) -> PackageIndex {
        let mut problems = discovery.problems;
        let mut packages: Vec<IndexedPackage> = Vec::new();
        let mut first_by_name: HashMap<String, String> = HashMap::new();
        for installed in discovery.packages {
            let package_label = format!(
                "{} ({} = {})",
                installed.entry_point.distribution,
                installed.entry_point.name,
                installed.entry_point.value()
            );
            let problem = |span, message: String| PackageProblem {
                package: package_label.clone(),
                file: installed.module_file.clone(),
                span,
                message,
            };
            let package_name = installed.declaration.name.clone();
            if let Err(error) = ModName::new(&package_name, "a", "0") {
                problems.push(problem(
                    installed
                        .declaration
                        .place
                        .as_ref()
                        .map(|place| place.package_call),
                    format!("package `{package_name}` cannot be used: {error}"),
                ));
                continue;
            }
            if let Some(first) = first_by_name.get(&package_name) {
                problems.push(problem(
                    installed.declaration.place.as_ref().map(|place| place.package_call),
                    format!(
                        "two installed distributions declare the package `{package_name}`: {first} and {package_label}; uninstall one"
                    ),
                ));
                continue;
            }
            first_by_name.insert(package_name.clone(), package_label.clone());
            let mut mods = Vec::new();
            for declaration in &installed.declaration.mods {
                let span = declaration.span;
                let dialect = match declaration.dialect() {
                    Ok(dialect) => dialect,
                    Err(text) => {
                        problems.push(problem(
                            span,
                            format!(
                                "asset `{}` variant `{}` has dialect {text:?}: only \"neuron\", \"arbor\" or None",
                                declaration.asset, declaration.variant
                            ),
                        ));
                        continue;
                    }
                };
                let name = ModName::new(&package_name, &declaration.asset, &declaration.variant);
                let name = match name {
                    Ok(name) => name,
                    Err(error) => {
                        problems.push(problem(
                            span,
                            format!(
                                "asset `{}` variant `{}` cannot be named: {error}",
                                declaration.asset, declaration.variant
                            ),
                        ));
                        continue;
                    }
                };
                let file = match (&declaration.relative_path, declaration.builtin) {
                    (_, true) => None,
                    (Some(relative), false) => Some(installed.declaration.root.join(relative)),
                    (None, false) => {
                        problems.push(problem(
                            span,
                            format!(
                                "asset `{}` variant `{}` has no mod file (relpath is None) and is not builtin",
                                declaration.asset, declaration.variant
                            ),
                        ));
                        continue;
                    }
                };
                if let Some(file) = &file {
                    if !file.is_file() {
                        problems.push(problem(
                            span,
                            format!(
                                "the mod file of asset `{}` variant `{}` does not exist: {}",
                                declaration.asset,
                                declaration.variant,
                                file.display()
                            ),
                        ));
                        continue;
                    }
                }
                let duplicate = mods.iter().any(|other: &IndexedMod| {
                    other.dialect == dialect
                        && other.declaration.asset == declaration.asset
                        && other.declaration.variant == declaration.variant
                });
                if duplicate {
                    problems.push(problem(
                        span,
                        format!(
                            "asset `{}` variant `{}` is declared twice{}",
                            declaration.asset,
                            declaration.variant,
                            dialect.map_or(String::new(), |dialect| format!(
                                " for {}",
                                dialect.name()
                            ))
                        ),
                    ));
                    continue;
                }
                mods.push(IndexedMod {
                    declaration: declaration.clone(),
                    dialect,
                    name,
                    file,
                });
            }
            let indexed = IndexedPackage { installed, mods };
            // Two assets whose Arbor names collapse to one (`Na`/`t` and `Na_t`/`0`) cannot share a catalogue.
            let arbor: Vec<ModName> = indexed
                .mods_for(Simulator::Arbor)
                .iter()
                .filter(|indexed| !indexed.declaration.builtin)
                .map(|indexed| indexed.name.clone())
                .collect();
            for collision in find_name_collisions(&arbor) {
                if collision.simulator == Simulator::Arbor {
                    problems.push(PackageProblem {
                        package: package_label.clone(),
                        file: indexed.installed.module_file.clone(),
                        span: None,
                        message: format!(
                            "{collision}: they cannot share the package's Arbor catalogue"
                        ),
                    });
                }
            }
            packages.push(indexed);
        }
        PackageIndex { packages, problems }
    }

    pub fn package(&self, name: &str) -> Option<&IndexedPackage> {
        self.packages.iter().find(|package| package.name() == name)
    }

    /// The resolver's candidates: every NEURON mod of every package.
    pub fn neuron_candidates(&self) -> Vec<Candidate> {
        self.neuron_mods()
            .into_iter()
            .map(|(package, indexed)| Candidate {
                asset: indexed.declaration.asset.clone(),
                package: package.name().to_string(),
                variant: indexed.declaration.variant.clone(),
                name: indexed.neuron_name(),
            })
            .collect()
    }

    /// Every NEURON mod of every package: what `glia compile` builds and `glia.insert` resolves among.
    pub fn neuron_mods(&self) -> Vec<(&IndexedPackage, &IndexedMod)> {
        self.packages
            .iter()
            .flat_map(|package| {
                package
                    .mods_for(Simulator::Neuron)
                    .into_iter()
                    .map(move |indexed| (package, indexed))
            })
            .collect()
    }
}
