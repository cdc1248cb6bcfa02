: `erev` is declared nowhere: nocmodl only warns, and g++ refuses its C++.
NEURON {
    SUFFIX n111
    NONSPECIFIC_CURRENT i
    RANGE g
}
PARAMETER { g = 0.001 (S/cm2) }
ASSIGNED { i (mA/cm2) v (mV) }
BREAKPOINT { i = g*(v - erev) }
