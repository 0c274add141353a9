"""One value per event loop: asyncio locks and semaphores, and connections used only from the loop's
thread, belong to the loop that made them (the tests run many loops in one process)."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class PerLoop(Generic[T]):
    """Made on first use in each running loop, and forgotten with the loop."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._made: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, T] = weakref.WeakKeyDictionary()

    def get(self) -> T:
        loop = asyncio.get_running_loop()
        value = self._made.get(loop)
        if value is None:
            value = self._made[loop] = self._make()
        return value

    def take_all(self) -> list[T]:
        """Every value made so far, forgotten here (for closing)."""
        made, self._made = list(self._made.values()), weakref.WeakKeyDictionary()
        return made
