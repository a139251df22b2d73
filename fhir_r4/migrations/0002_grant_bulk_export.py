"""Clinic admins may run a bulk export of every patient's records."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get(name="Clinic admin").permissions.add(
        Permission.objects.get(content_type__app_label="fhir_r4", codename="run_bulk_export")
    )


class Migration(migrations.Migration):
    dependencies = [("fhir_r4", "0001_bulk_export"), ("accounts", "0002_create_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
