: modcc: "z is declared as GLOBAL, but has not been declared in the ASSIGNED block".
NEURON {
    SUFFIX b102
    NONSPECIFIC_CURRENT i
    GLOBAL z
}
BREAKPOINT { i = 0.001*(v + 65) }
