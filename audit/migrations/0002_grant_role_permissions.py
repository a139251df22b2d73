"""Clinic admins read the audit trail."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Clinic admin": [
        ("audit", "auditevent", ["view"]),
    ],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, grants in GRANTS.items():
        group = Group.objects.get(name=role)
        for app_label, model, actions in grants:
            for action in actions:
                group.permissions.add(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial"), ("accounts", "0002_create_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
