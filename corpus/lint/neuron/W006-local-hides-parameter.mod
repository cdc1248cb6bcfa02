: The LOCAL `g` hides the PARAMETER `g`.
NEURON {
    SUFFIX w006
    NONSPECIFIC_CURRENT i
    RANGE g
}
PARAMETER { g = 0.001 (S/cm2) }
ASSIGNED { i (mA/cm2) v (mV) }
BREAKPOINT { LOCAL g
    g = 0.002
    i = g*(v + 65) }
