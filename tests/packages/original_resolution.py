"""Resolves each case of resolution_cases.json with nmodl-glia 8.0.2's own Resolver (run in .venv-original) and
prints {case name: {"name": …} | {"error": kind, "candidates": […]}} as JSON. Preferences are set on the resolver
directly (global: as `glia select` stores them; script: as `glia.select` does; contexts: `preference_context`)."""

import contextlib
import copy
import json
import sys

from glia._glia import Glia
from glia.exceptions import NoMatchesError, TooManyMatchesError, UnknownAssetError
from glia.resolution import Resolver

cases = json.load(open(sys.argv[1]))
resolver = Resolver(Glia())
results = {}
for case in cases:
    resolver.global_preferences = copy.deepcopy(case.get("global", {}))
    resolver.local_preferences = copy.deepcopy(case.get("script", {}))
    with contextlib.ExitStack() as stack:
        for context in case.get("contexts", []):
            stack.enter_context(
                resolver.preference_context(
                    assets=copy.deepcopy(context.get("assets")),
                    pkg=context.get("pkg"),
                    variant=context.get("variant"),
                )
            )
        try:
            name = resolver.resolve(case["asset"], pkg=case.get("pkg"), variant=case.get("variant"))
            results[case["name"]] = {"name": name}
        except TooManyMatchesError as error:
            results[case["name"]] = {"error": "TooManyMatches", "candidates": sorted(error.matches)}
        except NoMatchesError:
            results[case["name"]] = {"error": "NoMatches"}
        except UnknownAssetError:
            results[case["name"]] = {"error": "UnknownAsset"}
print(json.dumps(results))
