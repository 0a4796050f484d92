"""The rules of a seminar series: registering (signed in, through the open form or an invitation
link), the waiting list and its promotions, cancelling, presentations for the participants'
session, attendance and certificates of participation, and who sees the participant list.

Every refusal carries a message for the person and changes nothing. Mails go out once the
transaction that caused them commits, in the recipient's preferred language.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from network import certificates
from network.accounts import account_for
from network.models import Certificate

from .seminar_models import (
    SeminarAttendance,
    SeminarConvenor,
    SeminarPresentation,
    SeminarRegistration,
    SeminarSeriesPage,
    SeminarSessionPage,
)

Status = SeminarRegistration.Status
Route = SeminarRegistration.Route
Proposal = SeminarPresentation.Status

INVITATION_MAX_AGE = timedelta(days=30)
INVITATION_SALT = "lessons.seminars.invitation"
REGISTRATION_SALT = "lessons.seminars.registration"
WAITING_LIST_SHOWN = 100


class SeminarRefused(Exception):
    """A request the rules do not allow; ``message`` says why, in the reader's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class AlreadyRegistered(SeminarRefused):
    pass


class InvitationInvalid(SeminarRefused):
    def __init__(self, message, expired=False):
        super().__init__(message)
        self.expired = expired


# Where things belong -------------------------------------------------------------------------


def source_page(page):
    """The first-created version of a translated page (normally the English source). A series'
    registrations, presentations and attendance belong to it, whichever language people read."""
    source = type(page).objects.filter(translation_key=page.translation_key).order_by("pk").first()
    return page if source is None or source.pk == page.pk else source


def series_of(session):
    """The series page a session page sits under, in the session's own language tree."""
    return SeminarSeriesPage.objects.filter(path=session.path[: -session.steplen]).first()


def is_convenor(user, series):
    if not user.is_authenticated:
        return False
    return user.is_superuser or SeminarConvenor.objects.filter(series_id=series.pk, user_id=user.pk).exists()


def registration_of(user, series):
    if not user.is_authenticated:
        return None
    return SeminarRegistration.objects.filter(series_id=series.pk, user_id=user.pk).first()


def seats_taken(series):
    return SeminarRegistration.objects.filter(series_id=series.pk, status=Status.REGISTERED).count()


def seats_left(series):
    if series.capacity is None:
        return None
    return max(series.capacity - seats_taken(series), 0)


def waiting_list(series):
    return SeminarRegistration.objects.filter(series_id=series.pk, status=Status.WAITING).order_by("queued_at", "pk")


def participants(series):
    """Who holds a seat, in the order they registered."""
    return (
        SeminarRegistration.objects.filter(series_id=series.pk, status=Status.REGISTERED)
        .select_related("user__profile__institution")
        .order_by("queued_at", "pk")
    )


def participant_sessions(series):
    """The sessions given by the participants, where presentations are proposed for."""
    return SeminarSessionPage.objects.child_of(series).filter(is_participant_session=True).order_by("starts_at", "pk")


def registration_closed(series, now=None):
    closes = series.registration_closes_at
    return closes is not None and (now or timezone.now()) >= closes


def check_open(series, route, now=None):
    """Refuse when the series takes no registration through ``route`` at this moment."""
    if registration_closed(series, now):
        raise SeminarRefused(_("Registration for this series closed on %(when)s.") % {
            "when": date_format(timezone.localtime(series.registration_closes_at), "DATETIME_FORMAT")
        })
    if not series.open_registration and route != Route.INVITATION:
        raise SeminarRefused(_(
            "This series takes participants by invitation only. Ask its convenors for an invitation link."
        ))


def _locked(series):
    # Lock the series row: people racing for the last seat are decided one after the other.
    return SeminarSeriesPage.objects.select_for_update().get(pk=series.pk)


# Registering ---------------------------------------------------------------------------------


