"""Who takes part in an offering, as its professors see them and export them."""

from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from network.models import Certificate
from network.spreadsheets import BOM, csv_writer, neutralise

from .completion import progress_of
from .models import Enrolment

CSV_BATCH = 500

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).


def enrolments_of(offering):
    return offering.enrolments.select_related("user").order_by("user__last_name", "user__first_name", "user__username")


def pending_requests(offering):
    """Requests waiting for a decision, oldest first: the first asked is the first answered."""
    return offering.enrolments.filter(role=Enrolment.Role.STUDENT, status=Enrolment.Status.PENDING).select_related(
        "user"
    ).order_by("created_at", "pk")


def participants(offering):
    """Everyone in the offering except requests still waiting for a decision."""
    return enrolments_of(offering).exclude(role=Enrolment.Role.STUDENT, status=Enrolment.Status.PENDING)


def with_standing(offering, enrolments):
    """Attach ``progress`` and ``certificate`` to each enrolment, in a fixed number of queries."""
    enrolments = list(enrolments)
    students = [e for e in enrolments if e.role == Enrolment.Role.STUDENT]
    progress = progress_of(offering, students)
    certificates = {
        certificate.source_id: certificate
        for certificate in Certificate.objects.filter(
            source_type=ContentType.objects.get_for_model(Enrolment), source_id__in=[e.pk for e in students]
        )
    }
    for enrolment in enrolments:
        enrolment.progress = progress.get(enrolment.pk)
        enrolment.certificate = certificates.get(enrolment.pk)
    return enrolments


def display_name(user):
    return user.get_full_name() or user.get_username()


def csv_lines(offering, absolute_url):
    """The offering's enrolments as CSV lines, UTF-8 with a byte order mark so spreadsheets read
    the partner languages' scripts correctly; built a batch at a time for large cohorts.
    ``absolute_url`` turns a path into a full URL (for the certificate verification links)."""
    header = [
        _("Name"), _("Username"), _("Email"), _("Role"), _("Status"), _("Requested at"),
        _("Progress (%)"), _("Done"), _("Required"), _("Completed at"), _("Certificate"),
    ]
    writer = csv_writer()
    yield BOM
    yield writer.writerow(header)
    for batch in _batches(enrolments_of(offering).iterator(chunk_size=CSV_BATCH), CSV_BATCH):
        for enrolment in with_standing(offering, batch):
            yield writer.writerow([neutralise(cell) for cell in _row(enrolment, absolute_url)])


def _row(enrolment, absolute_url):
    user, progress, certificate = enrolment.user, enrolment.progress, enrolment.certificate
    return (
        display_name(user),
        user.get_username(),
        user.email,
        enrolment.get_role_display(),
        enrolment.get_status_display(),
        enrolment.created_at.isoformat(timespec="seconds"),
        progress.percent if progress else "",
        progress.done if progress else "",
        progress.total if progress else "",
        enrolment.completed_at.isoformat(timespec="seconds") if enrolment.completed_at else "",
        absolute_url(certificate.get_absolute_url()) if certificate and certificate.is_valid else "",
    )


def _batches(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch
