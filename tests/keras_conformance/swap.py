"""pytest plugin for Keras' own callback tests: swap in cbteach's classes, count what is built.

Loaded by ``tests/keras_conformance/run.py`` with ``-p swap``. ``CBTEACH_SWAP`` picks the
classes that ``keras.src.callbacks.{ModelCheckpoint,ReduceLROnPlateau,EarlyStopping}`` name
while Keras' tests run:

- ``plain``: Keras' own classes (counted, nothing else changes);
- ``strict``: cbteach's classes as a learner gets them;
- ``lenient``: cbteach's classes with ``strict=False`` (refusals before training only warn).

Every construction is counted per class name and written to ``CBTEACH_COUNTS`` (JSON) at
the end of the session: the proof that the swap happened.
"""

from __future__ import annotations

import collections
import json
import os

COUNTS: collections.Counter = collections.Counter()


def _counting(name: str, base: type, **own: object) -> type:
    def __init__(self, *args, **kwargs):
        COUNTS[name] += 1
        base.__init__(self, *args, **{**own, **kwargs})

    return type(name, (base,), {"__init__": __init__, "__module__": base.__module__})


def pytest_configure(config):
    config.addinivalue_line("markers", "requires_trainable_backend: Keras' own marker")
    from keras.src import callbacks

    import cbteach.callbacks as ours

    mode = os.environ.get("CBTEACH_SWAP", "plain")
    for name in ours.NAMES:
        if mode == "plain":
            swapped = _counting(name, ours.KERAS_CLASSES[name])
        elif mode == "strict":
            swapped = _counting(name, ours.CLASSES[name])
        elif mode == "lenient":
            swapped = _counting(name, ours.CLASSES[name], strict=False)
        else:
            raise ValueError(f"CBTEACH_SWAP={mode!r}: write plain, strict or lenient")
        setattr(callbacks, name, swapped)


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get("CBTEACH_COUNTS")
    if path:
        with open(path, "w", encoding="utf-8") as stream:
            json.dump(dict(COUNTS), stream)
