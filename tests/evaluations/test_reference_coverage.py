"""Every table of the instrument references is named in the README's "Reference coverage" list,
used or with the reason it is not: a new table cannot go unnoticed."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def listed() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Reference coverage", 1)[1].split("\n## ", 1)[0]
    names = set()
    for prefix, body in re.findall(r"`(instruments|outcome-measures): ([^`]+)`", section):
        names.add(f"{prefix}:{body}")
    for row in re.findall(r"^\| (.+?) \|", section, flags=re.M):
        current = None
        for part in re.findall(r"`([^`]+)`", row):
            if ": " in part:
                current, part = part.split(": ", 1)
            if current:
                names.add(f"{current}:{part}")
    return names


def test_every_instruments_table_is_listed():
    tables = json.loads((ROOT / "evaluations/instruments/data/instruments.json").read_text(encoding="utf-8"))
    assert {f"instruments:{key}" for key in tables} <= listed()


def test_every_outcome_measures_table_is_listed():
    tables = json.loads(
        (ROOT / "evaluations/instruments/data/outcome-measures.json").read_text(encoding="utf-8")
    )
    assert {f"outcome-measures:{key}" for key in tables} <= listed()
