"""Participation reports: how many people from each country, institution or stakeholder kind took
part in the network's activities, month by month, quarter by quarter or year by year.

Like the ecosystem's links, each activity is a ``ParticipationSource`` registered by the app that
owns its data (enrolled students by course, seminar attendance by lessons; accepted invitations
here). A source answers one aggregated query: people counted once per (home institution, period
bucket). A person counts at their home institution (their profile's), so rows for a country or a
kind add up the institutions' counts. People who named no institution from the list are counted
apart, in the report's "institution not given" line.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count
from django.db.models.functions import Coalesce, TruncMonth, TruncQuarter, TruncYear
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .ecosystem import Period
from .institution_names import names_in_language
from .models import Institution
from .spreadsheets import BOM, csv_writer, neutralise

GROUPS = {
    "country": _("Country"),
    "institution": _("Institution"),
    "kind": _("Stakeholder kind"),
}
GRANULARITIES = {
    "month": (_("Month"), TruncMonth),
    "quarter": (_("Quarter"), TruncQuarter),
    "year": (_("Year"), TruncYear),
}
UNKNOWN = "-"



@dataclass(frozen=True)
class ParticipationSource:
    """One activity. ``rows(period, bucket)`` answers ``(home institution id or None, bucket
    start, people)``, where ``bucket(field)`` truncates a date field to the report's periods."""

    activity: str
    label: str
    rows: object
    order: int = 100


_sources = {}


def register(source):
    _sources[source.activity] = source


def sources():
    return sorted(_sources.values(), key=lambda source: (source.order, source.activity))


def accepted_invitations(period, bucket):
    from .models import InvitationAcceptance

    return (
        InvitationAcceptance.objects.filter(period.on("accepted_at"))
        .annotate(home=Coalesce("person__profile__institution_id", "invitation__institution_id"),
                  when=bucket("accepted_at"))
        .values_list("home", "when")
        .annotate(people=Count("person_id", distinct=True))
        .order_by()
    )


def may_see(user):
    """Who reads the participation reports: superusers and the coordinators of any institution.
    Every line is a count over an institution or more, never a person."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    from .models import Membership

    return Membership.objects.filter(person=user, role=Membership.Role.COORDINATOR).exists()


register(ParticipationSource("invitation", _("Accepted invitations"), accepted_invitations, order=30))


@dataclass(frozen=True)
class ReportRequest:
    group: str = "country"
    granularity: str = "quarter"
    period: Period = Period()
    countries: tuple = ()
    kinds: tuple = ()


@dataclass
class Line:
    bucket: date
    key: object
    label: str
    country: str
    kind: str
    counts: dict

    @property
    def total(self):
        return sum(self.counts.values())


def bucket_start(value):
    if isinstance(value, datetime):
        return value.date()
    return value


def period_label(start, granularity):
    if start is None:
        return gettext("No date")
    if granularity == "year":
        return str(start.year)
    if granularity == "quarter":
        return gettext("Q%(quarter)s %(year)s") % {"quarter": (start.month - 1) // 3 + 1, "year": start.year}
    return formats.date_format(start, "YEAR_MONTH_FORMAT")


def report(request):
    """The report's lines, sorted by period then label, and the activities (its columns)."""
    activities = sources()
    truncate = GRANULARITIES[request.granularity][1]
    institutions = {
        row["id"]: row for row in Institution.objects.values("id", "name", "country", "kind")
    }
    names = names_in_language() if request.group == "institution" else {}
    kind_labels = dict(Institution.Kind.choices)
    lines = {}
    for source in activities:
        for home, when, people in source.rows(request.period, truncate):
            institution = institutions.get(home)
            if institution is None:
                if request.countries or request.kinds:
                    continue
                key, label, country, kind = UNKNOWN, gettext("Institution not given"), "", ""
            else:
                country, kind = str(institution["country"]), institution["kind"]
                if (request.countries and country not in request.countries) or (
                    request.kinds and kind not in request.kinds
                ):
                    continue
                if request.group == "institution":
                    key, label = institution["id"], names.get(institution["id"], institution["name"])
                elif request.group == "kind":
                    key, label, country = kind, str(kind_labels.get(kind, kind)), ""
                else:
                    key, label, kind = country, countries.name(country) or country, ""
            start = bucket_start(when)
            line = lines.get((start, key))
            if line is None:
                line = lines[(start, key)] = Line(start, key, label, country, kind, {})
            line.counts[source.activity] = line.counts.get(source.activity, 0) + people
    ordered = sorted(lines.values(), key=lambda line: (line.bucket or date.min, line.key == UNKNOWN, line.label))
    for line in ordered:
        line.period = period_label(line.bucket, request.granularity)
        line.country_name = countries.name(line.country) if line.country else ""
        line.kind_label = str(kind_labels.get(line.kind, "")) if line.kind else ""
        line.cells = [line.counts.get(source.activity, 0) for source in activities]
    return ordered, activities


def csv_lines(request):
    """The report as CSV lines, UTF-8 with a byte order mark so spreadsheets read every script."""
    lines, activities = report(request)
    writer = csv_writer()
    header = [gettext("Period"), gettext("Period start"), str(GROUPS[request.group])]
    if request.group == "institution":
        header += [gettext("Country"), gettext("Stakeholder kind")]
    header += [str(source.label) for source in activities] + [gettext("Total")]
    yield BOM + writer.writerow(header)
    for line in lines:
        row = [line.period, line.bucket.isoformat() if line.bucket else "", line.label]
        if request.group == "institution":
            row += [line.country_name, line.kind_label]
        row += [*line.cells, line.total]
        yield writer.writerow([neutralise(cell) for cell in row])
