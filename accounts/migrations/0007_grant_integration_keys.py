"""Clinic admins create, view and revoke integration keys (the admin's change permission revokes)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.get(name="Clinic admin")
    for action in ("add", "change", "view"):
        group.permissions.add(
            Permission.objects.get(content_type__app_label="accounts", codename=f"{action}_integrationkey")
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_integration_keys")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
