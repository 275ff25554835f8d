"""Staff on shared front-desk computers: fresh sessions that end when idle, after a working day or
with the browser; find-by-code throttled and logged; sign-in limits per address; and a log of
who read which sheet."""

import datetime
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from decisionaid.models import ApiKey, SheetAccess
from decisionaid.staff_sessions import SIGNED_IN_AT
from tests.clients import Client
from tests.visits import Journey

PASSWORD = "correct horse battery staple"
LOCKOUT = "Too many failed sign-in attempts."


@pytest.fixture
def desk(db, staff_groups_db):
    user = get_user_model().objects.create_user("desk", password=PASSWORD)
    user.groups.add(staff_groups_db["front desk"])
    return user


@pytest.fixture
def staff_groups_db(db):
    from django.contrib.auth.models import Group

    return {g.name: g for g in Group.objects.all()}


def sign_in(client, username="desk", password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


# --- sessions ---


def test_signing_in_on_the_tablet_starts_a_fresh_session(client, desk, shipped_topic):
    client.post(reverse("journey:text_size"), {"size": "xl", "next": "/"})
    visit = Journey(client, shipped_topic).through("history")
    assert client.session["visit_id"] == visit.pk
    assert sign_in(client).status_code == 302
    assert "visit_id" not in client.session and "text_size" not in client.session
    assert client.session["_auth_user_id"] == str(desk.pk)
    # The patient's pages no longer open in this session.
    assert client.get(reverse("journey:resume"))["Location"] == "/"


def test_a_staff_session_ends_with_the_browser_and_after_the_idle_time(client, desk, settings):
    response = sign_in(client)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    client.get(reverse("staff:visits"))
    assert client.session.get_expiry_age() == settings.DECISIONAID_STAFF_IDLE_MINUTES * 60 == 1800


def test_a_staff_session_ends_after_a_working_day(client, desk, settings):
    sign_in(client)
    session = client.session
    hours = settings.DECISIONAID_STAFF_MAX_HOURS
    signed_in = timezone.now() - datetime.timedelta(hours=hours, minutes=1)
    session[SIGNED_IN_AT] = signed_in.timestamp()
    session.save()
    response = client.get(reverse("staff:visits"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "You were signed in for a whole working day" in response.text
    assert "_auth_user_id" not in client.session


def test_within_the_working_day_staff_stay_signed_in(client, desk, settings):
    sign_in(client)
    session = client.session
    session[SIGNED_IN_AT] = (timezone.now() - datetime.timedelta(hours=9)).timestamp()
    session.save()
    assert client.get(reverse("staff:visits")).status_code == 200


# --- find by code ---


def test_find_by_code_is_throttled_per_user_and_each_lookup_is_logged(
    client, desk, settings, caplog
):
    settings.DECISIONAID_FIND_PER_MINUTE = 3
    sign_in(client)
    with caplog.at_level(logging.INFO, logger="decisionaid.staff"):
        for _ in range(3):
            assert client.get(reverse("staff:find"), {"code": "ABC234"}).status_code == 200
        refused = client.get(reverse("staff:find"), {"code": "ABC234"})
    assert refused.status_code == 429
    assert "Too many look-ups in one minute" in refused.text
    lookups = [r.getMessage() for r in caplog.records if "Find by code" in r.getMessage()]
    assert lookups[:3] == ["Find by code: desk looked up 'ABC234': not found"] * 3
    assert "desk was refused" in lookups[3]
    # Another member of staff is not held up.
    other = get_user_model().objects.create_user("nurse", password=PASSWORD)
    other.groups.add(desk.groups.get())
    colleague = Client()
    sign_in(colleague, "nurse")
    assert colleague.get(reverse("staff:find"), {"code": "ABC234"}).status_code == 200


# --- sign-in limits ---


def test_one_address_trying_many_usernames_is_locked_out(client, desk, settings):
    settings.DECISIONAID_LOGIN_ADDRESS_LIMIT = 8
    for i in range(8):  # under the per-username limit each, over the address limit in all
        assert sign_in(client, f"guess{i % 4}", "wrong").status_code == 200
    refused = sign_in(client)  # even the right password, from this address
    assert refused.status_code == 429
    assert LOCKOUT in refused.text
    assert "_auth_user_id" not in client.session


def test_a_few_failures_from_one_address_lock_no_one_else_out(client, desk, settings):
    settings.DECISIONAID_LOGIN_ADDRESS_LIMIT = 8
    for i in range(4):
        sign_in(client, f"guess{i}", "wrong")
    assert sign_in(client).status_code == 302


# --- who read which sheet ---


def test_every_sheet_pdf_and_fhir_read_is_logged(client, desk, visits):
    visit = visits.finish()
    staff = Client()
    sign_in(staff)
    staff.get(reverse("staff:sheet", args=[visit.token]))
    staff.get(reverse("staff:sheet_pdf", args=[visit.token]))
    staff.get(reverse("staff:sheet_fhir", args=[visit.token]))
    key = ApiKey(name="EHR integration")
    secret = key.set_new_key()
    key.save()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get(f"/api/fhir/QuestionnaireResponse?identifier={visit.code}").status_code == 200
    logged = [
        (a.reader, a.kind, a.visit_code, a.user_id)
        for a in SheetAccess.objects.order_by("at", "pk")
    ]
    assert logged == [
        ("desk", "sheet", visit.code, desk.pk),
        ("desk", "pdf", visit.code, desk.pk),
        ("desk", "fhir", visit.code, desk.pk),
        ("API key EHR integration", "api", visit.code, None),
    ]


def test_only_superusers_read_the_access_log_and_no_one_edits_it(desk, settings):
    SheetAccess.objects.create(kind="sheet", visit_code="ABC234", user=desk, reader="desk")
    url = f"/{settings.ADMIN_PATH}decisionaid/sheetaccess/"
    boss = Client()
    boss.force_login(get_user_model().objects.create_superuser("boss", password=PASSWORD))
    page = boss.get(url)
    assert page.status_code == 200 and "ABC234" in page.text
    assert boss.get(url + "add/").status_code == 403
    editor = Client()
    editor.force_login(get_user_model().objects.create_user("ed", is_staff=True))
    assert editor.get(url).status_code == 403


def test_the_access_log_is_purged_after_its_retention(desk, settings):
    settings.DECISIONAID_ACCESS_LOG_DAYS = 30
    old = timezone.now() - datetime.timedelta(days=31)
    SheetAccess.objects.create(kind="sheet", visit_code="OLD234", reader="desk", at=old)
    SheetAccess.objects.create(kind="pdf", visit_code="NEW234", reader="desk")
    call_command("purge_visits", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(SheetAccess.objects.values_list("visit_code", flat=True)) == ["NEW234"]
