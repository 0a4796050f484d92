"""The rules of invitations: inviting one person or a whole file of them, the signed link, accepting
and revoking.

The link carries ``<id>:<signature>``, the signature being over the invitation's id with its secret
key in the salt: it cannot be forged without the site's secret, and it says nothing of the key.
Whether an invitation may still be used (revoked, expired, uses left) is read from its row, so a
professor may revoke it at any time.

Who accepts:
- a signed-in person accepts for their own account. When their address differs from the
  invitation's they may still accept (people often sign in with a private address), and the list
  of invitations shows who did; for a privileged role (teaching an offering, membership of an
  institution) only the invited address may, so a forwarded link hands no power to anyone else;
- someone not signed in accepts for the account that owns the invitation's address (the account
  that verified it, or whose own address it is: see ``network.accounts.account_owning``), or a new
  lightweight one (no password). The mailed link proves the address, like a password-reset link,
  so that account is verified and signed in at once: external attendees land in what they were
  invited to without signing up. An account with a password (or a staff account) must sign in
  first; the link alone never opens it. Nor does it open anything when the address was only
  added, unconfirmed, to some account: that account may belong to anyone.
- a shared link (``max_uses`` > 1) is passed around, so it proves no address: it never signs
  anyone in nor stands for the invitation's address. Whoever opens it signed out signs in or signs
  up first and accepts as themselves; each person counts one use.

Every refusal carries a message for the person and changes nothing. Mails go out once the
transaction that made the invitations commits: one at once, a file's in a background task.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import mail, signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from .accounts import account_for, account_owning, claimed_unconfirmed, owns
from .invitation_targets import InvitationRefused, for_invitation, for_model
from .models import Invitation, InvitationAcceptance

SALT = "network.invitations"
DEFAULT_DAYS = 14
MAX_DAYS = 90
MAX_USES = 500


class Status:
    PENDING = "pending"
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED_UP = "used-up"

    LABELS = {
        PENDING: _("Pending"),
        ACCEPTED: _("Accepted"),
        EXPIRED: _("Expired"),
        REVOKED: _("Revoked"),
        USED_UP: _("Used up"),
    }


class InvitationInvalid(Exception):
    """A link that cannot be used: ``reason`` is one of forged, revoked, expired, used-up."""

    def __init__(self, message, reason, invitation=None):
        super().__init__(message)
        self.message, self.reason, self.invitation = message, reason, invitation


class SignInRequired(Exception):
    """The link alone cannot say who accepts: the visitor signs in first. ``reason`` says why:
    ``account``, the invitation's address belongs to an account with a password (or staff powers);
    ``unconfirmed``, an account added the address without confirming it, so the link may open
    neither that account nor a new one for the same address; ``shared``, a link several people may
    use opens no account: each signs in (or signs up) and accepts as themselves."""

    ACCOUNT, UNCONFIRMED, SHARED = "account", "unconfirmed", "shared"

    def __init__(self, invitation, account, reason=ACCOUNT):
        super().__init__("sign in first")
        self.invitation, self.account, self.reason = invitation, account, reason


# State ---------------------------------------------------------------------------------------


def status_of(invitation, now=None):
    now = now or timezone.now()
    if invitation.revoked_at is not None:
        return Status.REVOKED
    if invitation.use_count >= invitation.max_uses:
        return Status.ACCEPTED if invitation.max_uses == 1 else Status.USED_UP
    if invitation.expires_at <= now:
        return Status.EXPIRED
    return Status.ACCEPTED if invitation.use_count else Status.PENDING


def usable(queryset=None, now=None):
    """Invitations that may still be accepted."""
    queryset = Invitation.objects.all() if queryset is None else queryset
    return queryset.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now(),
                           use_count__lt=F("max_uses"))


def pending_emails(target, emails, now=None):
    """Those of ``emails`` (lower case) that already have an invitation to ``target`` nobody has
    used yet and that may still be."""
    invitations = usable(Invitation.for_target(target), now).filter(use_count=0)
    lowered = {email.lower() for email in emails}
    return {email.lower() for email in invitations.values_list("email", flat=True)} & lowered


def handler_of(target):
    handler = for_model(type(target))
    if handler is None:
        raise LookupError(f"Nobody registered invitations to {type(target).__name__}.")
    return handler


# Links ---------------------------------------------------------------------------------------


def _signer(invitation):
    return signing.Signer(salt=f"{SALT}:{invitation.key}")


def token_for(invitation):
    return _signer(invitation).sign(str(invitation.pk))


def accept_path(invitation, language=None):
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        return reverse("invitations:accept", args=[token_for(invitation)])


def read(token, now=None):
    """The invitation of a link that may still be used, or ``InvitationInvalid`` saying why not.
    An invitation already accepted by someone is returned as long as it has uses left; one used
    up raises with the invitation attached, so its page can tell its acceptors so."""
    invitation = verified(token)
    check_usable(invitation, now)
    return invitation


def verified(token):
    forged = InvitationInvalid(
        _("This invitation link is not valid. Check that you copied all of it, or ask the person who invited "
          "you for a new one."),
        "forged",
    )
    pk, _separator, _signature = (token or "").partition(":")
    if not (pk.isascii() and pk.isdigit()):  # "²" is a digit to isdigit() but no number to int()
        raise forged
    invitation = Invitation.objects.select_related("invited_by__profile", "institution").filter(pk=int(pk)).first()
    if invitation is None:
        raise forged
    try:
        value = _signer(invitation).unsign(token)
    except signing.BadSignature:
        raise forged from None
    if not constant_time_compare(value, str(invitation.pk)):
        raise forged
    return invitation


def check_usable(invitation, now=None):
    status = status_of(invitation, now)
    if status == Status.REVOKED:
        raise InvitationInvalid(
            _("This invitation has been withdrawn by the person who sent it. Ask them if you think this is a "
              "mistake."),
            status, invitation,
        )
    if invitation.use_count >= invitation.max_uses:
        raise InvitationInvalid(
            _("This invitation has already been used. Ask the person who invited you for a new one."),
            Status.USED_UP, invitation,
        )
    if status == Status.EXPIRED:
        raise InvitationInvalid(
            _("This invitation expired on %(date)s. Ask the person who invited you for a new one.") % {
                "date": date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT")
            },
            status, invitation,
        )


# Inviting ------------------------------------------------------------------------------------


@dataclass
class Invitee:
    email: str
    name: str = ""
    institution: object = None
    institution_name: str = ""
    role: str = ""


def _check_inviter(handler, by, target, roles):
    if not handler.may_invite(by, target):
        raise PermissionDenied
    allowed = dict(handler.roles_for(by, target))
    for role in roles:
        if role not in allowed:
            raise InvitationRefused(_("You cannot invite people as “%(role)s” here.") % {"role": role})


def _new(target, handler, invitee, *, by, days, max_uses, batch=None, now=None):
    now = now or timezone.now()
    return Invitation(
        target_type=handler.content_type(), target_id=target.pk,
        email=invitee.email.strip().lower(), name=(invitee.name or "").strip()[:150],
        institution=invitee.institution,
        institution_name="" if invitee.institution else (invitee.institution_name or "").strip()[:255],
        role=invitee.role or handler.default_role, batch=batch, invited_by=by, created_at=now,
        expires_at=now + timedelta(days=days), max_uses=max_uses,
    )


def _check_terms(days, max_uses):
    if not 1 <= days <= MAX_DAYS:
        raise InvitationRefused(_("An invitation may last from 1 to %(days)s days.") % {"days": MAX_DAYS})
    if not 1 <= max_uses <= MAX_USES:
        raise InvitationRefused(_("An invitation may be used from 1 to %(uses)s times.") % {"uses": MAX_USES})


def invite(target, invitee, *, by, days=DEFAULT_DAYS, max_uses=1, language=None):
    """Invite one person to ``target`` and mail them the link (after commit, in their language when
    an account tells it, else in ``language`` or the inviter's)."""
    handler = handler_of(target)
    invitee.role = invitee.role or handler.default_role
    _check_inviter(handler, by, target, [invitee.role])
    _check_terms(days, max_uses)
    with transaction.atomic():
        if pending_emails(target, [invitee.email]):
            raise InvitationRefused(_(
                "%(email)s already has an invitation here that has not been used yet. Revoke it first to send "
                "a new one."
            ) % {"email": invitee.email.strip().lower()})
        invitation = _new(target, handler, invitee, by=by, days=days, max_uses=max_uses)
        invitation.save()
        fallback = language or translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(lambda: send_mails([invitation], fallback))
    return invitation


def invite_many(target, invitees, *, by, days=DEFAULT_DAYS, language=None):
    """Invite everyone of a checked file (see ``network.invitation_csv``) in one transaction, as one
    batch; the mails go out from a background task once it commits."""
    handler = handler_of(target)
    _check_terms(days, 1)
    for invitee in invitees:
        invitee.role = invitee.role or handler.default_role
    _check_inviter(handler, by, target, {invitee.role for invitee in invitees})
    batch, now = uuid.uuid4(), timezone.now()
    with transaction.atomic():
        already = pending_emails(target, [invitee.email for invitee in invitees], now)
        if already:
            raise InvitationRefused(_("Some of these people already have an invitation here: %(emails)s.") % {
                "emails": ", ".join(sorted(already))
            })
        Invitation.objects.bulk_create([
            _new(target, handler, invitee, by=by, days=days, max_uses=1, batch=batch, now=now)
            for invitee in invitees
        ])
        fallback = language or translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(lambda: send_batch.enqueue(str(batch), fallback))
    return batch


@transaction.atomic
def revoke(invitation, by):
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    handler = for_invitation(invitation)
    target = handler.get(invitation.target_id) if handler else None
    if target is None or not handler.may_invite(by, target):
        raise PermissionDenied
    if invitation.revoked_at is not None:
        raise InvitationRefused(_("This invitation was already revoked."))
    if invitation.use_count >= invitation.max_uses:
        raise InvitationRefused(_("This invitation has been used: there is nothing left to revoke."))
    invitation.revoked_at, invitation.revoked_by = timezone.now(), by
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    return invitation


# Accepting -----------------------------------------------------------------------------------


@dataclass
class Acceptance:
    invitation: Invitation
    person: object
    message: str
    landing_url: str
    already: bool = False
    sign_in: bool = False


def owns_address(user, email):
    """Whether ``email`` is one of the account's verified addresses, or its own address that no
    account verified (see ``network.accounts.owns``)."""
    return owns(user, email)


def is_shared(invitation):
    """A link several people may accept: it is passed around, so it proves no address."""
    return invitation.max_uses > 1


def may_open_by_link(account):
    """A lightweight account (no password, no staff powers) may be opened by a mailed link."""
    return account.is_active and not account.has_usable_password() and not (account.is_staff or account.is_superuser)


def acceptor(invitation, user):
    """Who would accept ``invitation`` for this visitor: the signed-in ``user``; or the account that
    owns the invitation's address (None if there is none yet). Raises ``SignInRequired`` when that
    account must sign in, ``InvitationRefused`` when this person may not accept."""
    handler = for_invitation(invitation)
    if user.is_authenticated:
        if invitation.role in handler.privileged_roles and not owns_address(user, invitation.email):
            raise InvitationRefused(_(
                "This invitation is for %(email)s, and only that person may accept it. Sign out, then open the link "
                "again, or sign in with that address."
            ) % {"email": invitation.email})
        return user
    if is_shared(invitation):
        raise SignInRequired(invitation, None, SignInRequired.SHARED)
    account = account_owning(invitation.email)
    if account is None and claimed_unconfirmed(invitation.email):
        # Someone added the address to their account without confirming it. That account is not
        # opened by the link (it may be anyone's), and a new one would make the address two
        # accounts' if it is the link holder's own: whoever owns that account signs in.
        raise SignInRequired(invitation, None, SignInRequired.UNCONFIRMED)
    if account is not None and not may_open_by_link(account):
        raise SignInRequired(invitation, account)
    return account


def already_accepted(invitation, person):
    return person is not None and InvitationAcceptance.objects.filter(invitation=invitation, person=person).exists()


def accept(token, user, now=None):
    """Accept the invitation of ``token`` for ``user`` (signed in or anonymous, see the module's
    notes). Accepting again is harmless: the person is told they already have."""
    invitation = verified(token)
    handler = for_invitation(invitation)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        target = handler.get(invitation.target_id) if handler else None
        if target is None:
            raise InvitationInvalid(_("What this invitation was for no longer exists."), "gone", invitation)
        person = acceptor(invitation, user)
        if already_accepted(invitation, person):
            return Acceptance(
                invitation, person, _("You have already accepted this invitation."), handler.landing_url(target),
                already=True,
            )
        check_usable(invitation, now)
        anonymous = not user.is_authenticated
        if person is None:
            person = account_for(_Applicant.of(invitation))
        if not person.is_active:
            raise InvitationRefused(_("This account is closed. Write to the person who invited you."))
        message = handler.accept(invitation, target, person)
        used = Invitation.objects.filter(pk=invitation.pk, use_count__lt=F("max_uses")).update(
            use_count=F("use_count") + 1
        )
        if not used:  # cannot happen under the row lock; the check constraint is the last guard
            raise InvitationInvalid(_("This invitation has already been used."), Status.USED_UP, invitation)
        try:
            with transaction.atomic():
                InvitationAcceptance.objects.create(
                    invitation=invitation, person=person, accepted_at=now or timezone.now()
                )
        except IntegrityError:
            raise InvitationRefused(_("You have already accepted this invitation.")) from None
        if anonymous:
            _verify_address(person, invitation.email)
        invitation.refresh_from_db()
    return Acceptance(
        invitation, person, message, handler.landing_url(target),
        sign_in=anonymous and may_open_by_link(person),
    )


def _verify_address(person, email):
    """The mailed link reached this address: it is the person's, verified. Only ever the account's
    own address (the one it was found by, or made with): an address it merely added is confirmed by
    allauth's own mail, never by an invitation."""
    from allauth.account.models import EmailAddress

    if (person.email or "").strip().lower() != email.strip().lower():
        return
    updated = EmailAddress.objects.filter(user=person, email__iexact=email).update(verified=True)
    if not updated:
        EmailAddress.objects.create(
            user=person, email=email, verified=True,
            primary=not EmailAddress.objects.filter(user=person, primary=True).exists(),
        )


@dataclass
class _Applicant:
    email: str
    name: str
    institution: object
    institution_name: str
    language: str

    @classmethod
    def of(cls, invitation):
        return cls(
            email=invitation.email, name=invitation.name, institution=invitation.institution,
            institution_name=invitation.institution_name,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )


# Mails ---------------------------------------------------------------------------------------


def absolute(path):
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"


def languages_of(emails):
    """The preferred language of each address's account, where there is one (lower-case keys)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    emails = {email.lower() for email in emails}
    known = {}
    users = get_user_model().objects.annotate(address=Lower("email")).filter(address__in=emails)
    for email, language in users.values_list("address", "profile__preferred_language"):
        known.setdefault(email, language)
    addresses = EmailAddress.objects.annotate(address=Lower("email")).filter(address__in=emails)
    for email, language in addresses.values_list("address", "user__profile__preferred_language"):
        known[email.lower()] = language
    return {email: language for email, language in known.items() if language}


def message_for(invitation, language, handler=None, target=None, title=None):
    handler = handler or for_invitation(invitation)
    target = target if target is not None else handler.get(invitation.target_id)
    inviter = invitation.invited_by
    with translation.override(language):
        context = {
            "invitation": invitation,
            "name": invitation.name,
            "inviter": _display_name(inviter) if inviter else "",
            "title": title or handler.title(target),
            "kind": handler.verbose_name,
            "role": handler.role_label(invitation.role),
            "expires_on": date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT"),
            "accept_url": absolute(accept_path(invitation, language)),
        }
        subject = " ".join(render_to_string("network/emails/invitation_subject.txt", context).split())
        body = render_to_string("network/emails/invitation.txt", context)
    return mail.EmailMessage(subject, body, None, [invitation.email])


def send_mails(invitations, fallback_language):
    """Mail each invitation still usable and not mailed yet, over one connection; returns how many
    went out. Each is claimed (``mailed_at``) before its mail is sent, so a task that runs twice
    mails nobody twice; a claim whose mail could not go out is given back for the next run."""
    pending = [invitation for invitation in invitations if status_of(invitation) == Status.PENDING]
    ids, now = [invitation.pk for invitation in pending], timezone.now()
    Invitation.objects.filter(pk__in=ids, mailed_at__isnull=True).update(mailed_at=now)
    claimed = set(Invitation.objects.filter(pk__in=ids, mailed_at=now).values_list("pk", flat=True))
    invitations = [invitation for invitation in pending if invitation.pk in claimed]
    if not invitations:
        return 0
    try:
        return _send(invitations, fallback_language)
    except Exception:
        Invitation.objects.filter(pk__in=claimed, mailed_at=now).update(mailed_at=None)
        raise


def _send(invitations, fallback_language):
    languages = languages_of(invitation.email for invitation in invitations)
    handler = for_invitation(invitations[0])  # one target: a single invitation or one file's
    target = handler.get(invitations[0].target_id)
    if target is None:
        return 0
    titles, messages = {}, []
    for invitation in invitations:
        language = languages.get(invitation.email.lower(), fallback_language)
        if language not in titles:
            with translation.override(language):
                titles[language] = handler.title(target)
        messages.append(message_for(invitation, language, handler, target, titles[language]))
    with mail.get_connection() as connection:
        return connection.send_messages(messages) or 0


@task(backend=settings.BACKGROUND_TASKS)
def send_batch(batch, fallback_language):
    """Mail the invitations of one uploaded file (those still pending when the task runs)."""
    invitations = list(
        Invitation.objects.filter(batch=batch).select_related("invited_by__profile", "institution").order_by("pk")
    )
    return send_mails(invitations, fallback_language)


def _display_name(user):
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or user.get_full_name() or user.get_username()
