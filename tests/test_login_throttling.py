"""Staff sign-in throttling (django-axes): the admin login now, the staff login page later."""

import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model

PASSWORD = "correct horse battery staple"
LOCKOUT = "Too many failed sign-in attempts. Try again in 15 minutes or ask your manager."


@pytest.fixture
def manager(db):
    return get_user_model().objects.create_user(
        "manager", password=PASSWORD, is_staff=True, is_superuser=True
    )


def sign_in(client, password, username="manager"):
    return client.post(
        "/admin/login/", {"username": username, "password": password, "next": "/admin/"}
    )


def test_the_right_password_signs_a_manager_in(client, manager):
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(manager.pk)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, manager):
    for _ in range(4):
        response = sign_in(client, "wrong")
        assert response.status_code == 200
        assert b"Please enter the correct username and password" in response.content
    fifth = sign_in(client, "wrong")
    response = sign_in(client, PASSWORD)
    for refused in (fifth, response):
        assert refused.status_code == 429
        assert LOCKOUT in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_for_one_username_leaves_colleagues_able_to_sign_in(client, manager):
    get_user_model().objects.create_user("nurse", password=PASSWORD, is_staff=True)
    for _ in range(5):
        sign_in(client, "wrong")
    response = sign_in(client, PASSWORD, username="nurse")
    assert response.status_code == 302


def test_failed_sign_ins_are_logged_with_the_username(client, manager, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        sign_in(client, "wrong")
    failures = [r for r in caplog.records if "login failure" in r.getMessage()]
    assert failures
    assert 'username: "manager"' in failures[0].getMessage()
    assert "wrong" not in failures[0].getMessage()


def test_the_lockout_page_uses_the_configured_minutes(client, manager, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = settings.AXES_COOLOFF_TIME * 2
    sign_in(client, "wrong")
    response = sign_in(client, "wrong")
    assert response.status_code == 429
    assert "Try again in 30 minutes" in response.content.decode()


def test_a_very_long_username_is_refused_politely_and_recorded_cut_short(client, manager):
    client.raise_request_exception = False
    response = sign_in(client, "wrong", username="a" * 60_000)  # under the body limit
    assert response.status_code == 200
    assert b"Please enter the correct username and password" in response.content
    assert AccessAttempt.objects.get().username == "a" * 255
