: nocmodl: "Method sparse can't be used with Block states".
NEURON {
    SUFFIX n117
}
STATE { m }
BREAKPOINT {
    SOLVE states METHOD sparse
}
DERIVATIVE states {
    m' = -m
}
