: `gbar` has no unit, so modlunit and readers cannot check its scale.
NEURON {
    SUFFIX w002
    NONSPECIFIC_CURRENT i
    RANGE gbar
}
PARAMETER { gbar = 0.001 }
ASSIGNED { i (mA/cm2) v (mV) }
BREAKPOINT { i = gbar*(v + 65) }
