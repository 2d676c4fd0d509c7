"""Python's cyclic garbage collector, set for a server that must answer every click quickly.

A full collection walks every object the process holds and stops the event loop while it does:
measured under the classroom bench (30 classes of 30), 54-218 ms, every 7-15 s, which was the
whole tail of a choice's time (p50 6 ms, p99 129-197 ms). What a server holds is mostly
long-lived: the scenario, the templates, the players' sessions. So the objects loaded before the
first request are frozen (never walked again; they live as long as the process anyway), full
collections are no longer started by the count of new objects, and one runs every few minutes
instead: a pause of that length once in minutes, not every few seconds. The young generations are
collected as before (a few ms), so short-lived cycles are still freed at once.
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass, field

FULL_EVERY_S = 300.0
NEVER = 1_000_000      # a third threshold no count of collections reaches: full collections only on our clock


@dataclass
class ServerCollector:
    """Started once the server is loaded; `stop` puts the collector back as it was."""

    every_s: float = FULL_EVERY_S
    _thresholds: tuple[int, int, int] = (0, 0, 0)
    _stopped: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> ServerCollector:
        self._thresholds = gc.get_threshold()
        gc.collect()
        gc.freeze()
        young, middle, _old = self._thresholds
        gc.set_threshold(young, middle, NEVER)
        self._thread = threading.Thread(target=self._run, name="full-gc", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stopped.wait(self.every_s):
            gc.collect()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        gc.set_threshold(*self._thresholds)
        gc.unfreeze()
