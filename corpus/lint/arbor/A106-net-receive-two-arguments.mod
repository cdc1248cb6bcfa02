: Arbor's NET_RECEIVE takes the weight only.
NEURON {
    POINT_PROCESS a106
    NONSPECIFIC_CURRENT i
}
STATE { g }
INITIAL { g = 0 }
BREAKPOINT { SOLVE decay METHOD cnexp
    i = g*v }
DERIVATIVE decay { g' = -g }
NET_RECEIVE(weight, delay) { g = g + weight }
