: modcc stops with "the symbol i already exists".
NEURON {
    SUFFIX a103
    NONSPECIFIC_CURRENT i
}
ASSIGNED { i (mA/cm2) }
BREAKPOINT { i = 0.001*(v + 65) }
