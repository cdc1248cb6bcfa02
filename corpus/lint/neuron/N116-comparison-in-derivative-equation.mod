: nocmodl aborts (diffeq.ypp: difeq_yyerror: Assertion '0' failed, SIGABRT): `>` outside a call in an equation.
NEURON {
    POINT_PROCESS n116
}
STATE { c rho }
PARAMETER { tau = 150 (ms) theta = 0.5 }
BREAKPOINT {
    SOLVE state METHOD cnexp
}
DERIVATIVE state {
    c' = -c/tau
    rho' = (c - theta) > 0
}
