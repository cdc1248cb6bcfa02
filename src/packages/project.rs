//! A Glia package's source project, as `glia pkg add` and `glia pkg check` work on it: the folder with
//! `pyproject.toml`, its one `glia.package` entry point, the module file that declares the package, the Python
//! package folder, and the mod folder (`[tool.glia.package] mod-dir`, default `mods`, inside the package folder).

use std::path::{Path, PathBuf};

use super::distributions::EntryPoint;

/// Why a folder is not a usable package project.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("no pyproject.toml in {} or any folder above it: run this in a Glia package's project (`glia pkg new` makes one)", .0.display())]
    NotFound(PathBuf),
    #[error("cannot read {}: {message}", .path.display())]
    Unreadable { path: PathBuf, message: String },
    #[error("{}: {message}", .path.display())]
    Invalid { path: PathBuf, message: String },
}

/// A package project.
#[derive(Clone, Debug)]
pub struct Project {
    /// The folder of `pyproject.toml`.
    pub root: PathBuf,
    pub pyproject: PathBuf,
    /// `[project] name`.
    pub distribution: String,
    pub entry_point: EntryPoint,
    /// The module file the entry point names.
    pub module_file: PathBuf,
    /// The top-level Python package folder the module is in (where mod files go).
    pub package_folder: PathBuf,
    /// The mod folder, relative to `package_folder`.
    pub mod_folder: PathBuf,
}

impl Project {
    /// The project of `start` or of the nearest folder above it with a `pyproject.toml`.
    pub fn find(start: &Path) -> Result<Project, ProjectError> {
        let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        let mut folder = Some(start.as_path());
        while let Some(candidate) = folder {
            if candidate.join("pyproject.toml").is_file() {
                return Project::read(candidate);
            }
            folder = candidate.parent();
        }
        Err(ProjectError::NotFound(start))
    }

    /// The project whose `pyproject.toml` is in `root`.
    pub fn read(root: &Path) -> Result<Project, ProjectError> {
        let pyproject = root.join("pyproject.toml");
        let text =
            std::fs::read_to_string(&pyproject).map_err(|error| ProjectError::Unreadable {
                path: pyproject.clone(),
                message: error.to_string(),
            })?;
        let invalid = |message: String| ProjectError::Invalid {
            path: pyproject.clone(),
            message,
        };
        let document: toml::Table = text
            .parse()
            .map_err(|error: toml::de::Error| invalid(error.to_string()))?;
        let project = document.get("project").and_then(|value| value.as_table());
        let distribution = project
            .and_then(|project| project.get("name"))
            .and_then(|name| name.as_str())
            .ok_or_else(|| invalid("no [project] name".to_string()))?
            .to_string();
        let entries: Vec<(String, String)> = project
            .and_then(|project| project.get("entry-points"))
            .and_then(|entry_points| entry_points.get(super::distributions::ENTRY_POINT_GROUP))
            .and_then(|group| group.as_table())
            .map(|group| {
                group
                    .iter()
                    .filter_map(|(name, value)| Some((name.clone(), value.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        let [(name, value)] = entries.as_slice() else {
            return Err(invalid(format!(
                "a Glia package advertises exactly one package in [project.entry-points.\"glia.package\"]; found {}",
                entries.len()
            )));
        };
        let (module, attribute) = match value.split_once(':') {
            Some((module, attribute)) => (
                module.trim().to_string(),
                Some(attribute.trim().to_string()),
            ),
            None => (value.trim().to_string(), None),
        };
        let module_base = root.join(module.replace('.', "/"));
        let module_file = [module_base.join("__init__.py"), module_base.with_extension("py")]
            .into_iter()
            .find(|candidate| candidate.is_file())
            .ok_or_else(|| {
                invalid(format!(
                    "the entry point `{name} = {value}` names module `{module}`, but neither {} nor {} exists",
                    module_base.join("__init__.py").display(),
                    module_base.with_extension("py").display()
                ))
            })?;
        let top = module.split('.').next().unwrap_or_default();
        let package_folder = root.join(top);
        if !package_folder.is_dir() {
            return Err(invalid(format!(
                "the module `{module}` is a single file in the project root; a Glia package must be a Python package folder to hold its mod files"
            )));
        }
        let mod_folder = document
            .get("tool")
            .and_then(|tool| tool.get("glia"))
            .and_then(|glia| glia.get("package"))
            .and_then(|package| package.get("mod-dir"))
            .and_then(|folder| folder.as_str())
            .unwrap_or("mods");
        Ok(Project {
            root: root.to_path_buf(),
            pyproject,
            distribution: distribution.clone(),
            entry_point: EntryPoint {
                distribution,
                version: String::new(),
                metadata_folder: root.to_path_buf(),
                name: name.clone(),
                module,
                attribute,
            },
            module_file,
            package_folder,
            mod_folder: PathBuf::from(mod_folder),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_is_read_from_its_pyproject() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("my_pkg/sub")).unwrap();
        std::fs::write(root.path().join("my_pkg/sub/__init__.py"), "").unwrap();
        std::fs::write(
            root.path().join("pyproject.toml"),
            "[project]\nname = \"my-pkg\"\n[project.entry-points.\"glia.package\"]\nmine = \"my_pkg.sub:package\"\n[tool.glia.package]\nmod-dir = \"nmodl\"\n",
        )
        .unwrap();
        let project = Project::find(&root.path().join("my_pkg")).unwrap();
        assert_eq!(project.distribution, "my-pkg");
        assert_eq!(project.entry_point.module, "my_pkg.sub");
        assert_eq!(
            project.module_file,
            root.path().join("my_pkg/sub/__init__.py")
        );
        assert_eq!(project.package_folder, root.path().join("my_pkg"));
        assert_eq!(project.mod_folder, PathBuf::from("nmodl"));
        std::fs::write(
            root.path().join("pyproject.toml"),
            "[project]\nname = \"x\"\n",
        )
        .unwrap();
        let error = Project::read(root.path()).unwrap_err().to_string();
        assert!(error.contains("exactly one package"), "{error}");
    }
}
