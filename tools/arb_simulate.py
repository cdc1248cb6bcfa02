#!/usr/bin/env python3
"""Simulate every mechanism of a compiled Arbor mechanism catalogue, one at a time.

This is the Arbor side of an integration test: the same mod files are built
twice into a catalogue (once by Arbor's ``arbor-build-catalogue``, once by our
own build tool), this script is run on each ``NAME-catalogue.so``, and the two
JSON outputs must be identical.

Usage::

    python tools/arb_simulate.py --catalogue PATH/NAME-catalogue.so --output traces.json \
        [--skip NAME ...] [--mechanism NAME ...]

What it does:

1. Loads the catalogue with ``arbor.load_catalogue(path)``; its mechanisms are
   ``catalogue.keys()`` and ``catalogue[name].kind`` tells their kind.
   ``--mechanism`` restricts the simulations to the given names (each must be
   in the catalogue).
2. Skips the mechanisms that cannot be put on a lone cell: gap junction
   mechanisms (they need a peer cell), reversal potential mechanisms (they are
   an ion's reversal potential method, not something painted or placed) and
   any kind this script does not know; also the names given with ``--skip``.
3. For each remaining mechanism, in sorted order, builds a fresh simulation of
   one cable cell: one cylindrical segment (radius 10 um, length 20 um, so the
   same membrane area as NEURON's L = diam = 20 um), discretised as a single
   CV, with Vm = -65 mV, cm = 1 uF/cm2, rL = 100 ohm cm and T = 32 degC set
   explicitly, and the ion species' defaults set explicitly (NEURON's values
   for na, k and ca; an ion that only the mechanism knows gets 1 mM inside
   and outside and a 0 mV reversal potential).  A density mechanism is painted
   on the whole cell, a voltage process likewise, a point mechanism is placed
   as a synapse at the middle (``(location 0 0.5)``) and receives three events
   (at 2, 4 and 6 ms, weight 0.005) from an event generator; a point mechanism
   with a POST_EVENT block also gets a threshold detector there so that it can
   see spikes.  An ``i_clamp`` (start 1 ms, duration 5 ms, 0.1 nA) sits at the
   middle.  Parameters keep their defaults.  The simulation runs with a fixed
   dt = 0.025 ms to 10 ms on one thread with a fixed seed, and samples the
   membrane potential at the middle (``v``), the internal concentration
   (``cai``, ...) of every ion the mechanism uses and for which Arbor keeps
   one (i.e. some mechanism on the cell reads or writes it), and the diffusive
   concentration (``xd``, ...) of an ion that needed diffusivity, at every
   time step t = 0, dt, ..., 10 ms - dt (Arbor does not sample at the final
   time, so there are 400 samples per trace).
4. An Arbor/Python error in one simulation is recorded as ``{"error": message}``
   for that mechanism and the script carries on.  A trace that contains NaN or
   infinity (not representable in JSON) is also recorded as an error.
5. Writes ``{"catalogue_mechanisms": [...], "skipped": {name: reason},
   "traces": {name: {"v": [floats], "cai": [floats], ...} | {"error": message}}}`` with sorted keys,
   atomically (temporary file + ``os.replace``).  Floats are written by the
   ``json`` module, i.e. with ``repr`` precision, so they round-trip exactly.

Exit status: 0 if at least one trace was recorded, 1 if none was, 2 for usage
errors (catalogue cannot be loaded, unknown ``--mechanism`` name).

Notes on Arbor (0.12) behaviour this script works around:

* A new ion species needs a valence, and a mechanism whose USEION has a
  VALENCE checks it, but ``mechanism_info`` does not expose the expected
  valence.  The script tries the valences 1, -1, 2, -2, 3, -3 in turn for such
  an ion, moving on when building the simulation fails with Arbor's "uses ion
  X, but expects a different valence" error.
* A mechanism that uses an ion's diffusive concentration (``Xd``) fails
  unless that ion has a diffusivity, and ``mechanism_info`` does not tell
  which do either.  On Arbor's "accesses diffusive value of ion 'X', but
  diffusivity is disabled" error the script gives the ion a diffusivity
  (1e-9 m2/s; with one CV nothing actually diffuses) and tries again.
* Arbor initialises a STATE that no INITIAL block sets to NaN (NEURON: 0),
  so such a mechanism's trace is recorded as a non-finite error; that is
  Arbor's behaviour, the same for any build of the catalogue.
* ``decor.place(locset, i_clamp)`` takes no label (unlike synapses and
  detectors), although its docstring mentions one.
* Sampling an ion's internal concentration where Arbor keeps none (an ion
  that is absent, or whose concentration no mechanism reads or writes) gives
  no samples at all, not an error; such a key is simply left out.
* Sample data comes back as numpy arrays of (time, value) rows; ``tolist()``
  turns them into Python floats, so numpy need not be imported here.
"""

