"""Where uploads (release lists, photos) are kept: ``MEDIA_ROOT``, outside the web root, which
no URL serves; views that check access stream them.

Each file gets a random name, so that neither a guess nor the sender's file name ("../x",
"list.html") decides where it lands or what a server would take it for; only a few harmless
extensions survive. Files are written 0o600 in directories 0o700 (``FILE_UPLOAD_PERMISSIONS``):
readable by the app's user alone, never executable.
"""

from __future__ import annotations

import posixpath
import secrets
from os import PathLike

from django.core.files.storage import FileSystemStorage

KEPT_EXTENSIONS = frozenset({".csv", ".tsv", ".txt", ".xlsx", ".jpg", ".jpeg", ".png"})


def random_name(filename: str) -> str:
    """The same folder, a random name, and the extension only if it is a harmless one."""
    folder, base = posixpath.split(filename.replace("\\", "/"))
    extension = posixpath.splitext(base)[1].lower()
    suffix = extension if extension in KEPT_EXTENSIONS else ".bin"
    return posixpath.join(folder, secrets.token_hex(16) + suffix)


class PrivateStorage(FileSystemStorage):
    def generate_filename(self, filename: str | PathLike[str]) -> str:
        return super().generate_filename(random_name(str(filename)))
