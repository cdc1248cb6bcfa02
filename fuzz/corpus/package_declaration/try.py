try:
    from importlib.metadata import version
except ImportError:
    version = None
from glia import Package, Mod
from pathlib import Path
package = Package('p', Path(__file__).parent / 'sub', mods=[Mod('a.mod', 'A')])
def helper():
    return Path('x')
__all__ = ['package']
