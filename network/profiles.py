"""What an institution's profile page shows: its facts, its units, who belongs (counted by role;
coordinators by name), what it hosts and the courses it adopted.

Other apps add sections through the ``institution_page_panels`` hook: each function takes the
request and the institution and returns HTML or nothing (the course app lists the offerings the
institution hosts). What they show anonymous readers is cached and shared, so a panel must not
depend on who reads unless the reader is signed in."""

from django.db.models import Count
from wagtail import hooks

from .directory import with_profiles
from .models import Membership
from .roles import coordinates

PANELS_HOOK = "institution_page_panels"
Role = Membership.Role
# Coordinators are the institution's contact for the network, named on its public page; other
# members are counted but not named: a student's or an official's membership is theirs to share.
NAMED_ROLES = (Role.COORDINATOR,)


def profile_context(request, page):
    institution = page.institution
    related = [unit for unit in institution.units.all()]
    if institution.parent_id:
        related.append(institution.parent)
    with_profiles(related)
    return {
        "institution": institution,
        "parent": next((item for item in related if item.pk == institution.parent_id), None),
        "units": sorted((item for item in related if item.parent_id == institution.pk), key=lambda i: i.display_name),
        "member_counts": member_counts(institution),
        "coordinators": named_members(institution),
        "adopted_courses": list(page.get_children().live().public().order_by("title")),
        "may_manage": coordinates(request.user, institution),
        "panels": [html for html in (panel(request, institution) for panel in hooks.get_hooks(PANELS_HOOK)) if html],
    }


def member_counts(institution):
    """``(role label, count)`` for each role someone active holds at the institution, in role order."""
    counts = dict(
        Membership.objects.filter(institution=institution, person__is_active=True)
        .order_by()
        .values_list("role")
        .annotate(Count("person", distinct=True))
    )
    return [(label, counts[value]) for value, label in Role.choices if counts.get(value)]


def named_members(institution):
    """The names of the members in ``NAMED_ROLES``, never their email addresses."""
    memberships = (
        Membership.objects.filter(institution=institution, role__in=NAMED_ROLES, person__is_active=True)
        .select_related("person__profile")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    names = []
    for membership in memberships:
        person = membership.person
        profile = getattr(person, "profile", None)
        name = (profile.display_name if profile else "") or person.get_full_name()
        if name and name not in names:
            names.append(name)
    return names
