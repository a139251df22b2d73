"""fhir.resources' top-level package is R5; our resources are R4. Only its R4B package (equal
to R4 for every resource we build) may be imported."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOP_LEVEL = re.compile(r"^\s*(from|import)\s+fhir\.resources(?!\.R4B\b)", re.M)


def test_no_module_imports_the_r5_models():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("fhir_r4", "tests")
        for path in (ROOT / folder).rglob("*.py")
        if TOP_LEVEL.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    assert TOP_LEVEL.search("from fhir.resources.patient import Patient")  # the pattern does catch it
    assert not TOP_LEVEL.search("from fhir.resources.R4B import get_fhir_model_class")
