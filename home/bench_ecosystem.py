"""The ecosystem map at the size the issue sets (500 institutions, 20,000 people), for ``make bench``.

The network is generated in the benchmark's throwaway database with ``bulk_create`` (a few
seconds), after every other row is measured, so those are measured on the data as seeded. The
generator is deterministic (a seeded ``random.Random``): the same network every run. It gives
the map every kind of link: partnerships, adoptions of the seeded course, offerings shared with
partners and their students from elsewhere, seminar participants, accepted invitations and people
who belong to two institutions; and a few deliberate gaps (Kyrgyzstan has no industry and no
customs, Armenia no law enforcement).
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from course.adoption_models import Adoption
from course.models import Enrolment, Offering
from lessons.seminar_models import SeminarAttendance, SeminarRegistration, SeminarSeriesPage, SeminarSessionPage
from network.models import Institution, Invitation, InvitationAcceptance, Membership, Partnership, Profile

PREFIX = "bench-eco"
COUNTRIES = ("UA", "MD", "GE", "AZ", "KZ", "KG", "AM")
GAPS = {"KG": {Institution.Kind.INDUSTRY, Institution.Kind.CUSTOMS}, "AM": {Institution.Kind.LAW_ENFORCEMENT}}
# Of every 20 institutions: mostly universities and their faculties, then the others.
KIND_MIX = (
    ["university"] * 6 + ["faculty"] * 3 + ["research-institute"] * 2 + ["industry"] * 2
    + ["licensing-authority", "customs", "law-enforcement", "ministry", "government-agency", "civil-society",
       "professional-association"]
    + ["multilateral"]
)
BATCH = 2000
GOAL_MS = 1000


@dataclass
class Made:
    institutions: int
    people: int


def generate(course, institutions=500, people=20000, seed=6):
    """Bring the network up to ``institutions`` institutions and ``people`` people with a profile
    (once: a second call finds the generated part and only counts)."""
    if not Institution.objects.filter(short_name__startswith=f"{PREFIX}-").exists():
        fill(course, max(1, institutions - Institution.objects.count()), max(1, people - Profile.objects.count()),
             random.Random(seed))
    return Made(Institution.objects.count(), Profile.objects.count())


def fill(course, institutions, people, rng):
    made = make_institutions(rng, institutions)
    academic = [i for i in made if i.kind in ("university", "research-institute")] or made
    persons = make_people(rng, made, people)
    make_partnerships(rng, made, academic)
    make_adoptions(rng, course, academic)
    students = persons[: len(persons) * 3 // 5]
    make_offerings(rng, course, academic, made, students)
    make_seminars(rng, persons[len(students):len(students) + len(persons) // 10])
    make_invitations(rng, persons[-len(persons) // 10:])
    make_second_memberships(rng, made, persons[: len(persons) // 20])


def make_institutions(rng, count):
    rows = []
    for n in range(count):
        country = COUNTRIES[n % len(COUNTRIES)]
        kind = KIND_MIX[(n // len(COUNTRIES)) % len(KIND_MIX)]
        if kind in GAPS.get(country, ()):
            kind = "university"
        label = dict(Institution.Kind.choices)[kind]
        rows.append(Institution(
            name=f"{label} {n + 1} ({country})", short_name=f"{PREFIX}-{n + 1}", kind=kind, country=country,
        ))
    Institution.objects.bulk_create(rows, batch_size=BATCH)
    return list(Institution.objects.filter(short_name__startswith=f"{PREFIX}-").order_by("pk"))


def make_people(rng, institutions, count):
    User = get_user_model()
    User.objects.bulk_create(
        [User(username=f"{PREFIX}-{n}", email=f"{PREFIX}-{n}@example.org", first_name="Bench", last_name=str(n))
         for n in range(count)],
        batch_size=BATCH,
    )
    users = list(User.objects.filter(username__startswith=f"{PREFIX}-").order_by("pk"))
    homes = [rng.choice(institutions) for _ in users]
    Profile.objects.bulk_create(
        [Profile(user=user, institution=home) for user, home in zip(users, homes, strict=True)], batch_size=BATCH
    )
    Membership.objects.bulk_create(
        [Membership(person=user, institution=home, role=Membership.Role.STUDENT)
         for user, home in zip(users, homes, strict=True)],
        batch_size=BATCH,
    )
    for user, home in zip(users, homes, strict=True):
        user.home = home
    return users


def make_partnerships(rng, institutions, academic):
    pairs = set()
    for _ in range(len(institutions)):
        a, b = rng.choice(academic), rng.choice(institutions)
        if a.pk != b.pk:
            pairs.add((min(a.pk, b.pk), max(a.pk, b.pk)))
    Partnership.objects.bulk_create(
        [Partnership(first_id=a, second_id=b, starts_on=date(2024, 1, 1)) for a, b in sorted(pairs)], batch_size=BATCH
    )
    return len(pairs)


def make_adoptions(rng, course, academic):
    adopters = rng.sample(academic, min(60, len(academic)))
    Adoption.objects.bulk_create(
        [Adoption(source=course, institution=institution, status=Adoption.Status.DELIVERING)
         for institution in adopters]
    )
    return len(adopters)


def make_offerings(rng, course, hosts, institutions, students):
    today = timezone.localdate()
    offerings = Offering.objects.bulk_create([
        Offering(
            course=course, host=host, cohort=f"Benchmark cohort {n + 1}", slug=f"{PREFIX}-offering-{n + 1}",
            starts_on=today - timedelta(days=60), ends_on=today + timedelta(days=60),
            mode=Offering.Mode.EXTRAMURAL,
        )
        for n, host in enumerate(rng.sample(hosts, min(100, len(hosts))))
    ])
    offerings = list(Offering.objects.filter(slug__startswith=f"{PREFIX}-offering-").order_by("pk"))
    Through = Offering.partners.through
    Through.objects.bulk_create([
        Through(offering_id=offering.pk, institution_id=partner.pk)
        for offering in offerings
        for partner in rng.sample(institutions, 3)
        if partner.pk != offering.host_id
    ])
    # Most students take an offering in their own country; some go abroad.
    by_country = {}
    hosts = {host.pk: host for host in hosts}
    for offering in offerings:
        by_country.setdefault(hosts[offering.host_id].country, []).append(offering)
    Enrolment.objects.bulk_create(
        [
            Enrolment(offering=rng.choice(nearby(rng, by_country, user.home.country, offerings)), user=user,
                      status=Enrolment.Status.ACTIVE)
            for user in students
        ],
        batch_size=BATCH,
    )
    return len(offerings)


def nearby(rng, by_country, country, everything, at_home=0.8):
    """What to choose from: ``country``'s share of ``by_country`` most of the time, else anything."""
    return by_country.get(country) if rng.random() < at_home and by_country.get(country) else everything


