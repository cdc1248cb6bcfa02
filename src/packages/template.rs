//! `glia pkg new`: the files of a new Glia package project (pure: the caller writes them). The project installs
//! with pip (flit's build backend, as the original's template), advertises its package in the `glia.package`
//! entry point group that both nmodl-glia and this glia read, and declares an empty `Package(...)` that
//! `glia pkg add` fills.

use crate::identity::name::ModName;

/// What the template is filled with.
#[derive(Clone, Debug)]
pub struct TemplateOptions {
    /// The project's human name (`My channels`).
    pub project_name: String,
    /// The distribution, module and Glia package name (`my_channels`).
    pub slug: String,
    pub author: String,
    pub email: String,
    pub description: String,
    pub version: String,
}

/// `My channels` → `my_channels`, as the original template derives its slug.
pub fn slug_of(project_name: &str) -> String {
    project_name.trim().to_lowercase().replace([' ', '-'], "_")
}

/// Why a slug cannot name a package.
pub fn check_slug(slug: &str) -> Result<(), String> {
    let python_module = slug
        .chars()
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && slug
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || character == '_');
    if !python_module {
        return Err(format!(
            "`{slug}` is not a Python module name (letters, digits and `_`, not starting with a digit)"
        ));
    }
    ModName::new(slug, "asset", "0")
        .map(|_| ())
        .map_err(|error| format!("`{slug}` cannot name a Glia package: {error}"))
}

/// The project's files: (path relative to the project folder, contents).
pub fn template_files(options: &TemplateOptions) -> Vec<(String, String)> {
    let TemplateOptions {
        project_name,
        slug,
        author,
        email,
        description,
        version,
    } = options;
    let toml_string =
        |text: &str| format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""));
    let pyproject = format!(
        r#"[build-system]
requires = ["flit_core >=3.2,<4"]
build-backend = "flit_core.buildapi"

[project]
name = {name}
authors = [{{name = {author}, email = {email}}}]
readme = "README.md"
requires-python = ">=3.9"
dynamic = ["version", "description"]
dependencies = ["nmodl-glia>=8.0"]

[project.entry-points."glia.package"]
{slug} = "{slug}:package"

[tool.glia.package]
mod-dir = "mods"
"#,
        name = toml_string(slug),
        author = toml_string(author),
        email = toml_string(email),
    );
    let docstring_text = |text: &str| text.replace('\\', "\\\\").replace("\"\"\"", "\\\"\\\"\\\"");
    let module = format!(
        r#""""
{title}

{description}

A Glia asset bundle: with Glia installed, the NMODL assets of this package are available to NEURON and Arbor
models (`glia.insert(section, "asset")`, `glia.catalogue("{slug}")`). Add mod files with `glia pkg add`.
"""

from pathlib import Path

from glia import Mod, Package

__version__ = "{version}"

package = Package(
    "{slug}",
    Path(__file__).resolve().parent,
    mods=[],
)
"#,
        title = docstring_text(project_name),
        description = docstring_text(description),
    );
    let readme = format!(
        "# {project_name}\n\n{description}\n\nA [Glia](https://pypi.org/project/nmodl-glia/) package of NMODL assets.\n\n```console\n$ glia pkg add path/to/Kv1.mod --name Kv1\n$ glia pkg check\n$ pip install .\n$ glia compile\n```\n"
    );
    vec![
        ("pyproject.toml".to_string(), pyproject),
        (format!("{slug}/__init__.py"), module),
        (format!("{slug}/mods/.gitkeep"), String::new()),
        ("README.md".to_string(), readme),
        (
            ".gitignore".to_string(),
            "__pycache__/\n*.py[cod]\nbuild/\ndist/\n*.egg-info/\n".to_string(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packages::declaration::{read_package_declaration, ReaderContext};
    use std::path::Path;

    #[test]
    fn the_template_declares_an_empty_package_the_reader_reads() {
        let options = TemplateOptions {
            project_name: "My \"channels\"".to_string(),
            slug: slug_of("My channels"),
            author: "A. Uthor".to_string(),
            email: "a@example.org".to_string(),
            description: "Ion channels.".to_string(),
            version: "0.1.0".to_string(),
        };
        assert_eq!(options.slug, "my_channels");
        let files = template_files(&options);
        let module = &files[1].1;
        let declaration = read_package_declaration(
            module,
            Path::new("/p/my_channels/__init__.py"),
            "package",
            &ReaderContext {
                resolve: &|path: &Path| path.to_path_buf(),
                module_exists: &|_, _| true,
            },
        )
        .expect("static");
        assert_eq!(declaration.name, "my_channels");
        assert!(declaration.mods.is_empty());
        let pyproject: toml::Table = files[0].1.parse().expect("valid TOML");
        assert_eq!(pyproject["project"]["name"].as_str(), Some("my_channels"));
        assert!(check_slug("my-channels").is_err());
        assert!(check_slug("my__channels").is_err());
        assert!(check_slug("2channels").is_err());
    }
}
