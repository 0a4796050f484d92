import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from wagtail_localize.models import TranslationSource

from home import translation_status
from tests.factories import sync_language_trees, translate_page

pytestmark = pytest.mark.django_db


def test_statuses_missing_current_and_out_of_date(course_tree):
    lecture = course_tree.lectures[0]
    lecture.save_revision().publish()
    sync_language_trees("ro")  # an alias is still "missing"
    translate_page(lecture, "uk", title="Лекція")
    translate_page(lecture, "ru", title="Лекция")
    source, _ = TranslationSource.get_or_create_from_instance(lecture)

    report = translation_status.build_report()
    row = next(row for row in report.rows if row.page["id"] == lecture.pk)
    assert row.statuses["uk"] == "current"
    assert row.statuses["ro"] == "missing"

    # The source changes after the last sync: both translations fall behind.
    TranslationSource.objects.filter(pk=source.pk).update(last_updated_at=timezone.now() - datetime.timedelta(days=1))
    lecture.title = "Changed"
    lecture.save_revision().publish()
    report = translation_status.build_report()
    row = next(row for row in report.rows if row.page["id"] == lecture.pk)
    assert row.statuses["uk"] == "out_of_date"
    assert report.counts["uk"]["out_of_date"] == 1
    assert report.counts["ro"]["current"] == 0

    # Syncing the source (wagtail-localize's "Sync translated pages") makes it current again.
    source.update_from_db()
    report = translation_status.build_report(locale_codes=["uk"])
    row = next(row for row in report.rows if row.page["id"] == lecture.pk)
    assert row.statuses == {"uk": "current"}


def test_filter_by_status(course_tree):
    translate_page(course_tree.lectures[0], "uk", title="Лекція")
    report = translation_status.build_report(locale_codes=["uk"], status="current")
    assert [row.page["id"] for row in report.rows] == [course_tree.lectures[0].pk]


def test_report_page_in_the_admin(client, course_tree, django_assert_max_num_queries):
    translate_page(course_tree.lectures[0], "uk", title="Лекція")
    client.force_login(User.objects.create_superuser("editor", password="pw-editor-1"))
    with django_assert_max_num_queries(40):
        response = client.get("/admin/reports/translation-status/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Translation status" in html
    assert 'data-language="uk" data-status="current"' in html


def test_report_is_not_for_anonymous_or_non_admin_users(client, course_tree):
    response = client.get("/admin/reports/translation-status/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(User.objects.create_user("student", password="pw-student-1"))
    response = client.get("/admin/reports/translation-status/")
    assert response.status_code in (302, 403)
