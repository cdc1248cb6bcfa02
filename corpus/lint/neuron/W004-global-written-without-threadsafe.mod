: nocmodl notes that the assignment to a GLOBAL is not thread safe.
NEURON {
    SUFFIX w004
    GLOBAL minf
}
ASSIGNED { minf v (mV) }
BREAKPOINT { minf = 1/(1 + exp(-v)) }
