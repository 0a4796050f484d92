"""Capacity Capture: who may record a plan of KPSTs, saving it without losing or doubling anything,
the check-ins that follow it, and the reports built from them.

A plan belongs to one context: an offering, a module taken in an offering, or a seminar series
(its source page, whichever language it was read in).
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice

from django.apps import apps
from django.core import signing
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from course.enrolment import home_institution, is_staff_of
from course.models import Enrolment, ModulePage
from network.spreadsheets import BOM, csv_writer, neutralise

from .capture_models import CaptureItem, CapturePlan, CheckIn, ItemObstacle, ItemStatus, ItemUpdate, Kind, Obstacle

# Whose enrolment lets them record a plan for an offering (and its modules).
RECORDING_STATUSES = (Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED)
# About three and six months after submission; whole days, so the mail goes out at the hour the
# plan was submitted, which was a time the participant was working.
CHECK_IN_DELAYS = {CheckIn.Due.THREE_MONTHS: timedelta(days=91), CheckIn.Due.SIX_MONTHS: timedelta(days=182)}
CHECK_IN_SALT = "assessments.capture.check-in"
# A check-in link stays valid long enough to answer late; the plan page gives its owner a fresh one.
CHECK_IN_LINK_MAX_AGE = timedelta(days=120)
REACHED = (ItemStatus.OPERATIONAL, ItemStatus.SUSTAINED)
CSV_BATCH = 500


class ForeignItem(Exception):
    """A form named an item that is not part of the plan it was posted for: a tampered request."""


class StaleForm(Exception):
    """The plan changed since the form was opened, and the form says something else."""

    def __init__(self, plan):
        super().__init__("stale form")
        self.plan = plan


class LinkInvalid(Exception):
    def __init__(self, message, expired=False):
        super().__init__(message)
        self.message = message
        self.expired = expired


# Contexts and who may record -------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    offering: object = None
    module: ModulePage | None = None
    series: Page | None = None

    def lookup(self):
        return {"offering": self.offering, "module": self.module, "series": self.series}


def module_in(offering, module_id):
    """The module of ``offering``'s course that page ``module_id`` is (in any language), or None."""
    page = ModulePage.objects.filter(pk=module_id).only("translation_key").first()
    if page is None:
        return None
    return ModulePage.objects.child_of(offering.course).filter(translation_key=page.translation_key).first()


def series_page(series_id):
    """The source page of seminar series ``series_id`` (read in any language), or None."""
    series_model = apps.get_model("lessons", "SeminarSeriesPage")  # a sibling app: read, never imported
    page = series_model.objects.filter(pk=series_id).only("translation_key").first()
    if page is None:
        return None
    return series_model.objects.filter(translation_key=page.translation_key).order_by("pk").first()


def may_record(user, context):
    """A participant of the context: an active or completed enrolment in the offering, or a seat in
    the seminar series."""
    if not user.is_authenticated:
        return False
    if context.series is not None:
        registration_model = apps.get_model("lessons", "SeminarRegistration")
        return registration_model.objects.filter(
            series_id=context.series.pk, user_id=user.pk, status=registration_model.Status.REGISTERED
        ).exists()
    return Enrolment.objects.filter(user_id=user.pk, offering=context.offering, status__in=RECORDING_STATUSES).exists()


def plan_for(user, context):
    """The user's plan for ``context`` with its items and their obstacles, or None."""
    return (
        CapturePlan.objects.filter(user=user, **context.lookup())
        .prefetch_related("items__obstacles", "check_ins")
        .first()
    )


# Saving a plan ---------------------------------------------------------------------------------


@dataclass
class ItemData:
    """One item as a form gives it; ``id`` names an item already in the plan."""

    kind: str
    description: str
    application: str
    target_date: object
    obstacles: list = field(default_factory=list)
    obstacle_note: str = ""
    id: int | None = None
    delete: bool = False

    def as_json(self):
        return [self.id, self.kind, self.description, self.application, sorted(self.obstacles),
                self.obstacle_note, self.target_date and self.target_date.isoformat(), self.delete]


