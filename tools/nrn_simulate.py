#!/usr/bin/env python3
"""Simulate every mechanism of a compiled NEURON mechanism library, one at a time.

This is the NEURON side of an integration test: the same mod files are built
twice (once by NEURON's ``nrnivmodl``, once by our own build tool), this script
is run on each ``libnrnmech.so``, and the two JSON outputs must be identical.

Usage::

    python tools/nrn_simulate.py --library PATH/libnrnmech.so --output traces.json \
        [--skip NAME ...] [--mechanism NAME ...]

What it does:

1. Imports NEURON, records the names of all density mechanisms
   (``MechanismType(0)``) and point processes (``MechanismType(1)``) that exist
   before loading, then calls ``h.nrn_load_dll(library)``.  The names that
   appear only after loading are the library's mechanisms.  ``--mechanism``
   restricts the simulations to the given names (each must be in the library).
   Ion mechanisms created by a new ``USEION`` (e.g. ``ca_ion``) are new names
   too, so they are listed and simulated like any other density mechanism.
2. Skips artificial cells (no membrane potential to record) and the names given
   with ``--skip`` (the caller uses this for mechanisms with an unset
   ``POINTER``, which segfault NEURON when simulated alone).
3. For each remaining mechanism, in sorted order, builds a fresh one-compartment
   section (L = diam = 20 um, nseg = 1, cm = 1 uF/cm2, Ra = 100 ohm cm) with only
   that mechanism, adds an IClamp (delay 1 ms, dur 5 ms, amp 0.1 nA) at its
   middle and, for a point process with a NET_RECEIVE block, a NetStim whose
   three events arrive through a NetCon (weight 0.005), runs a fixed-step
   simulation (dt = 0.025 ms, celsius = 32 degC, v_init = -65 mV, tstop = 10
   ms) and records ``v(0.5)`` and the inside concentration (``cai``, ...) of
   every ion in the segment.  Everything is torn down before the next
   mechanism.
4. A hoc/Python error in one simulation is recorded as ``{"error": message}``
   for that mechanism and the script carries on.  A trace that contains NaN or
   infinity (not representable in JSON) is also recorded as an error.
5. Writes ``{"library_mechanisms": [...], "skipped": {name: reason},
   "traces": {name: {"v": [floats], "cai": [floats], ...} | {"error": message}}}`` with sorted keys,
   atomically (temporary file + ``os.replace``).  Floats are written by the
   ``json`` module, i.e. with ``repr`` precision, so they round-trip exactly.

Exit status: 0 if at least one trace was recorded, 1 if none was, 2 for usage
errors (library cannot be loaded, unknown ``--mechanism`` name).

Notes on NEURON behaviour this script works around:

* ``import neuron`` automatically loads ``./x86_64/libnrnmech.so`` (or
  ``./<arch>/.libs/libnrnmech.so``) from the current directory.  That would
  put the library's mechanisms into the "before" set (or load a different
  library), so NEURON is imported from inside an empty temporary directory.
* Without a display NEURON prints a "no DISPLAY" warning to stderr; the
  ``-nogui`` module option (``NEURON_MODULE_OPTIONS``) silences it.
* hoc errors surface in Python as a generic ``RuntimeError``; the details are
  printed by NEURON on stderr.  The script captures the C-level stderr while a
  simulation runs so that the details end up in the recorded error message.
"""

import argparse
import os
import sys

import tempfile

from simulation_output import non_finite_error, write_json_atomically

DT = 0.025  # ms
CELSIUS = 32.0  # degC
V_INIT = -65.0  # mV
TSTOP = 10.0  # ms
SECTION_GEOMETRY = {"L": 20.0, "diam": 20.0, "nseg": 1, "cm": 1.0, "Ra": 100.0}
ICLAMP = {"delay": 1.0, "dur": 5.0, "amp": 0.1}  # ms, ms, nA
EVENTS = {"start": 2.0, "interval": 2.0, "number": 3, "noise": 0}  # ms, ms
EVENT_WEIGHT = 0.005  # the first NET_RECEIVE argument (often uS)

