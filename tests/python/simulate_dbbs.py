"""A NEURON cell of dbbs-catalogue 6.0.1's channels and a synapse, every mechanism inserted through ``glia.insert``;
prints the soma's voltage trace as JSON. ``tests/python_module.rs`` runs it with this project's module and with
nmodl-glia 8.0.2 and compares the traces. (Patch sections: the original cannot insert into NEURON 9's own.)"""

import json

from neuron import h
from patch import p

import glia

h.load_file("stdrun.hoc")
h.celsius = 32
soma = p.Section(name="soma")
soma.L = soma.diam = 18
dendrite = p.Section(name="dendrite")
dendrite.L, dendrite.diam, dendrite.nseg = 200, 1.5, 5
dendrite.connect(soma)

for section in (soma, dendrite):
    glia.insert(section, "Leak")
    glia.insert(section, "Kv1_1")
    glia.insert(section, "Kv3_4")
    glia.insert(section, "Na", "granule_cell")
    glia.insert(section, "Ca", "granule_cell")
    glia.insert(section, "Kca1_1")
    glia.insert(section, "cdp5", "CR")
glia.insert(soma, "HCN1")

synapse = glia.insert(dendrite, "AMPA", "granule", x=0.8)
spikes = h.NetStim()
spikes.start, spikes.number, spikes.interval, spikes.noise = 5, 4, 6, 0
connection = h.NetCon(spikes, synapse.__neuron__())
connection.weight[0] = 1.0

clamp = h.IClamp(soma.__neuron__()(0.5))
clamp.delay, clamp.dur, clamp.amp = 30, 15, 0.3

voltage = h.Vector()
voltage.record(soma.__neuron__()(0.5)._ref_v)
h.dt = 0.025
h.finitialize(-65)
h.continuerun(60)
print(json.dumps({"implementation": "original" if not hasattr(glia, "_native") else "this project", "v": list(voltage)}))
