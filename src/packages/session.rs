//! An environment opened for the package commands and the Python module: its store, its product folder and its
//! checked packages.

use super::assets_build::EnvironmentFolder;
use super::discovery::discover_packages;
use super::environment::PythonEnvironment;
use super::index::PackageIndex;
use crate::build::exec::Executor;
use crate::build::store::Store;
use crate::build::toolchain::DiscoveryEnvironment;

/// An environment, its store and its packages.
pub struct PackageSession {
    pub environment: PythonEnvironment,
    pub store: Store,
    pub folder: EnvironmentFolder,
    pub index: PackageIndex,
}

impl PackageSession {
    /// Where to look for the simulators: the process's variables, with the environment standing for the active
    /// virtual environment (its NEURON and Arbor are the ones its Python imports).
    pub fn discovery_environment(&self) -> DiscoveryEnvironment {
        DiscoveryEnvironment {
            virtual_env: Some(self.environment.prefix.clone()),
            ..DiscoveryEnvironment::from_process()
        }
    }

    /// Reads the packages of `environment` (asking its interpreter only what cannot be read statically).
    pub fn open(
        environment: PythonEnvironment,
        store: Store,
        executor: &Executor,
    ) -> PackageSession {
        let discovery = discover_packages(&environment, &store, executor);
        let index = PackageIndex::new(discovery);
        let folder = EnvironmentFolder::new(&store, &environment);
        PackageSession {
            environment,
            store,
            folder,
            index,
        }
    }
}
