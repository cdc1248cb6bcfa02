from glia import *
package = Package("p" 'q' r'''\x''', b'/r', mods=[Mod("""a
.mod""", 'A', variant="v\"", dialect=None, builtin=True)], builtin=0)
