: The included file was left out of the package.
NEURON {
    SUFFIX n113
    NONSPECIFIC_CURRENT i
}
INCLUDE "glia_fixture_missing_units.inc"
ASSIGNED { i (mA/cm2) v (mV) }
BREAKPOINT { i = 0.001*(v + 65) }
