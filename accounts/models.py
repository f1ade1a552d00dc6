from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in: staff of every role, and the account behind a partner system."""

    preferred_language = models.CharField(
        max_length=8, choices=[("uk", "Українська"), ("en", "English")], default="uk"
    )
