: modcc: "Found alternating reaction (A <-> B ...) and normal statements".
NEURON {
    SUFFIX a112
}
STATE { A B C }
BREAKPOINT {
    SOLVE scheme METHOD sparse
}
KINETIC scheme {
    LOCAL k
    ~ A <-> B (1, 2)
    k = 3
    ~ B <-> C (k, 1)
}
