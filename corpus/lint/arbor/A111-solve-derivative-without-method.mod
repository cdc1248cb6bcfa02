: modcc: "The DERIVATIVE block has a derivative expression but no METHOD was specified in the SOLVE statement".
NEURON {
    SUFFIX a111
}
STATE { m }
BREAKPOINT {
    SOLVE states
}
DERIVATIVE states {
    m' = -m
}
