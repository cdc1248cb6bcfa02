: THREADSAFE promises what the C code in VERBATIM may not keep.
NEURON {
    SUFFIX w003
    THREADSAFE
    RANGE x
}
ASSIGNED { x }
BREAKPOINT {
VERBATIM
    static int calls = 0;
    calls++;
ENDVERBATIM
    x = 1
}
