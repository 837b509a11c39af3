"""Remember what was already answered, so Slack's redeliveries never produce a second reply.

Slack redelivers an event (same `event_id`) when it thinks a delivery failed, and delivers a
post that mentions the bot twice (`app_mention` and `message`, same channel and `ts`). Keys
are claimed atomically on arrival — the original and three retries arriving together must
yield one reply — and released if handling fails, so a later retry can still succeed.
In-memory and bounded: one process serves one workspace; run one replica (see README).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable


class Seen:
    """A bounded, expiring set with an atomic claim."""

    def __init__(self, max_items: int = 50_000, ttl: float = 3600.0) -> None:
        self._items: OrderedDict[Hashable, float] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_items
        self._ttl = ttl

    def claim(self, key: Hashable, now: float | None = None) -> bool:
        """True the first time `key` is claimed (within the TTL), False afterwards."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._expire(now)
            if key in self._items:
                return False
            self._items[key] = now
            if len(self._items) > self._max:
                self._items.popitem(last=False)
            return True

    def contains(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    def release(self, key: Hashable) -> None:
        with self._lock:
            self._items.pop(key, None)

    def _expire(self, now: float) -> None:
        while self._items:
            _key, stamp = next(iter(self._items.items()))
            if now - stamp <= self._ttl:
                break
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)
