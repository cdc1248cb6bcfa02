: nocmodl: "NET_RECEIVE block must have at least one argument".
NEURON {
    POINT_PROCESS n114
}
BREAKPOINT { }
NET_RECEIVE() { }
