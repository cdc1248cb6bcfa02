: CONDUCTANCE belongs in BREAKPOINT.
NEURON {
    SUFFIX n108
    USEION k READ ek WRITE ik
    RANGE g
}
PARAMETER { g = 0.001 (S/cm2) }
ASSIGNED { ek (mV) ik (mA/cm2) v (mV) }
INITIAL { CONDUCTANCE g USEION k }
BREAKPOINT { ik = g*(v - ek) }
