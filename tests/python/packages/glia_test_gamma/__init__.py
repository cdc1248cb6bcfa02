"""Test package `gamma` of glia's behaviour tests."""

from pathlib import Path

from glia import Mod, Package

package = Package(
    "gamma",
    Path(__file__).resolve().parent,
    mods=[
        Mod("mods/Kf__high.mod", "Kf", variant="high"),
        Mod("mods/Lf__GABA.mod", "Lf", variant="GABA"),
    ],
)
