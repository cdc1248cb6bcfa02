"""Test package `beta` of glia's behaviour tests."""

from pathlib import Path

from glia import Mod, Package

package = Package(
    "beta",
    Path(__file__).resolve().parent,
    mods=[
        Mod("mods/Kf__0.mod", "Kf"),
        Mod("mods/Cf__x.mod", "Cf", variant="x"),
        Mod("mods/Lf__GABA.mod", "Lf", variant="GABA"),
    ],
)
