"""One loader or generator per data set; nothing here downloads anything.

Each data set has its own module (``helpers.data.cxr``, ``helpers.data.colon``, ...). A few generators are also
reachable from here, imported on first use so that ``import helpers.data`` stays cheap:
``helpers.data.simulated_trial`` (C3W1's randomised trial with known individual effects).
"""

_LAZY = {"simulated_trial": "helpers.data.trial_simulation"}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'helpers.data' has no attribute {name!r}")
