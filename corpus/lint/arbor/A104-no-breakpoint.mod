: modcc: "a BREAKPOINT block is required".
NEURON {
    SUFFIX a104
}
PARAMETER { g = 1 (S/cm2) }
