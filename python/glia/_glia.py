"""The manager behind the module's functions: the installed packages (found by the Rust core without importing
them), the preferences of this script (``select``, ``context``), the NEURON library (built by the Rust core's
orchestrator when stale, then loaded), and inserting assets into sections."""

import contextvars
import json
import os
import sys
import warnings
from pathlib import Path

from . import _native
from .assets import Mod, Package
from .exceptions import (
    AssetLookupError,
    BuildCatalogueError,
    CompileError,
    GliaWarning,
    LibraryError,
    NeuronError,
    NoMatchesError,
    PackageError,
    PackageWarning,
    TooManyMatchesError,
    UnknownAssetError,
    UnknownPackageError,
)
from .neuron import MechAccessor, neuron_object

# What names an asset (`typing` is not imported for it: every import counts at start-up).
try:
    MechId = str | tuple[str] | tuple[str, str] | tuple[str, str, str]
except TypeError:  # Python 3.9
    MechId = object

# The open `glia.context(...)`s, outermost first; a context variable, so threads and tasks each have their own.
_contexts = contextvars.ContextVar("glia_contexts", default=())


def _flag(name):
    return os.environ.get(name, "").upper() in ("1", "TRUE", "ON")


def _environment():
    """The running interpreter as the Rust core reads environments."""
    return json.dumps(
        {
            "interpreter": sys.executable,
            "prefix": sys.prefix,
            "search_path": [os.path.abspath(entry) for entry in sys.path if entry],
            "builtin_modules": list(sys.builtin_module_names),
        }
    )


def _cache_dir():
    return os.environ.get("GLIA_CACHE_DIR") or None


