"""Clinic admins import patients from another system's CSV file (and see past imports)."""

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
    for action in ("add", "view"):
        group.permissions.add(
            Permission.objects.get(content_type__app_label="patients", codename=f"{action}_patientimport")
        )


class Migration(migrations.Migration):
    dependencies = [("patients", "0010_patient_import"), ("accounts", "0002_create_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
