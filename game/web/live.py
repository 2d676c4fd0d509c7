"""Live updates to open pages (server-sent events): a dashboard, a partner waiting for a move.

The store tells every process what changed in a class (`Store.publish`/`listen`: a call inside
one process, PostgreSQL's NOTIFY across several); the broker hands each change to the pages of
that class that listen in this process. A page is told only that something changed and fetches
what it shows itself, so an update can never show one viewer another's data.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator

from ..store.base import Store

KEEPALIVE = 15.0   # seconds between comments that keep proxies from closing an idle stream


class Broker:
    def __init__(self, store: Store):
        self.loop: asyncio.AbstractEventLoop | None = None
        self._queues: dict[str, set[asyncio.Queue[str | None]]] = defaultdict(set)
        self.delivered = 0
        self.closed = False
        store.listen(self._heard)

    def _heard(self, class_id: str, what: str) -> None:
        """From any thread (the PostgreSQL listener has its own): hand it to the event loop."""
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        try:
            loop.call_soon_threadsafe(self._deliver, class_id, what)
        except RuntimeError:   # the loop is shutting down
            pass

    def _deliver(self, class_id: str, what: str) -> None:
        for queue in list(self._queues.get(class_id, ())):
            if queue.qsize() < 100:
                queue.put_nowait(what)
                self.delivered += 1

    def close(self) -> None:
        """The server is stopping: every stream ends now (its page reconnects to whichever server
        answers next) instead of holding the shutdown until a timeout cuts it."""
        self.closed = True
        for queues in self._queues.values():
            for queue in queues:
                queue.put_nowait(None)

    @contextlib.asynccontextmanager
    async def subscribe(self, class_id: str) -> AsyncIterator[asyncio.Queue[str | None]]:
        self.loop = asyncio.get_running_loop()
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        if self.closed:
            queue.put_nowait(None)
        self._queues[class_id].add(queue)
        try:
            yield queue
        finally:
            self._queues[class_id].discard(queue)

    def listeners(self, class_id: str) -> int:
        return len(self._queues.get(class_id, ()))


async def stream(broker: Broker, class_id: str, is_disconnected, wanted=lambda what: True,
                 changed_already: bool = False) -> AsyncIterator[str]:
    """The text/event-stream of one page: `changed` events (with what changed) and keep-alives;
    `changed_already` when the page is older than what the store holds now."""
    async with broker.subscribe(class_id) as queue:
        yield "retry: 2000\n\n"
        if changed_already:
            yield "event: changed\ndata: since\n\n"
        while not await is_disconnected():
            try:
                what = await asyncio.wait_for(queue.get(), KEEPALIVE)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            if what is None:    # the server is stopping
                return
            if wanted(what):
                yield f"event: changed\ndata: {what}\n\n"
