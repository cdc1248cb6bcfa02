"""Glia's exceptions, under the names and in the tree nmodl-glia 8.0.2 has, so ``except glia.ResolveError`` and
friends keep working. Exceptions with details keep them as attributes (``TooManyMatchesError.matches`` …), given
after the message as the original's are."""

__all__ = [
    "AssetLookupError",
    "BuildCatalogueError",
    "CatalogueError",
    "CompileError",
    "GliaError",
    "GliaWarning",
    "LibraryError",
    "ModSourceError",
    "NeuronError",
    "NmodlError",
    "NoMatchesError",
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
]


class GliaError(Exception):
    """Every error glia raises."""

    _details = ()

    def __init__(self, *args):
        super().__init__(*args)
        for name, value in zip(self._details, args[1:]):
            setattr(self, name, value)
        for name in self._details[len(args) - 1 :]:
            setattr(self, name, None)

    def __str__(self):
        # The message; the details are attributes (as errr's exceptions, which the original uses, print them).
        return str(self.args[0]) if self.args else ""


class CompileError(GliaError):
    pass


class LibraryError(GliaError):
    pass


class NeuronError(GliaError):
    pass


class ResolveError(GliaError):
    pass


class TooManyMatchesError(ResolveError):
    _details = ("matches", "asset", "pkg", "variant")


class NoMatchesError(ResolveError):
    _details = ("pkg", "variant")


class UnknownAssetError(ResolveError):
    pass


class AssetLookupError(ResolveError):
    pass


class PackageError(GliaError):
    pass


class UnknownPackageError(PackageError, KeyError):
    """A package name that no installed package has (also a ``KeyError``, as the original's lookup raised)."""

    def __str__(self):
        return str(self.args[0]) if self.args else ""


class PackageApiError(PackageError):
    pass


class PackageFileError(PackageError):
    pass


class PackageModError(PackageError):
    pass


class PackageProjectError(PackageError):
    pass


class PackageVersionError(PackageError):
    pass


class CatalogueError(GliaError):
    pass


class BuildCatalogueError(CatalogueError):
    pass


class NmodlError(GliaError):
    pass


class ModSourceError(NmodlError):
    pass


class GliaWarning(Warning):
    """Something the user should know that does not stop the work (an asset that failed to build, …)."""


class PackageWarning(GliaWarning):
    """An installed package that cannot be used as declared."""
