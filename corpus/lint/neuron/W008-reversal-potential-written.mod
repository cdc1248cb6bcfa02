: `ena` is only READ: the assignment changes the mechanism's copy, not the ion's.
NEURON {
    SUFFIX w008
    USEION na READ ena WRITE ina
}
ASSIGNED { ena (mV) ina (mA/cm2) v (mV) }
INITIAL { ena = 50 }
BREAKPOINT { ina = 0.001*(v - ena) }
