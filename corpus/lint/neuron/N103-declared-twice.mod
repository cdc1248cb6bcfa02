: `gbar` is both a PARAMETER and an ASSIGNED.
NEURON {
    SUFFIX n103
    RANGE gbar
}
PARAMETER { gbar = 0.001 (S/cm2) }
ASSIGNED { gbar (S/cm2) }
BREAKPOINT { }
