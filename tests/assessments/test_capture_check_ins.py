"""Check-ins: mailed once each, 3 and 6 months on, in the participant's language, by the real worker
too; the mailed link lets them update each KPST, and a forged, expired or tampered one changes
nothing."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_tasks_db.models import DBTaskResult

from assessments import capture
from assessments.capture_models import CaptureItem, CapturePlan, CheckIn, ItemUpdate
from assessments.capture_reminders import send_check_in
from tests.assessments.capture_kit import make_capture_site
from tests.factories import make_enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def submit(user, offering, descriptions=("Classifying chemicals", "Screening end users")):
    target = timezone.localdate() + timedelta(days=60)
    items = [
        capture.ItemData(kind=kind, description=text, application="In the faculty's licensing clinic",
                         target_date=target, obstacles=["human"])
        for kind, text in zip(("skill", "practice"), descriptions, strict=False)
    ]
    return capture.save_plan(user, capture.Context(offering=offering), items, revision=0, submit=True).plan


@pytest.fixture
def built(site_tree):
    built = make_capture_site(site_tree, preferred_language="uk", time_zone="Asia/Almaty")
    built.plan = submit(built.student, built.offering)
    built.three, built.six = built.plan.check_ins.order_by("due")
    return built


def link_in(message):
    return re.search(r"https?://\S+/capture/check-in/\S+/", message.body).group(0)


def path_of(url):
    return "/" + url.split("/", 3)[3]


def snapshot():
    return (
        sorted(CaptureItem.objects.values_list("pk", "status", "dropped_reason")),
        sorted(ItemUpdate.objects.values_list("item_id", "check_in_id", "status", "note")),
        sorted(CheckIn.objects.values_list("pk", "answered_at")),
    )


# Mails -----------------------------------------------------------------------------------------


def test_a_check_in_is_mailed_once_in_the_participants_language(built):
    assert send_check_in.call(built.three.pk) == 1
    assert send_check_in.call(built.three.pk) == 0  # a replayed task mails nobody twice
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [built.student.email]
    assert "/uk/capture/check-in/" in message.body
    assert "Classifying chemicals" in message.body and "Screening end users" in message.body
    with translation.override("uk"), timezone.override("Asia/Almaty"):
        submitted = date_format(timezone.localtime(built.plan.submitted_at), "DATE_FORMAT")
    assert submitted in message.body
    built.three.refresh_from_db()
    assert built.three.sent_at is not None


def test_each_check_in_has_its_own_mail(built):
    assert send_check_in.call(built.three.pk) == send_check_in.call(built.six.pk) == 1
    assert len(mail.outbox) == 2 and link_in(mail.outbox[0]) != link_in(mail.outbox[1])


def test_a_plan_deleted_meanwhile_sends_nothing(built):
    check_in_id = built.three.pk
    built.plan.delete()
    assert send_check_in.call(check_in_id) == 0
    assert mail.outbox == []


def test_a_participant_without_an_address_gets_nothing_and_nothing_is_recorded(built):
    built.student.email = ""
    built.student.save()
    assert send_check_in.call(built.three.pk) == 0
    built.three.refresh_from_db()
    assert built.three.sent_at is None


def test_a_mail_that_fails_is_not_recorded_as_sent(built):
    with mock.patch("assessments.capture_reminders.send_mail", side_effect=OSError("SMTP down")):
        with pytest.raises(OSError):
            send_check_in.call(built.three.pk)
    built.three.refresh_from_db()
    assert built.three.sent_at is None
    assert send_check_in.call(built.three.pk) == 1  # the retry sends it


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_sends_each_check_in_once(site_tree):
    built = make_capture_site(site_tree)
    plan = submit(built.student, built.offering)  # queued when the (auto)commit happens
    assert sorted(DBTaskResult.objects.values_list("run_after", flat=True)) == sorted(
        plan.check_ins.values_list("due_at", flat=True)
    )
    work()
    assert mail.outbox == []  # three months are not up yet
    three = plan.check_ins.get(due=3)
    DBTaskResult.objects.filter(args_kwargs__args=[three.pk]).update(run_after=timezone.now() - timedelta(minutes=1))
    work()
    assert len(mail.outbox) == 1
    send_check_in.using(run_after=None).enqueue(three.pk)  # queued twice: still one mail
    work()
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2


def work():
    call_command("db_worker", "--backend", "queue", "--batch", "--no-startup-delay", verbosity=0)


# The check-in page -----------------------------------------------------------------------------


def check_in_url(check_in):
    return reverse("capture:check_in", args=[capture.check_in_token(check_in)])


def answers(items, statuses, **extra):
    data = {
        "answers-TOTAL_FORMS": str(len(items)), "answers-INITIAL_FORMS": str(len(items)),
        "answers-MIN_NUM_FORMS": "0", "answers-MAX_NUM_FORMS": "200",
    }
    for index, (item, status) in enumerate(zip(items, statuses, strict=True)):
        data[f"answers-{index}-item"] = str(item if isinstance(item, int) else item.pk)
        data[f"answers-{index}-status"] = status
    data.update(extra)
    return data


def test_the_mailed_link_opens_the_check_in_without_signing_in(client, built):
    send_check_in.call(built.three.pk)
    with translation.override("uk"):
        response = client.get(path_of(link_in(mail.outbox[0])))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Classifying chemicals" in page and "Screening end users" in page


def test_answering_records_each_status_and_answering_again_revises_it(client, built):
    items = list(built.plan.items.order_by("pk"))
    url = check_in_url(built.three)
    response = client.post(url, answers(items, ["in-progress", "operational"], **{"answers-0-note": "Piloting"}))
    assert response.status_code == 302
    assert [item.status for item in built.plan.items.order_by("pk")] == ["in-progress", "operational"]
    updates = sorted(ItemUpdate.objects.values_list("status", "note"))
    assert updates == [("in-progress", "Piloting"), ("operational", "")]
    built.three.refresh_from_db()
    assert built.three.answered_at is not None
    assert "your check-in is recorded" in client.get(url).content.decode()
    client.post(url, answers(items, ["operational", "operational"]))
    assert ItemUpdate.objects.count() == 2
    client.post(check_in_url(built.six), answers(items, ["sustained", "operational"]))
    assert ItemUpdate.objects.count() == 4
    assert [item.status for item in built.plan.items.order_by("pk")] == ["sustained", "operational"]


def test_dropping_needs_a_reason_and_nothing_is_saved_without_one(client, built):
    items = list(built.plan.items.order_by("pk"))
    before = snapshot()
    response = client.post(check_in_url(built.three), answers(items, ["operational", "dropped"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Say why you dropped it" in page and "Nothing was saved." in page
    assert 'value="operational" id="id_answers-0-status_2" checked' in page  # the choice made is kept
    assert snapshot() == before
    body = answers(items, ["operational", "dropped"], **{"answers-1-dropped_reason": "No budget this year"})
    assert client.post(check_in_url(built.three), body).status_code == 302
    dropped = built.plan.items.order_by("pk")[1]
    assert (dropped.status, dropped.dropped_reason) == ("dropped", "No budget this year")


def test_an_item_of_another_plan_is_refused_and_nothing_changes(client, built):
    other = submit(make_enrolment(built.offering).user, built.offering, descriptions=("Theirs",))
    foreign = other.items.get()
    mine = built.plan.items.order_by("pk")[0]
    before = snapshot()
    response = client.post(check_in_url(built.three), answers([mine, foreign.pk], ["operational", "sustained"]))
    assert response.status_code == 400
    assert snapshot() == before
    garbage = answers([mine], ["operational"], **{"answers-0-item": "x"})
    assert client.post(check_in_url(built.three), garbage).status_code == 400
    with pytest.raises(capture.ForeignItem):
        capture.record_check_in(built.three, [capture.Answer(item_id=foreign.pk, status="sustained")])
    assert snapshot() == before


def test_a_forged_link_gets_a_clear_page(client, built):
    token = capture.check_in_token(built.three)
    response = client.get(reverse("capture:check_in", args=[token[:-2] + "xx"]))
    assert response.status_code == 400
    assert "This check-in link is not valid." in response.content.decode()
    other_salt = reverse("capture:check_in", args=["eyJjIjoxfQ:1tX:abc"])
    assert client.get(other_salt).status_code == 400


def test_an_expired_link_gets_a_clear_page_and_changes_nothing(client, built):
    long_ago = time.time() - timedelta(days=121).total_seconds()
    with mock.patch("django.core.signing.time.time", return_value=long_ago):
        token = capture.check_in_token(built.three)
    url = reverse("capture:check_in", args=[token])
    response = client.get(url)
    assert response.status_code == 410
    assert "This check-in link has expired." in response.content.decode()
    before = snapshot()
    assert client.post(url, answers(list(built.plan.items.all()), ["operational", "operational"])).status_code == 410
    assert snapshot() == before


def test_the_link_of_a_deleted_plan_says_so(client, built):
    url = check_in_url(built.three)
    CapturePlan.objects.all().delete()
    response = client.get(url)
    assert response.status_code == 400 and "no longer exists" in response.content.decode()


def test_the_plan_page_gives_its_owner_a_fresh_link_once_the_check_in_is_sent(client, built):
    client.force_login(built.student)
    url = reverse("capture:offering_plan", args=[built.offering.slug])
    assert "check-in/" not in client.get(url).content.decode()
    send_check_in.call(built.three.pk)
    page = client.get(url).content.decode()
    link = re.search(r'href="(/en/capture/check-in/[^"]+)"', page).group(1)
    assert client.get(link).status_code == 200
