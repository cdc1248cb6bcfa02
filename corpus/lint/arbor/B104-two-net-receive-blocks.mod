: modcc: "'net_receive' clashes with previously defined symbol".
NEURON {
    POINT_PROCESS b104
    NONSPECIFIC_CURRENT i
}
STATE { g }
INITIAL { g = 0 }
BREAKPOINT { i = g*v }
NET_RECEIVE(weight) { g = g + weight }
NET_RECEIVE(weight) { g = 0 }
