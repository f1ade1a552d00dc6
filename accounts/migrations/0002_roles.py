"""Creates one group per role with the model permissions it needs.

The mapping is written out here, not imported, so that this migration means the same thing
forever; a later change to the roles is a later migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = ("view",)
EDIT = ("add", "change", "view")

ROLE_PERMISSIONS = {
    "official": {
        "exchanges": {
            "exchange": EDIT,
            "phase": EDIT,
            "transfer": ("change", "view"),
            "releaselist": ("add", "view"),
            "releaselistrow": ("change", "view"),
        },
        "captives": {"captive": EDIT, "provenance": ("add", "view"), "spelling": EDIT},
    },
    "reviewer": {
        "exchanges": {
            "exchange": VIEW,
            "phase": VIEW,
            "transfer": VIEW,
            "releaselist": VIEW,
            "releaselistrow": ("change", "view"),
        },
        "captives": {"captive": ("add", "view"), "provenance": ("add", "view"), "spelling": EDIT},
    },
    "caseworker": {
        "inquiries": {"inquiry": ("change", "view"), "sighting": EDIT},
        "captives": {"captive": VIEW, "provenance": ("add", "view")},
    },
    "partner": {
        "exchanges": {"exchange": VIEW, "phase": VIEW, "transfer": VIEW},
        "captives": {"captive": VIEW},
    },
    "relative": {},
}
ADMINISTERED_APPS = ("accounts", "auth", "captives", "exchanges", "inquiries")


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    grant_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def grant_roles(Group, Permission):
    """Create each role's group with its permissions; running it again changes nothing."""
    for role, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        codenames = [
            (app, f"{action}_{model}")
            for app, models in grants.items()
            for model, actions in models.items()
            for action in actions
        ]
        perms = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in codenames
        ]
        group.permissions.set(perms)
    admin, _ = Group.objects.get_or_create(name="administrator")
    admin.permissions.set(Permission.objects.filter(content_type__app_label__in=ADMINISTERED_APPS))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[*ROLE_PERMISSIONS, "administrator"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("captives", "0002_history_append_only"),
        ("exchanges", "0002_history_append_only"),
        ("inquiries", "0002_history_append_only"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
