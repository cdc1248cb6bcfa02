"""The behaviour tests run against whichever `glia` the interpreter imports: this project's module (in `.venv`) or
nmodl-glia 8.0.2 (in `.venv-original`). `tests/python_module.rs` runs them in both, with the test packages of
`packages/` on PYTHONPATH and a private HOME, cache and configuration folder."""

import pytest

import glia

#: Whether the implementation under test is the original nmodl-glia 8.0.2 (this project's has a native part).
ORIGINAL = not hasattr(glia, "_native")


def pytest_report_header(config):
    return f"glia under test: {'nmodl-glia 8.0.2 (the original)' if ORIGINAL else 'this project'} ({glia.__file__})"


@pytest.fixture(scope="session", autouse=True)
def library():
    """Builds (on first use) and loads the library of the test packages once for the session."""
    glia.load_library()
    from neuron import h

    return h


@pytest.fixture
def h(library):
    return library


@pytest.fixture(autouse=True)
def fresh_script_preferences():
    """Each test starts without script-scope selections."""
    yield
    manager = glia._manager
    if ORIGINAL:
        manager.resolver.local_preferences.clear()
    else:
        manager._script_preferences.clear()
