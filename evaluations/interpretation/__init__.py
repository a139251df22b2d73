"""What an evaluation's rows mean: scores, imbalance findings, performance deficits, the CPT
suggestion, the signing checklist, progress against a baseline and trends.

Everything here reads an `EvaluationRecord` (record.py) and returns plain data; nothing here
queries the database or imports views, forms, the API or presentation. Instrument arithmetic
itself lives one layer down, in the pure `evaluations.instruments` package.
"""

from evaluations.interpretation.record import EvaluationRecord, NotLoaded

__all__ = ["EvaluationRecord", "NotLoaded"]
