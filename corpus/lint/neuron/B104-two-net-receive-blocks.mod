: nocmodl: "Only one NET_RECEIVE block allowed".
NEURON {
    POINT_PROCESS b104
    RANGE g
}
ASSIGNED { g }
BREAKPOINT { }
NET_RECEIVE(weight) { g = g + weight }
NET_RECEIVE(weight) { g = 0 }
