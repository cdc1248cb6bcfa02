: `vhalf` is declared and never used.
NEURON {
    SUFFIX w005
    NONSPECIFIC_CURRENT i
    RANGE g
}
PARAMETER { g = 0.001 (S/cm2) vhalf = -30 (mV) }
ASSIGNED { i (mA/cm2) v (mV) }
BREAKPOINT { i = g*(v + 65) }
