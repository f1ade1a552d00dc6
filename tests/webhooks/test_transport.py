"""The POST to a partner: never to our own network, and to the address that was checked."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
from typing import Any

import pytest

from tests.webhooks.conftest import Receiver
from webhooks.transport import is_public, post


def _resolving_to(monkeypatch: pytest.MonkeyPatch, name: str, address: str) -> list[str]:
    """``name`` resolves to ``address`` (the partner's DNS, as an attacker may set it); every
    lookup is recorded."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host: str, *args: Any, **kwargs: Any) -> Any:
        asked.append(host)
        return real(address if host == name else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def test_a_host_that_resolves_inside_our_network_is_not_called(
    monkeypatch: pytest.MonkeyPatch, receiver: Receiver
) -> None:
    port = receiver.url.split(":")[2].split("/")[0]
    _resolving_to(monkeypatch, "partner.example", "127.0.0.1")

    response = post(f"http://partner.example:{port}/hooks", body=b"{}", headers={})

    assert response.status_code is None
    assert "resolves to 127.0.0.1, which is not a public address" in response.error
    assert receiver.requests == []  # nothing reached the receiver


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.5",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "64:ff9b::a00:5",  # NAT64 for 10.0.0.5
        "2002:a00:5::1",  # 6to4 for 10.0.0.5
        "::a00:5",  # the old IPv4-compatible form
        "fec0::1",  # site-local
    ],
)
def test_private_link_local_and_loopback_addresses_are_refused(
    monkeypatch: pytest.MonkeyPatch, address: str
) -> None:
    _resolving_to(monkeypatch, "partner.example", address)

    response = post("https://partner.example/hooks", body=b"{}", headers={})

    assert response.status_code is None
    assert "not a public address" in response.error


def test_the_connection_goes_to_the_address_checked_under_the_partners_name(
    monkeypatch: pytest.MonkeyPatch, receiver: Receiver
) -> None:
    port = receiver.url.split(":")[2].split("/")[0]
    asked = _resolving_to(monkeypatch, "partner.example", "127.0.0.1")

    response = post(
        f"http://partner.example:{port}/hooks", body=b"{}", headers={}, allow_loopback=True
    )

    assert response.status_code == 200
    # The name was looked up once (the connection resolves only the address it was given): a
    # second answer could not steer it elsewhere.
    assert asked.count("partner.example") == 1
    assert receiver.requests[0].headers["Host"] == f"partner.example:{port}"


def test_a_name_that_does_not_resolve_is_a_failed_attempt() -> None:
    response = post("https://no-such-host.invalid/hooks", body=b"{}", headers={})

    assert response.status_code is None
    assert "cannot be resolved" in response.error


def test_an_address_that_does_not_answer_gives_way_to_the_next_checked_one(
    monkeypatch: pytest.MonkeyPatch, receiver: Receiver
) -> None:
    port = int(receiver.url.split(":")[2].split("/")[0])
    real = socket.getaddrinfo

    def getaddrinfo(host: str, *args: Any, **kwargs: Any) -> Any:
        if host != "partner.example":
            return real(host, *args, **kwargs)
        return [  # ::1 first: the receiver listens on 127.0.0.1 only
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    response = post(
        f"http://partner.example:{port}/hooks", body=b"{}", headers={}, allow_loopback=True
    )

    assert response.status_code == 200
    assert len(receiver.requests) == 1


@pytest.mark.parametrize("address", ["8.8.8.8", "2001:4860:4860::8888", "64:ff9b::808:808"])
def test_public_addresses_pass_the_check(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


def test_a_receiver_that_answers_a_byte_at_a_time_is_cut_off_at_the_deadline() -> None:
    """Each byte comes well within the socket's timeout; the whole answer would take minutes."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    done = threading.Event()

    def drip() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1000:
                if done.wait(0.2):
                    return
                with contextlib.suppress(OSError):
                    connection.sendall(bytes([byte]))

    server = threading.Thread(target=drip, daemon=True)
    server.start()
    try:
        response = post(
            f"http://127.0.0.1:{port}/hooks",
            body=b"{}",
            headers={},
            timeout=1,
            deadline=2,
            allow_loopback=True,
        )
    finally:
        done.set()
        server.join(timeout=5)
        listener.close()

    assert response.status_code is None
    assert "longer than 2 s in all" in response.error  # said only when the deadline cut it
