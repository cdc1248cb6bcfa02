: modcc: "the symbol 'celsius' refers to an external quantity and is unavailable in a function or procedure".
NEURON {
    SUFFIX a110
    NONSPECIFIC_CURRENT i
}
BREAKPOINT { i = 0.001*q10()*(v + 65) }
FUNCTION q10() { q10 = 3^((celsius - 23)/10) }
