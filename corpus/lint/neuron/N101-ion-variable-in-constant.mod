: nocmodl refuses a USEION variable redeclared in CONSTANT.
NEURON {
    SUFFIX n101
    USEION ca READ cao WRITE ica
}
CONSTANT { cao = 2 (mM) }
ASSIGNED { ica (mA/cm2) v (mV) }
BREAKPOINT { ica = 0.001*cao }
