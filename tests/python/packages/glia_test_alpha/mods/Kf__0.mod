: A test mechanism of glia's behaviour tests; gbar tells which asset was inserted.
NEURON {
    SUFFIX glia__alpha__Kf__0
    NONSPECIFIC_CURRENT i
    RANGE gbar, i
}

PARAMETER {
    gbar = 0.0011 (S/cm2)
    e = -70 (mV)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
}

BREAKPOINT {
    i = gbar*(v - e)
}
