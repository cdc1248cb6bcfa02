: nocmodl: "equations can't occur in this type of block" (modcc refuses it too).
NEURON {
    SUFFIX b105
}
STATE { A B }
BREAKPOINT {
    SOLVE scheme METHOD cnexp
}
PROCEDURE scheme() {
    ~ A <-> B (1, 2)
}
