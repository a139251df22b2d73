"""Episode writes at the same moment: a scheduler posting the same visit twice, and a physician's
link submitted twice. Real threads with their own connections, released by a barrier."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from episodes.models import Certification, Visit
from tests.concurrency.test_lost_updates import ROUNDS, race, token_client
from tests.episodes.conftest import NPI, episode, evaluation, run_jobs  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live_db")]


def post_visit(client, url, body):
    return lambda: client.post(url, body, format="json")


def test_the_same_visit_posted_twice_at_once_is_recorded_once(front_desk, therapist, episode):  # noqa: F811
    url = f"/api/v1/episodes/{episode.public_id}/visits/"
    for round_ in range(ROUNDS):
        body = {
            "visit_on": (timezone.localdate() - timezone.timedelta(days=round_ + 1)).isoformat(),
            "clinician": therapist.username,
        }
        answers = race(
            post_visit(token_client(front_desk), url, body), post_visit(token_client(front_desk), url, body)
        )
        assert sorted(answer.status_code for answer in answers) == [201, 409], answers
    assert Visit.objects.count() == ROUNDS


def test_a_signing_link_submitted_twice_at_once_signs_once(therapist, episode):  # noqa: F811
    from episodes.services import send_for_certification

    send_for_certification(
        by=therapist,
        certification=episode.certifications.get(),
        method="email_link",
        recipient="osler@example.org",
    )
    run_jobs()
    token = re.search(r"/sign/(\S+)", mail.outbox[-1].body).group(1)
    form = {"physician_name": "Ada Osler", "physician_npi": NPI, "attested": "on", "decision": "certify"}
    answers = race(
        lambda: Client().post(f"/sign/{token}", form), lambda: Client().post(f"/sign/{token}", form)
    )
    assert sorted(answer.status_code for answer in answers) == [200, 410], answers
    assert Certification.objects.get().state == "certified"
