"""Every role registers, finds and corrects patients; only therapists and admins read clinical content."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PATIENT_DESK = ["add_patient", "change_patient", "view_patient", "archive_patient"]
GRANTS = {
    "Front desk": PATIENT_DESK,
    "Therapist": [*PATIENT_DESK, "view_clinical"],
    "Clinic admin": [*PATIENT_DESK, "view_clinical", "view_historicalpatient"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        group = Group.objects.get(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="patients", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("patients", "0001_initial"), ("accounts", "0002_create_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
