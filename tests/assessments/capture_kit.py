"""Small builders for the Capacity Capture tests: a course with an offering and a student, posted
plan forms, and plans made in bulk."""

from contextlib import ExitStack, contextmanager
from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone
from wagtail import hooks

from assessments.capture_models import CaptureItem, CapturePlan, ItemObstacle
from course.models import Enrolment
from lessons.models import SeminarRegistration, SeminarSeriesPage
from tests.factories import make_course, make_enrolment, make_institution, make_offering, make_person


@contextmanager
def capture_panels():
    """Capacity Capture's panels registered for the duration, unless the app's hooks already have
    them: importing ``assessments.capture_hooks`` here would register them for every later test."""
    from assessments.capture_views import learning_panel, offering_panel

    panels = (("learning_dashboard_panels", learning_panel), ("offering_page_panels", offering_panel))
    with ExitStack() as stack:
        for hook_name, panel in panels:
            if panel not in hooks.get_hooks(hook_name):
                stack.enter_context(hooks.register_temporarily(hook_name, panel))
        yield


def make_capture_site(site_tree, **student_profile):
    """A course with two modules, an offering hosted by a university, its professor and a student
    of that university enrolled in it."""
    home = make_institution(name="Dnipro University of Technology")
    course = make_course(site_tree, modules=2, lectures_per_module=1, title="Export controls")
    offering = make_offering(course.course, host=home, cohort="Dnipro spring cohort")
    professor = make_enrolment(offering, role=Enrolment.Role.PROFESSOR).user
    profile = {"institution": home, "preferred_language": "en", "time_zone": "Europe/Kyiv", **student_profile}
    student = make_enrolment(offering, user=make_person(**profile)).user
    return SimpleNamespace(
        site=site_tree, course=course.course, modules=course.modules, offering=offering, home=home,
        professor=professor, student=student,
    )


def make_series_page(site_tree, institution=None, title="Responsible science"):
    n = CapturePlan.objects.count() + SeminarSeriesPage.objects.count() + 1
    return site_tree.home.add_child(instance=SeminarSeriesPage(
        title=title, slug=f"responsible-science-{n}", institution=institution or make_institution(),
    ))


def register(series, user, status=SeminarRegistration.Status.REGISTERED):
    return SeminarRegistration.objects.create(series=series, user=user, status=status, queued_at=timezone.now())


def item_fields(**fields):
    target = (timezone.localdate() + timedelta(days=120)).isoformat()
    return {
        "kind": "skill",
        "description": "Classifying items against the EU dual-use list",
        "application": "Teach it in the faculty's export control workshop",
        "obstacles": ["human", "financial"],
        "obstacle_note": "",
        "target_date": target,
        **fields,
    }


def plan_post(items, revision=0, action="submit", total=None, initial=0):
    """The POST body of the plan form with ``items`` (dicts of item fields, ``id`` for kept ones)."""
    data = {
        "revision": str(revision),
        "items-TOTAL_FORMS": str(total if total is not None else len(items)),
        "items-INITIAL_FORMS": str(initial),
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "200",
        action: "1",
    }
    for index, item in enumerate(items):
        for name, value in item.items():
            key = f"items-{index}-{name}"
            if isinstance(value, list):
                data[key] = value
            elif value is True:
                data[key] = "on"
            elif value is not None:
                data[key] = str(value)
    return data


def make_plans(offering, count, submitted=True, items=2, statuses=("operational", "planned"), obstacles=("human",),
               institution=None, module=None):
    """``count`` plans of new students in ``offering``, made in bulk, each with ``items`` items."""
    from tests.factories import make_enrolments

    enrolments = make_enrolments(offering, count)
    now = timezone.now()
    plans = CapturePlan.objects.bulk_create([
        CapturePlan(user_id=e.user_id, offering=offering, module=module, institution=institution,
                    submitted_at=now if submitted else None, revision=1)
        for e in enrolments
    ])
    if plans and plans[0].pk is None:
        plans = list(CapturePlan.objects.filter(user_id__in=[e.user_id for e in enrolments]))
    target = timezone.localdate() + timedelta(days=60)
    CaptureItem.objects.bulk_create([
        CaptureItem(plan=plan, kind=("knowledge", "practice", "skill", "tool")[n % 4], description=f"KPST {n}",
                    application="At home", target_date=target, status=statuses[n % len(statuses)])
        for plan in plans for n in range(items)
    ])
    ItemObstacle.objects.bulk_create([
        ItemObstacle(item=item, obstacle=obstacle)
        for item in CaptureItem.objects.filter(plan__in=plans) for obstacle in obstacles
    ])
    return plans
