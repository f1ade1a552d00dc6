"""Kombu's Redis transport, with one repair: a worker survives its broker's restart.

When Redis goes away while a worker holds unacknowledged messages (an ``acks_late`` task
running in the prefork pool), Celery 5.7 collects the broken connection and then closes it.
The channel's first close fails reading the pending BRPOP (Redis is down: a connection error,
ignored) and leaves the channel open; ``collect()`` then detaches the transport from its
connection; the second close tries to restore the unacknowledged messages, builds a Redis
client from the detached connection's settings, and fails on ``None.hostname``: an
AttributeError, which Celery does not take for a connection error, so the worker logs
"Unrecoverable error" and exits (seen with celery and kombu 5.7.0, the newest).

Here that last attempt raises the connection error it is: Celery ignores it, reconnects and
consumes again. Nothing is lost by it: the messages stay in Redis's unacknowledged set until
the visibility timeout gives them out again (and a release list's sweep does not wait for that).
"""

from __future__ import annotations

from typing import Any

from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous: bool = False) -> dict[str, Any]:
        if self.connection.client is None:
            raise RedisConnectionError("The connection to the broker was closed.")
        # kombu's type stubs leave this private method out.
        params: dict[str, Any] = super()._connparams(asynchronous=asynchronous)  # type: ignore[misc]
        return params


class Transport(kombu_redis.Transport):
    Channel = Channel
