: nocmodl: "celcius should be spelled celsius".
NEURON {
    SUFFIX n112
    RANGE q10
}
PARAMETER { celcius = 37 (degC) }
ASSIGNED { q10 }
BREAKPOINT { q10 = 3^((celcius - 23)/10) }
