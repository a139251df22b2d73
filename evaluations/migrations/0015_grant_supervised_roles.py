"""Therapists co-sign and start any kind of evaluation; students draft any evaluation and
assistants progress reports only; neither signs. Both read patients and evaluation content."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SUPERVISED = ["view_evaluation", "add_evaluation", "change_evaluation", "view_addendum"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    evaluations = Permission.objects.filter(content_type__app_label="evaluations")
    patients = Permission.objects.filter(content_type__app_label="patients", codename__in=["view_patient", "view_clinical"])
    Group.objects.get(name="Therapist").permissions.add(
        *evaluations.filter(codename__in=["cosign_evaluation", "start_any_evaluation"])
    )
    student = Group.objects.get(name="Student")
    student.permissions.add(*evaluations.filter(codename__in=[*SUPERVISED, "start_any_evaluation"]), *patients)
    assistant = Group.objects.get(name="Occupational therapy assistant")
    assistant.permissions.add(*evaluations.filter(codename__in=SUPERVISED), *patients)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0014_cosignature"),
        ("accounts", "0005_supervised_roles"),
        ("patients", "0007_record_version"),  # the latest when this was written (a moving "__latest__" breaks upgrades)
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
