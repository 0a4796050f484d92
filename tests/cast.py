"""The people of the network's permission matrix: one of each role, around two universities.

Each test of an action asks the same question of every member of the cast, so the allowed and the
forbidden outcomes sit side by side (see tests/network and tests/course).
"""

from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser

from network.models import Institution, Membership

from .factories import make_institution, make_institution_page, make_membership, make_person, make_professor

ROLES = (
    "anonymous", "student", "external", "professor", "coordinator_a", "coordinator_b", "superuser",
)


def make_cast(site):
    """Universities A (Ukraine) and B (Moldova), each with a profile page, and a person per role:
    a student of A, an external attendee from a ministry with a lightweight account, a professor of
    A (in the Professors group), a coordinator of each university, and a superuser."""
    a = make_institution(name="University A", short_name="uni-a", country="UA", city="Kyiv")
    b = make_institution(name="University B", short_name="uni-b", country="MD", city="Chișinău")
    ministry = make_institution(
        name="Ministry of Economy", short_name="ministry", country="GE", kind=Institution.Kind.MINISTRY
    )
    pages = SimpleNamespace(a=make_institution_page(site, a), b=make_institution_page(site, b))

    student = make_person(display_name="Student of A", institution=a)
    make_membership(student, a, Membership.Role.STUDENT)
    external = make_person(display_name="Official", institution=ministry, verified=False)
    external.set_unusable_password()
    external.save()
    professor = make_professor(email="professor-a@example.org")
    make_membership(professor, a, Membership.Role.PROFESSOR)
    coordinator_a = make_person(display_name="Coordinator of A", institution=a)
    make_membership(coordinator_a, a, Membership.Role.COORDINATOR)
    coordinator_b = make_person(display_name="Coordinator of B", institution=b)
    make_membership(coordinator_b, b, Membership.Role.COORDINATOR)
    superuser = make_person(display_name="Administrator")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    people = {
        "anonymous": AnonymousUser(),
        "student": student,
        "external": external,
        "professor": professor,
        "coordinator_a": coordinator_a,
        "coordinator_b": coordinator_b,
        "superuser": superuser,
    }
    return SimpleNamespace(a=a, b=b, ministry=ministry, pages=pages, people=people, **people)
