"""The cyclic garbage collector paused while Django imports the models, then frozen.

Setting Haven up makes about 120,000 objects (the models of every app, their fields, managers,
choices and the modules they come from) that live as long as the process. While they are made,
the collector keeps walking them and finds next to nothing to free (about 9,000 small objects,
1 MB); at exit, the interpreter walks them all again. On a routine command that was 0.09 s of
CPU during `django.setup()` and 0.11 s after the command had finished, a third of its start
(docs/performance.md, "Commands").

`pause_collection()` runs when Django creates haven.core's app config, before any Haven model is
imported; `freeze_and_resume()` in its `ready()`, once every model is: everything alive then
moves to the collector's permanent generation (`gc.freeze()`, made for this: objects that live
for the process), which no later collection walks, and collection resumes for everything
made after. What was garbage at that moment is kept (about 1 MB). A forking server's workers
also share those pages longer, as the `gc.freeze()` documentation recommends.
"""

import gc

_paused = False
_frozen = False


def pause_collection() -> None:
    """Stop automatic collection until `freeze_and_resume()`, unless something else already
    turned it off (then both leave it alone)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def freeze_and_resume() -> None:
    """Move every object alive now out of the collector's reach (the first time: a test that
    sets up another app registry later freezes nothing more), and collect again if
    `pause_collection()` stopped it."""
    global _paused, _frozen
    if not _frozen:
        gc.freeze()
        _frozen = True
    if _paused:
        _paused = False
        gc.enable()
