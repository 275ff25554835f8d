"""Saving at the same moment: two tabs on one visit, and a waiting room of tablets on SQLite.

The two tabs run on whichever database the suite runs on; on SQLite the test database is a file
(tests/conftest.py) with the app's own settings: WAL, IMMEDIATE transactions and a busy
timeout. The tablets always run on a fresh SQLite file, through gunicorn.
"""

import threading

import pytest
from django.db import connection

from bench import load
from decisionaid.models import Answer
from tests.clients import Client
from tests.visits import CALM_ANSWERS, Journey, stage_url

ROUNDS = 40
TABLETS = 12


def post_in_step(client, data, barrier, statuses):
    """One tab: wait for the other, then both press Continue at once; ROUNDS times."""
    try:
        for _ in range(ROUNDS):
            barrier.wait(timeout=30)
            statuses.append(client.post(stage_url("values"), data).status_code)
    finally:
        connection.close()  # this thread's own connection


@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_a_stage_at_once_leave_exactly_one_whole_answer_per_item(
    shipped_topic,
):
    first_tab = Client(raise_request_exception=False)
    visit = Journey(first_tab, shipped_topic).through("values")
    second_tab = Client(raise_request_exception=False)
    second_tab.cookies = first_tab.cookies  # the same browser: one session cookie
    answers_before = Answer.objects.filter(visit=visit).count()

    low = dict.fromkeys(CALM_ANSWERS["values"], "1")
    high = dict.fromkeys(CALM_ANSWERS["values"], "5")
    barrier = threading.Barrier(2)
    statuses = {"low": [], "high": []}
    tabs = [
        threading.Thread(target=post_in_step, args=(first_tab, low, barrier, statuses["low"])),
        threading.Thread(target=post_in_step, args=(second_tab, high, barrier, statuses["high"])),
    ]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(timeout=120)

    assert statuses == {"low": [302] * ROUNDS, "high": [302] * ROUNDS}
    rows = list(Answer.objects.filter(visit=visit, stage="values").values_list("key", "value"))
    keys = [key for key, _ in rows]
    assert sorted(keys) == sorted(CALM_ANSWERS["values"])
    assert {value for _, value in rows} in ({"1"}, {"5"}), "a mix of both tabs was stored"
    assert Answer.objects.filter(visit=visit).count() == answers_before


@pytest.mark.slow
def test_twelve_tablets_finishing_at_once_on_sqlite_lose_nothing(tmp_path):
    """Through gunicorn with threads on a fresh SQLite file, as a small clinic runs it: every
    tablet walks the journey and all press Finish at the same moment (bench/load.py)."""
    result = load.run(
        TABLETS,
        database="sqlite",
        db_name="tablets",
        servers=1,
        workers=2,
        threads=4,
        think=(0.05, 0.2),
        max_seconds=120,
        together=True,
        folder=tmp_path,
    )
    assert result.errors == []  # each names any answer other than 200 or 302, such as a 500
    assert result.outcome["visits"] == TABLETS + result.warmed
    assert result.outcome["unfinished"] == 0
    assert result.outcome["checked"] >= TABLETS * 35
    assert (result.outcome["lost"], result.outcome["wrong"]) == (0, 0)
