: modcc: "reaction statement not allowed inside derivative definition" (nocmodl: a syntax error).
NEURON {
    SUFFIX reaction_in_derivative_block
}
STATE { A B }
BREAKPOINT {
    SOLVE states METHOD cnexp
}
DERIVATIVE states {
    A' = -A
    ~ A <-> B (1, 2)
}
