: modcc: "symbolic differential of unrecognized binary expression", "CNExp: Could not determine linearity".
NEURON {
    SUFFIX a113
}
STATE { m }
PARAMETER { tau = 1 (ms) }
BREAKPOINT {
    SOLVE states METHOD cnexp
}
DERIVATIVE states {
    m' = (1 - m)/tau*(v > -40)
}
