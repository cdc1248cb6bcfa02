TITLE Exponential synapse with a NEURON-only table (example)
COMMENT
A point process. The TABLE statement and the `23 (degC)` unit after a number are NEURON-only:
`glia check --dialect arbor` explains why modcc would refuse this file.
ENDCOMMENT

NEURON {
    POINT_PROCESS ExpSynT
    RANGE tau, e, i
    NONSPECIFIC_CURRENT i
}

PARAMETER {
    tau = 0.1 (ms) <1e-9, 1e9>
    e = 0 (mV)
}

ASSIGNED {
    v (mV)
    i (nA)
    q10
}

STATE { g (uS) }

INITIAL {
    g = 0
    rates(celsius)
}

BREAKPOINT {
    SOLVE state METHOD cnexp
    i = g*(v - e)
}

DERIVATIVE state {
    g' = -g*q10/tau
}

PROCEDURE rates(temperature (degC)) {
    TABLE q10 FROM -40 TO 60 WITH 100
    q10 = 3^((temperature - 23 (degC))/10)
}

NET_RECEIVE(weight (uS)) {
    g = g + weight
}
