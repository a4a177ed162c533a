"""One send budget for every worker: a token bucket in a PostgreSQL row.

Telegram allows a bot about 30 messages a second in all, however many processes send them. Each
send takes a token from the row `send_budget` (id 1), which refills at `rate` a second up to
`capacity`. The take is one atomic UPDATE: the row lock orders the workers, the database clock
is the only clock, and a worker that is idle simply leaves its tokens to the others.

A take never fails: when the bucket is empty it goes into debt and returns how long to wait
before sending (a reservation, as in the generic cell rate algorithm). That is one round trip
per message and first come, first served, where "sleep and try again" would have every waiting
send poll the row. A worker killed while waiting wastes its reservations; that only slows the
others for a moment, it never lets them send more.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Engine

# Refill since the last take (never negative: a take that waited for the row lock may see a
# newer updated_at than its own clock), capped at the capacity, minus the token taken.
TAKE = text("""
    UPDATE send_budget
    SET tokens = least(:capacity, tokens + :rate * greatest(0, extract(epoch FROM
                       clock_timestamp() - updated_at))) - 1,
        updated_at = greatest(updated_at, clock_timestamp())
    WHERE id = 1
    RETURNING tokens
""")


@dataclass(frozen=True)
class SendBudget:
    """The shared bucket: `rate` sends a second, at most `capacity` at once after a pause.

    A capacity of one token spaces the sends 1/rate apart, so no calendar second holds more
    than `rate` of them however the workers' sends fall.
    """

    engine: Engine
    rate: float
    capacity: float = 1.0

    def __post_init__(self) -> None:
        if self.rate <= 0 or self.capacity < 1:
            raise ValueError("a send budget needs a positive rate and room for one token")

    def take(self) -> float:
        """Take one token; returns the seconds to wait before sending (0: send now)."""
        with self.engine.begin() as connection:
            tokens = connection.execute(TAKE, {"rate": self.rate,
                                               "capacity": self.capacity}).scalar_one()
        return wait_for(tokens, self.rate)

    def due(self) -> float:
        """Take one token; returns when it is due on this process's monotonic clock, read in
        the calling thread right after the take, so a caller held up after it can tell."""
        return time.monotonic() + self.take()

    def stale(self, due: float) -> bool:
        """Whether a token due at `due` came too late to use now: more than one token's time
        has passed, so sending would bunch with the sends of the tokens after it (a worker
        whose event loop was held up, by a model loading, would otherwise send a burst)."""
        return time.monotonic() - due > 1 / self.rate


def wait_for(tokens: float, rate: float) -> float:
    """The seconds until a token taken into `tokens` (after the take) is due: none while the
    bucket still held it, else the time the debt takes to refill."""
    return max(0.0, -tokens / rate)
