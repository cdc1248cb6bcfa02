: The temperature belongs to the simulation.
NEURON {
    SUFFIX b103
    NONSPECIFIC_CURRENT i
}
PARAMETER { celsius = 6.3 (degC) }
ASSIGNED { i (mA/cm2) v (mV) }
INITIAL { celsius = 34 }
BREAKPOINT { i = 0.001*(v + 65) }
