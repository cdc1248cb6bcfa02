: nocmodl: "No derivative equations in DERIVATIVE block" (modcc accepts it when no METHOD solves it).
NEURON {
    SUFFIX n118
}
STATE { c }
BREAKPOINT {
    SOLVE states
}
DERIVATIVE states {
    c = celsius
}