import argparse
import os
import re
import sys

from simulation_output import non_finite_error, write_json_atomically

import arbor
from arbor import units as U

DT = 0.025  # ms
TSTOP = 10.0  # ms
V_INIT = -65.0  # mV
CELSIUS = 32.0  # degC
MEMBRANE_CAPACITANCE = 0.01  # F/m2 (= 1 uF/cm2)
AXIAL_RESISTIVITY = 100.0  # ohm cm
SOMA_RADIUS = 10.0  # um
SOMA_LENGTH = 20.0  # um
MIDDLE = "(location 0 0.5)"
ICLAMP = {"tstart": 1.0, "duration": 5.0, "current": 0.1}  # ms, ms, nA
EVENT_TIMES = (2.0, 4.0, 6.0)  # ms
EVENT_WEIGHT = 0.005  # the first NET_RECEIVE argument (often uS)
DETECTOR_THRESHOLD = -20.0  # mV, only for mechanisms with POST_EVENT
SEED = 0  # for mechanisms with WHITE_NOISE

# Ion species defaults: {ion: (valence, int_con mM, ext_con mM, rev_pot mV)}.
# NEURON's defaults, as in arbor.neuron_cable_properties().
ION_DEFAULTS = {
    "na": (1, 10.0, 140.0, 50.0),
    "k": (1, 54.4, 2.5, -77.0),
    "ca": (2, 5e-05, 2.0, 132.4579341637009),
}
# An ion species the catalogue introduces (e.g. "h", "cl").
NEW_ION_DEFAULTS = (1.0, 1.0, 0.0)  # int_con mM, ext_con mM, rev_pot mV
VALENCE_CANDIDATES = (1, -1, 2, -2, 3, -3)
VALENCE_MISMATCH = re.compile(r"uses ion (\w+), but expects a different valence")
# Diffusivity given to an ion whose diffusive concentration (Xd) a mechanism
# uses; with a single CV nothing diffuses, it only enables Xd.
DIFFUSIVITY = 1e-9  # m2/s
DIFFUSIVITY_DISABLED = re.compile(
    r"accesses diffusive value of ion '(\w+)', but diffusivity is disabled"
)

DENSITY = "density mechanism kind"
POINT = "point mechanism kind"
VOLTAGE = "voltage mechanism kind"
GAP_JUNCTION = "gap junction mechanism kind"
REVERSAL_POTENTIAL = "reversal potential mechanism kind"
SKIPPED_KINDS = {
    GAP_JUNCTION: "gap junction mechanism (needs a peer cell)",
    REVERSAL_POTENTIAL: "reversal potential mechanism "
    "(an ion's reversal potential method, not painted or placed)",
}


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Simulate each mechanism of an Arbor mechanism catalogue "
        "separately and write the membrane potential traces as JSON."
    )
    parser.add_argument(
        "--catalogue", required=True, help="path to NAME-catalogue.so"
    )
    parser.add_argument("--output", required=True, help="JSON file to write")
    parser.add_argument(
        "--skip",
        nargs="+",
        action="extend",
        default=[],
        metavar="NAME",
        help="mechanisms not to simulate",
    )
    parser.add_argument(
        "--mechanism",
        nargs="+",
        action="extend",
        default=[],
        metavar="NAME",
        help="simulate only these mechanisms (default: all of the catalogue's)",
    )
    return parser.parse_args(argv)


