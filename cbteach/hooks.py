"""Which hooks Keras calls on a callback during ``model.fit``, in order: :class:`HookTrace`.

>>> trace = HookTrace()
>>> model.fit(x, y, epochs=2, validation_data=(xv, yv), callbacks=[trace])  # doctest: +SKIP
>>> print(trace)  # doctest: +SKIP
on_train_begin
  on_epoch_begin(epoch=0)
...
on_train_end  logs: loss, val_loss

Runs of batch hooks are folded into one line (``on_train_batch_begin/end × 4``), and the
logs of ``on_epoch_end`` are listed by name, not value, so the trace of a fit is the same
on every machine.
"""

from __future__ import annotations

import keras

_BATCH_HOOKS = {
    "on_train_batch_begin": "on_train_batch_begin/end",
    "on_train_batch_end": "on_train_batch_begin/end",
    "on_test_batch_begin": "on_test_batch_begin/end",
    "on_test_batch_end": "on_test_batch_begin/end",
}


class HookTrace(keras.callbacks.Callback):
    """A callback that only writes down each hook Keras calls on it.

    ``calls`` holds ``(hook, index, log_names)`` tuples in call order: ``index`` is the
    epoch (epoch hooks) or batch (batch hooks) number Keras passed, 0-based as Keras counts;
    ``log_names`` the sorted keys of the ``logs`` dict it passed (empty for begin hooks).

    Args:
        None.

    Example:

    >>> import numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile("sgd", "mse")
    >>> trace = HookTrace()
    >>> _ = model.fit(np.zeros((8, 2)), np.zeros(8), batch_size=4, callbacks=[trace], verbose=0)
    >>> print(trace)
    on_train_begin
      on_epoch_begin(epoch=0)
        on_train_batch_begin/end × 2
      on_epoch_end(epoch=0)  logs: loss
    on_train_end  logs: loss
    """

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, int | None, tuple[str, ...]]] = []

    def _note(self, hook: str, index: int | None = None, logs: dict | None = None) -> None:
        self.calls.append((hook, index, tuple(sorted(logs or {}))))

    def on_train_begin(self, logs=None):
        self._note("on_train_begin", None, logs)

    def on_train_end(self, logs=None):
        self._note("on_train_end", None, logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._note("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._note("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._note("on_train_batch_begin", batch)

    def on_train_batch_end(self, batch, logs=None):
        self._note("on_train_batch_end", batch)

    def on_test_begin(self, logs=None):
        self._note("on_test_begin", None, logs)

    def on_test_end(self, logs=None):
        self._note("on_test_end", None, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._note("on_test_batch_begin", batch)

    def on_test_batch_end(self, batch, logs=None):
        self._note("on_test_batch_end", batch)

    def lines(self) -> list[str]:
        """One line per hook call, batch hooks folded, indented by nesting.

        Nesting: train > epoch > test.
        """
        out: list[str] = []
        depth = 0
        i = 0
        while i < len(self.calls):
            hook, index, names = self.calls[i]
            if hook in _BATCH_HOOKS:
                group = _BATCH_HOOKS[hook]
                j = i
                while j < len(self.calls) and _BATCH_HOOKS.get(self.calls[j][0]) == group:
                    j += 1
                batches = len({c[1] for c in self.calls[i:j]})
                out.append("  " * depth + f"{group} × {batches}")
                i = j
                continue
            if hook.endswith("_end"):
                depth = max(depth - 1, 0)
            text = hook if index is None else f"{hook}(epoch={index})"
            if names:
                text += "  logs: " + ", ".join(names)
            out.append("  " * depth + text)
            if hook.endswith("_begin"):
                depth += 1
            i += 1
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())