class Glia:
    def __init__(self):
        self._packages = None
        self._problems = []
        self._script_preferences = {}
        self._library = None
        self._last_compile = None
        self._kinds = {}
        self._neuron_package = None

    # Packages ---------------------------------------------------------------------------------------------------

    @property
    def packages(self):
        if self._packages is None:
            self._packages = self._discover()
        if self._neuron_package is not None and self._neuron_package not in self._packages:
            self._packages.append(self._neuron_package)
        return self._packages

    def _discover(self):
        found = json.loads(_native.installed_packages(_environment(), _cache_dir()))
        packages = []
        for data in found["packages"]:
            packages.append(self._package_object(data))
        for problem in found["problems"]:
            where = f" ({problem['file']})" if problem.get("file") else ""
            warnings.warn(f"package {problem['package']}: {problem['message']}{where}", PackageWarning, stacklevel=3)
        self._problems = found["problems"]
        return packages

    @staticmethod
    def _package_object(data):
        # A package module imported already keeps its own object (a model may have changed its mods).
        module = sys.modules.get(data["module"])
        live = getattr(module, data["attribute"] or "", None) if module is not None else None
        if isinstance(live, Package):
            return live
        mods = [
            Mod(
                mod["relpath"],
                mod["asset"],
                variant=mod["variant"],
                is_point_process=mod["is_point_process"],
                is_artificial_cell=mod["is_artificial_cell"],
                dialect=mod["dialect"],
                builtin=mod["builtin"],
            )
            for mod in data["mods"]
        ]
        return Package(data["name"], Path(data["root"]), mods=mods, builtin=data["builtin"])

    def get_package(self, name):
        for package in self.packages:
            if package.name == name:
                return package
        installed = ", ".join(package.name for package in self.packages) or "none"
        raise UnknownPackageError(f"Package '{name}' not found; installed: {installed}.")

    def package(self, name):
        return self.get_package(name)

    # The NEURON library ----------------------------------------------------------------------------------------

    def compile(self, check_cache=False, *, load_test=True):
        """Builds (or finds up to date) the NEURON library of every installed package and load-tests it."""
        if _flag("GLIA_NOCOMPILE"):
            return None
        result = json.loads(_native.compile(_environment(), _cache_dir(), load_test, True))
        # What the last compile did (`linked`, `up_to_date`, `processes` by kind): for tests and curious users.
        self._last_compile = result
        self._kinds.update(result["kinds"])
        if not result["library_exists"]:
            raise CompileError(f"glia could not build the NEURON library:\n{result['report']}")
        if result["failed"]:
            warnings.warn(
                f"some assets could not be built or loaded, the others can be used:\n{result['report']}",
                GliaWarning,
                stacklevel=3,
            )
        return result["library"]

    def load_library(self):
        """Loads the environment's NEURON library into NEURON, building it first when it is stale."""
        if self._library is not None:
            return
        library = self.compile()
        if library is None:
            library = os.path.join(_native.cache_path(_environment(), _cache_dir()), "neuron", "x86_64", "libnrnmech.so")
        if not os.path.isfile(library) and not _flag("GLIA_NOLOAD"):
            raise LibraryError(f"There is no glia library at '{library}' (GLIA_NOCOMPILE is set?)")
        self._library = library
        if not _flag("GLIA_NOLOAD"):
            _when_neuron_is_imported(self._load_into_neuron)

    def _load_into_neuron(self):
        from neuron import h

        if not h.nrn_load_dll(self._library):
            raise NeuronError(f"Library file could not be loaded into NEURON. Path: '{self._library}'")
        self._add_neuron_package()

    def _ensure_neuron(self):
        """Imports NEURON (which loads the library, see `_when_neuron_is_imported`)."""
        self.load_library()
        import neuron  # noqa: F401

    def _add_neuron_package(self):
        """NEURON's own mechanisms (``hh``, ``pas``, ``ExpSyn`` …) as the builtin package "NEURON", as the original."""
        try:
            from neuron import h
        except ImportError:
            return
        mods = []
        for point_process, kind in ((False, 0), (True, 1)):
            types = h.MechanismType(kind)
            name = h.ref("")
            for index in range(int(types.count())):
                types.select(index)
                types.selected(name)
                if not name[0].startswith("glia__"):
                    mods.append(Mod(None, name[0], variant="0", builtin=True, is_point_process=point_process))
        self._neuron_package = Package("NEURON", Path(h.neuronhome()), mods=mods, builtin=True)

    def get_libraries(self):
        return [self._library] if self._library else []

    # Resolution ------------------------------------------------------------------------------------------------

    def _candidates(self):
        by_name = {}
        candidates = []
        for package in self.packages:
            for mod in package.get_mods(dialect="neuron"):
                name = mod.mod_name
                if name in by_name:
                    continue
                by_name[name] = mod
                candidates.append(
                    {"asset": mod.asset_name, "package": package.name, "variant": str(mod.variant), "name": name}
                )
        return candidates, by_name

    def _resolve_mod(self, asset, variant=None, pkg=None):
        if isinstance(asset, tuple):
            variant = asset[1] if len(asset) > 1 else variant
            pkg = asset[2] if len(asset) > 2 else pkg
            asset = asset[0]
        if not isinstance(asset, str):
            raise UnknownAssetError(f"An asset is named by a string (or a tuple), not {type(asset).__name__} {asset!r}")
        candidates, by_name = self._candidates()
        request = {
            "asset": asset,
            "pkg": pkg,
            "variant": None if variant is None else str(variant),
            "script": self._script_preferences,
            "contexts": list(_contexts.get()),
        }
        answer = json.loads(_native.resolve_asset(json.dumps(candidates), json.dumps(request)))
        error = answer.get("error")
        if error == "UnknownAsset":
            raise UnknownAssetError(f"Selection could not be resolved: {answer['message']}")
        if error == "NoMatches":
            raise NoMatchesError(f"Selection could not be resolved: {answer['message']}", pkg, variant)
        if error == "TooManyMatches":
            raise TooManyMatchesError(
                f"Selection could not be resolved: {answer['message']}", answer["candidates"], asset, pkg, variant
            )
        return by_name[answer["name"]]

    def lookup(self, mod_name):
        _, by_name = self._candidates()
        if mod_name not in by_name:
            raise AssetLookupError(f"No mod with name '{mod_name}' found")
        return by_name[mod_name]

    def resolve(self, asset, pkg=None, variant=None):
        self._ensure_neuron()
        return self._resolve_mod(asset, variant, pkg).mod_name

    def select(self, asset_name, glbl=False, pkg=None, variant=None):
        preference = {}
        if pkg is not None:
            preference["package"] = pkg
        if variant is not None:
            preference["variant"] = str(variant)
        if glbl:
            _native.select_globally(asset_name, pkg, None if variant is None else str(variant))
        else:
            self._script_preferences[asset_name] = preference

    def context(self, assets=None, pkg=None, variant=None, package=None):
        return _Context(
            {
                "assets": {name: dict(preference) for name, preference in (assets or {}).items()},
                "pkg": pkg if pkg is not None else package,
                "variant": None if variant is None else str(variant),
            }
        )

    # NEURON ----------------------------------------------------------------------------------------------------

    def insert(self, section, asset, variant=None, pkg=None, attributes=None, x=None):
        _check_section(section)
        self._ensure_neuron()
        mod = self._resolve_mod(asset, variant, pkg)
        from neuron import h

        kind = self._kinds.get(mod.mod_name)
        if kind is None:
            kind = "artificial_cell" if mod.is_artificial_cell else "point_process" if mod.is_point_process else "density"
        if kind == "artificial_cell":
            raise LibraryError(
                f"'{mod.mod_name}' is an artificial cell, which lives in no section: create it with "
                f"getattr(h, glia.resolve({asset!r}))()"
            )
        if kind == "point_process":
            position = 0.5 if x is None else x
            try:
                point_process = getattr(h, mod.mod_name)(neuron_object(section)(position))
            except AttributeError:
                raise LibraryError(f"'{mod.mod_name}' point process not found in the loaded library") from None
            accessor = MechAccessor(section, mod, point_process)
        else:
            try:
                neuron_object(section).insert(mod.mod_name)
            except ValueError as error:
                raise LibraryError(f"'{mod.mod_name}' mechanism not found in the loaded library: {error}") from None
            accessor = MechAccessor(section, mod)
        if attributes:
            accessor.set(attributes)
        return accessor

    def get(self, section, asset, variant=None, pkg=None):
        mod = self._resolve_mod(asset, variant, pkg)
        if mod.is_point_process:
            raise RuntimeError(
                "Can't access point processes from sections, keep the reference returned by `glia.insert`."
            )
        return MechAccessor(section, mod)

    def test_mechanism(self, mechanism):
        self._ensure_neuron()
        from neuron import h

        mod = self.lookup(mechanism) if mechanism.startswith("glia__") else self._resolve_mod(mechanism)
        if mod.is_artificial_cell:
            getattr(h, mod.mod_name)
        else:
            self.insert(h.Section(), mod.mod_name)
        return True

    # Arbor -----------------------------------------------------------------------------------------------------

    def build_catalogue_file(self, name):
        """Builds (or finds up to date) a package's catalogue; the file's path."""
        result = json.loads(_native.build_catalogue(_environment(), name, _cache_dir()))
        if result.get("unknown"):
            installed = ", ".join(result["installed"]) or "none"
            raise UnknownPackageError(f"Package '{name}' not found; installed: {installed}.")
        if result["catalogue"] is None:
            if not result["names"] and not result["failed"]:
                raise BuildCatalogueError(f"Package '{name}' has no Arbor assets.")
            raise BuildCatalogueError(f"The Arbor catalogue of '{name}' could not be built:\n{result['report']}")
        if result["failed"]:
            warnings.warn(
                f"some Arbor assets of '{name}' could not be built; the catalogue holds the others:\n{result['report']}",
                GliaWarning,
                stacklevel=4,
            )
        return result["catalogue"]

    def catalogue(self, name):
        import arbor

        return arbor.load_catalogue(self.build_catalogue_file(name))

    def catalogue_is_fresh(self, name):
        return os.path.isfile(os.path.join(get_cache_path(), "arbor", f"{name}-catalogue.so"))


