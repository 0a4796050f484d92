"""Invitations to a seminar series: its convenors invite people, and so do the coordinators of its
institution. Accepting registers the person through the series' own rules by the invitation route
(so even when the open form is off; a full series puts them on its waiting list). Registered from
``LessonsConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from network import roles as network_roles
from network.invitation_targets import InvitationRefused, InvitationTarget, register

from . import seminars
from .seminar_models import SeminarSeriesPage

PARTICIPANT = "participant"


class SeminarSeriesTarget(InvitationTarget):
    kind = "seminar-series"
    model = SeminarSeriesPage
    verbose_name = _("seminar series")
    roles = ((PARTICIPANT, _("Participant")),)
    default_role = PARTICIPANT

    def get(self, pk):
        # Registrations belong to the series' source page, whichever language's copy is named.
        page = SeminarSeriesPage.objects.live().filter(pk=pk).first()
        return seminars.source_page(page) if page is not None else None

    def title(self, target):
        return target.localized.title

    def may_invite(self, user, target):
        if not user.is_authenticated or not user.is_active:
            return False
        return seminars.is_convenor(user, target) or network_roles.coordinates(user, target.institution)

    def accept(self, invitation, target, person):
        try:
            registration = seminars.register(
                person, target, route=seminars.Route.INVITATION, invited_by=invitation.invited_by
            )
        except seminars.AlreadyRegistered:
            return _("You are already registered for this series.")
        except seminars.SeminarRefused as refusal:
            raise InvitationRefused(refusal.message) from None
        if registration.status == seminars.Status.WAITING:
            return _("Every seat is taken: you are on the waiting list. We will email you if one frees.")
        return _("Welcome! You are registered for this series. We have emailed you the details.")

    def landing_url(self, target):
        return target.localized.url or target.url


HANDLER = register(SeminarSeriesTarget())
