: modcc: "the left hand side of an assignment must be an lvalue".
NEURON {
    SUFFIX b103
    NONSPECIFIC_CURRENT i
}
INITIAL { dt = 0.025 }
BREAKPOINT { i = 0.001*(v + 65) }
