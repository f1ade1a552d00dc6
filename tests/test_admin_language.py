"""The admin speaks Ukrainian: apps, models, fields and roles are named in the reader's language."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import translation

from accounts.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db
OUR_APPS = ("accounts", "captives", "exchanges", "inquiries", "webhooks", "demo")
# Words that are the same in both languages.
ALIKE = {"ID", "URL", "SHA-256"}


def _in(language: str, text: object) -> str:
    with translation.override(language):
        return str(text)


def test_every_app_model_and_field_of_ours_has_a_ukrainian_name() -> None:
    english: list[str] = []
    for label in OUR_APPS:
        config = apps.get_app_config(label)
        names: list[object] = [config.verbose_name]
        for model in config.get_models():
            if model.__name__.startswith("Historical"):
                continue  # simple-history names them from the model's own name
            names += [model._meta.verbose_name, model._meta.verbose_name_plural]
            names += [field.verbose_name for field in model._meta.concrete_fields]
        english += [
            _in("en", name)
            for name in names
            if _in("uk", name) == _in("en", name) and _in("en", name) not in ALIKE
        ]

    assert english == []


def test_the_admin_index_names_apps_and_models_in_ukrainian(admin_client: Client) -> None:
    body = admin_client.get("/admin/").content.decode()

    for words in ("Обміни", "Етапи обміну", "Облікові записи й ролі", "Запити на розшук"):
        assert words in body
    for words in (">Exchanges<", ">Phases<", ">Release lists<", ">Inquiries<"):
        assert words not in body


def test_roles_are_named_by_their_labels_in_the_admin(admin_client: Client) -> None:
    official = make_user(Role.OFFICIAL, "olena")

    users = admin_client.get("/admin/accounts/user/").content.decode()
    user_form = admin_client.get(f"/admin/accounts/user/{official.pk}/change/").content.decode()
    roles = admin_client.get("/admin/auth/group/").content.decode()
    filtered = admin_client.get("/admin/accounts/user/?role=official").content.decode()

    assert "Посадова особа" in users  # the user's role, and the filter's choice
    assert "Фахівець з розшуку" in users
    group = Group.objects.get(name="official")
    assert f'<option value="{group.pk}" selected>Посадова особа</option>' in user_form
    assert ">official</option>" not in user_form
    assert "Перевіряльник" in roles
    assert "olena" in filtered