def make_seminars(rng, participants):
    series = SeminarSeriesPage.objects.order_by("path").first()
    if series is None:
        return 0
    sessions = list(SeminarSessionPage.objects.child_of(series).order_by("path")[:2])
    now = timezone.now()
    SeminarRegistration.objects.bulk_create(
        [SeminarRegistration(series=series, user=user, queued_at=now) for user in participants], batch_size=BATCH
    )
    if sessions:
        registrations = SeminarRegistration.objects.filter(series=series, user__username__startswith=f"{PREFIX}-")
        SeminarAttendance.objects.bulk_create(
            [SeminarAttendance(registration=registration, session=rng.choice(sessions))
             for registration in registrations.only("pk")],
            batch_size=BATCH,
        )
    return 1


def make_invitations(rng, guests):
    target_type = ContentType.objects.get_for_model(Institution)
    now = timezone.now()
    by_country = {}
    for guest in guests:
        by_country.setdefault(guest.home.country, []).append(guest)
    Invitation.objects.bulk_create(
        [
            Invitation(
                target_type=target_type, target_id=guest.home.pk, email=guest.email, institution=guest.home,
                invited_by=rng.choice(nearby(rng, by_country, guest.home.country, guests)),
                expires_at=now + timedelta(days=30), use_count=1,
            )
            for guest in guests
        ],
        batch_size=BATCH,
    )
    invitations = list(Invitation.objects.filter(email__startswith=f"{PREFIX}-").order_by("pk"))
    by_email = {guest.email: guest for guest in guests}
    InvitationAcceptance.objects.bulk_create(
        [InvitationAcceptance(invitation=invitation, person=by_email[invitation.email], accepted_at=now)
         for invitation in invitations],
        batch_size=BATCH,
    )
    return len(invitations)


def make_second_memberships(rng, institutions, people):
    Membership.objects.bulk_create(
        [Membership(person=person, institution=rng.choice(institutions), role=Membership.Role.STAFF)
         for person in people],
        batch_size=BATCH, ignore_conflicts=True,
    )
    return len(people)


def summary(row):
    """The line under the table that says whether the map met its goal."""
    verdict = "meets" if row.cold.ms < GOAL_MS else "MISSES"
    return (
        f"Ecosystem map, cold (nothing cached): {row.cold.ms:.0f} ms server time with {row.target.note}; "
        f"{verdict} the goal of under {GOAL_MS} ms."
    )
