: modcc refuses USEION variables in ASSIGNED, where NEURON files usually declare them.
NEURON {
    SUFFIX a102
    USEION k READ ek WRITE ik
}
ASSIGNED { ek (mV) ik (mA/cm2) }
BREAKPOINT { ik = 0.001*(v - ek) }