DENSITY, POINT_PROCESS = 0, 1


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Simulate each mechanism of a NEURON mechanism library "
        "separately and write the membrane potential traces as JSON."
    )
    parser.add_argument("--library", required=True, help="path to libnrnmech.so")
    parser.add_argument("--output", required=True, help="JSON file to write")
    parser.add_argument(
        "--skip",
        nargs="+",
        action="extend",
        default=[],
        metavar="NAME",
        help="mechanisms not to simulate (e.g. ones with an unset POINTER)",
    )
    parser.add_argument(
        "--mechanism",
        nargs="+",
        action="extend",
        default=[],
        metavar="NAME",
        help="simulate only these mechanisms (default: all of the library's)",
    )
    return parser.parse_args(argv)


def import_neuron():
    """Import NEURON without letting it auto-load a library from the cwd."""
    os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="nrn_simulate_") as empty_dir:
        os.chdir(empty_dir)
        try:
            from neuron import h
        finally:
            os.chdir(cwd)
    h.load_file("stdrun.hoc")  # for continuerun()
    return h


def mechanism_names(h, kind):
    """Return {name: is_artificial} for all mechanisms of one MechanismType."""
    mt = h.MechanismType(kind)
    name = h.ref("")
    names = {}
    for i in range(int(mt.count())):
        mt.select(i)
        mt.selected(name)
        names[name[0]] = kind == POINT_PROCESS and bool(mt.is_artificial(i))
    return names


def all_mechanisms(h):
    """Return {name: (kind, is_artificial)} for every known mechanism."""
    result = {}
    for kind in (DENSITY, POINT_PROCESS):
        for name, artificial in mechanism_names(h, kind).items():
            result[name] = (kind, artificial)
    return result


class CaptureStderr:
    """Capture what is written to file descriptor 2 (including by C code)."""

    def __enter__(self):
        sys.stderr.flush()
        self._file = tempfile.TemporaryFile(mode="w+b")
        self._saved_fd = os.dup(2)
        os.dup2(self._file.fileno(), 2)
        self.text = ""
        return self

    def __exit__(self, *exc_info):
        sys.stderr.flush()
        os.dup2(self._saved_fd, 2)
        os.close(self._saved_fd)
        self._file.seek(0)
        self.text = self._file.read().decode("utf-8", errors="replace")
        self._file.close()
        return False


def is_event_target(h, name):
    """Whether the point process `name` has a NET_RECEIVE block (can be a NetCon's target)."""
    point_processes = h.MechanismType(1)
    selected = h.ref("")
    for index in range(int(point_processes.count())):
        point_processes.select(index)
        point_processes.selected(selected)
        if selected[0] == name:
            return bool(point_processes.is_netcon_target(index))
    return False


def simulate(h, name, kind, ions):
    """Simulate one mechanism alone in a fresh section.

    Returns {"v": [...]} plus, for every ion present in the segment, its
    inside concentration ("cai", ...). A point process with a NET_RECEIVE
    block also receives EVENTS through a NetCon, so synapses do something.
    """
    sec = h.Section(name="nrn_simulate_" + name)
    for attribute, value in SECTION_GEOMETRY.items():
        setattr(sec, attribute, value)
    objects = []  # point processes, stimuli and vectors, dropped before `sec`
    try:
        if kind == DENSITY:
            sec.insert(name)
        else:
            point_process = getattr(h, name)(sec(0.5))
            objects.append(point_process)
            if is_event_target(h, name):
                stimulus = h.NetStim()
                for attribute, value in EVENTS.items():
                    setattr(stimulus, attribute, value)
                connection = h.NetCon(stimulus, point_process)
                connection.weight[0] = EVENT_WEIGHT
                objects.extend([stimulus, connection])
        clamp = h.IClamp(sec(0.5))
        objects.append(clamp)
        for attribute, value in ICLAMP.items():
            setattr(clamp, attribute, value)

        recordings = {"v": h.Vector()}
        recordings["v"].record(sec(0.5)._ref_v)
        for ion in ions:
            if h.ismembrane(ion + "_ion", sec=sec):
                vector = h.Vector()
                vector.record(getattr(sec(0.5), "_ref_%si" % ion))
                recordings[ion + "i"] = vector
        objects.extend(recordings.values())

        h.cvode.active(0)
        h.dt = DT
        h.steps_per_ms = 1.0 / DT  # so stdrun's setdt() keeps dt unchanged
        h.celsius = CELSIUS
        h.finitialize(V_INIT)
        h.continuerun(TSTOP)
        return {key: [float(x) for x in vector] for key, vector in recordings.items()}
    finally:
        del objects[:]
        del sec


