"""What every app's admin shares."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import ModelForm
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from config.history import attribute_change


class FormFieldsOnlyAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    """On a change, writes only the fields the form edits, onto the row as it is now.

    The history page's "revert" hands ``save_model`` an old version whole, read-only fields
    included: saved as it is, it would bring back a state that only a service may set.
    """

    def save_model(
        self, request: HttpRequest, obj: models.Model, form: ModelForm[Any], change: bool
    ) -> None:
        if not change:
            self.derive(obj)
            super().save_model(request, obj, form, change)
            return
        editing = model_fields(obj, form)
        with transaction.atomic():
            current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
            for name in editing:
                setattr(current, name, getattr(obj, name))
            # Only staff reach the admin: the user is always signed in.
            by = request.user if request.user.is_authenticated else None
            attribute_change(current, by=by, reason="Changed in the admin")
            derived = self.derive(current)
            current.save(update_fields=[*editing, *derived, *_stamped(current)])

    def derive(self, obj: models.Model) -> list[str]:
        """Set the fields worked out from the edited ones (none here); their names, to save."""
        return []


def _stamped(obj: models.Model) -> list[str]:
    """Fields Django sets on every save (``auto_now``): partners sync on them."""
    return [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]


def model_fields(obj: models.Model, form: ModelForm[Any]) -> list[str]:
    concrete = {field.name for field in obj._meta.concrete_fields}
    return [name for name in form.fields if name in concrete]


class ReadOnly:
    """For an admin of records written by the services alone (logs, deliveries, erasures):
    shown, never added, changed or deleted in the admin. Put before the admin class."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    """A plain admin of such records."""
