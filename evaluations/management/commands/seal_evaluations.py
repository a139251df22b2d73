"""Seal signed evaluations that have no seal yet, or (--verify) check every signed evaluation's seal."""

import sys

from django.core.management.base import BaseCommand
from django.db import transaction

from audit.choices import Action
from audit.services import record_event
from evaluations.models import Evaluation
from evaluations.seal import check_seal, content_digest
from evaluations.selectors import signed_records


class Command(BaseCommand):
    help = (
        "Seal signed evaluations signed before seals existed (run once after upgrading), "
        "or with --verify check every signed evaluation against its seal; exits 1 on any mismatch."
    )

    def add_arguments(self, parser):
        parser.add_argument("--verify", action="store_true", help="Only check; seal nothing.")

    def handle(self, *args, verify: bool = False, **options):
        sealed = checked = 0
        broken = []
        for record in signed_records():
            evaluation = record.evaluation
            if not evaluation.content_sha256 and not verify:
                with transaction.atomic():
                    digest = content_digest(record)
                    Evaluation.objects.filter(pk=evaluation.pk, content_sha256="").update(
                        content_sha256=digest
                    )
                    record_event(
                        actor=None, action=Action.UPDATE, record=evaluation, changed_fields=["content_sha256"]
                    )
                sealed += 1
                continue
            checked += 1
            seal = check_seal(record)
            if seal.is_broken:
                broken.append(evaluation)
                self.stdout.write(f"{seal.state.upper()}: evaluation {evaluation.public_id} ({evaluation})")
        self.stdout.write(f"sealed {sealed}, checked {checked}, broken {len(broken)}")
        if broken:
            sys.exit(1)
