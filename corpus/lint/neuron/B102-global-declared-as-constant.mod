: A GLOBAL needs a PARAMETER or ASSIGNED declaration; a CONSTANT is not one.
NEURON {
    SUFFIX b102
    NONSPECIFIC_CURRENT i
    GLOBAL vhalf
}
CONSTANT { vhalf = -30 (mV) }
ASSIGNED { i (mA/cm2) v (mV) }
BREAKPOINT { i = 0.001*(v - vhalf) }
