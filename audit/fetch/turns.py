"""Turns for CPU-heavy steps, so that network steps ready at the same moment go first.

When a wave of answers arrives together, digesting each page as soon as its body is read
(parsing the HTML, taking title and date) delays the next request on every freed connection
slot until the whole wave is digested: at 3,000 links on the benchmark's fake web each request
took ~108 ms instead of 100. Waiting for a turn instead lets every ready network step
(reading an answer, releasing its slot, sending the next request) run first; turns are given
out one per event-loop iteration, in the order asked.

Bodies waiting for a turn stay in memory, so their bytes are capped: past the budget a step
gets its turn at once, which is how the fetcher behaved before turns, and the network waits
for the CPU again.
"""

from __future__ import annotations

import asyncio
from collections import deque


class CpuTurns:
    """Hands out turns one per loop iteration; see the module docstring."""

    def __init__(self, budget_bytes: int) -> None:
        self._budget = budget_bytes
        self._queue: deque[tuple[asyncio.Future[None], int]] = deque()
        self._waiting_bytes = 0
        self._scheduled = False

    @property
    def waiting_bytes(self) -> int:
        """Bytes held by the steps waiting for a turn."""
        return self._waiting_bytes

    async def turn(self, size: int) -> None:
        """Return when it is this step's turn; `size` is the bytes it holds while it waits."""
        if self._waiting_bytes + size > self._budget:
            return
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        self._queue.append((waiter, size))
        self._waiting_bytes += size
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._give)
        try:
            await waiter
        finally:
            if waiter.cancelled():  # cancelled before its turn: `_give` skips it
                self._waiting_bytes -= size

    def _give(self) -> None:
        # call_soon runs this after the callbacks already ready, including the network ones
        # the selector has just reported; one turn per iteration keeps it that way.
        while self._queue:
            waiter, size = self._queue.popleft()
            if waiter.done():
                continue  # cancelled; `turn` has returned its bytes
            self._waiting_bytes -= size
            waiter.set_result(None)
            break
        if self._queue:
            asyncio.get_running_loop().call_soon(self._give)
        else:
            self._scheduled = False
