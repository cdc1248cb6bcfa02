: modcc: "gkbar is declared as RANGE, but has not been declared in the ASSIGNED or PARAMETER block".
NEURON {
    SUFFIX a105
    NONSPECIFIC_CURRENT i
    RANGE gbar, gkbar
}
PARAMETER { gbar = 0.001 (S/cm2) }
BREAKPOINT { i = gbar*(v + 65) }
