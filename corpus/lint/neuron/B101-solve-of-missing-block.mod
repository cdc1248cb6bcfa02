: SOLVE names a DERIVATIVE block the file does not have.
NEURON {
    SUFFIX b101
    NONSPECIFIC_CURRENT i
}
STATE { m }
BREAKPOINT { SOLVE states METHOD cnexp
    i = 0.001*m*(v + 65) }
DERIVATIVE state { m' = -m }
