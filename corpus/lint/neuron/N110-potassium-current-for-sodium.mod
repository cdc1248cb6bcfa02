: Copied from a potassium channel without changing the ion.
NEURON {
    SUFFIX n110
    USEION na READ ek WRITE ik
}
ASSIGNED { ek (mV) ik (mA/cm2) v (mV) }
BREAKPOINT { ik = 0.001*(v - ek) }
