"""Nothing of one patient is left on the shared tablet for the next."""

import datetime

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from decisionaid.models import Answer
from tests.clients import Client
from tests.visits import Journey, stage_url

# --- server side (Django test client) ---


def test_every_page_that_may_hold_answers_is_never_stored(client, journey, make_staff):
    """After "Hand the tablet back", the browser's Back button must show nothing of the last
    patient: every page but the two public read-only ones is sent with no-store."""
    visit = journey.finish()
    saving = Client()
    Journey(saving, journey.topic).start()
    staff = make_staff("clinician")
    pages = [
        (client, "/"),
        (client, stage_url("history")),
        (client, stage_url("learn")),
        (client, reverse("journey:review")),
        (client, reverse("journey:finished")),
        (client, "/no-such-page/"),
        (client, "/admin/login/"),
        (staff, visit.get_absolute_url()),
        (staff, reverse("staff:sheet_pdf", kwargs={"token": visit.token})),
        (staff, reverse("staff:visits")),
    ]
    for browser, url in pages:
        assert "no-store" in browser.get(url)["Cache-Control"], url
    redirect_after_saving = saving.post(stage_url("safety"), {"flags": ["none"]})
    assert redirect_after_saving.status_code == 302
    assert "no-store" in redirect_after_saving["Cache-Control"]
    for public in ["/about/", journey.topic.get_absolute_url()]:
        assert "no-store" not in client.get(public).get("Cache-Control", ""), public


def test_a_patient_session_reaches_only_its_own_visit(client, journey, shipped_topic):
    mine = journey.finish()
    other = Client()
    theirs = Journey(other, shipped_topic).through("history", {"safety": {"flags": ["fever"]}})
    # The other tablet's red flag and code are nowhere on this one.
    assert client.get(reverse("journey:safety_alert"))["Location"] == reverse("journey:finished")
    page = client.get(reverse("journey:finished")).text
    assert mine.code in page and theirs.code not in page
    assert not Answer.objects.filter(visit=mine, outcome="flag").exists()
    # Nor can a patient's session open any staff page, for either visit.
    for visit in (mine, theirs):
        response = client.get(visit.get_absolute_url())
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_server_ends_a_session_left_idle_too_long(client, journey):
    visit = journey.through("history")
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(stage_url("learn"), follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Your visit has ended" in response.text
    assert Answer.objects.filter(visit=visit, stage="history").exists()


def test_activity_keeps_the_session_alive(client, journey, settings):
    journey.through("history")
    soon = timezone.now() + datetime.timedelta(minutes=1)
    Session.objects.update(expire_date=soon)  # as if the patient had been idle a while
    client.get(stage_url("learn"))
    expires = Session.objects.get().expire_date
    idle_limit = datetime.timedelta(seconds=settings.DECISIONAID_PATIENT_IDLE_SECONDS)
    assert expires > timezone.now() + idle_limit - datetime.timedelta(minutes=1)
