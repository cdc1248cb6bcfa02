from glia import Package
x = 1
package = Package(f'p{x}', '/r')