def run_one(h, name, kind, ions):
    """Run `simulate`, turning any error into {"error": message}."""
    with CaptureStderr() as captured:
        try:
            trace = simulate(h, name, kind, ions)
            error = None
        except Exception as exc:  # hoc errors are RuntimeError, but be broad
            # Keep only the text: the exception's traceback would keep the
            # simulation's objects (and so its section) alive.
            error = "%s: %s" % (type(exc).__name__, exc)
    if captured.text:
        # Pass NEURON's messages on, so they are not lost.
        sys.stderr.write(captured.text)
    if error is not None:
        message = error
        details = captured.text.strip()
        if details:
            message += "\n" + details
        return {"error": message}
    return non_finite_error(trace) or trace


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    library = os.path.abspath(args.library)
    if not os.path.isfile(library):
        print("error: library %s does not exist" % library, file=sys.stderr)
        return 2

    h = import_neuron()
    before = all_mechanisms(h)
    try:
        loaded = h.nrn_load_dll(library)
    except Exception as exc:
        print("error: loading %s raised %s" % (library, exc), file=sys.stderr)
        return 2
    if not loaded:
        print(
            "error: h.nrn_load_dll(%r) returned 0 (not a NEURON mechanism "
            "library, or it could not be loaded)" % library,
            file=sys.stderr,
        )
        return 2
    after = all_mechanisms(h)
    library_mechanisms = {n: k for n, k in after.items() if n not in before}
    if not library_mechanisms:
        print("warning: %s added no new mechanisms" % library, file=sys.stderr)

    selected = sorted(library_mechanisms)
    if args.mechanism:
        unknown = sorted(set(args.mechanism) - set(library_mechanisms))
        if unknown:
            print(
                "error: not in the library: %s (library has: %s)"
                % (", ".join(unknown), ", ".join(selected)),
                file=sys.stderr,
            )
            return 2
        selected = sorted(set(args.mechanism))

    unused_skips = sorted(set(args.skip) - set(library_mechanisms))
    if unused_skips:
        print(
            "warning: --skip names not in the library: %s" % ", ".join(unused_skips),
            file=sys.stderr,
        )

    ions = sorted(n[: -len("_ion")] for n in after if n.endswith("_ion"))
    skipped = {}
    traces = {}
    for name in selected:
        kind, artificial = library_mechanisms[name]
        if artificial:
            skipped[name] = "artificial cell (no membrane potential to record)"
            continue
        if name in args.skip:
            skipped[name] = "skipped on request (--skip)"
            continue
        remaining = len(list(h.allsec()))
        if remaining:
            raise RuntimeError(
                "%d section(s) left over before simulating %s" % (remaining, name)
            )
        # Printed before the run, so that a segfault can be attributed.
        print("nrn_simulate: simulating %s" % name, file=sys.stderr, flush=True)
        traces[name] = run_one(h, name, kind, ions)
        if "error" in traces[name]:
            print("nrn_simulate: %s: error recorded" % name, file=sys.stderr)

    write_json_atomically(
        args.output,
        {
            "library_mechanisms": sorted(library_mechanisms),
            "skipped": skipped,
            "traces": traces,
        },
    )
    recorded = sum("error" not in t for t in traces.values())
    return 0 if recorded else 1


if __name__ == "__main__":
    sys.exit(main())
