: `rate` is both an ASSIGNED variable and a FUNCTION.
NEURON {
    SUFFIX n102
    RANGE rate
}
ASSIGNED { rate v (mV) }
BREAKPOINT { rate = 1 }
FUNCTION rate(x) { rate = x }
