"""Who may act for an institution. Every network and adoption permission starts here, so a
coordinator of one institution can never reach another's members, pages or offerings."""

from .models import Membership

Role = Membership.Role


def holds(user, institution, *roles):
    """Whether ``user`` holds one of ``roles`` at ``institution`` (any role when none is named)."""
    if not getattr(user, "is_authenticated", False) or institution is None:
        return False
    memberships = Membership.objects.filter(person=user, institution=institution)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return memberships.exists()


def coordinates(user, institution):
    """Whether ``user`` may manage ``institution``: its members, editors, offerings and adoptions.
    Superusers may manage every institution."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return holds(user, institution, Role.COORDINATOR)


def coordinated_institutions(user):
    """The institutions ``user`` coordinates (all of them for a superuser), as a queryset."""
    from .models import Institution

    if not getattr(user, "is_authenticated", False):
        return Institution.objects.none()
    if user.is_superuser and user.is_active:
        return Institution.objects.all()
    return Institution.objects.filter(memberships__person=user, memberships__role=Role.COORDINATOR).distinct()
