: nocmodl: "The SOLVE statement must be before the DERIVATIVE block for states".
NEURON {
    SUFFIX solve_after_derivative_block
}
STATE { m }
DERIVATIVE states {
    m' = -m
}
BREAKPOINT {
    SOLVE states METHOD cnexp
}
