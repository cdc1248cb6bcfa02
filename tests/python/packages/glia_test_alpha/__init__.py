"""Test package `alpha` of glia's behaviour tests."""

from pathlib import Path

from glia import Mod, Package

package = Package(
    "alpha",
    Path(__file__).resolve().parent,
    mods=[
        Mod("mods/Kf__0.mod", "Kf"),
        Mod("mods/Kf__high.mod", "Kf", variant="high"),
        Mod("mods/Nf__0.mod", "Nf"),
        Mod("mods/Nf__fast.mod", "Nf", variant="fast"),
        Mod("mods/Lf__0.mod", "Lf"),
        Mod("mods/Syn__0.mod", "Syn", is_point_process=True),
    ],
)
