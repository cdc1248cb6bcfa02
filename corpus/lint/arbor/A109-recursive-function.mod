: modcc: "recursive functions not allowed".
NEURON {
    SUFFIX a109
    NONSPECIFIC_CURRENT i
}
BREAKPOINT { i = 0.001*power(2, 3)*(v + 65) }
FUNCTION power(x, n) {
    if (n <= 0) { power = 1 } else { power = x*power(x, n - 1) }
}
