: modcc refuses `v` in ASSIGNED; NEURON files usually have it.
NEURON {
    SUFFIX a101
    NONSPECIFIC_CURRENT i
}
ASSIGNED { v (mV) }
BREAKPOINT { i = 0.001*(v + 65) }
