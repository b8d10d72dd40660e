"""Retries for network engines: backoff with jitter, Retry-After, and a per-run request budget.

A web service throttles (429), fails (5xx) or times out now and then; a
network engine marks those failures ``Retryable`` and calls the service
through a ``Retrier``, which waits longer after each failure, with random
jitter so that clients that failed together do not retry together, honours a
Retry-After the server sent, and gives up after the engine's ``retries`` with an
error naming the sentence. A ``budget`` bounds the requests one run may make, so
a runaway build cannot spend a user's quota.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from audiogen.errors import SynthesisFailed

T = TypeVar("T")


class Retryable(Exception):
    """A failure worth another try after a pause: throttling, a server fault, a timeout."""

    def __init__(self, error: Exception, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header given in seconds (dates are rare here and ignored).

    >>> retry_after("7"), retry_after(None), retry_after("Wed, 21 Oct 2015 07:28:00 GMT")
    (7.0, None, None)
    """
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


@dataclass
class Retrier:
    """Calls with retries: ``base * 2**(try - 1)`` seconds plus up to as much again at random,
    at most ``cap``; ``pause`` waits (tests pass one that records instead)."""

    retries: int
    budget: int
    base: float = 1.0
    cap: float = 30.0
    pause: Callable[[float], None] = time.sleep
    requests_made: int = 0
    rng: random.Random = field(default_factory=random.Random)

    def call(self, request: Callable[[], T], what: str, hint: str = "") -> T:
        """``request()``, again after a pause while it raises ``Retryable``; ``what`` names the
        sentence in the final error."""
        attempt = 0
        while True:
            self.spend(what, hint)
            try:
                return request()
            except Retryable as retry:
                attempt += 1
                if attempt > self.retries:
                    raise type(retry.error)(
                        f"{retry.error} (sentence: {what[:80]!r}, after {attempt} tries)"
                    ) from retry.error
                self.pause(self.delay(attempt, retry.retry_after))

    def spend(self, what: str, hint: str = "") -> None:
        if self.requests_made >= self.budget:
            raise SynthesisFailed(
                f"stopped at the budget of {self.budget} requests for one run "
                f"(at sentence {what[:80]!r}); split the job{', or ' + hint if hint else ''}"
            )
        self.requests_made += 1

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """The pause before try ``attempt + 1``.

        >>> r = Retrier(retries=3, budget=10, rng=random.Random(0))
        >>> 1.0 <= r.delay(1, None) <= 2.0, 4.0 <= r.delay(3, None) <= 8.0, r.delay(1, 7.0) >= 7.0
        (True, True, True)
        """
        wait: float = min(self.cap, self.base * 2.0 ** (attempt - 1))
        wait += self.rng.uniform(0, wait)
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.cap))
        return wait
