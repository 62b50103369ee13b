"""Fixtures of the integration tests that need more than one module: a real Redis server (one
for the session, emptied before each test that asks for ``redis_url``) and worker processes."""

from tests.integration.redis_server import redis_server, redis_url
from tests.integration.store_support import workers

__all__ = ["redis_server", "redis_url", "workers"]
