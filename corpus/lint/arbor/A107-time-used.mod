: Arbor has no `t`.
NEURON {
    SUFFIX a107
    NONSPECIFIC_CURRENT i
}
BREAKPOINT { i = 0.001*(v + 65)*exp(-t) }
