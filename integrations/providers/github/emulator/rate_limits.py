"""GitHub's primary rate limit for the `core` resource: a budget per user per hour.

A window opens with the first counted request and lasts an hour of emulator time; when the
clock passes its reset, the next request opens a fresh one. Requests without a valid token share
the `anonymous` budget of 60, as GitHub's per-IP limit. Not thread-safe on its own: the state's
lock guards it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from integrations.providers.emulator_kit.clock import Clock

DEFAULT_LIMIT = 5000
ANONYMOUS_LIMIT = 60
WINDOW = timedelta(hours=1)
SEARCH_LIMIT = 30
GRAPHQL_LIMIT = 5000


@dataclass
class Budget:
    limit: int
    used: int = 0
    reset_at: datetime | None = None

    def refresh(self, now: datetime) -> None:
        if self.reset_at is None or now >= self.reset_at:
            self.used = 0
            self.reset_at = now + WINDOW

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    def headers(self) -> list[tuple[str, str]]:
        return [
            ("X-RateLimit-Limit", str(self.limit)),
            ("X-RateLimit-Remaining", str(self.remaining)),
            ("X-RateLimit-Reset", str(int(self.reset_at.timestamp()))),
            ("X-RateLimit-Used", str(self.used)),
            ("X-RateLimit-Resource", "core"),
        ]

    def as_json(self) -> dict:
        return {
            "limit": self.limit,
            "remaining": self.remaining,
            "reset": int(self.reset_at.timestamp()),
            "used": self.used,
        }


class RateLimits:
    def __init__(self, clock: Clock, limit: int = DEFAULT_LIMIT):
        self.clock = clock
        self.limit = limit
        self._budgets: dict[str, Budget] = {}

    def budget(self, login: str | None) -> Budget:
        """The caller's budget, its window refreshed to the current time."""
        key = login or "anonymous"
        budget = self._budgets.get(key)
        if budget is None:
            budget = self._budgets[key] = Budget(self.limit if login else ANONYMOUS_LIMIT)
        budget.refresh(self.clock.now())
        return budget

    def set(
        self,
        login: str | None = None,
        *,
        limit: int | None = None,
        remaining: int | None = None,
        reset_in: float | None = None,
    ) -> Budget | None:
        """Change the hourly limit (every user's when `login` is None) or one user's current
        window: `remaining` requests left, resetting `reset_in` seconds from now."""
        if limit is not None:
            if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
                raise ValueError("limit must be a positive integer")
            if login is None:
                self.limit = limit
                for key, budget in self._budgets.items():
                    if key != "anonymous":
                        budget.limit = limit
        if login is None:
            if remaining is not None or reset_in is not None:
                raise ValueError("remaining and reset_in need a login")
            return None
        budget = self.budget(login)
        if limit is not None:
            budget.limit = limit
        if remaining is not None:
            if not isinstance(remaining, int) or isinstance(remaining, bool) or not 0 <= remaining <= budget.limit:
                raise ValueError("remaining must be between 0 and the limit")
            budget.used = budget.limit - remaining
        if reset_in is not None:
            if isinstance(reset_in, bool) or not isinstance(reset_in, (int, float)) or reset_in <= 0:
                raise ValueError("reset_in must be a positive number of seconds")
            budget.reset_at = self.clock.now() + timedelta(seconds=reset_in)
        return budget

    def summary(self) -> dict:
        return {"limit": self.limit, "budgets": {key: b.as_json() for key, b in self._budgets.items()}}
