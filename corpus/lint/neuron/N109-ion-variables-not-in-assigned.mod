: nocmodl translates it with a warning; the C++ does not compile.
NEURON {
    SUFFIX n109
    USEION na READ ena WRITE ina
}
ASSIGNED { v (mV) }
BREAKPOINT { ina = 0.1*(v - ena) }
