"""The desk's garbage-collection policy (web/collector.py), in a fresh interpreter of its
own: what survives a full collection is frozen, and garbage cycles among frozen objects
are freed at the next thaw, not kept."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import gc, weakref
    from guwah.web import collector

    now = [0.0]
    collector.settle(clock=lambda: now[0])
    settled = gc.get_freeze_count()

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: only the cyclic collector frees it
    watch = weakref.ref(a)
    gc.collect()  # a full collection: the cycle survives it and is frozen
    frozen_with_cycle = gc.get_freeze_count()
    del a, b
    gc.collect()
    kept_while_frozen = watch() is not None
    now[0] = collector.THAW_SECONDS + 1
    gc.collect()  # the thaw: this collection walks everything
    freed_at_thaw = watch() is None
    again = gc.get_freeze_count() > 0  # and freezes what survived it
    collector.settle(clock=lambda: now[0])
    callbacks = sum(isinstance(c, collector._Policy) for c in gc.callbacks)
    collector.unsettle()
    print(settled > 0, frozen_with_cycle > settled, kept_while_frozen, freed_at_thaw, again,
          callbacks, gc.get_freeze_count(), len([c for c in gc.callbacks
                                                 if isinstance(c, collector._Policy)]))
    """
)


def test_survivors_are_frozen_and_frozen_cycles_are_freed_at_the_thaw() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, timeout=120
    )

    assert done.stdout.split() == ["True", "True", "True", "True", "True", "1", "0", "0"]
