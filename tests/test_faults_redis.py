"""Redis gone: the rate limits fall back to each process, and come back to Redis with it."""

import shutil
from collections.abc import Iterator

import pytest

from databases import RedisServer
from fault_checks import stored
from helpers import submit
from servers import wait_for


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A redis-server of the test's own, on a free port."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def limiter_keys(server: RedisServer) -> list[bytes]:
    return [key for key in server.stored_keys() if b"proposals.submit" in key]


def test_redis_gone_falls_back_to_per_process_limits_and_comes_back(make_app, database_url, redis_server, caplog):
    client = make_app(RATELIMIT_STORAGE_URI=redis_server.url, BLUEHATS_MAIL_DELIVERY="worker").test_client()
    answers: dict[str, int] = {}

    def send() -> int:
        title = f"Intervention {len(answers)}"
        answers[title] = submit(client, title=title).status_code
        return answers[title]

    assert send() == 303
    assert limiter_keys(redis_server)
    redis_server.stop()
    # The same limits, counted by this process alone: ten a minute go through, the eleventh waits.
    assert [send() for _ in range(11)] == [303] * 10 + [429]
    assert "falling back to in-memory storage" in caplog.text

    redis_server.start()
    # Flask-Limiter looks for its storage again after a growing pause (1, 2, 4 … 32 s): then counts in Redis.
    wait_for(lambda: send() == 303 and limiter_keys(redis_server), 40, "the limits counted in Redis again", 0.5)
    titles = {title for (title,) in stored(database_url, "SELECT title FROM proposal")}
    assert titles == {title for title, status in answers.items() if status == 303}
