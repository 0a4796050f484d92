"""A file of people to invite: every row checked first, each problem reported with its line, and a
file with one bad row invites nobody; a good one invites everyone in one batch, mailed in the
background."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from course.models import Enrolment
from network import invitation_csv, invitations
from network.invitation_targets import for_model
from network.models import Invitation
from tests.factories import make_enrolment
from tests.network.test_invitations import invite, make_invitation_only_offering

pytestmark = pytest.mark.django_db

FILE_BUDGET = 16  # 11, and one insert per 58 rows on SQLite (one in all on PostgreSQL); files stop at 500 rows
MAIL_BUDGET = 10  # the file, the claim of its unmailed rows, the languages, the target and its title once per language


@pytest.fixture
def offering(cast, site_tree):
    offering = make_invitation_only_offering(site_tree, cast.a, cohort="Kyiv spring cohort")
    make_enrolment(offering, user=cast.professor, role=Enrolment.Role.PROFESSOR)
    return offering


def read(offering, by, content):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return invitation_csv.read(data, for_model(type(offering)), offering, by)


def problems(offering, by, content):
    with pytest.raises(invitation_csv.FileRefused) as caught:
        read(offering, by, content)
    return [(error.line, str(error.message)) for error in caught.value.errors]


def test_a_good_file_is_read_with_its_institutions(cast, offering):
    content = (
        "\ufeffName;Email;Institution;Role\r\n"
        "Aigerim Sadykova;Aigerim@Example.org;uni-a;\r\n"
        "Giorgi Beridze;giorgi@example.org;ministry of economy;observer\r\n"
        "\r\n"
        "Ana Popescu;ana@example.org;Technical University of Moldova;Teaching assistant\r\n"
    )
    invitees = read(offering, cast.professor, content)
    assert [(i.email, i.institution, i.institution_name, i.role) for i in invitees] == [
        ("aigerim@example.org", cast.a, "", "student"),
        ("giorgi@example.org", cast.ministry, "", "observer"),
        ("ana@example.org", None, "Technical University of Moldova", "teaching-assistant"),
    ]


def test_columns_may_come_in_any_order_and_some_may_be_left_out(cast, offering):
    invitees = read(offering, cast.professor, "email,name\nana@example.org,\"Popescu, Ana\"\n")
    assert [(i.email, i.name, i.role) for i in invitees] == [("ana@example.org", "Popescu, Ana", "student")]


def test_every_bad_row_is_reported_with_its_line(cast, offering):
    invite(offering, "pending@example.org", by=cast.professor)
    content = (
        "name,email,institution,role\n"
        "Good Person,good@example.org,,student\n"
        "Bad Address,not-an-address,,student\n"
        "Unknown Role,role@example.org,,dean\n"
        "Twice,good@example.org,,student\n"
        "Pending,PENDING@example.org,,\n"
        "No Address,,,\n"
        f"{'x' * 151},long@example.org,,\n"
    )
    assert problems(offering, cast.professor, content) == [
        (3, "“not-an-address” is not an email address."),
        (4, "“dean” is not a role you can invite people as here (student, professor, teaching-assistant, observer)."),
        (5, "“good@example.org” is already on line 2."),
        (6, "“pending@example.org” already has an invitation here that has not been used yet."),
        (7, "The email address is missing."),
        (8, "The name is longer than 150 characters."),
    ]


def test_an_address_longer_than_the_column_is_a_row_error(cast, offering):
    long_address = f"{'a' * 243}@example.org"  # 255 characters, a valid address all the same
    content = f"name,email\nLong,{long_address}\nFits,{'b' * 242}@example.org\n"
    assert problems(offering, cast.professor, content) == [(2, "The email address is longer than 254 characters.")]


def test_a_teaching_assistant_cannot_invite_professors_by_file(cast, offering):
    assistant = make_enrolment(offering, role=Enrolment.Role.TEACHING_ASSISTANT).user
    assert problems(offering, assistant, "email,role\nprof@example.org,professor\n")[0][0] == 2


@pytest.mark.parametrize("content, line, fragment", [
    ("", 1, "The file is empty"),
    ("name,email\n", 1, "nobody to invite"),
    ("name,mail\nAna,ana@example.org\n", 1, "Unknown columns: mail"),
    ("Ana,ana@example.org\n", 1, "The first line must name the columns"),
    ("email,email\nana@example.org,ana@example.org\n", 1, "Columns named twice: email"),
    (b"name,email\nAna,ana@example.org\n" + "Zoë,zoe@example.org\n".encode("latin-1"), 3, "not in UTF-8"),
])
def test_a_file_that_cannot_be_read_says_why(cast, offering, content, line, fragment):
    reported = problems(offering, cast.professor, content)
    assert any(reported_line == line and fragment in message for reported_line, message in reported), reported


def test_too_many_rows_or_too_many_bytes_are_refused(cast, offering):
    rows = "".join(f"Person {n},person{n}@example.org,,\n" for n in range(invitation_csv.MAX_ROWS + 1))
    [(line, message)] = problems(offering, cast.professor, "name,email,institution,role\n" + rows)
    assert line == invitation_csv.MAX_ROWS + 2 and "at most 500" in message
    big = SimpleUploadedFile("big.csv", b"email\n" + b"a" * invitation_csv.MAX_BYTES)
    with pytest.raises(invitation_csv.FileRefused) as caught:
        invitation_csv.read(big, for_model(type(offering)), offering, cast.professor)
    assert "larger than 512 KB" in str(caught.value.errors[0].message)


def test_a_good_file_invites_everyone_at_once_and_the_worker_mails_them(
    django_capture_on_commit_callbacks, cast, offering
):
    content = "name,email,institution,role\n" + "".join(
        f"Person {n},person{n}@example.org,uni-b,\n" for n in range(3)
    )
    invitees = read(offering, cast.professor, content)
    with django_capture_on_commit_callbacks(execute=True):
        batch = invitations.invite_many(offering, invitees, by=cast.professor, days=30, language="uk")
    made = list(Invitation.objects.filter(batch=batch).order_by("email"))
    assert [invitation.email for invitation in made] == [f"person{n}@example.org" for n in range(3)]
    assert {invitation.institution for invitation in made} == {cast.b}
    assert mail.outbox == []  # the background worker sends them
    [queued] = DBTaskResult.objects.all()
    assert queued.args_kwargs["args"] == [str(batch), "uk"]
    assert invitations.send_batch.call(*queued.args_kwargs["args"]) == 3
    assert sorted(message.to[0] for message in mail.outbox) == [f"person{n}@example.org" for n in range(3)]
    assert all("/uk/invitations/accept/" in message.body for message in mail.outbox)


def test_the_batch_task_mails_only_invitations_still_pending(cast, offering):
    invitees = read(offering, cast.professor, "email\none@example.org\ntwo@example.org\n")
    batch = invitations.invite_many(offering, invitees, by=cast.professor)
    invitations.revoke(Invitation.objects.get(email="one@example.org"), cast.professor)
    assert invitations.send_batch.call(str(batch), "en") == 1
    assert [message.to for message in mail.outbox] == [["two@example.org"]]


def test_a_batch_task_that_runs_twice_mails_each_person_once(cast, offering):
    invitees = read(offering, cast.professor, "email\none@example.org\ntwo@example.org\n")
    batch = invitations.invite_many(offering, invitees, by=cast.professor)
    assert invitations.send_batch.call(str(batch), "en") == 2
    assert invitations.send_batch.call(str(batch), "en") == 0
    assert sorted(message.to[0] for message in mail.outbox) == ["one@example.org", "two@example.org"]
    assert not Invitation.objects.filter(mailed_at__isnull=True).exists()


def test_mails_that_could_not_go_out_are_sent_by_the_next_run(cast, offering, monkeypatch):
    invitees = read(offering, cast.professor, "email\none@example.org\n")
    batch = invitations.invite_many(offering, invitees, by=cast.professor)
    with monkeypatch.context() as patched:
        patched.setattr(invitations, "_send", lambda *args: (_ for _ in ()).throw(OSError("mail server down")))
        with pytest.raises(OSError):
            invitations.send_batch.call(str(batch), "en")
    assert Invitation.objects.get().mailed_at is None
    assert invitations.send_batch.call(str(batch), "en") == 1
    assert [message.to for message in mail.outbox] == [["one@example.org"]]


def test_a_file_racing_a_single_invitation_invites_nobody(cast, offering):
    invitees = read(offering, cast.professor, "email\none@example.org\ntwo@example.org\n")
    invite(offering, "two@example.org", by=cast.professor)  # between the check and the import
    with pytest.raises(invitations.InvitationRefused):
        invitations.invite_many(offering, invitees, by=cast.professor)
    assert list(Invitation.objects.values_list("email", flat=True)) == ["two@example.org"]


def test_a_file_costs_the_same_queries_for_ten_or_three_hundred_people(
    cast, offering, django_assert_max_num_queries
):
    for size in (10, 300):
        content = "name,email,institution,role\n" + "".join(
            f"Person {n},size{size}-{n}@example.org,{'uni-b' if n % 2 else 'Elsewhere'},observer\n"
            for n in range(size)
        )
        with django_assert_max_num_queries(FILE_BUDGET):
            invitees = read(offering, cast.professor, content)
            batch = invitations.invite_many(offering, invitees, by=cast.professor)
        with django_assert_max_num_queries(MAIL_BUDGET):
            assert invitations.send_batch.call(str(batch), "en") == size
