from unittest import mock

import pytest
from django.db import DatabaseError

pytestmark = pytest.mark.django_db


def test_healthz_reports_a_working_database(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_fails_when_the_database_does_not_answer(client):
    with mock.patch("home.views.connection.cursor", side_effect=DatabaseError("gone")):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
