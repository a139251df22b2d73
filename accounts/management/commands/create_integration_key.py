"""Create an integration key from the command line (the clinic admin's page does the same):

    manage.py create_integration_key --name "Hospital HIE" --scope fhir.read --scope reports.read \\
        --days 365 --by clinicadmin [--allow 10.20.0.0/16] [--rate 120]

Prints the key once; only its digest is stored."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import IntegrationScope, User
from accounts.services import create_integration_key


class Command(BaseCommand):
    help = "Create an integration key (printed once)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--scope", action="append", required=True, choices=IntegrationScope.values)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--by", required=True, help="Username of the clinic admin creating it.")
        parser.add_argument("--allow", action="append", default=[], help="An address or network (CIDR).")
        parser.add_argument("--rate", type=int, default=120, help="Requests per minute.")

    def handle(self, *args, **options):
        by = User.objects.filter(username=options["by"], is_active=True).first()
        if by is None or not by.has_perm("accounts.add_integrationkey"):
            raise CommandError(f"{options['by']!r} is not an active user who may create integration keys.")
        if not 1 <= options["days"] <= 731:
            raise CommandError("--days: 1 to 731.")
        try:
            key, raw = create_integration_key(
                by=by,
                name=options["name"],
                scopes=options["scope"],
                expires_at=timezone.now() + timedelta(days=options["days"]),
                allowed_ips=options["allow"],
                rate_per_minute=options["rate"],
            )
        except ValidationError as error:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            ) from None
        self.stdout.write(
            f"Integration key {key.name!r} ({', '.join(key.scopes)}), expires {key.expires_at:%Y-%m-%d}:"
        )
        self.stdout.write(raw)
