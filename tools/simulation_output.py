"""What tools/nrn_simulate.py and tools/arb_simulate.py share: checking a recorded trace for values JSON cannot
hold, and writing the result file atomically (a temporary file in the same folder, then os.replace)."""

import json
import math
import os
import tempfile


def non_finite_error(trace):
    """An error record for the first NaN or infinity in a {name: [samples]} trace, or None."""
    for key, samples in trace.items():
        bad = [i for i, x in enumerate(samples) if not math.isfinite(x)]
        if bad:
            return {
                "error": "non-finite %s %r at step %d of %d"
                % (key, samples[bad[0]], bad[0], len(samples))
            }
    return None


def write_json_atomically(path, data):
    """Writes `data` as sorted, indented JSON to `path`; readers see the old file or the new one."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp_path = tempfile.mkstemp(dir=directory, prefix=".simulate_", suffix=".json.tmp")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(data, f, sort_keys=True, indent=1, allow_nan=False)
            f.write("\n")
        os.replace(tmp_path, path)
    except BaseException:
        try:
            os.unlink(tmp_path)
        except OSError:
            pass
        raise
