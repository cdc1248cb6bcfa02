: modcc takes `celcius` for an ordinary variable, which stays 37 whatever the temperature.
NEURON {
    SUFFIX w001
    RANGE q10
}
PARAMETER { celcius = 37 (degC) }
ASSIGNED { q10 }
BREAKPOINT { q10 = 3^((celcius - 23)/10) }
