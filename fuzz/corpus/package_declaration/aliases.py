import os
import glia as g
ROOT = os.path.dirname(os.path.abspath(__file__))
NAME = 'x'
mods = [g.Mod('a/b.mod', 'B', variant=2, is_artificial_cell=1)]
package = g.Package(NAME, ROOT, mods=mods)
