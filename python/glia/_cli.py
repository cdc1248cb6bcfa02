"""The ``glia`` command of the Python package: the same command line as the ``glia`` binary, run by the Rust core."""

import sys

from . import _native


def main():
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(_native.run_command_line(["glia", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
