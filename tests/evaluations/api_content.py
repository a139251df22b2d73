"""The sample evaluation (evaluations.sample) as JSON, the way an API client sends it."""

import json
from datetime import date

from django.core.serializers.json import DjangoJSONEncoder

from evaluations.sample import sample_evaluation


def full_json(date_of_service: date, **variant) -> dict:
    """Catalogue codes and ISO dates, exactly as they travel."""
    return json.loads(json.dumps(sample_evaluation(date_of_service, **variant), cls=DjangoJSONEncoder))
