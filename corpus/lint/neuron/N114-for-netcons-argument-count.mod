: nocmodl: "FOR_NETCONS and NET_RECEIVE do not have same number of arguments".
NEURON {
    POINT_PROCESS n114b
}
BREAKPOINT { }
NET_RECEIVE(weight, tlast) {
    FOR_NETCONS(w) { }
}
