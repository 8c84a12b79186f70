"""A function registered by its dotted name and imported on its first call.

Apps register their hooks in AppConfig.ready, which runs in every process: a command, a
worker, a test run. Registering the function itself imports its module and everything that
module imports (the import mapper, the message services, the report figures), which a
command that never calls it pays on each start (docs/performance.md, "Commands"):

    hooks.register_on_call(lazy("haven.oncall.selectors.on_call_member"))

The wrapper carries the function's dotted name (`__module__`, `__qualname__`), so the docs
and the tests that list who is registered read the same. Signal receivers stay plain
functions in a light module of their own (notices/receivers.py), which import the heavy
code inside: a signal holds a weak reference to its receiver.
"""

from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy(dotted: str) -> Callable[..., Any]:
    module_name, _, name = dotted.rpartition(".")
    module = None

    def call(*args: Any, **kwargs: Any) -> Any:
        nonlocal module
        if module is None:
            module = import_module(module_name)
        # Looked up on each call, not kept: a test that patches the function for a while must
        # not leave its stand-in registered for the tests after it.
        return getattr(module, name)(*args, **kwargs)

    call.__module__ = module_name
    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"{dotted}, imported on its first call."
    return call
