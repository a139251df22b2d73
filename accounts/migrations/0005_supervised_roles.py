"""Two supervised roles: occupational therapy assistants and students draft, a therapist co-signs.
Each app's own migration grants their permissions."""

from django.db import migrations

ROLES = ["Occupational therapy assistant", "Student"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_user_password_changed_at")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
