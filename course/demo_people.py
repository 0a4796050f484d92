"""The demo offerings, the invented people who teach and take them, and their progress
(course/demo/offerings.yaml); with ``--scale N``, (N-1) × 1,000 generated students for benchmarks."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from lessons.models import LectureCompletion, LecturePage
from network.demo_kit import ProgressBar, read_yaml
from network.models import Institution, Profile

from .completion import complete_if_done
from .demo import DEMO_DIR
from .models import Enrolment, Offering, OfferingLink

OFFERINGS_FILE = DEMO_DIR / "offerings.yaml"
OFFERING_KEYS = ("slug", "cohort", "host")
PROFILE_FIELDS = ("position", "preferred_language", "time_zone")
GENERATED_PREFIX = "generated-student-"
STUDENTS_PER_SCALE = 1000


def load(ctx):
    course = ctx.shared.get("course")
    data = read_yaml(OFFERINGS_FILE, ctx)
    if course is None or not isinstance(data, dict):
        return
    offerings = {}
    for entry in data.get("offerings") or []:
        offering = ensure_offering(ctx, course, entry)
        if offering is not None:
            offerings[offering.slug] = offering
    ctx.shared["offerings"] = offerings
    lecture_keys = course_lecture_keys(course)
    logins = []
    for entry in data.get("people") or []:
        user = ensure_person(ctx, entry)
        if user is None:
            continue
        if entry.get("password"):
            logins.append(("student", user.username, entry["password"], user.email))
        for enrolment in entry.get("enrolments") or []:
            ensure_enrolment(ctx, user, offerings, enrolment, lecture_keys)
    ctx.shared.setdefault("logins", []).extend(logins)


def course_lecture_keys(course):
    """The course's lectures in reading order, by translation key."""
    lectures = LecturePage.objects.live().descendant_of(course).order_by("path")
    return list(lectures.values_list("translation_key", flat=True))


def ensure_offering(ctx, course, entry):
    if not isinstance(entry, dict) or any(not entry.get(key) for key in OFFERING_KEYS):
        ctx.warn(f"course/demo/offerings.yaml: an offering needs {', '.join(OFFERING_KEYS)}; {entry!r} skipped")
        return None
    existing = Offering.objects.filter(slug=entry["slug"]).first()
    if existing:
        return existing
    institutions = {i.short_name: i for i in Institution.objects.filter(
        short_name__in=[entry["host"], *(entry.get("partners") or [])]
    )}
    host = institutions.get(entry["host"])
    if host is None:
        ctx.warn(f"course/demo/offerings.yaml: {entry['slug']}: unknown host {entry['host']!r}, skipped")
        return None
    today = timezone.localdate()
    starts_on = today + timedelta(days=int(entry.get("starts_in_days") or 0))
    offering = Offering.objects.create(
        course=course,
        host=host,
        cohort=entry["cohort"],
        slug=entry["slug"],
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=int(entry.get("lasts_days") or 70)),
        time_zone=entry.get("time_zone") or "UTC",
        language=entry.get("language") or "en",
        mode=entry.get("mode") or Offering.Mode.INTRAMURAL,
        enrolment_policy=entry.get("enrolment_policy") or Offering.Policy.OPEN,
        capacity=entry.get("capacity"),
    )
    offering.partners.set([institutions[name] for name in entry.get("partners") or [] if name in institutions])
    for link in entry.get("links") or []:
        OfferingLink.objects.create(offering=offering, label=link["label"], url=link["url"])
    ctx.count("offerings")
    return offering


def ensure_person(ctx, entry):
    if not isinstance(entry, dict) or not entry.get("username"):
        ctx.warn(f"course/demo/offerings.yaml: a person needs a username; {entry!r} skipped")
        return None
    User = get_user_model()
    user = User.objects.filter(username=entry["username"]).first()
    if user is not None:
        return user
    email = entry.get("email") or f"{entry['username']}@example.org"
    user = User.objects.create_user(
        username=entry["username"],
        email=email,
        password=entry.get("password"),  # None: an invented person nobody signs in as
        first_name=entry.get("first_name", ""),
        last_name=entry.get("last_name", ""),
    )
    if entry.get("password"):
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    profile = user.profile
    profile.institution = Institution.objects.filter(short_name=entry.get("institution") or "").first()
    for name in PROFILE_FIELDS:
        if entry.get(name):
            setattr(profile, name, entry[name])
    profile.save()
    ctx.count("people")
    return user


def ensure_enrolment(ctx, user, offerings, entry, lecture_keys):
    offering = offerings.get(entry.get("offering"))
    if offering is None:
        ctx.warn(f"course/demo/offerings.yaml: {user.username}: unknown offering {entry.get('offering')!r}, skipped")
        return
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                user=user,
                offering=offering,
                role=entry.get("role") or Enrolment.Role.STUDENT,
                status=entry.get("status") or Enrolment.Status.ACTIVE,
            )
    except IntegrityError:
        return  # loaded before
    ctx.count("enrolments")
    progress = entry.get("progress") or 0
    done = lecture_keys if progress == "all" else lecture_keys[: int(progress)]
    LectureCompletion.objects.bulk_create(
        [LectureCompletion(enrolment=enrolment, lecture_key=key) for key in done]
    )
    ctx.count("lecture completions", len(done))
    if complete_if_done(enrolment):
        ctx.count("certificates")


def load_scale(ctx):
    """Generated students in the open and by-approval demo offerings, each part-way through the
    course, made in bulk: thousands in seconds."""
    offerings = [
        offering for offering in ctx.shared.get("offerings", {}).values()
        if offering.enrolment_policy != Offering.Policy.INVITATION
    ]
    wanted = (ctx.scale - 1) * STUDENTS_PER_SCALE
    if wanted <= 0 or not offerings:
        return
    User = get_user_model()
    have = User.objects.filter(username__startswith=GENERATED_PREFIX).count()
    if have >= wanted:
        return
    lecture_keys = course_lecture_keys(offerings[0].course)
    password = make_password(None)  # unusable: generated people never sign in
    progress = ProgressBar(ctx.stdout, wanted - have, "generated students")
    for start in range(have, wanted, STUDENTS_PER_SCALE):
        numbers = range(start + 1, min(start + STUDENTS_PER_SCALE, wanted) + 1)
        users = User.objects.bulk_create([
            User(
                username=f"{GENERATED_PREFIX}{n:06d}",
                email=f"{GENERATED_PREFIX}{n:06d}@example.org",
                first_name="Student",
                last_name=f"{n:06d}",
                password=password,
            )
            for n in numbers
        ])
        if users[0].pk is None:  # backends that do not return ids from bulk inserts
            users = list(User.objects.filter(username__in=[user.username for user in users]).order_by("pk"))
        Profile.objects.bulk_create([Profile(user=user, time_zone=offerings[0].time_zone) for user in users])
        enrolments = Enrolment.objects.bulk_create([
            Enrolment(user=user, offering=offerings[n % len(offerings)], status=Enrolment.Status.ACTIVE)
            for n, user in zip(numbers, users, strict=True)
        ])
        if enrolments[0].pk is None:
            enrolments = list(Enrolment.objects.filter(user__in=users).order_by("user_id"))
        # Everyone part-way, none finished: a spread of progress that exercises the bars and counts.
        LectureCompletion.objects.bulk_create([
            LectureCompletion(enrolment=enrolment, lecture_key=key)
            for n, enrolment in zip(numbers, enrolments, strict=True)
            for key in lecture_keys[: n % len(lecture_keys)]
        ], batch_size=5000)
        ctx.count("generated students", len(users))
        progress.advance(len(users))
    progress.finish()
