from glia import Package, Mod
package = Package('p', '/r', mods=[Mod(f, f) for f in x])
