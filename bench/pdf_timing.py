"""How long the discussion-sheet PDF takes to render.

Builds a throwaway SQLite database, finishes one visit of the shipped topic through the real
patient journey, then renders its sheet PDF again and again and prints the timings.

    .venv/bin/python bench/pdf_timing.py [renders]      (default: 20 renders)

Run it from the project root. It needs the dev requirements (the journey helper lives in tests).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = Path(tempfile.mkdtemp()) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "decisionaid.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from decisionaid.models import Visit  # noqa: E402
from decisionaid.pdf import render_sheet_pdf  # noqa: E402
from decisionaid.sheet import build_sheet  # noqa: E402
from tests.clients import Client  # noqa: E402
from tests.conftest import SHIPPED_SLUG, Journey  # noqa: E402
from topics.models import Topic  # noqa: E402

# A visit with something in every section: a red flag, gaps, low readiness, notes, questions.
ANSWERS = {
    "safety": {"flags": ["fever"]},
    "history": {"tried-exercise": "no", "tried-manipulation": "no"},
    "understanding": {"injections-alone": "true", "usual-course": "not-sure"},
    "leaning": {"choice": "not-sure", "ready-settled": "no"},
    "questions": {"suggested": ["right-for-me", "cost-cover"], "own": "Can I keep working?"},
}


def timed(function, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def main(runs):
    call_command("migrate", verbosity=0)
    setup_test_environment()  # lets the test client talk to the app
    visit = Journey(Client(), Topic.objects.get(slug=SHIPPED_SLUG, translation_of=None)).finish(
        ANSWERS
    )
    sheet = build_sheet(visit)
    render_sheet_pdf(sheet)  # warm up: imports, fonts, template loading

    def whole():
        fresh = Visit.objects.select_related("topic").get(pk=visit.pk)
        return render_sheet_pdf(build_sheet(fresh))

    results = {
        "render only (template + WeasyPrint)": timed(lambda: render_sheet_pdf(sheet), runs),
        "build sheet from the database + render": timed(whole, runs),
    }
    print(f"{runs} renders each, A4, {len(render_sheet_pdf(sheet)):,} bytes per PDF")
    for name, times in results.items():
        print(
            f"{name}: median {statistics.median(times):.3f} s, "
            f"min {min(times):.3f} s, max {max(times):.3f} s"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
