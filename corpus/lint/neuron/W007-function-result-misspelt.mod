: The result goes to `alfa`, so `alpha` always returns 0.
NEURON {
    SUFFIX w007
    NONSPECIFIC_CURRENT i
    RANGE alfa
}
ASSIGNED { i (mA/cm2) v (mV) alfa }
BREAKPOINT { i = 0.001*alpha(v)*(v + 65) }
FUNCTION alpha(v (mV)) {
    alfa = 0.1*exp(-v/18)
}
