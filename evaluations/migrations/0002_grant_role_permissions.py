"""Therapists write, sign and addend their evaluations; the front desk sees that evaluations exist;
clinic admins read them and their history and maintain the catalogues."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

THERAPIST = ["add_evaluation", "change_evaluation", "view_evaluation", "sign_evaluation", "add_addendum", "view_addendum"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    evaluations = Permission.objects.filter(content_type__app_label="evaluations")
    catalogues = Permission.objects.filter(content_type__app_label="occupations")

    Group.objects.get(name="Front desk").permissions.add(*evaluations.filter(codename="view_evaluation"))
    Group.objects.get(name="Therapist").permissions.add(*evaluations.filter(codename__in=THERAPIST))
    admin = Group.objects.get(name="Clinic admin")
    admin.permissions.add(*evaluations.filter(codename__in=["view_evaluation", "view_addendum"]))
    admin.permissions.add(*evaluations.filter(codename__startswith="view_historical"))
    admin.permissions.add(*catalogues.exclude(codename__startswith="delete_"))


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0001_initial"),
        ("occupations", "0002_seed_catalogues"),
        ("accounts", "0002_create_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
