"""The objects Glia packages declare themselves with — ``Package`` and ``Mod``, with nmodl-glia 8.0.2's signatures,
so that existing packages (``package = Package("dbbs", root, mods=[Mod(...), ...])``) import unchanged — and the
names derived from them (``ModName``), and a package's Arbor ``Catalogue``."""

from pathlib import Path

from .exceptions import PackageFileError

# The dialects a mod can be restricted to: "arbor" or "neuron" (None: both).
SupportedDialect = str

__all__ = ["Catalogue", "Mod", "ModName", "Package"]


class _ModList(list):
    """A package's mods: every item is a ``Mod`` and knows its package."""

    def __init__(self, package, items=()):
        super().__init__()
        self.pkg = package
        self.extend(items)

    def _adopt(self, item):
        if not isinstance(item, Mod):
            raise PackageFileError(f"Package mod '{item}' is not a valid `glia.Mod`.")
        item.set_package(self.pkg)
        return item

    def __setitem__(self, key, value):
        if isinstance(key, slice):
            super().__setitem__(key, [self._adopt(item) for item in value])
        else:
            super().__setitem__(key, self._adopt(value))

    def append(self, item):
        super().append(self._adopt(item))

    def insert(self, index, item):
        super().insert(index, self._adopt(item))

    def extend(self, items):
        super().extend(self._adopt(item) for item in items)

    def __iadd__(self, items):
        self.extend(items)
        return self


class Package:
    """A Glia package: a name, the folder its mod files are in, and its mods."""

    def __init__(self, name: str, root, *, mods=None, builtin=False):
        self._name = name
        self._root = Path(root)
        self._mods = _ModList(self, [] if mods is None else mods)
        # NEURON's own mechanisms have no files: the package that lists them is builtin.
        self.builtin = builtin

    @property
    def name(self):
        return self._name

    @property
    def root(self):
        return self._root

    @property
    def mods(self):
        return self._mods

    @mods.setter
    def mods(self, mods):
        self._mods = _ModList(self, mods)

    @property
    def catalogue(self):
        return Catalogue(self)

    @property
    def hash(self):
        import hashlib

        return hashlib.md5(bytes(self.root)).hexdigest()

    @property
    def mod_hash(self):
        import hashlib

        digest = hashlib.md5()
        for mod in self.mods:
            if mod.relpath is not None:
                digest.update(mod.path.read_bytes())
        return digest.hexdigest()

    def get_mods(self, dialect=None):
        """The mods a simulator gets: those without a dialect, each replaced by the dialect's mod of its name."""
        mods = {mod.mod_name: mod for mod in self.mods if mod.dialect is None}
        if dialect:
            mods.update((mod.mod_name, mod) for mod in self.mods if mod.dialect == dialect)
        return [*mods.values()]

    def load_catalogue(self):
        return self.catalogue.load()

    def build_catalogue(self, *args, **kwargs):
        return self.catalogue.build(*args, **kwargs)

    def __repr__(self):
        return f"<glia.Package {self.name!r} at {str(self.root)!r} with {len(self.mods)} mods>"


class Mod:
    """One mod file of a package: its asset name and variant, how it is used, and which dialect it is for."""

    def __init__(
        self,
        relpath,
        asset_name,
        *,
        variant="0",
        is_point_process=False,
        is_artificial_cell=False,
        dialect=None,
        builtin=False,
    ):
        self._pkg = None
        self.relpath = relpath
        self.asset_name = asset_name
        self.variant = variant
        self.is_point_process = is_point_process
        self.is_artificial_cell = is_artificial_cell
        self.dialect = dialect
        self.builtin = builtin

    def set_package(self, package):
        self._pkg = package

    @property
    def pkg(self):
        return self._pkg

    @property
    def pkg_name(self):
        return self._pkg.name if self._pkg is not None else None

    @property
    def mech_id(self):
        return ModName(self.pkg_name, self.asset_name, self.variant).mech_id

    @property
    def mod_name(self):
        if self.builtin:
            return self.asset_name
        return ModName(self.pkg_name, self.asset_name, self.variant).full_mod_name

    @property
    def arbor_name(self):
        return ModName(self.pkg_name, self.asset_name, self.variant).arbor_mod_name

    @property
    def path(self) -> Path:
        return self.pkg.root / self.relpath

    def __repr__(self):
        return f"<glia.Mod {self.mod_name!r}>"


class ModName:
    """The names of an asset: ``glia__pkg__asset__variant`` for NEURON, ``asset`` or ``asset_variant`` for Arbor."""

    def __init__(self, pkg_name, asset, variant):
        self.pkg = pkg_name
        self.asset = asset
        self.variant = variant

    @property
    def full_mod_name(self):
        if self.pkg is None:
            raise ValueError("Missing pkg info for mod name.")
        return f"glia__{self.pkg}__{self.asset}__{self.variant}"

    @property
    def short_mod_name(self):
        return f"{self.asset}__{self.variant}"

    @property
    def arbor_mod_name(self):
        name = self.asset
        if self.variant and str(self.variant) != "0":
            name += f"_{self.variant}"
        # Arbor catalogue names: characters other than letters and digits become `_`, runs of `_` one.
        cleaned = "".join(character if character.isalnum() and character.isascii() else "_" for character in name)
        while "__" in cleaned:
            cleaned = cleaned.replace("__", "_")
        return cleaned

    @classmethod
    def parse(cls, name: str):
        parts = name.split("__")
        if len(parts) == 2:
            return cls(None, *parts)
        if len(parts) == 4:
            return cls(*parts[1:])
        raise ValueError(f"Unparsable mod name '{name}'.")

    @classmethod
    def parse_path(cls, path):
        return cls.parse(Path(path).stem)

    @property
    def mech_id(self):
        if not self.variant:
            return self.asset
        if not self.pkg:
            return (self.asset, self.variant)
        return (self.asset, self.variant, self.pkg)


class Catalogue:
    """A package's Arbor catalogue, built by glia's Arbor orchestrator into the environment's cache."""

    def __init__(self, package: Package):
        self._pkg = package

    @property
    def name(self):
        return self._pkg.name

    def build(self, verbose=None, debug=False, gpu=None):
        from . import _manager

        if gpu:
            from .exceptions import BuildCatalogueError

            raise BuildCatalogueError("GPU catalogues are not built by glia yet; use arbor-build-catalogue --gpu cuda")
        return _manager.build_catalogue_file(self.name)

    def is_fresh(self):
        from . import _manager

        return _manager.catalogue_is_fresh(self.name)

    def load(self):
        from . import _manager

        return _manager.catalogue(self.name)
