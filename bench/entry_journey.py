"""A therapist's entry journey through the pages, counted: a complete initial evaluation of a
standard case (a right total hip replacement, both hips examined), signed, then its
re-evaluation. Prints page loads, form submits (and how many only fetched more rows), typed
fields, keystrokes, pointer picks and wall time for each.

    .venv/bin/python bench/entry_journey.py [--headed]

It starts its own server on a throw-away SQLite database with the demo data, and drives
Debian's Chromium (/usr/bin/chromium) with Playwright. It enters exactly what a therapist
would: a field already holding the wanted value (carried forward, or a default) is left alone,
so the re-evaluation's figures show what carry-forward saves.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buffalo_ot.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from buffalo_ot.management.demo_evaluations import DEMO_PASSWORD  # noqa: E402
from evaluations.forms import SIDES, is_grid, is_pick_list, pair_layout  # noqa: E402
from evaluations.sample import sample_evaluation  # noqa: E402
from evaluations.sections import SECTIONS, Section  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
HIP_GROUPS = [
    "hip_flexors",
    "hip_extensors",
    "hip_abductors",
    "hip_adductors",
    "knee_extensors",
    "ankle_dorsiflexors",
]
HIP_MOTIONS = [
    "hip_flexion",
    "hip_extension",
    "hip_abduction",
    "hip_internal_rotation",
    "hip_external_rotation",
    "knee_flexion",
]


def _ratings(levels: list[tuple[str, str]], *, imbalance: bool, priority: str) -> list[dict[str, Any]]:
    """Checklist ratings limited by pain, one per (activity, assist level)."""
    return [
        {
            "activity": activity,
            "assist_level": level,
            "limited_by_pain": True,
            "limited_by_imbalance": imbalance,
            "priority": priority,
            "notes": "",
        }
        for activity, level in levels
    ]


def standard_case(date_of_service: date, *, follow_up: bool) -> dict[str, dict[str, Any]]:
    """The sample evaluation with a full bilateral lower-limb exam and fuller checklists: what a
    therapist records for a hip replacement. The follow-up has the same rows, better values."""
    gain = 1 if follow_up else 0
    grades = ["3-", "3", "3+", "4-", "4", "4+", "5"]
    content = sample_evaluation(
        date_of_service,
        abductor_right=grades[2 + 2 * gain],
        pain=3 if follow_up else 7,
        dressing="modified_independent" if follow_up else "moderate_assist",
        tug="11.20" if follow_up else "16.40",
        cpt_comorbidities="present",
        cpt_assistance="minimal_to_moderate",
        cpt_code="97168" if follow_up else "97166",
        documented_change="Dresses lower body at modified independence; TUG 16.4 s to 11.2 s."
        if follow_up
        else "",
    )
    physical = content["physical_function"]
    physical["strength"] = [
        {
            "muscle_group": group,
            "side": side,
            "grade": grades[2 + gain] if side == "right" else "5",
            "notes": "",
        }
        for group in HIP_GROUPS
        for side in ("right", "left")
    ]
    physical["range_of_motion"] = [
        {
            "joint_motion": motion,
            "side": side,
            "mode": "active",
            "degrees": (70 + 20 * gain if side == "right" else 110)
            if motion in ("hip_flexion", "knee_flexion")
            else (20 + 5 * gain if side == "right" else 35),
            "is_painful": side == "right" and not follow_up,
            "notes": "",
        }
        for motion in HIP_MOTIONS
        for side in ("right", "left")
    ]
    if follow_up:  # the initial evaluation's goals, judged
        for goal, status in zip(content["assessment_and_plan"]["goals"], ("met", "continued"), strict=True):
            goal["status"] = status
    content["neuromuscular_function"]["tests"].append(
        {"test": "chair_stand_30s", "side": "none", "value": "12" if follow_up else "8", "notes": ""}
    )
    content["adl_checklist"]["ratings"] += _ratings(
        [
            ("toileting", "supervision" if not follow_up else "modified_independent"),
            ("functional_mobility", "contact_guard" if not follow_up else "supervision"),
            ("hygiene_grooming", "modified_independent"),
        ],
        imbalance=False,
        priority="medium",
    )
    content["iadl_checklist"]["ratings"] += _ratings(
        [
            ("cleaning", "moderate_assist" if not follow_up else "minimal_assist"),
            ("laundry", "minimal_assist" if not follow_up else "supervision"),
            ("transportation", "dependent" if not follow_up else "moderate_assist"),
            ("shopping", "moderate_assist" if not follow_up else "minimal_assist"),
        ],
        imbalance=True,
        priority="high",
    )
    return content


@dataclass
class Tally:
    page_loads: int = 0
    submits: int = 0
    submits_for_rows: int = 0
    autosaves: int = 0
    typed_fields: int = 0
    keystrokes: int = 0
    picks: int = 0
    started: float = field(default_factory=time.monotonic)
    seconds: float = 0.0

    def line(self, name: str) -> str:
        return (
            f"{name:<18} page loads {self.page_loads:>3}   submits {self.submits:>3} "
            f"(only for rows {self.submits_for_rows:>2})   typed fields {self.typed_fields:>3}   "
            f"keystrokes {self.keystrokes:>5}   picks {self.picks:>3}   autosaves {self.autosaves:>3}   "
            f"wall {self.seconds:6.1f} s"
        )


class Therapist:
    """Enters values the way a person does, counting each action."""

    def __init__(self, page: Page, base: str):
        self.page = page
        self.base = base
        self.tally = Tally()
        self.by_section = []
        page.on("load", lambda _page: self._count("page_loads"))
        page.on(
            "request",
            lambda request: (
                self._count("submits")
                if request.is_navigation_request()
                and request.method == "POST"
                and request.frame == page.main_frame
                else self._count("autosaves")
                if request.method == "POST" and request.url.endswith("/autosave/")
                else None
            ),
        )

    def _count(self, name: str) -> None:
        setattr(self.tally, name, getattr(self.tally, name) + 1)

    def begin(self) -> Tally:
        self.tally = Tally()
        self.by_section: list[tuple[str, int, int]] = []
        return self.tally

    def set(self, name: str, value: Any) -> None:
        target = self.page.locator(f'[name="{name}"]')
        if target.count() == 0:
            raise LookupError(f"No field named {name} on {self.page.url}")
        kind = target.first.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
        if kind.endswith(":radio"):
            option = self.page.locator(f'[name="{name}"][value="{value}"]')
            if not option.is_checked():
                option.check()
                self.tally.picks += 1
        elif kind.endswith(":checkbox"):
            if target.is_checked() != bool(value):
                target.set_checked(bool(value))
                self.tally.picks += 1
        elif kind.startswith("select"):
            wanted = "" if value is None else str(value)
            if target.input_value() != wanted:
                target.select_option(wanted)
                self.tally.picks += 1
        else:
            wanted = "" if value is None else value.isoformat() if isinstance(value, date) else str(value)
            if target.input_value() != wanted:
                target.fill(wanted)
                self.tally.typed_fields += 1
                self.tally.keystrokes += len(wanted)

    def click(self, selector: str) -> None:
        self.page.locator(selector).first.click()
        self.tally.picks += 1

    def submit(self, selector: str) -> None:
        with self.page.expect_navigation():
            self.page.locator(selector).first.click()
        self.page.wait_for_load_state("load")
        error = self.page.locator(".alert-danger")
        if error.count():
            details = self.page.locator(".text-danger, .invalid-feedback").all_inner_texts()
            raise RuntimeError(f"{self.page.url}: {error.first.inner_text()} {details}")

    def total_rows(self, key: str) -> int:
        return int(self.page.locator(f'[name="{key}-TOTAL_FORMS"]').input_value())

    def pairs(self, spec, rows: list[dict]) -> None:
        """A paired list the way a therapist fills it: a body region's lines in one pick where
        two or more of its measures are wanted, other measures one line each, then the left and
        right values on each line."""
        key = spec.key
        keys, values = pair_layout(spec)
        lines: dict[tuple, dict] = {}
        for row in rows:
            side = row[spec.paired_by]
            line = lines.setdefault(tuple(row[name] for name in keys), {"sides": "pair"})
            where = side if side in SIDES else "left"
            if side not in SIDES:
                line["sides"] = side
            line.update({f"{where}_{name}": row[name] for name in values})
            if row.get("notes"):
                line["notes"] = row["notes"]

        def present() -> dict[tuple, int]:
            found = {}
            for index in range(self.total_rows(key)):
                found.setdefault(
                    tuple(self.page.locator(f'[name="{key}-{index}-{name}"]').input_value() for name in keys),
                    index,
                )
            return found

        regions = self.page.locator(f'[data-regions="{key}"] select option[data-codes]')
        for number in range(regions.count()):
            option = regions.nth(number)
            codes = set((option.get_attribute("data-codes") or "").split())
            missing = [line for line in lines if line and line[0] in codes and line not in present()]
            if len(missing) >= 2:
                self.page.locator(f'[data-regions="{key}"] select').select_option(
                    option.get_attribute("value")
                )
                self.tally.picks += 1
        for line_key, line in lines.items():
            index = present().get(line_key) if keys else 0
            if index is None:
                blank = present().get(tuple("" for _ in keys))
                if blank is None:
                    self.click(f'[data-add-row="{key}"]')
                    blank = self.total_rows(key) - 1
                index = blank
                for name, value in zip(keys, line_key, strict=True):
                    self.set(f"{key}-{index}-{name}", value)
            for name, value in line.items():
                if name == "sides" and (spec.paired_by != "side" or value == "none"):
                    continue  # a test the catalogue does not side is stored unsided by itself
                self.set(f"{key}-{index}-{name}", value)

    def rows(self, key: str, fields: tuple[str, ...], rows: list[dict]) -> None:
        for index, row in enumerate(rows):
            while index >= self.total_rows(key):
                add = self.page.locator(f'[data-add-row="{key}"]')
                if add.count() and add.first.is_visible():
                    self.click(f'[data-add-row="{key}"]')
                else:  # the page can only give more blank rows by saving
                    self.tally.submits_for_rows += 1
                    self.submit('button[name="save"]')
            for name in fields:
                if name in row:
                    self.set(f"{key}-{index}-{name}", row[name])
        initial = int(self.page.locator(f'[name="{key}-INITIAL_FORMS"]').input_value())
        for index in range(len(rows), initial):  # rows carried forward that are not wanted
            self.set(f"{key}-{index}-DELETE", True)

    def grid(self, key: str, ratings: list[dict]) -> None:
        codes = self.page.locator(f'input[type="hidden"][name^="{key}-"][name$="-activity"]')
        index_of = {codes.nth(i).input_value(): i for i in range(codes.count())}
        for rating in ratings:
            index = index_of[rating["activity"]]
            for name, value in rating.items():
                if name != "activity":
                    self.set(f"{key}-{index}-{name}", value)

    def picks(self, key: str, name: str, rows: list[dict]) -> None:
        for row in rows:
            box = self.page.locator(f'input[name="{key}-{name}"][value="{row[name]}"]')
            if not box.is_checked():
                box.check()
                self.tally.picks += 1

    def section(self, section: Section, content: dict) -> None:
        before = (self.tally.typed_fields, self.tally.picks)
        self._section(section, content)
        self.by_section.append(
            (section.short_title, self.tally.typed_fields - before[0], self.tally.picks - before[1])
        )

    def _section(self, section: Section, content: dict) -> None:
        for name in section.profile_fields or section.evaluation_fields:
            if name in content:
                self.set(f"section-{name}", content[name])
        for spec in section.rows:
            if spec.key not in content:
                continue
            if is_grid(spec):
                self.grid(spec.key, content[spec.key])
            elif is_pick_list(spec):
                self.picks(spec.key, spec.fields[0], content[spec.key])
            elif spec.paired_by:
                self.pairs(spec, content[spec.key])
            else:
                self.rows(spec.key, spec.fields, content[spec.key])
        last = section is SECTIONS[-1]
        self.submit('button[name="save"]' if last else 'button[name="save_next"]')

    def evaluation(self, patient_id: str, content: dict, *, kind: str, baseline: str | None = None) -> str:
        self.page.goto(f"{self.base}/patients/{patient_id}/")
        self.click("text=New evaluation")
        self.page.wait_for_load_state("load")
        self.set("kind", kind)
        if baseline:
            self.set("previous_evaluation", baseline)
        self.submit('main form button[type="submit"]')
        public_id = self.page.url.rstrip("/").split("/")[-2]
        for section in SECTIONS:
            self.section(section, content[section.api_key])
        self.page.goto(f"{self.base}/evaluations/{public_id}/sign/")
        self.set("password", DEMO_PASSWORD)
        self.submit('main form button[type="submit"]')
        return public_id


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--headed", action="store_true")
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=768)
    arguments = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="entry-journey-"))
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{workdir / 'journey.sqlite3'}", "DEBUG": "1"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=environment, check=True)
    subprocess.run([*manage, "seed_demo"], env=environment, check=True, stdout=subprocess.DEVNULL)
    patient_id = subprocess.run(
        [
            *manage,
            "shell",
            "-v0",
            "-c",
            "from patients.models import Patient; print(Patient.objects.filter(evaluations__isnull=True).order_by('mrn').first().public_id)",
        ],
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    port = free_port()
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=not arguments.headed, args=["--no-sandbox"]
            )
            context = browser.new_context(viewport={"width": arguments.width, "height": arguments.height})
            context.set_default_timeout(15_000)
            page = context.new_page()
            therapist = Therapist(page, base)
            page.goto(f"{base}/accounts/login/")
            page.fill('[name="username"]', "therapist")
            page.fill('[name="password"]', DEMO_PASSWORD)
            with page.expect_navigation():
                page.click('input[type="submit"], button[type="submit"]')
            if "/login/" in page.url:
                raise RuntimeError(
                    "The demo therapist could not log in: " + page.locator("main").inner_text()
                )
            today = date.today()
            initial_tally = therapist.begin()
            baseline = therapist.evaluation(patient_id, standard_case(today, follow_up=False), kind="initial")
            initial_tally.seconds = time.monotonic() - initial_tally.started
            initial_sections = therapist.by_section
            follow_up_tally = therapist.begin()
            therapist.evaluation(
                patient_id, standard_case(today, follow_up=True), kind="re_evaluation", baseline=baseline
            )
            follow_up_tally.seconds = time.monotonic() - follow_up_tally.started
            follow_up_sections = therapist.by_section
            browser.close()
    finally:
        server.terminate()
        server.wait()
    print(f"Standard case at {arguments.width}x{arguments.height}:")
    print(initial_tally.line("initial evaluation"))
    print(follow_up_tally.line("re-evaluation"))
    share = (follow_up_tally.typed_fields + follow_up_tally.picks) / max(
        1, initial_tally.typed_fields + initial_tally.picks
    )
    print(
        f"re-evaluation typed fields and picks as a share of the initial's: {share:.2f} (target at most 0.50)"
    )
    print("typed fields + picks by section (initial -> re-evaluation):")
    for (name, typed, picks), (_name, typed_again, picks_again) in zip(
        initial_sections, follow_up_sections, strict=True
    ):
        print(f"  {name:<14} {typed:>3} + {picks:>3}  ->  {typed_again:>3} + {picks_again:>3}")


if __name__ == "__main__":
    main()
