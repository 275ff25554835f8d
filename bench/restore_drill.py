"""Backup and restore drill: back the database up, restore it as a new one, and check that every
finished visit's discussion sheet reads the same from both.

    python bench/restore_drill.py                         # after bench/load.py: database `bench`
    python bench/restore_drill.py --source "$DATABASE_URL"   # a clinic's own database

PostgreSQL: `pg_dump --format=custom`, then `pg_restore --no-owner --exit-on-error` into a new
database `<name>_restore_drill` on the same server (the role needs CREATEDB). SQLite: SQLite's
online backup into a new file. Then, for each database, a separate Python process with
DATABASE_URL pointing at it renders every finished visit's sheet with the app's own
decisionaid.sheet.build_sheet and the staff/sheet.html template, and counts the rows of every
table. The two must be identical, and there must be sheets to compare; anything else exits 1
and shows the first difference. A drill that passed drops its restored copy.

Run it when no patient is using the app (a visit finished between the backup and the
comparison would differ, rightly).
"""

import argparse
import difflib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BENCH = "postgresql://app:app@localhost:5432/bench"


def render(database_url):
    """{"sheets": {code: html}, "rows": {table: count}} from this database, in a process of
    its own (Django is configured once per process)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DATABASE_URL": database_url,
        # Only templates are rendered, no server runs: debug settings need no collected static
        # files, and both databases are rendered alike.
        "DJANGO_DEBUG": "1",
    }
    env.pop("PYTEST_VERSION", None)
    result = subprocess.run(
        [sys.executable, __file__, "--render"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"RESTORE DRILL FAILED: could not render {database_url}\n{result.stderr}")
    return json.loads(result.stdout)


def render_here():
    """The --render side: runs with DATABASE_URL set."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "decisionaid.settings")
    import django

    django.setup()
    from django.apps import apps
    from django.template.loader import render_to_string

    from decisionaid.models import Visit
    from decisionaid.sheet import build_sheet

    visits = Visit.objects.finished().select_related("topic").order_by("code")
    sheets = {
        v.code: render_to_string("staff/sheet.html", {"sheet": build_sheet(v)}) for v in visits
    }
    models = apps.get_models(include_auto_created=True)
    rows = {m._meta.db_table: m._default_manager.count() for m in models}
    json.dump({"sheets": sheets, "rows": rows}, sys.stdout)


def with_name(database_url, name):
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def restore_postgres(source, folder):
    dump = folder / "drill.dump"
    target = with_name(source, urlsplit(source).path.lstrip("/") + "_restore_drill")
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", source], check=True)
    name = urlsplit(target).path.lstrip("/")
    with psycopg.connect(source, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target}", str(dump)],
        check=True,
    )
    print(f"pg_dump: {dump.stat().st_size:,} bytes; restored into {name}")
    return target


def drop_postgres(source, target):
    with psycopg.connect(source, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{urlsplit(target).path.lstrip("/")}" WITH (FORCE)')


def restore_sqlite(source, folder):
    copy = folder / "drill.sqlite3"
    with sqlite3.connect(source.removeprefix("sqlite:///")) as live, sqlite3.connect(copy) as new:
        live.backup(new)
    print(f"SQLite backup: {copy.stat().st_size:,} bytes")
    return f"sqlite:///{copy}"


def compare(original, restored):
    """What differs between the two renderings, as lines to print; empty when identical."""
    problems = []
    if original["rows"] != restored["rows"]:
        problems.append(f"rows differ: {original['rows']} != {restored['rows']}")
    codes, restored_codes = set(original["sheets"]), set(restored["sheets"])
    if codes != restored_codes:
        problems.append(f"sheets only in the original: {sorted(codes - restored_codes)}")
        problems.append(f"sheets only in the restored copy: {sorted(restored_codes - codes)}")
    for code in sorted(codes & restored_codes):
        if original["sheets"][code] != restored["sheets"][code]:
            diff = difflib.unified_diff(
                original["sheets"][code].splitlines(),
                restored["sheets"][code].splitlines(),
                "original",
                "restored",
                lineterm="",
            )
            problems += [f"sheet {code} differs:", *list(diff)[:40]]
            break
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", default=BENCH, help="DATABASE_URL of the database to drill")
    parser.add_argument("--render", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.render:
        render_here()
        return 0
    folder = Path(tempfile.mkdtemp(prefix="restore-drill-"))
    sqlite = args.source.startswith("sqlite:///")
    target = (restore_sqlite if sqlite else restore_postgres)(args.source, folder)
    original, restored = render(args.source), render(target)
    problems = compare(original, restored)
    if not original["sheets"]:
        problems.append("no finished visits to compare: run bench/load.py first")
    if problems:
        print("RESTORE DRILL FAILED", *problems, sep="\n", file=sys.stderr)
        print(f"kept for a look: {folder} and {target}", file=sys.stderr)
        return 1
    shutil.rmtree(folder)
    if not sqlite:
        drop_postgres(args.source, target)
    answers = original["rows"].get("decisionaid_answer", 0)
    print(
        f"restore drill passed: {len(original['sheets'])} discussion sheets identical, "
        f"{sum(original['rows'].values()):,} rows in {len(original['rows'])} tables "
        f"({answers:,} answers) identical"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