class SingleCellRecipe(arbor.recipe):
    """One cable cell carrying mechanism `name` of kind `kind`."""

    def __init__(self, catalogue, name, kind, ions, post_events, valences, diffusive):
        super().__init__()
        self.name = name
        self.kind = kind
        self.ions = ions  # the ions the mechanism uses, sorted
        self.post_events = post_events
        self.diffusive = diffusive  # ions with diffusivity enabled, sorted
        self.properties = arbor.cable_global_properties()
        self.properties.catalogue = catalogue
        self.properties.set_property(
            Vm=V_INIT * U.mV,
            cm=MEMBRANE_CAPACITANCE * U.F / U.m2,
            rL=AXIAL_RESISTIVITY * U.Ohm * U.cm,
            tempK=(CELSIUS + 273.15) * U.Kelvin,
        )
        for ion, (valence, int_con, ext_con, rev_pot) in sorted(ION_DEFAULTS.items()):
            self.properties.set_ion(
                ion,
                valence=valence,
                int_con=int_con * U.mM,
                ext_con=ext_con * U.mM,
                rev_pot=rev_pot * U.mV,
            )
        int_con, ext_con, rev_pot = NEW_ION_DEFAULTS
        for ion, valence in sorted(valences.items()):
            self.properties.set_ion(
                ion,
                valence=valence,
                int_con=int_con * U.mM,
                ext_con=ext_con * U.mM,
                rev_pot=rev_pot * U.mV,
            )
        for ion in diffusive:
            self.properties.set_ion(ion, diff=DIFFUSIVITY * U.m2 / U.s)

    def num_cells(self):
        return 1

    def cell_kind(self, gid):
        return arbor.cell_kind.cable

    def global_properties(self, kind):
        return self.properties

    def cell_description(self, gid):
        tree = arbor.segment_tree()
        tree.append(
            arbor.mnpos,
            arbor.mpoint(0.0, 0.0, 0.0, SOMA_RADIUS),
            arbor.mpoint(SOMA_LENGTH, 0.0, 0.0, SOMA_RADIUS),
            tag=1,
        )
        decor = arbor.decor()
        decor.set_property(
            Vm=V_INIT * U.mV,
            cm=MEMBRANE_CAPACITANCE * U.F / U.m2,
            rL=AXIAL_RESISTIVITY * U.Ohm * U.cm,
            tempK=(CELSIUS + 273.15) * U.Kelvin,
        )
        if self.kind == DENSITY:
            decor.paint("(all)", arbor.density(self.name))
        elif self.kind == VOLTAGE:
            decor.paint("(all)", arbor.voltage_process(self.name))
        elif self.kind == POINT:
            decor.place(MIDDLE, arbor.synapse(self.name), "synapse")
            if self.post_events:
                decor.place(
                    MIDDLE,
                    arbor.threshold_detector(DETECTOR_THRESHOLD * U.mV),
                    "detector",
                )
        else:
            raise ValueError("cannot simulate a %s" % self.kind)
        decor.place(
            MIDDLE,
            arbor.i_clamp(
                ICLAMP["tstart"] * U.ms,
                ICLAMP["duration"] * U.ms,
                ICLAMP["current"] * U.nA,
            ),
        )
        return arbor.cable_cell(
            tree, decor, arbor.label_dict(), arbor.cv_policy_single()
        )

    def event_generators(self, gid):
        if self.kind != POINT:
            return []
        schedule = arbor.explicit_schedule([t * U.ms for t in EVENT_TIMES])
        return [
            arbor.event_generator(
                arbor.cell_local_label("synapse"), EVENT_WEIGHT, schedule
            )
        ]

    def probes(self, gid):
        probes = [arbor.cable_probe_membrane_voltage(MIDDLE, "v")]
        for ion in self.ions:
            probes.append(
                arbor.cable_probe_ion_int_concentration(MIDDLE, ion, ion + "i")
            )
        for ion in self.diffusive:
            probes.append(
                arbor.cable_probe_ion_diff_concentration(MIDDLE, ion, ion + "d")
            )
        return probes

    def tags(self):
        """The probes' tags, in the order of `probes`."""
        return ["v"] + [ion + "i" for ion in self.ions] + [ion + "d" for ion in self.diffusive]


def build_simulation(catalogue, name, info):
    """Build the simulation of mechanism `name`.

    Finds the valence of each ion species the catalogue introduces, and which
    ions need diffusivity, by retrying on Arbor's errors about them (see the
    notes at the top). Returns (simulation, recipe); the recipe must outlive
    the simulation.
    """
    ions = sorted(info.ions)
    tried = {ion: 0 for ion in ions if ion not in ION_DEFAULTS}  # VALENCE_CANDIDATES index
    diffusive = []
    while True:
        valences = {ion: VALENCE_CANDIDATES[i] for ion, i in tried.items()}
        recipe = SingleCellRecipe(
            catalogue, name, info.kind, ions, info.post_events, valences, diffusive
        )
        try:
            simulation = arbor.simulation(
                recipe, context=arbor.context(threads=1), seed=SEED
            )
            return simulation, recipe
        except RuntimeError as exc:
            message = str(exc)
            mismatch = VALENCE_MISMATCH.search(message)
            if mismatch and mismatch.group(1) in tried:
                ion = mismatch.group(1)
                if tried[ion] + 1 < len(VALENCE_CANDIDATES):
                    tried[ion] += 1
                    continue
            disabled = DIFFUSIVITY_DISABLED.search(message)
            if disabled and disabled.group(1) not in diffusive:
                diffusive = sorted(diffusive + [disabled.group(1)])
                continue
            raise


