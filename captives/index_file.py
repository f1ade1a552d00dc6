"""The registry's index in a file: a new process loads it instead of building it.

Building the index of 100,000 people takes seconds of CPU; loading it from a file, a tenth of
one. Whoever builds an index writes it (``save``), labelled with what it was built from: the
registry's version (``captives.registry.registry_version``), the version of the name keys (the
algorithm, ICU, the name book), the engine's code and the file's own format. A process whose
registry is at that version loads it (``load``); any other label, and it builds its own.

One file per database, in ``settings.REGISTRY_INDEX_DIR`` (none when that is empty), replaced
whole (written aside, then renamed), so a reader sees the old file or the new, never half of
one. It is pickled, and pickle runs what a file tells it: the file is signed with a key derived
from ``SECRET_KEY``, and one whose signature does not hold is never unpickled. The file is a
cache: a failure to write or read it is logged and costs a build, never a search.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils.crypto import salted_hmac

from captives import matching
from captives.matching import RegistryIndex
from captives.matching.stored import keys_version

log = logging.getLogger(__name__)

FORMAT = 1  # raise when the file's layout changes (the engine's code is in the label too)
_SALT = "captives.index_file"
_SIGNATURE = 32  # bytes of HMAC-SHA256
_LABEL = 4  # bytes giving the label's length


def save(index: RegistryIndex, version: tuple[object, ...]) -> None:
    """Write ``index``, built from the registry at ``version``, for the next process."""
    path = _path()
    if path is None:
        return
    label = pickle.dumps(_label(version))
    body = len(label).to_bytes(_LABEL, "big") + label + pickle.dumps(index, protocol=5)
    aside: Path | None = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".", delete=False) as file:
            aside = Path(file.name)
            file.write(_signature(body))
            file.write(body)
        os.replace(aside, path)
    except OSError:
        log.warning("The registry's index could not be written to %s", path, exc_info=True)
        if aside is not None:
            aside.unlink(missing_ok=True)


def load(version: tuple[object, ...]) -> RegistryIndex | None:
    """The index written for the registry at ``version``, or None: no file, another version,
    or a file this application did not write."""
    path = _path()
    if path is None:
        return None
    try:
        kept = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        log.warning("The registry's index could not be read from %s", path, exc_info=True)
        return None
    signature, body = kept[:_SIGNATURE], kept[_SIGNATURE:]
    if not hmac.compare_digest(signature, _signature(body)):
        log.warning("The registry's index in %s is not signed by this application", path)
        return None
    size = int.from_bytes(body[:_LABEL], "big")
    if pickle.loads(body[_LABEL : _LABEL + size]) != _label(version):  # noqa: S301 - signed
        return None
    index = pickle.loads(body[_LABEL + size :])  # noqa: S301 - signed by us, checked above
    return index if isinstance(index, RegistryIndex) else None


def _label(version: tuple[object, ...]) -> tuple[object, ...]:
    return (FORMAT, _engine(), keys_version(), version)


@cache
def _engine() -> str:
    """A checksum of the engine's code: a file written by other code (before a deployment) may
    hold an index of another shape, and is never loaded."""
    package = Path(matching.__file__).parent
    digest = hashlib.sha256()
    for source in sorted(package.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def _signature(body: bytes) -> bytes:
    return salted_hmac(_SALT, body, algorithm="sha256").digest()


def _path() -> Path | None:
    """This database's file: two databases (the tests', a staging copy) never share one."""
    folder = settings.REGISTRY_INDEX_DIR
    if not folder:
        return None
    db = connection.settings_dict
    where = "|".join(str(db.get(key) or "") for key in ("ENGINE", "HOST", "PORT", "NAME"))
    return Path(folder) / f"registry-{hashlib.sha256(where.encode()).hexdigest()[:16]}.index"
