"""
NMODL Asset Manager for Arbor and NEURON.

~ Glues your neurons together!

A drop-in for nmodl-glia 8.0.2 whose engine is written in Rust: the installed Glia packages are found without
importing them, every NEURON asset is compiled once per change that the compiler would see (a comment edit compiles
nothing), and ``import glia`` with an up-to-date library loads it with no compile and no subprocess.
"""

from . import _native
from ._glia import Glia, MechId
from ._glia import get_cache_path as _get_cache_path
from .assets import Catalogue, Mod, ModName, Package
from .exceptions import (
    AssetLookupError,
    BuildCatalogueError,
    CatalogueError,
    CompileError,
    GliaError,
    GliaWarning,
    LibraryError,
    ModSourceError,
    NeuronError,
    NmodlError,
    NoMatchesError,
    PackageApiError,
    PackageError,
    PackageFileError,
    PackageModError,
    PackageProjectError,
    PackageVersionError,
    PackageWarning,
    ResolveError,
    TooManyMatchesError,
    UnknownAssetError,
    UnknownPackageError,
)
from .neuron import MechAccessor

_manager = Glia()


def insert(section, asset, variant=None, pkg=None, attributes=None, x=None):
    """
    Insert a mechanism or point process into a Section.

    :param section: The section to insert the asset into (a NEURON Section, or a Patch Section).
    :param asset: The name of the asset, or a tuple ``(asset, variant, pkg)``. Resolved into the name NEURON knows
        it by from the preferences (call > context > script > global), unless a full ``glia__`` name is given.
    :param variant: Variant preference. Overrides context, script and global preferences.
    :param pkg: Package preference. Overrides context, script and global preferences.
    :param attributes: Attributes of the asset to set on the section or point process.
    :param x: Position along the section to place a point process at (default 0.5).
    :returns: a :class:`MechAccessor`.
    :raises: ResolveError when the asset cannot be resolved, LibraryError when it is not in the library, TypeError
        when ``section`` is not a section.
    """
    return _manager.insert(section, asset, variant, pkg, attributes, x)


def resolve(asset, pkg=None, variant=None):
    """Resolve an asset selection to the name known to NEURON."""
    return _manager.resolve(asset, pkg=pkg, variant=variant)


def select(asset, pkg=None, variant=None):
    """Set script scope preferences for an asset (``glia select`` on the command line sets global ones)."""
    return _manager.select(asset, pkg=pkg, variant=variant)


def compile():
    """Compile (when anything the compiler sees changed) and test all mod files of all Glia packages."""
    return _manager.compile()


def load_library():
    """Load the glia library into NEURON (if it isn't loaded yet), building it first when it is stale."""
    return _manager.load_library()


def context(assets=None, pkg=None, variant=None, package=None):
    """A context that sets glia preferences during a ``with`` statement; contexts nest, the innermost wins."""
    return _manager.context(assets=assets, pkg=pkg, variant=variant, package=package)


def catalogue(name):
    """Load (building it first when it is stale) the Arbor catalogue of the installed package ``name``."""
    return _manager.catalogue(name)


def package(name):
    """The installed package ``name``."""
    return _manager.package(name)


def get_packages():
    """All installed packages."""
    return [*_manager.packages]


def get_cache_path():
    """The environment's cache folder, where its NEURON library and Arbor catalogues are built."""
    return _get_cache_path()


__all__ = [
    "AssetLookupError",
    "BuildCatalogueError",
    "Catalogue",
    "CatalogueError",
    "CompileError",
    "GliaError",
    "GliaWarning",
    "LibraryError",
    "MechAccessor",
    "MechId",
    "Mod",
    "ModName",
    "ModSourceError",
    "NeuronError",
    "NmodlError",
    "NoMatchesError",
    "Package",
    "PackageApiError",
    "PackageError",
    "PackageFileError",
    "PackageModError",
    "PackageProjectError",
    "PackageVersionError",
    "PackageWarning",
    "ResolveError",
    "TooManyMatchesError",
    "UnknownAssetError",
    "UnknownPackageError",
    "catalogue",
    "compile",
    "context",
    "get_cache_path",
    "get_packages",
    "insert",
    "load_library",
    "package",
    "resolve",
    "select",
]
