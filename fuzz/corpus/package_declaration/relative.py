from glia import Package
from .helpers import mods
package = Package('p', '/r', mods=mods)