def get_cache_path():
    return _native.cache_path(_environment(), _cache_dir())


def _when_neuron_is_imported(action):
    """Runs ``action`` once NEURON is imported: now if it is, else right after ``import neuron`` finishes.

    Loading the library needs NEURON, and importing NEURON costs more than everything else glia does at start-up
    (0.25-0.4 s: it imports numpy). A script cannot use NEURON without importing it, so the library is loaded at
    that moment, before any of the script's NEURON code runs, and ``glia.load_library()`` itself stays cheap.
    """
    neuron = sys.modules.get("neuron")
    if neuron is not None and hasattr(neuron, "h"):
        action()
        return
    sys.meta_path.insert(0, _AfterNeuronImport(action))


class _Context:
    """A ``with glia.context(...)`` block: its preferences are in force, innermost first, until it ends."""

    def __init__(self, entry):
        self._entry = entry
        self._token = None

    def __enter__(self):
        self._token = _contexts.set(_contexts.get() + (self._entry,))
        return self

    def __exit__(self, *exception):
        _contexts.reset(self._token)
        return False


class _AfterNeuronImport:
    """A meta path finder: finds the ``neuron`` package with the other finders, and runs an action after its module
    has executed. (Not derived from ``importlib.abc``, whose import costs more than the rest of glia's.)"""

    def __init__(self, action):
        self._action = action

    def find_spec(self, name, path=None, target=None):
        if name != "neuron":
            return None
        import importlib.util

        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _LoaderThenAction(spec.loader, self._action)
        return spec


class _LoaderThenAction:
    def __init__(self, loader, action):
        self._loader = loader
        self._action = action

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._action()


def _check_section(section):
    """Refuses what is not a NEURON section (Patch sections give theirs through ``__neuron__``)."""
    try:
        from neuron import nrn
    except ImportError as error:
        raise NeuronError(f"glia.insert needs NEURON: {error}") from None
    if not isinstance(neuron_object(section), nrn.Section):
        raise TypeError(
            f"glia.insert takes a NEURON Section (h.Section(...)) or an object whose __neuron__() gives one, "
            f"not {type(section).__name__} {section!r}"
        )
