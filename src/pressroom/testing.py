"""Helpers for tests and benchmarks (no Django needed to import this)."""

import socket


def free_port() -> int:
    """A TCP port free on the loopback now (bound to port 0, so the kernel picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
