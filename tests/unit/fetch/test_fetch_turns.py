"""CpuTurns: CPU-heavy steps (page digests) wait while network steps ready with them go first."""

from __future__ import annotations

import asyncio

from audit.fetch.turns import CpuTurns


def test_ready_network_steps_run_before_a_step_waiting_for_its_turn() -> None:
    log: list[str] = []
    turns = CpuTurns(budget_bytes=1_000)

    async def digest() -> None:
        await turns.turn(100)
        log.append("digest")

    async def network() -> None:
        # Reading an answer, releasing its slot, sending the next request: one step per turn of
        # the loop, all ready as the digest asks for its turn.
        for step in ("read", "release", "send"):
            log.append(step)
            await asyncio.sleep(0)

    async def main() -> None:
        await asyncio.gather(digest(), network())

    asyncio.run(main())
    assert log.index("digest") > log.index("release")
    assert log.count("digest") == 1


class _Steps:
    """CpuTurns with a log of the steps in the order they got their turn, and of the bytes still
    waiting at each turn."""

    def __init__(self, budget_bytes: int) -> None:
        self.turns = CpuTurns(budget_bytes)
        self.log: list[str] = []
        self.held: list[int] = []

    async def step(self, name: str, size: int) -> None:
        await self.turns.turn(size)
        self.log.append(name)
        self.held.append(self.turns.waiting_bytes)


def test_turns_come_in_the_order_asked_and_free_their_bytes() -> None:
    steps = _Steps(budget_bytes=1_000)

    async def main() -> None:
        await asyncio.gather(*(steps.step(n, 10) for n in "abcd"))

    asyncio.run(main())
    assert steps.log == ["a", "b", "c", "d"]
    assert steps.held == [30, 20, 10, 0]
    assert steps.turns.waiting_bytes == 0


def test_past_the_byte_budget_a_step_goes_at_once() -> None:
    # Memory stays bounded: pages beyond the budget are digested as they arrive.
    steps = _Steps(budget_bytes=100)

    async def main() -> None:
        await asyncio.gather(
            steps.step("small", 80), steps.step("large", 80), steps.step("tiny", 20)
        )

    asyncio.run(main())
    # "large" would hold 160 bytes: it does not wait. "tiny" fits beside "small" and waits.
    assert steps.log == ["large", "small", "tiny"]
    assert steps.turns.waiting_bytes == 0


def test_a_step_cancelled_while_waiting_returns_its_bytes_and_skips_its_turn() -> None:
    steps = _Steps(budget_bytes=100)

    async def main() -> None:
        doomed = asyncio.ensure_future(steps.step("doomed", 90))
        await asyncio.sleep(0)  # it is waiting now, holding 90 bytes
        assert steps.turns.waiting_bytes == 90
        doomed.cancel()
        await asyncio.sleep(0)
        assert steps.turns.waiting_bytes == 0
        await steps.step("next", 90)  # fits again: it waits for (and gets) a turn of its own

    asyncio.run(main())
    assert steps.log == ["next"]
    assert steps.turns.waiting_bytes == 0
