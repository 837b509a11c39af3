"""Which codes people asked about this week, for the Home tab.

In-memory and per process: a restart forgets, which is acceptable for a "popular this week"
list. Thread-safe because Socket Mode and HTTP handlers may record from worker threads.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque

WEEK = 7 * 24 * 3600.0
MAX_EVENTS = 100_000


class CodeStats:
    def __init__(self, window: float = WEEK, max_events: int = MAX_EVENTS) -> None:
        self._events: deque[tuple[float, str]] = deque(maxlen=max_events)
        self._lock = threading.Lock()
        self._window = window

    def record(self, codes: list[str] | tuple[str, ...], now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self._lock:
            for code in dict.fromkeys(codes):  # once per code per question
                self._events.append((now, code))

    def top(self, limit: int = 5, now: float | None = None) -> list[tuple[str, int]]:
        """The most asked codes in the window, most first (ties by code)."""
        now = time.time() if now is None else now
        with self._lock:
            while self._events and now - self._events[0][0] > self._window:
                self._events.popleft()
            counts = Counter(code for _, code in self._events)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