def register(user, series, *, route=Route.SITE, invited_by=None, career_stage="", country="", mail=True):
    """Register ``user`` for ``series`` (its source page): a seat while there is one, otherwise a
    place on the waiting list. Someone who cancelled may register again, at the back of the queue."""
    with transaction.atomic():
        series = _locked(series)
        check_open(series, route)
        registration = _register(series, user, route=route, invited_by=invited_by,
                                 career_stage=career_stage, country=country)
    if mail:
        send_confirmation(registration)
    return registration


def _register(series, user, *, route, invited_by=None, career_stage="", country=""):
    existing = SeminarRegistration.objects.filter(series=series, user=user).first()
    if existing is not None and existing.status in SeminarRegistration.HOLDING:
        raise AlreadyRegistered(_("You are already registered for this series."))
    # Seats freed since the last cancellation go to the waiting list first, never to a newcomer.
    promote_waiting(series)
    free = series.capacity is None or seats_taken(series) < series.capacity
    status = Status.REGISTERED if free else Status.WAITING
    fields = {
        "status": status, "route": route, "invited_by": invited_by, "queued_at": timezone.now(),
        "career_stage": career_stage or "", "country": country or "",
    }
    if existing is not None:
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.save()
        return existing
    try:
        with transaction.atomic():
            return SeminarRegistration.objects.create(series=series, user=user, **fields)
    except IntegrityError:
        # A double submit that got past the check above (SQLite takes no row lock).
        raise AlreadyRegistered(_("You are already registered for this series.")) from None


@dataclass
class Applicant:
    """What a person without an account tells us on the registration form."""

    name: str
    email: str
    institution: object = None
    institution_name: str = ""
    country: str = ""
    career_stage: str = ""
    language: str = settings.LANGUAGE_CODE


def register_applicant(series, applicant, *, route=Route.FORM, invited_by=None):
    """Register someone by their email address. An address that belongs to an account registers
    that account (its profile untouched); otherwise a lightweight account is made, which the person
    may claim later by resetting its password. Whatever the case, the answer to show is the same
    ("check your email"), so the form never tells whether an address has an account or a seat;
    the mail says which."""
    with transaction.atomic():
        series = _locked(series)
        check_open(series, route)  # the same for everyone, so it may be shown
        user = account_for(applicant)
        try:
            with transaction.atomic():
                registration = _register(
                    series, user, route=route, invited_by=invited_by,
                    career_stage=applicant.career_stage, country=applicant.country,
                )
            already = False
        except AlreadyRegistered:
            registration, already = SeminarRegistration.objects.get(series=series, user=user), True
    send_confirmation(registration, already=already)
    return registration


def cancel(registration):
    """Give up a seat or a place on the waiting list. A freed seat goes to the first person waiting,
    who is told by mail; the person's open proposals are withdrawn."""
    with transaction.atomic():
        series = _locked(registration.series)
        registration = SeminarRegistration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Status.CANCELLED:
            raise SeminarRefused(_("This registration was already cancelled."))
        held_seat = registration.status == Status.REGISTERED
        registration.status = Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        for presentation in registration.presentations.filter(status__in=(Proposal.PROPOSED, Proposal.ACCEPTED)):
            presentation.status = Proposal.WITHDRAWN
            presentation.save(update_fields=["status"])  # saved one by one: the programme page changes
        promoted = promote_waiting(series) if held_seat else []
    return registration, promoted


def promote_waiting(series):
    """Give free seats to the people waiting longest, and mail each of them. The caller holds the
    series lock."""
    waiting = waiting_list(series)
    if series.capacity is not None:
        free = series.capacity - seats_taken(series)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting.select_related("user__profile"))
    for registration in promoted:
        registration.status = Status.REGISTERED
        registration.save(update_fields=["status", "updated_at"])
        send_seat_notice(registration)
    return promoted


def fill_seats(series):
    """Promote people waiting after the capacity was raised (or removed)."""
    with transaction.atomic():
        return promote_waiting(_locked(series))


# Tokens --------------------------------------------------------------------------------------


def invitation_token(series, convenor, email=""):
    """A link a convenor hands out: anyone holding it may register (even when the open form is off)
    until it expires. An address in it fixes the address the form registers."""
    return signing.TimestampSigner(salt=INVITATION_SALT).sign_object(
        {"s": series.pk, "e": (email or "").strip().lower(), "by": convenor.pk}
    )


