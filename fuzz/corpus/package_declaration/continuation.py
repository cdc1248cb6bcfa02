from glia import Package, Mod
package = Package(\
  'p', # comment
  '/r', mods=[
    Mod('a.mod', 'A', is_point_process=True,),
  ],
)
