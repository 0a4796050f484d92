"""Accounts glue: profiles for new users, and a person's language and time zone applied at sign-in.

The language and time zone are kept in the session when a person signs in (or edits the profile),
so applying them costs no query on any later request.

People who register for a seminar or accept an invitation without signing up get a lightweight
account (``account_for``): no usable password until they claim it by resetting one.
"""

import hashlib
import secrets

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model, user_logged_in
from django.db import connection
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.urls import translate_url
from django.utils.translation import get_language

TIME_ZONE_SESSION_KEY = "campus_time_zone"
LANGUAGE_SESSION_KEY = "campus_language"


def profile_for(user):
    from .models import Profile

    try:
        return user.profile
    except Profile.DoesNotExist:
        return Profile.objects.get_or_create(user=user)[0]


def account_for(applicant):
    """The account that owns the applicant's email address (compared without regard to case), or a
    new one with no usable password, an unverified address and the profile filled in.

    ``applicant`` tells ``email``, ``name``, ``institution``, ``institution_name`` and ``language``
    (a seminar applicant, an invitation). Call it inside a transaction: the address stays locked
    until it ends, so two requests with a new address make one account."""
    from allauth.account.models import EmailAddress

    email = applicant.email.strip().lower()
    lock_address(email)
    owner = account_owning(email)
    if owner is not None:
        return owner
    user = get_user_model()(username=f"guest-{secrets.token_hex(6)}", email=email)
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    profile = profile_for(user)
    profile.display_name = (applicant.name or "").strip()[:150]
    profile.institution = applicant.institution
    profile.institution_name = "" if applicant.institution else (applicant.institution_name or "").strip()[:255]
    profile.preferred_language = applicant.language or settings.LANGUAGE_CODE
    profile.save()
    return user


def account_owning(email):
    """The account an email address belongs to, or None: the account that verified it, else the
    account whose own (primary) address it is, as long as no account verified it.

    An address someone added to their account without confirming it belongs to nobody: anyone may
    type anyone's address there, so such a row must never lead to that account."""
    from allauth.account.models import EmailAddress

    email = email.strip()
    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=True).select_related("user").order_by("pk").first()
    )
    if address is not None:
        return address.user
    return get_user_model().objects.filter(email__iexact=email).order_by("pk").first()


def owns(user, email):
    """Whether ``email`` is ``user``'s: verified on their account, or their own (primary) address
    that no account verified."""
    from allauth.account.models import EmailAddress

    email = email.strip()
    verified = EmailAddress.objects.filter(email__iexact=email, verified=True).values_list("user_id", flat=True)
    owners = set(verified)
    if owners:
        return user.pk in owners
    return (user.email or "").strip().lower() == email.lower()


def claimed_unconfirmed(email):
    """Whether an account added ``email`` without confirming it (and so does not own it)."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(email__iexact=email.strip(), verified=False).exists()


def lock_address(email):
    """Two forms sent at once with a new address must not make two accounts. SQLite already runs
    one writer at a time; PostgreSQL gets a lock on the address until the transaction ends."""
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.blake2b(email.encode(), digest_size=8).digest(), "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def remember_preferences(request, profile):
    request.session[TIME_ZONE_SESSION_KEY] = profile.time_zone
    request.session[LANGUAGE_SESSION_KEY] = profile.preferred_language


def in_language(url, language_code):
    """``url`` on this site, in ``language_code`` (the home page for the bare root)."""
    if url in ("", "/"):
        return f"/{language_code}/"
    return translate_url(url, language_code)


def use_language(response, language_code):
    """Point a redirect at the same page in ``language_code`` and remember that language."""
    if isinstance(response, HttpResponseRedirect):
        response["Location"] = in_language(response["Location"], language_code)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language_code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


class CampusAccountAdapter(DefaultAccountAdapter):
    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        language_code = request.session.get(LANGUAGE_SESSION_KEY)
        if language_code:
            use_language(response, language_code)
        return response

    def get_logout_redirect_url(self, request):
        return in_language(super().get_logout_redirect_url(request), get_language())


@receiver(user_logged_in, dispatch_uid="campus_remember_preferences")
def remember_preferences_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        remember_preferences(request, profile_for(user))


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="campus_create_profile")
def create_profile(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .models import Profile

        Profile.objects.get_or_create(user=instance)
