"""Run-time downloads must fail loudly, in the test process and in every process it starts."""

import socket
import subprocess
import sys

import pytest


def test_connection_to_the_internet_is_refused_in_process():
    with pytest.raises(OSError, match="network access is blocked"):
        socket.create_connection(("pypi.org", 443), timeout=2)
    with pytest.raises(OSError, match="network access is blocked"):
        socket.socket().connect(("1.1.1.1", 80))


def test_loopback_stays_available():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=2)
    client.close()
    server.close()


def test_child_processes_are_blocked_too():
    code = "import urllib.request; urllib.request.urlopen('https://example.org', timeout=3)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "network access is blocked" in result.stderr
