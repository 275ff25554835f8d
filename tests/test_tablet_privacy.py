"""Nothing of one patient is left on the shared tablet for the next."""

import datetime

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from decisionaid.models import Answer
from tests.conftest import stage_url

# --- server side (Django test client) ---


def test_patient_pages_are_never_cached(client, journey):
    journey.through("questions")
    for url in ["/", stage_url("history"), stage_url("learn"), reverse("journey:review")]:
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_a_patient_session_expires_after_the_idle_limit(client, journey, settings):
    journey.start()
    assert client.session.get_expiry_age() == settings.DECISIONAID_PATIENT_IDLE_SECONDS == 1800


def test_the_server_ends_a_session_left_idle_too_long(client, journey):
    visit = journey.through("history")
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(stage_url("learn"), follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Your visit has ended" in response.text
    assert Answer.objects.filter(visit=visit, stage="history").exists()


def test_activity_keeps_the_session_alive(client, journey):
    journey.through("history")
    session = client.session
    session["seen"] = 0  # last refreshed long ago
    session.save()
    before = Session.objects.get().expire_date
    client.get(stage_url("learn"))
    assert Session.objects.get().expire_date > before
