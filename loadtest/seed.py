"""The load run's data: one course with one module, one quiz of auto-graded questions, one offering
and its students, each already signed in. Running it again reuses what is there, deletes the
quiz's attempts and gives every student a fresh session.

Students sign in through sessions made here, straight in the session store, rather than through
the sign-in form: the form's rate limit (per address) would refuse a hundred sign-ins from one
machine, and signing in is not what this run measures.

    python -m loadtest.seed --students 100 --questions 10 --plan plan.json

writes the plan the students follow (``quiz_load.py --plan``): the quiz's address and each
student's session key. Needs Django's settings (DJANGO_SETTINGS_MODULE, DATABASE_URL, ...).
"""

import argparse
import io
import json
import os
import sys
from datetime import timedelta
from importlib import import_module

SLUG = "loadtest"
STUDENT_PREFIX = "loadtest-student-"


def seed(students=100, questions=10):
    """Make (or reuse) the data set; returns the plan: ``{"quiz_url", "quiz_id", "session_cookie",
    "students": [{"username", "session"}]}``."""
    from django.conf import settings
    from django.db import transaction

    from assessments.quiz_models import Attempt

    with transaction.atomic():
        home = site_home()
        course, module = course_and_module(home)
        quiz = quiz_of(module, questions)
        offering = offering_of(course)
        users = students_of(offering, students)
        Attempt.objects.filter(quiz=quiz).delete()  # and their responses: every run starts from nothing
    return {
        "quiz_url": quiz.url,
        "quiz_id": quiz.pk,
        "questions": quiz.quiz_questions.count(),
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "students": [{"username": user.username, "session": signed_in_session(user)} for user in users],
    }


def site_home():
    """The default site's home page; on a fresh database, the demo's site frame (home and sections)."""
    from django.core.management.base import OutputWrapper
    from wagtail.models import Site

    from home import demo_site
    from home.models import HomePage
    from network.demo_kit import DemoContext

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    ctx = DemoContext(stdout=OutputWrapper(io.StringIO()))
    demo_site.load(ctx)
    return ctx.home


def course_and_module(home):
    from django.utils import timezone

    from course.models import CourseIndexPage, CoursePage, ModulePage
    from network.models import Institution

    courses = CourseIndexPage.objects.child_of(home).first()
    if courses is None:
        courses = home.add_child(instance=CourseIndexPage(title="Courses", slug="courses", show_in_menus=True))
    institution, _created = Institution.objects.get_or_create(
        short_name=f"{SLUG}-university", defaults={"name": "Load Test University", "country": "UA"}
    )
    course = CoursePage.objects.child_of(courses).filter(slug=f"{SLUG}-course").first()
    if course is None:
        course = courses.add_child(instance=CoursePage(
            title="Export controls (load test)", slug=f"{SLUG}-course", summary="The course the load test takes.",
            owning_institution=institution, last_published_at=timezone.now(),
        ))
    module = ModulePage.objects.child_of(course).filter(slug="module-1").first()
    if module is None:
        module = course.add_child(instance=ModulePage(
            title="Foundations", slug="module-1", number=1, summary="What the quiz asks about.",
            last_published_at=timezone.now(),
        ))
    return course, module


def quiz_of(module, questions):
    from assessments.quiz_models import QuizPage
    from home import bench

    quiz = QuizPage.objects.child_of(module).filter(slug=f"{SLUG}-quiz").first()
    if quiz is not None and quiz.quiz_questions.count() != questions:
        quiz.delete()  # a run with another number of questions
        quiz = None
    if quiz is None:
        quiz = bench.build_quiz(
            module, questions=questions, slug=f"{SLUG}-quiz", title="Foundations quiz (load test)",
            attempts_allowed=None,
        )
    return quiz


def offering_of(course):
    from django.utils import timezone

    from course.models import Offering

    today = timezone.localdate()
    offering, _created = Offering.objects.update_or_create(
        slug=f"{SLUG}-offering",
        defaults={
            "course": course, "host": course.owning_institution, "cohort": "Load test cohort",
            "starts_on": today - timedelta(days=7), "ends_on": today + timedelta(days=30),
            "time_zone": "Europe/Kyiv", "language": "en",
        },
    )
    return offering


def students_of(offering, count):
    from django.contrib.auth import get_user_model

    from course.models import Enrolment

    User = get_user_model()
    names = [f"{STUDENT_PREFIX}{number:03d}" for number in range(1, count + 1)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    new = [User(username=name, email=f"{name}@example.org", first_name="Student", last_name=name[-3:])
           for name in names if name not in existing]
    for user in new:
        user.set_unusable_password()
    User.objects.bulk_create(new)
    users = list(User.objects.filter(username__in=names).order_by("username"))
    enrolled = set(Enrolment.objects.filter(offering=offering, user__in=users).values_list("user_id", flat=True))
    Enrolment.objects.bulk_create([
        Enrolment(offering=offering, user=user, role=Enrolment.Role.STUDENT, status=Enrolment.Status.ACTIVE)
        for user in users if user.pk not in enrolled
    ])
    Enrolment.objects.filter(offering=offering, user__in=users).update(
        role=Enrolment.Role.STUDENT, status=Enrolment.Status.ACTIVE
    )
    return users


def signed_in_session(user):
    """A session key that signs ``user`` in, as ``django.contrib.auth.login`` would store it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--plan", required=True, help="Where to write the plan (JSON).")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")
    import django

    django.setup()
    plan = seed(students=args.students, questions=args.questions)
    with open(args.plan, "w", encoding="utf-8") as handle:
        json.dump(plan, handle)
    print(f"Seeded {len(plan['students'])} signed-in students and a quiz of {plan['questions']} questions "
          f"at {plan['quiz_url']}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
