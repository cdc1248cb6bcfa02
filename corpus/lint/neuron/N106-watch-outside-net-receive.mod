: WATCH belongs in NET_RECEIVE.
NEURON {
    POINT_PROCESS n106
}
ASSIGNED { v (mV) }
INITIAL { WATCH (v > -20) 1 }
NET_RECEIVE(weight) { }
