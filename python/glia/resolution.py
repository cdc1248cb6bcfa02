"""Resolving asset selections into the names NEURON knows, under the preferences in force (the rules are the Rust
core's, `glia::packages::resolver`). ``Resolver`` keeps nmodl-glia's interface for code that used it directly."""

from .exceptions import AssetLookupError

__all__ = ["Resolver"]


class Resolver:
    def __init__(self, manager):
        self._manager = manager

    def construct_index(self):
        self._manager._packages = None

    @property
    def index(self):
        index = {}
        candidates, by_name = self._manager._candidates()
        for candidate in candidates:
            index.setdefault(candidate["asset"], []).append(by_name[candidate["name"]])
        return index

    def resolve(self, asset_name, pkg=None, variant=None):
        return self._manager._resolve_mod(asset_name, variant, pkg).mod_name

    def lookup(self, mod_name):
        try:
            return self._manager.lookup(mod_name)
        except AssetLookupError:
            raise

    def set_preference(self, asset_name, glbl=False, pkg=None, variant=None):
        return self._manager.select(asset_name, glbl=glbl, pkg=pkg, variant=variant)

    def preference_context(self, assets=None, pkg=None, variant=None):
        return self._manager.context(assets=assets, pkg=pkg, variant=variant)

    def has_preference(self, asset_name):
        return asset_name in self._manager._script_preferences
