"""Arbor cells of dbbs-catalogue 6.0.1's mechanisms, from the catalogue ``glia.catalogue("dbbs")`` returns: each
mechanism alone on a one-compartment cell, as ``tools/arb_simulate.py`` simulates them. Prints
``{"implementation", "mechanisms", "traces": {name: {"v": [...], ...} | {"error": ...}}}`` as JSON, or
``{"implementation", "error": ...}`` when ``glia.catalogue`` raises. ``tests/python_module.rs`` runs it with this
project's module and with nmodl-glia 8.0.2 and compares."""

import json
import os
import sys
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))

import arb_simulate  # noqa: E402

import glia  # noqa: E402

implementation = "original" if not hasattr(glia, "_native") else "this project"
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        catalogue = glia.catalogue("dbbs")
    except Exception as error:
        print(json.dumps({"implementation": implementation, "error": f"{type(error).__name__}: {error}"}))
        sys.exit(0)
traces = {}
names = sorted(catalogue.keys())
for name in names:
    info = catalogue[name]
    if info.kind in arb_simulate.SKIPPED_KINDS:
        continue
    try:
        traces[name] = arb_simulate.simulate(catalogue, name, info)
    except Exception as error:
        traces[name] = {"error": f"{type(error).__name__}: {error}"}
print(
    json.dumps(
        {
            "implementation": implementation,
            "mechanisms": names,
            "warnings": [str(warning.message)[:200] for warning in caught],
            "traces": traces,
        }
    )
)
