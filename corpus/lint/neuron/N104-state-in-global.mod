: nocmodl: "m is a STATE variable and hence cannot be declared as GLOBAL".
NEURON {
    SUFFIX n104
    GLOBAL m
}
STATE { m }
BREAKPOINT { SOLVE states METHOD cnexp }
DERIVATIVE states { m' = -m }
