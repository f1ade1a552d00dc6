from __future__ import annotations

import os

# Playwright's sync API keeps an event loop in the test's thread; Django's ORM then refuses to
# run there unless told that this is deliberate. The ORM calls stay synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
