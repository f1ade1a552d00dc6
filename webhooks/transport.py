"""One HTTP POST to a partner, with the standard library: redirects are never followed
(``http.client`` does not follow them), and every failure comes back as a value, not raised.

The partner's host name is resolved once, here. If any of its addresses is not a public one (a
private network, loopback, link-local: our own services), nothing is sent. The connection then
goes to the addresses that were checked, not to a second lookup, so a name that resolves
differently the second time (DNS rebinding) cannot steer the request inside. TLS still checks
the certificate against the host name.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 5.0  # for each wait on the socket
# For the whole exchange: a receiver that sends a byte every few seconds never lets the socket
# time out, and would hold a worker that reconciliation needs for hours.
DEADLINE_SECONDS = 20.0


@dataclass(frozen=True)
class Response:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class AddressRefusedError(Exception):
    """The host resolves to an address we do not call."""


def checked_addresses(host: str, port: int, *, allow_loopback: bool = False) -> list[str]:
    """The host's addresses, in the resolver's order, once every one of them is public (or,
    when ``allow_loopback``, which only tests set, loopback)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as failure:
        raise AddressRefusedError(f"The host {host} cannot be resolved: {failure}") from failure
    addresses = list(dict.fromkeys(str(entry[4][0]) for entry in found))  # once each
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone is not an address
        if not (is_public(ip) or (allow_loopback and ip.is_loopback)):
            raise AddressRefusedError(
                f"The host {host} resolves to {address}, which is not a public address."
            )
    return addresses


NAT64 = ipaddress.ip_network("64:ff9b::/96")
SITE_LOCAL = ipaddress.ip_network("fec0::/10")  # deprecated, still routed inside some networks


def is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Global, and so is any IPv4 address an IPv6 one carries (mapped, 6to4, Teredo, NAT64, the
    old IPv4-compatible form): 64:ff9b::a00:5 is 10.0.0.5 on a network with NAT64."""
    if not ip.is_global:
        return False
    if isinstance(ip, ipaddress.IPv4Address):
        return True
    if ip in SITE_LOCAL:
        return False
    carried = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
    if ip in NAT64 or int(ip) >> 32 == 0:  # the last 32 bits are the IPv4 address
        carried.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return all(inner.is_global for inner in carried if inner is not None)


def _connect(addresses: list[str], port: int, timeout: float | None) -> socket.socket:
    """The first of the checked addresses that answers (an IPv6 one may not, here)."""
    failure: OSError | None = None
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as error:
            failure = error
    raise failure or OSError("no address to connect to")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to addresses already checked; the Host header keeps the name."""

    def __init__(self, host: str, port: int, addresses: list[str], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def connect(self) -> None:
        self.sock = _connect(self.addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS: the certificate is checked against the host name, not the address."""

    def __init__(self, host: str, port: int, addresses: list[str], timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.addresses = addresses

    def connect(self) -> None:
        raw = _connect(self.addresses, self.port, self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


def post(
    url: str,
    *,
    body: bytes,
    headers: dict[str, str],
    timeout: float = TIMEOUT_SECONDS,
    deadline: float = DEADLINE_SECONDS,
    allow_loopback: bool = False,
) -> Response:
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    secure = parts.scheme == "https"
    host, port = parts.hostname or "", parts.port or (443 if secure else 80)
    started = time.monotonic()
    try:
        addresses = checked_addresses(host, port, allow_loopback=allow_loopback)
    except AddressRefusedError as refused:
        return Response(None, str(refused)[:300], int((time.monotonic() - started) * 1000))
    pinned = _PinnedHTTPSConnection if secure else _PinnedHTTPConnection
    connection = pinned(host, port, addresses, timeout)
    watchdog = _Watchdog(connection, deadline)
    try:
        connection.request("POST", path, body=body, headers=headers)
        answer = connection.getresponse()
        answer.read(64 * 1024)  # the receiver's words are not ours to keep; drain a little
        status, error = answer.status, "" if 200 <= answer.status < 300 else answer.reason
    except (OSError, http.client.HTTPException) as failure:
        status, error = None, f"{type(failure).__name__}: {failure}"
        if watchdog.fired.is_set():
            error = f"The receiver took longer than {deadline:g} s in all."
    finally:
        watchdog.cancel()
        connection.close()
    return Response(status, error[:300], int((time.monotonic() - started) * 1000))


class _Watchdog:
    """Cuts the connection when the deadline passes: shutting the socket down wakes the read
    that waits on it, which then fails like any broken connection."""

    def __init__(self, connection: http.client.HTTPConnection, deadline: float) -> None:
        self.connection = connection
        self.fired = threading.Event()
        self.timer = threading.Timer(deadline, self._cut)
        self.timer.daemon = True
        self.timer.start()

    def _cut(self) -> None:
        self.fired.set()
        sock = self.connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self.timer.cancel()
