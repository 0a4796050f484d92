"""Who takes part in an offering, as its professors see them and export them."""

import csv

from django.utils.translation import gettext as _

from .models import Enrolment

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def enrolments_of(offering):
    return offering.enrolments.select_related("user").order_by("user__last_name", "user__first_name", "user__username")


def pending_requests(offering):
    return enrolments_of(offering).filter(role=Enrolment.Role.STUDENT, status=Enrolment.Status.PENDING)


def participants(offering):
    """Everyone in the offering except requests still waiting for a decision."""
    return enrolments_of(offering).exclude(role=Enrolment.Role.STUDENT, status=Enrolment.Status.PENDING)


def display_name(user):
    return user.get_full_name() or user.get_username()


def neutralise(value):
    """``value`` as text a spreadsheet shows as written, never evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value):
        return value


def csv_lines(offering):
    """The offering's enrolments as CSV lines, UTF-8 with a byte order mark so spreadsheets read
    the partner languages' scripts correctly; built one row at a time for large cohorts."""
    header = [_("Name"), _("Username"), _("Email"), _("Role"), _("Status"), _("Requested at")]
    return _lines(offering, header)


def _lines(offering, header):
    writer = csv.writer(_Echo())
    yield BOM
    yield writer.writerow(header)
    for enrolment in enrolments_of(offering).iterator(chunk_size=500):
        user = enrolment.user
        yield writer.writerow([
            neutralise(cell)
            for cell in (
                display_name(user),
                user.get_username(),
                user.email,
                enrolment.get_role_display(),
                enrolment.get_status_display(),
                enrolment.created_at.isoformat(timespec="seconds"),
            )
        ])