@dataclass
class Invitation:
    series: SeminarSeriesPage
    email: str
    invited_by: object


def read_invitation(token):
    try:
        data = signing.TimestampSigner(salt=INVITATION_SALT).unsign_object(token, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise InvitationInvalid(
            _("This invitation link has expired. Ask the convenors of the series for a new one."), expired=True
        ) from None
    except signing.BadSignature:
        raise InvitationInvalid(_(
            "This invitation link is not valid. Check that you copied all of it, or ask the convenors for a new one."
        )) from None
    series = SeminarSeriesPage.objects.filter(pk=data.get("s")).first() if isinstance(data, dict) else None
    if series is None:
        raise InvitationInvalid(_("The seminar series of this invitation no longer exists."))
    invited_by = get_user_model().objects.filter(pk=data.get("by")).first()
    return Invitation(series=series, email=data.get("e") or "", invited_by=invited_by)


def registration_token(registration):
    """The private address of a registration, mailed to the person: it lets someone without a
    password see their registration, cancel it and propose a presentation."""
    return signing.Signer(salt=REGISTRATION_SALT).sign_object({"r": registration.pk, "u": registration.user_id})


def registration_from_token(token):
    try:
        data = signing.Signer(salt=REGISTRATION_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return (
        SeminarRegistration.objects.select_related("series", "user__profile")
        .filter(pk=data.get("r"), user_id=data.get("u")).first()
    )


# Presentations -------------------------------------------------------------------------------


def propose(registration, *, session, title, abstract, slides=None):
    if registration.status != Status.REGISTERED:
        raise SeminarRefused(_(
            "Only participants with a seat may propose a presentation; on the waiting list you may once you have one."
        ))
    if not participant_sessions(registration.series).filter(pk=session.pk).exists():
        raise SeminarRefused(_("Presentations are proposed for the participants' session of this series."))
    presentation = SeminarPresentation(
        registration=registration, session=session, title=title.strip(), abstract=abstract.strip(),
        slides=slides or "",
    )
    presentation.full_clean()  # the slides' type and size, whoever calls
    presentation.save()
    return presentation


def decide(convenor, presentation, accept):
    """Accept or decline a proposal; only the series' convenors may, and they may change their mind
    until the participant withdraws it."""
    with transaction.atomic():
        presentation = (
            SeminarPresentation.objects.select_for_update().select_related("registration__series")
            .get(pk=presentation.pk)
        )
        if not is_convenor(convenor, presentation.registration.series):
            raise PermissionDenied
        if presentation.status == Proposal.WITHDRAWN:
            raise SeminarRefused(_("The participant has withdrawn this proposal."))
        status = Proposal.ACCEPTED if accept else Proposal.DECLINED
        if presentation.status == status:
            raise SeminarRefused(_("This proposal is already %(status)s.") % {
                "status": presentation.get_status_display().lower()
            })
        presentation.status, presentation.decided_by, presentation.decided_at = status, convenor, timezone.now()
        presentation.save(update_fields=["status", "decided_by", "decided_at"])
    send_decision(presentation)
    return presentation


def withdraw(registration, presentation):
    """A participant takes back their own proposal (accepted or not)."""
    if presentation.registration_id != registration.pk:
        raise PermissionDenied
    if presentation.status == Proposal.WITHDRAWN:
        raise SeminarRefused(_("You have already withdrawn this proposal."))
    presentation.status = Proposal.WITHDRAWN
    presentation.save(update_fields=["status"])
    return presentation


def programme(session):
    """The accepted presentations of a participants' session (its source page), in proposal order."""
    return list(
        SeminarPresentation.objects.filter(session_id=session.pk, status=Proposal.ACCEPTED)
        .select_related("registration__user__profile__institution")
        .order_by("created_at", "pk")
    )


def may_download_slides(user, presentation):
    if presentation.status == Proposal.ACCEPTED:
        return True
    return is_convenor(user, presentation.registration.series)


# Attendance and certificates -----------------------------------------------------------------


def record_attendance(convenor, session, present_ids):
    """Mark who of the registered participants attended ``session`` (its source page); the others
    are marked absent. Returns the certificates this issued. Ids that are not registered
    participants of the series refuse the whole form."""
    session = source_page(session)
    series = series_of(session)
    if not is_convenor(convenor, series):
        raise PermissionDenied
    present_ids = {int(pk) for pk in present_ids}
    registered = set(participants(series).values_list("pk", flat=True))
    if not present_ids <= registered:
        raise SeminarRefused(_("Some of the people marked are not registered participants of this series."))
    with transaction.atomic():
        marked = set(
            SeminarAttendance.objects.filter(session=session, registration__series=series)
            .values_list("registration_id", flat=True)
        )
        SeminarAttendance.objects.bulk_create([
            SeminarAttendance(registration_id=pk, session=session, marked_by=convenor)
            for pk in sorted(present_ids - marked)
        ])
        # Only the rows this form shows are its to clear: marks of people who cancelled since stay.
        SeminarAttendance.objects.filter(
            session=session, registration_id__in=(marked & registered) - present_ids
        ).delete()
        return award_certificates(series, present_ids)


def award_certificates(series, registration_ids):
    """Issue a certificate of participation to each of these registrations that has attended the
    series' number of sessions and has none yet."""
    attended = (
        SeminarAttendance.objects.filter(registration_id__in=registration_ids)
        .values("registration_id").annotate(sessions=Count("session", distinct=True))
        .filter(sessions__gte=series.sessions_for_certificate).values_list("registration_id", flat=True)
    )
    earned = set(attended)
    if not earned:
        return []
    holding = set(
        Certificate.objects.filter(
            source_type=ContentType.objects.get_for_model(SeminarRegistration), source_id__in=earned
        ).values_list("source_id", flat=True)
    )
    issued = []
    for registration in SeminarRegistration.objects.filter(pk__in=earned - holding).select_related("user__profile"):
        certificate = certificates.issue(
            recipient=registration.user, title=series.title, issuer=series.institution, source=registration,
            kind=Certificate.Kind.SEMINAR_PARTICIPATION,
        )
        issued.append(certificate)
        send_certificate_notice(registration, certificate)
    return issued


def attended_counts(series):
    return dict(
        SeminarAttendance.objects.filter(registration__series=series)
        .values("registration_id").annotate(n=Count("session", distinct=True)).values_list("registration_id", "n")
    )


# Participant list ----------------------------------------------------------------------------


def may_see_participants(user, series):
    visibility = series.participant_list_visibility
    if visibility == SeminarSeriesPage.Visibility.PUBLIC or is_convenor(user, series):
        return True
    if visibility == SeminarSeriesPage.Visibility.PARTICIPANTS:
        registration = registration_of(user, series)
        return registration is not None and registration.status == Status.REGISTERED
    return False


def display_name(user):
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or user.get_full_name() or user.get_username()


# What the pages show -------------------------------------------------------------------------


def series_context(page, request):
    series = source_page(page)
    sessions = list(SeminarSessionPage.objects.child_of(page).live().public().order_by("starts_at", "path"))
    user = request.user
    context = {
        "series": series,
        "sessions": sessions,
        "registration_closed": registration_closed(series),
        "convenors": [
            display_name(link.user)
            for link in SeminarConvenor.objects.filter(series=series).select_related("user__profile")
            .order_by("sort_order")
        ],
        # Anonymous readers get a cached copy: nothing in it may depend on who reads it.
        "participants_public": series.participant_list_visibility == SeminarSeriesPage.Visibility.PUBLIC,
    }
    if user.is_authenticated:
        registration = registration_of(user, series)
        convenes = is_convenor(user, series)
        context.update({
            "registration": registration,
            "registration_url": registration_url(registration),
            "convenes": convenes,
            "seats_left": seats_left(series),
            "participants_visible": context["participants_public"] or convenes or (
                series.participant_list_visibility == SeminarSeriesPage.Visibility.PARTICIPANTS
                and registration is not None and registration.status == Status.REGISTERED
            ),
        })
    return context


def session_context(page, request):
    session = source_page(page)
    series_page = series_of(page)
    series = source_page(series_page)
    user = request.user
    context = {
        "series_page": series_page,
        "series": series,
        "programme": programme(session) if page.is_participant_session else [],
    }
    if user.is_authenticated:
        registration = registration_of(user, series)
        convenes = is_convenor(user, series)
        context.update({
            "session_source": session,
            "registration": registration,
            "convenes": convenes,
            "show_meeting_link": convenes or (registration is not None and registration.status == Status.REGISTERED),
        })
    return context


def registration_url(registration):
    if registration is None or registration.status == Status.CANCELLED:
        return None
    return reverse("seminars:registration", args=[registration_token(registration)])


# Mails ---------------------------------------------------------------------------------------


def absolute(url):
    if url.startswith(("http://", "https://")):
        return url
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{url}"


def preferred_language(user):
    profile = getattr(user, "profile", None)
    return getattr(profile, "preferred_language", None) or settings.LANGUAGE_CODE


def _mail(user, template, build_context):
    """Send ``template`` to ``user`` after the current transaction commits, in their language;
    ``build_context`` runs in that language, so the links it makes point to it too."""
    if not user.email:
        return

    def send():
        with translation.override(preferred_language(user)):
            context = {"user": user, "name": display_name(user), **build_context()}
            subject = " ".join(render_to_string(f"lessons/emails/{template}_subject.txt", context).split())
            body = render_to_string(f"lessons/emails/{template}.txt", context)
        send_mail(subject, body, None, [user.email])

    transaction.on_commit(send)


def _series_links(series):
    localized = series.localized
    return {"series": localized, "series_url": absolute(localized.url or series.url)}


def send_confirmation(registration, already=False):
    user = registration.user

    def build():
        return {
            **_series_links(registration.series),
            "registration": registration,
            "already": already,
            "registration_url": absolute(reverse("seminars:registration", args=[registration_token(registration)])),
            # A lightweight account has no password until the person claims it by resetting one.
            "claim_url": "" if user.has_usable_password() else absolute(reverse("account_reset_password")),
        }

    _mail(user, "seminar_registration", build)


def send_seat_notice(registration):
    def build():
        return {
            **_series_links(registration.series),
            "registration": registration,
            "registration_url": absolute(reverse("seminars:registration", args=[registration_token(registration)])),
        }

    _mail(registration.user, "seminar_seat", build)


def send_decision(presentation):
    registration = presentation.registration

    def build():
        return {
            **_series_links(registration.series),
            "presentation": presentation,
            "accepted": presentation.status == Proposal.ACCEPTED,
            "registration_url": absolute(reverse("seminars:registration", args=[registration_token(registration)])),
        }

    _mail(registration.user, "seminar_decision", build)


def send_certificate_notice(registration, certificate):
    """People who registered without a password have no dashboard yet: the mail is how they learn
    of their certificate."""
    user = registration.user

    def build():
        return {
            **_series_links(registration.series),
            "certificate_url": absolute(certificate.get_absolute_url()),
            "claim_url": "" if user.has_usable_password() else absolute(reverse("account_reset_password")),
        }

    _mail(user, "seminar_certificate", build)


def send_invitation(email, series, token, convenor):
    """Mail an invitation link to an address (in the convenor's current language: the person has
    no language we know of yet)."""
    def build():
        return {
            **_series_links(series),
            "convenor_name": display_name(convenor),
            "invitation_url": absolute(reverse("seminars:invitation", args=[token])),
        }

    language = translation.get_language() or settings.LANGUAGE_CODE

    def send():
        with translation.override(language):
            context = build()
            subject = " ".join(render_to_string("lessons/emails/seminar_invitation_subject.txt", context).split())
            body = render_to_string("lessons/emails/seminar_invitation.txt", context)
        send_mail(subject, body, None, [email])

    transaction.on_commit(send)
