: TABLE belongs in a FUNCTION or PROCEDURE.
NEURON {
    SUFFIX n107
    RANGE minf
}
ASSIGNED { minf v (mV) }
BREAKPOINT {
    TABLE minf FROM -100 TO 100 WITH 200
    minf = 1/(1 + exp(-v))
}
