: modcc inlines `rate` and finds no result when v <= -30.
NEURON {
    SUFFIX a108
    NONSPECIFIC_CURRENT i
}
BREAKPOINT { i = 0.001*rate(v)*(v + 65) }
FUNCTION rate(x) {
    if (x > -30) { rate = 1 }
}
