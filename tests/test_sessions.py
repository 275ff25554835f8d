"""The session store reads sessions as Django's database store does."""

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from decisionaid.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_app_uses_it():
    assert settings.SESSION_ENGINE == "decisionaid.sessions"


def test_a_saved_session_reads_back_the_same_as_djangos_store():
    saved = SessionStore()
    saved["visit_id"] = 42
    saved["text_size"] = "lg"
    saved.save()
    mine = SessionStore(saved.session_key)
    assert dict(mine.items()) == {"visit_id": 42, "text_size": "lg"}
    assert mine.session_key == saved.session_key
    assert dict(DjangoStore(saved.session_key).items()) == dict(mine.items())
    row, djangos = (
        store(saved.session_key)._get_session_from_db() for store in (SessionStore, DjangoStore)
    )
    assert (row.session_key, row.session_data) == (djangos.session_key, djangos.session_data)
    assert row.expire_date == djangos.expire_date and row.expire_date.tzinfo is not None


def test_an_expired_session_reads_as_empty_and_its_key_is_dropped():
    saved = SessionStore()
    saved["visit_id"] = 42
    saved.save()
    Session.objects.filter(session_key=saved.session_key).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1)
    )
    mine = SessionStore(saved.session_key)
    assert mine.get("visit_id") is None
    assert mine.session_key is None


@pytest.mark.parametrize(
    "key", ["nosuchsessionkey", "x" * 5000, "'; DROP TABLE django_session; --"]
)
def test_an_unknown_or_hostile_key_reads_as_empty(key):
    mine = SessionStore(key)
    assert mine.get("visit_id") is None
    assert mine.session_key is None
    assert Session.objects.count() == 0  # the table is still there, and nothing was created


def test_a_flushed_session_cannot_be_read_again():
    saved = SessionStore()
    saved["visit_id"] = 42
    saved.save()
    key = saved.session_key
    saved.flush()
    assert SessionStore(key).get("visit_id") is None
