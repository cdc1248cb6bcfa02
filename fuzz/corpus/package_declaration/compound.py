from glia import Package
if True:
    package = Package('p', '/r')
