"""Scoring of standardized instruments and comparison with published norms.

Pure Python: no Django imports, so every function can be checked against hand-worked
examples. Reference numbers come from `data/instruments.json`, which names its sources.
Where a norm is missing or marked unverified, a result says so and offers no
interpretation; impossible inputs raise InvalidInput instead of producing a score.
"""

from evaluations.instruments.scoring import (
    Flag,
    InvalidInput,
    MmtEquivalent,
    Norm,
    Score,
    barthel,
    barthel_total,
    chair_stand_30s,
    copm,
    grip_strength,
    katz,
    katz_total,
    lawton,
    lawton_total,
    mini_cog,
    mmt_difference,
    mmt_equivalent,
    mmt_grade_spellings,
    mmt_rank,
    moca,
    nine_hole_peg,
    normalize_mmt_grade,
    pain_nrs,
    pinch_strength,
    range_of_motion,
    ruler_drop,
    slums,
    timed_up_and_go,
)

__all__ = [
    "Flag",
    "InvalidInput",
    "MmtEquivalent",
    "Norm",
    "Score",
    "barthel",
    "barthel_total",
    "chair_stand_30s",
    "copm",
    "grip_strength",
    "katz",
    "katz_total",
    "lawton",
    "lawton_total",
    "mini_cog",
    "mmt_difference",
    "mmt_equivalent",
    "mmt_grade_spellings",
    "mmt_rank",
    "moca",
    "nine_hole_peg",
    "normalize_mmt_grade",
    "pain_nrs",
    "pinch_strength",
    "range_of_motion",
    "ruler_drop",
    "slums",
    "timed_up_and_go",
]
