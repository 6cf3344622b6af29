"""Block network access from Python: every test process and every subprocess it starts (kernels, nbgrader).

The root conftest.py installs this in the pytest process and puts this folder on PYTHONPATH, so Python starts it
as ``sitecustomize`` in every child process too. Loopback (Jupyter kernels, local servers) and Unix sockets stay
allowed; any other connection or DNS look-up raises ``NetworkBlocked`` — a run-time download fails loudly.
"""

import ipaddress
import socket

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


class NetworkBlocked(OSError):
    pass


def _is_local(host) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode()
    host = str(host).strip("[]")
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def _refuse(what):
    raise NetworkBlocked(
        f"network access is blocked in the course's tests: {what}. Data and models must come "
        "from installed packages or local generators, never from a download at run time."
    )


def install() -> None:
    if getattr(socket, "_ai4med_blocked", False):
        return
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
            _refuse(f"connect to {address!r}")
        return real_connect(self, address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
            _refuse(f"connect to {address!r}")
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_local(host):
            _refuse(f"DNS look-up of {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
    socket.getaddrinfo = getaddrinfo
    socket._ai4med_blocked = True


install()
