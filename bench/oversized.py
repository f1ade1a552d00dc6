"""``python -m bench.oversized``: a release list far larger than any phase, sent each way a
list arrives, each in a fresh process: what it costs the process that receives it.

Steps: make the scratch database in DATABASE_URL anew and migrate it; import a small generated
registry (the ``reconcile`` command reads it); write a CSV at the list's row limit and one of
200,000 rows, and each as the API's JSON body; start a Redis of its own (an upload queues its
reconciliation there, and no worker takes it: only the receiving is measured). Then, each in
its own process, through Django's test client: the officials' upload page (signed in), the
partner API (multipart, a ``lists:submit`` token), the API's JSON rows, and the ``reconcile``
command. Each prints its answer, wall time, the growth of its resident memory over the call
(the peak, VmHWM, less the size before it; the test client's copy of a multipart body is in
it) and the stored files no list points to.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from bench.servers import ROOT, recreate_database, redis_server, scratch_database_url

WAYS = ("web", "api", "json", "command")


def write_rows(path: Path, rows: int, registry_size: int) -> None:
    """A list as a clerk types it: "№;ПІБ;Дата народження;в/ч;Особистий номер", people of the
    generated registry (again and again when the list is longer than it)."""
    from bench.population import registry

    people = registry(min(rows, registry_size), 1)
    with path.open("w", encoding="utf-8") as out:
        out.write("№;ПІБ;Дата народження;в/ч;Особистий номер\n")
        for line in range(1, rows + 1):
            p = people[line % len(people)]
            born = f"{p.birth_date:%d.%m.%Y}" if p.birth_date else ""
            name = f"{p.family_name} {p.given_name} {p.patronymic}"
            out.write(f"{line};{name};{born};{p.military_unit};{p.service_number}\n")


def _status_mib(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> None:
    """The peak resident size starts again from now (Linux: ``5`` to ``clear_refs``): what
    setting up, or the parent process before ``exec``, reached is not the call's."""
    Path("/proc/self/clear_refs").write_text("5")


def measure(way: str, path: Path) -> dict[str, Any]:
    """One way in, in this process: the answer, seconds, memory growth, files left alone."""
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from accounts.roles import Role
    from accounts.tokens import issue_token
    from tests.factories import make_phase, make_user, sign_in

    setup_test_environment()  # the test client's host name
    phase = make_phase()
    data = path.read_bytes()
    rows_json = path.with_suffix(".json").read_bytes() if way == "json" else b""
    client = Client()
    if way == "web":
        sign_in(client, make_user(Role.OFFICIAL, username=f"bench-official-{phase.pk}"))
        url = f"/exchanges/phases/{phase.pk}/lists/new/"
    else:
        _, raw = issue_token(
            partner_name=f"bench-{phase.pk}", scopes=["lists:submit"], now=timezone.now()
        )
        key = f"bench-{phase.pk}"
        client = Client(headers={"Authorization": f"Bearer {raw}", "Idempotency-Key": key})
        url = f"/api/v1/phases/{phase.pk}/release-lists/"
    _reset_peak()
    before = _status_mib("VmRSS")
    started = time.perf_counter()
    if way == "command":
        answer = _command(path)
    elif way == "json":
        response = client.post(url, rows_json, content_type="application/json")
        answer = f"{response.status_code} {_said(response)}"
    else:
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile(path.name, data)
        body = {"file": upload, "received_on": "2025-05-21", "sent_by": "other_side"}
        response = client.post(url, body)
        answer = f"{response.status_code} {_said(response)}"
    seconds = time.perf_counter() - started
    peak = _status_mib("VmHWM")
    return {
        "way": way,
        "rows": data.count(b"\n") - 1,
        "megabytes": round(len(data) / 1048576, 1),
        "answer": answer[:160],
        "seconds": round(seconds, 2),
        "growth_mib": round(peak - before, 1),
        "orphans": len(_orphans()),
    }


def write_json(path: Path) -> None:
    """The CSV's lines as the API's JSON body, beside it (built here, not in the measured
    process)."""
    fields = ("line", "full_name", "birth_date", "military_unit", "service_number")
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    rows = [dict(zip(fields, line.split(";"), strict=True)) for line in lines]
    body = {"received_on": "2025-05-21", "rows": rows}
    path.with_suffix(".json").write_text(json.dumps(body), encoding="utf-8")


def _command(path: Path) -> str:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with TemporaryDirectory() as folder:
        try:
            call_command("reconcile", str(path), "--out", str(Path(folder) / "out.csv"))
        except CommandError as error:
            return f"refused: {error}"
    return "reconciled"


def _said(response: Any) -> str:
    if response.status_code in (301, 302):
        return str(response["Location"])
    text: str = response.content.decode(errors="replace")
    if "json" in response.get("Content-Type", ""):
        return text
    start = text.find('class="errorlist')
    return text[start : start + 200] if start >= 0 else ""


def _orphans() -> list[str]:
    """Stored list files no list points to."""
    from django.conf import settings

    from exchanges.models import ReleaseList

    folder = Path(settings.MEDIA_ROOT) / "release-lists"
    kept = {Path(name).name for name in ReleaseList.objects.values_list("file", flat=True)}
    return [p.name for p in folder.glob("*") if p.name not in kept] if folder.exists() else []


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.oversized")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--limit", type=int, default=5_000, help="rows of the list at the limit")
    parser.add_argument("--registry", type=int, default=20_000)
    parser.add_argument("--measure", choices=WAYS, help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if args.measure:
        print(json.dumps(measure(args.measure, args.file), ensure_ascii=False))
        return
    database = scratch_database_url()  # exits unless DATABASE_URL names a scratch database
    recreate_database(database)
    with TemporaryDirectory() as folder, redis_server() as redis:
        env = os.environ | {
            "DEBUG": "true",
            "REDIS_URL": redis,
            "MEDIA_ROOT": str(Path(folder) / "media"),
            "PIN_KEYS": os.environ.get("PIN_KEYS", "bench:oversized-only-not-for-production"),
        }
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
        registry_csv = Path(folder) / "registry.csv"
        from bench.database import write_registry
        from bench.population import registry

        write_registry(registry(args.registry, 1), registry_csv)
        subprocess.run(  # noqa: S603 - our own manage.py, arguments we built
            [*manage, "import_registry", str(registry_csv), "--source", "bench"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        files = {}
        for rows in (args.limit, args.rows):
            files[rows] = Path(folder) / f"list-{rows}.csv"
            write_rows(files[rows], rows, args.registry)
            write_json(files[rows])
        for rows, path in files.items():
            for way in WAYS:
                if way == "command" and rows == args.limit:
                    continue
                command = [sys.executable, "-m", "bench.oversized", "--measure", way]
                done = subprocess.run(  # noqa: S603 - this module, arguments we built
                    [*command, "--file", str(path)],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    text=True,
                )
                said = done.stdout.strip().splitlines() or done.stderr.strip().splitlines()[-3:]
                print(*said[-3:], sep="\n", flush=True)


if __name__ == "__main__":
    main()