def simulate(catalogue, name, info):
    """Simulate one mechanism alone on a fresh cell.

    Returns {"v": [...]} plus, for every ion the mechanism uses, its internal
    concentration ("cai", ...) where Arbor keeps one, and the diffusive
    concentration ("xd", ...) of ions that needed diffusivity.
    """
    simulation, recipe = build_simulation(catalogue, name, info)
    schedule = arbor.regular_schedule(DT * U.ms)
    handles = {tag: simulation.sample((0, tag), schedule) for tag in recipe.tags()}
    simulation.run(TSTOP * U.ms, DT * U.ms)
    trace = {}
    for tag, handle in handles.items():
        samples = simulation.samples(handle)
        if not samples:
            continue  # e.g. an ion that is not present on the cell
        if len(samples) != 1:
            raise RuntimeError(
                "probe %r gave %d sample sets, expected 1" % (tag, len(samples))
            )
        data, _meta = samples[0]
        trace[tag] = [float(value) for _time, value in data.tolist()]
    if "v" not in trace:
        raise RuntimeError("the membrane voltage probe gave no samples")
    return trace


def run_one(catalogue, name, info):
    """Run `simulate`, turning any error into {"error": message}."""
    try:
        trace = simulate(catalogue, name, info)
    except Exception as exc:  # Arbor raises RuntimeError, ValueError, TypeError...
        return {"error": "%s: %s" % (type(exc).__name__, str(exc).strip())}
    return non_finite_error(trace) or trace


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    path = os.path.abspath(args.catalogue)
    if not os.path.isfile(path):
        print("error: catalogue %s does not exist" % path, file=sys.stderr)
        return 2
    try:
        catalogue = arbor.load_catalogue(path)
    except Exception as exc:
        print(
            "error: arbor.load_catalogue(%r) failed (not an Arbor %s mechanism "
            "catalogue?): %s: %s"
            % (path, arbor.__version__, type(exc).__name__, exc),
            file=sys.stderr,
        )
        return 2
    infos = {name: catalogue[name] for name in catalogue.keys()}
    if not infos:
        print("warning: %s holds no mechanisms" % path, file=sys.stderr)

    selected = sorted(infos)
    if args.mechanism:
        unknown = sorted(set(args.mechanism) - set(infos))
        if unknown:
            print(
                "error: not in the catalogue: %s (catalogue has: %s)"
                % (", ".join(unknown), ", ".join(selected)),
                file=sys.stderr,
            )
            return 2
        selected = sorted(set(args.mechanism))

    unused_skips = sorted(set(args.skip) - set(infos))
    if unused_skips:
        print(
            "warning: --skip names not in the catalogue: %s" % ", ".join(unused_skips),
            file=sys.stderr,
        )

    skipped = {}
    traces = {}
    for name in selected:
        info = infos[name]
        kind = info.kind
        if kind in SKIPPED_KINDS:
            skipped[name] = SKIPPED_KINDS[kind]
            continue
        if kind not in (DENSITY, POINT, VOLTAGE):
            skipped[name] = "mechanism kind %r is not simulated" % kind
            continue
        if name in args.skip:
            skipped[name] = "skipped on request (--skip)"
            continue
        # Printed before the run, so that a crash can be attributed.
        print("arb_simulate: simulating %s" % name, file=sys.stderr, flush=True)
        traces[name] = run_one(catalogue, name, info)
        if "error" in traces[name]:
            print(
                "arb_simulate: %s: error recorded: %s" % (name, traces[name]["error"]),
                file=sys.stderr,
            )

    write_json_atomically(
        args.output,
        {
            "catalogue_mechanisms": sorted(infos),
            "skipped": skipped,
            "traces": traces,
        },
    )
    recorded = sum("error" not in t for t in traces.values())
    return 0 if recorded else 1


if __name__ == "__main__":
    sys.exit(main())
