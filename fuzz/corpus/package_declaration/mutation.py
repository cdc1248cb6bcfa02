from glia import Package, Mod
mods = []
mods.append(Mod('a.mod', 'A'))
package = Package('p', '/r', mods=mods)