@dataclass
class Saved:
    plan: CapturePlan
    already: bool = False  # the same form was saved before: a double submit
    submitted_now: bool = False


def form_digest(items, submit):
    payload = json.dumps([[item.as_json() for item in items], bool(submit)], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


@transaction.atomic
def save_plan(user, context, items, *, revision, submit):
    """Create or update the user's plan for ``context`` from ``items`` and, with ``submit``, submit
    it (which plans its check-ins). ``revision`` is the plan revision the form was opened at.

    The plan row is locked (or created under the uniqueness constraint) first, so a double submit
    waits for the first and then finds it saved. Raises ``ForeignItem`` for an item of another plan
    and ``StaleForm`` when the plan changed meanwhile and this form says something else."""
    digest = form_digest(items, submit)
    plan, _created = CapturePlan.objects.select_for_update().get_or_create(
        user=user, **context.lookup(), defaults={"institution": home_institution(user)}
    )
    if plan.revision != revision:
        if digest == plan.last_form_digest:
            return Saved(plan, already=True)
        raise StaleForm(plan)
    existing = {item.pk: item for item in plan.items.prefetch_related("obstacles")}
    if any(item.id is not None and item.id not in existing for item in items):
        raise ForeignItem
    for data in items:
        if data.id is None:
            if not data.delete:
                _add_item(plan, data)
        elif data.delete and not plan.is_submitted:
            # A submitted plan keeps every item; one that is given up is marked dropped at a check-in.
            existing[data.id].delete()
        else:
            _update_item(existing[data.id], data)
    submitted_now = bool(submit) and not plan.is_submitted
    plan.revision += 1
    plan.last_form_digest = digest
    if submitted_now:
        plan.submitted_at = timezone.now()
        plan.institution = home_institution(user) or plan.institution
    plan.save()
    if submitted_now:
        schedule_check_ins(plan)
    return Saved(plan, submitted_now=submitted_now)


ITEM_FIELDS = ("kind", "description", "application", "obstacle_note", "target_date")


def _add_item(plan, data):
    item = CaptureItem.objects.create(plan=plan, **{name: getattr(data, name) for name in ITEM_FIELDS})
    ItemObstacle.objects.bulk_create([ItemObstacle(item=item, obstacle=code) for code in sorted(set(data.obstacles))])


def _update_item(item, data):
    for name in ITEM_FIELDS:
        setattr(item, name, getattr(data, name))
    item.save()
    wanted, have = set(data.obstacles), {row.obstacle for row in item.obstacles.all()}
    if have - wanted:
        item.obstacles.filter(obstacle__in=have - wanted).delete()
    ItemObstacle.objects.bulk_create([ItemObstacle(item=item, obstacle=code) for code in sorted(wanted - have)])


# Check-ins -------------------------------------------------------------------------------------


def schedule_check_ins(plan):
    """Create the plan's check-ins and queue their mails for when they fall due, once the current
    transaction commits (a rolled-back submission mails nobody)."""
    from .capture_reminders import send_check_in  # the task module builds on this one

    check_ins = [
        CheckIn.objects.get_or_create(plan=plan, due=due, defaults={"due_at": plan.submitted_at + delay})[0]
        for due, delay in CHECK_IN_DELAYS.items()
    ]

    def enqueue():
        for check_in in check_ins:
            send_check_in.using(run_after=check_in.due_at).enqueue(check_in.pk)

    transaction.on_commit(enqueue)
    return check_ins


def check_in_token(check_in):
    return signing.TimestampSigner(salt=CHECK_IN_SALT).sign_object({"c": check_in.pk, "u": check_in.plan.user_id})


def check_in_from_token(token):
    """The check-in a mailed link is for; ``LinkInvalid`` says why not, in the reader's language."""
    try:
        data = signing.TimestampSigner(salt=CHECK_IN_SALT).unsign_object(token, max_age=CHECK_IN_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkInvalid(
            _("This check-in link has expired. Sign in and open your plan to get a fresh one."), expired=True
        ) from None
    except (signing.BadSignature, ValueError):
        raise LinkInvalid(
            _("This check-in link is not valid. Check that you copied all of it from the email.")
        ) from None
    check_in = None
    if isinstance(data, dict):
        check_in = (
            CheckIn.objects.select_related("plan__user__profile", "plan__offering__course", "plan__module",
                                           "plan__series")
            .filter(pk=data.get("c"), plan__user_id=data.get("u")).first()
        )
    if check_in is None:
        raise LinkInvalid(_("The plan of this check-in no longer exists."))
    return check_in


@dataclass
class Answer:
    item_id: int
    status: str
    note: str = ""
    dropped_reason: str = ""


def record_check_in(check_in, answers):
    """Record each item's status at ``check_in``; answering again revises the same check-in. Raises
    ``ForeignItem`` (and changes nothing) when an answer names an item of another plan."""
    with transaction.atomic():
        items = {item.pk: item for item in CaptureItem.objects.select_for_update().filter(plan_id=check_in.plan_id)}
        if any(answer.item_id not in items for answer in answers):
            raise ForeignItem
        if any(answer.status == ItemStatus.DROPPED and not answer.dropped_reason.strip() for answer in answers):
            raise ValueError("a dropped item needs a reason")  # the form says so; this is the last guard
        now = timezone.now()
        for answer in answers:
            reason = answer.dropped_reason.strip() if answer.status == ItemStatus.DROPPED else ""
            ItemUpdate.objects.update_or_create(
                item_id=answer.item_id, check_in=check_in,
                defaults={"status": answer.status, "note": answer.note.strip(), "dropped_reason": reason, "at": now},
            )
            item = items[answer.item_id]
            item.status, item.dropped_reason = answer.status, reason
            item.save(update_fields=["status", "dropped_reason", "updated_at"])
        check_in.answered_at = now
        check_in.save(update_fields=["answered_at"])
    return check_in


def open_check_ins(plan):
    """Check-ins mailed to the participant, each with a fresh link for the owner's plan page."""
    return [(check_in, check_in_token(check_in)) for check_in in plan.check_ins.all() if check_in.sent_at]


# Labels in the reader's language ---------------------------------------------------------------


def localized_titles(pages, language_code):
    """``{translation_key: title}`` of ``pages`` in the reader's language where translated, in one query."""
    keys = {page.translation_key for page in pages if page is not None}
    if not keys:
        return {}
    return dict(
        Page.objects.filter(translation_key__in=keys, locale__language_code=language_code, live=True)
        .values_list("translation_key", "title")
    )


def label(plan, titles):
    """What the plan (or a ``Context``) is about, e.g. "Module 2 · Export controls · Kyiv spring cohort"."""
    def title(page):
        return titles.get(page.translation_key, page.title)

    if plan.series is not None:
        return title(plan.series)
    parts = [title(plan.offering.course), plan.offering.cohort]
    if plan.module is not None:
        parts.insert(0, title(plan.module))
    return " · ".join(parts)


def plan_url(plan):
    if plan.series_id:
        return reverse("capture:series_plan", args=[plan.series_id])
    if plan.module_id:
        return reverse("capture:module_plan", args=[plan.offering.slug, plan.module_id])
    return reverse("capture:offering_plan", args=[plan.offering.slug])


def context_label(context, language_code):
    return label(context, localized_titles(plan_pages([context]), language_code))


def plan_pages(plans):
    return [page for plan in plans for page in (plan.series, plan.module, plan.offering and plan.offering.course)]


def labels_for(plans, language_code):
    """``{plan id: label}`` for ``plans`` (with their pages selected), in one query."""
    titles = localized_titles(plan_pages(plans), language_code)
    return {plan.pk: label(plan, titles) for plan in plans}


# The dashboard ---------------------------------------------------------------------------------


@dataclass
class Dashboard:
    plans: list
    to_record: list  # enrolments in offerings with no offering plan yet
    reports: list  # offerings the person teaches


def dashboard(user, language_code):
    """The person's plans, the offerings they might still record one for, and the reports they may
    read: two queries, titles in the reader's language included."""
    plans = list(
        CapturePlan.objects.filter(user=user)
        .select_related("offering__course", "module", "series")
        .annotate(
            item_count=Count("items"),
            course_title=title_in(language_code, "offering__course"),
            module_title=title_in(language_code, "module"),
            series_title=title_in(language_code, "series"),
        )
        .order_by("-created_at", "-pk")
    )
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .exclude(status__in=(Enrolment.Status.PENDING, Enrolment.Status.WITHDRAWN))
        .select_related("offering__course")
        .annotate(course_title=title_in(language_code, "offering__course"))
        .order_by("-offering__starts_on", "-pk")
    )
    recorded = {plan.offering_id for plan in plans if plan.offering_id and not plan.module_id}
    # The course's own people read its report; prompting them to record a plan of their own is noise.
    to_record = [
        e for e in enrolments
        if e.role not in Enrolment.STAFF_ROLES and e.status in RECORDING_STATUSES and e.offering_id not in recorded
    ]
    reports = [e for e in enrolments if e.role in Enrolment.STAFF_ROLES and e.status == Enrolment.Status.ACTIVE]
    for enrolment in to_record + reports:
        enrolment.offering.course_title = enrolment.course_title or enrolment.offering.course.title
    for plan in plans:
        titles = {
            page.translation_key: title
            for page, title in ((plan.series, plan.series_title), (plan.module, plan.module_title),
                                (plan.offering and plan.offering.course, plan.course_title))
            if page is not None and title
        }
        plan.label, plan.url = label(plan, titles), plan_url(plan)
    return Dashboard(plans=plans, to_record=to_record, reports=[e.offering for e in reports])


def title_in(language_code, page_path):
    """The title of the page at ``page_path`` in the reader's language (None where untranslated), as a
    subquery, so a list of plans gets its titles in the same query."""
    return Subquery(
        Page.objects.filter(
            translation_key=OuterRef(f"{page_path}__translation_key"), locale__language_code=language_code, live=True
        ).values("title")[:1]
    )


# Reports ---------------------------------------------------------------------------------------


def offering_plans(offering):
    """Submitted plans for the offering and for its modules."""
    return CapturePlan.objects.filter(offering=offering, submitted_at__isnull=False)


def institution_plans(institution):
    """Submitted plans of people whose home institution it was when they submitted."""
    return CapturePlan.objects.filter(institution=institution, submitted_at__isnull=False)


def may_see_offering_report(user, offering):
    return user.is_authenticated and (user.is_superuser or is_staff_of(user, offering))


def may_see_institution_report(user, institution):
    """Superusers, and people of the institution (by their profile) who teach an offering it hosts:
    the professors who carry the course at that university."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if getattr(home_institution(user), "pk", None) != institution.pk:
        return False
    return Enrolment.objects.filter(
        user_id=user.pk, offering__host=institution, role__in=Enrolment.STAFF_ROLES,
        status__in=Enrolment.SEAT_STATUSES,
    ).exists()


@dataclass
class KindRow:
    kind: str
    label: str
    recorded: int = 0
    in_progress: int = 0
    operational: int = 0
    sustained: int = 0
    dropped: int = 0

    @property
    def reached(self):
        return self.operational + self.sustained


@dataclass
class ObstacleRow:
    obstacle: str
    label: str
    count: int


@dataclass
class Report:
    plans: int
    kinds: list
    obstacles: list

    @property
    def recorded(self):
        return sum(row.recorded for row in self.kinds)

    @property
    def operational(self):
        return sum(row.operational for row in self.kinds)

    @property
    def sustained(self):
        return sum(row.sustained for row in self.kinds)

    @property
    def reached(self):
        return self.operational + self.sustained

    # The largest number a bar stands for: each chart's scale.
    @property
    def kinds_scale(self):
        return max([row.recorded for row in self.kinds] + [0])

    @property
    def obstacles_scale(self):
        return max([row.count for row in self.obstacles] + [0])


STATUS_COLUMNS = {
    ItemStatus.IN_PROGRESS: "in_progress",
    ItemStatus.OPERATIONAL: "operational",
    ItemStatus.SUSTAINED: "sustained",
    ItemStatus.DROPPED: "dropped",
}


def report(plans):
    """How far the KPSTs of ``plans`` got (by their latest status), by kind, and which obstacles
    were named most: three grouped queries whatever the number of plans."""
    rows = {kind: KindRow(kind=kind, label=str(name)) for kind, name in Kind.choices}
    counts = (
        CaptureItem.objects.filter(plan__in=plans).values_list("kind", "status").annotate(n=Count("pk")).order_by()
    )
    for kind, status, n in counts:
        row = rows[kind]
        row.recorded += n
        if status in STATUS_COLUMNS:
            setattr(row, STATUS_COLUMNS[status], getattr(row, STATUS_COLUMNS[status]) + n)
    named = dict(
        ItemObstacle.objects.filter(item__plan__in=plans).values_list("obstacle").annotate(n=Count("pk")).order_by()
    )
    obstacles = sorted(
        (ObstacleRow(obstacle=code, label=str(name), count=named.get(code, 0)) for code, name in Obstacle.choices),
        key=lambda row: -row.count,  # stable: equal counts keep the order of the choices
    )
    return Report(plans=plans.count(), kinds=list(rows.values()), obstacles=obstacles)


# CSV -------------------------------------------------------------------------------------------


CSV_HEADER = (
    gettext_lazy("Participant"), gettext_lazy("Home institution"), gettext_lazy("Plan for"), gettext_lazy("Kind"),
    gettext_lazy("KPST"), gettext_lazy("How it will be put to work"), gettext_lazy("Obstacles"),
    gettext_lazy("About the obstacles"), gettext_lazy("Target date"), gettext_lazy("Status"),
    gettext_lazy("Why it was dropped"), gettext_lazy("Submitted at"), gettext_lazy("Last updated at"),
)


def csv_lines(plans, language_code):
    """Every item of ``plans`` as CSV lines: UTF-8 with a byte order mark (spreadsheets then read
    the partner languages' scripts), formulas neutralised, built a batch at a time."""
    writer = csv_writer()
    yield BOM
    yield writer.writerow([str(name) for name in CSV_HEADER])
    items = (
        CaptureItem.objects.filter(plan__in=plans)
        .select_related("plan__user", "plan__institution", "plan__offering__course", "plan__module", "plan__series")
        .prefetch_related("obstacles")
        .order_by("plan__submitted_at", "plan_id", "pk")
        .iterator(chunk_size=CSV_BATCH)
    )
    for batch in _batches(items, CSV_BATCH):
        labels = labels_for([item.plan for item in batch], language_code)
        for item in batch:
            plan, user = item.plan, item.plan.user
            named = {row.obstacle for row in item.obstacles.all()}
            row = (
                user.get_full_name() or user.get_username(),
                plan.institution.name if plan.institution_id else "",
                labels[plan.pk],
                item.get_kind_display(),
                item.description,
                item.application,
                "; ".join(str(name) for code, name in Obstacle.choices if code in named),
                item.obstacle_note,
                item.target_date.isoformat(),
                item.get_status_display(),
                item.dropped_reason,
                plan.submitted_at.isoformat(timespec="seconds") if plan.submitted_at else "",
                item.updated_at.isoformat(timespec="seconds"),
            )
            yield writer.writerow([neutralise(cell) for cell in row])


def _batches(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch
