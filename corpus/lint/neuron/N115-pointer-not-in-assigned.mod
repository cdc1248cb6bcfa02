: nocmodl: "vpre does not have a proper declaration".
NEURON {
    POINT_PROCESS n115
    POINTER vpre
    RANGE g
}
ASSIGNED { g }
BREAKPOINT { g = vpre }
