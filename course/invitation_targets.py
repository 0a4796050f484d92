"""Invitations to an offering: its professors and teaching assistants invite people, and so do the
coordinators of its host institution. Accepting enrols the person, active at once, whatever the
offering's policy (see ``enrolment.admit_invited``). Registered from ``CourseConfig.ready()``."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from network import roles as network_roles
from network.invitation_targets import InvitationRefused, InvitationTarget, register

from . import enrolment as rules
from .models import Enrolment, Offering

Role = Enrolment.Role


class OfferingTarget(InvitationTarget):
    kind = "offering"
    model = Offering
    verbose_name = _("offering")
    roles = Role.choices
    default_role = Role.STUDENT
    privileged_roles = frozenset(Enrolment.STAFF_ROLES)

    def get(self, pk):
        return Offering.objects.select_related("course", "host").filter(pk=pk).first()

    def title(self, target):
        course = target.course.localized
        return f"{course.title} · {target.cohort}"

    def may_invite(self, user, target):
        if not user.is_authenticated or not user.is_active:
            return False
        return user.is_superuser or rules.is_staff_of(user, target) or network_roles.coordinates(user, target.host)

    def roles_for(self, user, target):
        # A teaching assistant brings in students and observers; making someone a professor or an
        # assistant is for the professors and the host's coordinators.
        if not user.is_authenticated:
            return []
        if user.is_superuser or network_roles.coordinates(user, target.host):
            return list(Role.choices)
        teaching = set(target.enrolments.filter(
            user=user, role__in=Enrolment.STAFF_ROLES, status__in=Enrolment.SEAT_STATUSES
        ).values_list("role", flat=True))
        if Role.PROFESSOR in teaching:
            return list(Role.choices)
        return [(value, label) for value, label in Role.choices if value not in Enrolment.STAFF_ROLES]

    def accept(self, invitation, target, person):
        role = invitation.role or self.default_role
        try:
            enrolment, changed = rules.admit_invited(person, target, role)
        except rules.EnrolmentRefused as refusal:
            raise InvitationRefused(refusal.message) from None
        title = self.title(target)
        if not changed:
            return _("You already take part in %(offering)s, as %(role)s.") % {
                "offering": title, "role": enrolment.get_role_display()
            }
        return _("Welcome! You are enrolled in %(offering)s as %(role)s.") % {
            "offering": title, "role": enrolment.get_role_display()
        }

    def landing_url(self, target):
        return reverse("course:offering", args=[target.slug])


HANDLER = register(OfferingTarget())


def invite_link(request, offering, enrolment, teaches):
    """The offering page's way in to its invitations, for the people who teach it (and superusers).
    It costs no query: the page already knows who teaches. The host's coordinators may invite too;
    they reach the page from their institution's offerings rather than at the price of a query on
    every reader's offering page."""
    user = request.user
    if not (teaches or (user.is_authenticated and user.is_superuser)):
        return None
    return render_to_string(
        "course/includes/invite_link.html", {"url": HANDLER.list_url(offering)}, request=request
    )


hooks.register("offering_page_panels", invite_link)
