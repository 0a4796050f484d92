"""Demo Capacity Capture plans: each demo student who completed an offering has submitted one, so
the offering's report and the student's "My learning" have something to show. Idempotent: a
person who already has a plan for the offering is left alone. ``seed_demo`` runs ``load`` after
the offerings and their people."""

from datetime import timedelta

from django.utils import timezone

from course.models import Enrolment

from . import capture

# What a chemistry or physics Master's student might take home from the course (in English: the
# participants' own words are not translated).
DEMO_ITEMS = (
    ("skill", "Classifying laboratory equipment against the EU dual-use list",
     "Run a classification exercise in the department's laboratory safety induction",
     ["human", "authority"], "The head of department has to make the induction compulsory.", 75),
    ("practice", "Screening collaborators and end users before sharing research results",
     "Propose an end-user check to the faculty's international office",
     ["process", "human"], "", 120),
    ("tool", "The commodity identification app",
     "Show it to the university's procurement and export office",
     ["financial"], "Licences for the office would need a budget line.", 45),
)


def load(ctx):
    offerings = list(ctx.shared.get("offerings", {}).values())
    completed = Enrolment.objects.filter(
        offering__in=offerings, role=Enrolment.Role.STUDENT, status=Enrolment.Status.COMPLETED
    ).select_related("user", "offering__course")
    for enrolment in completed:
        context = capture.Context(offering=enrolment.offering)
        if capture.plan_for(enrolment.user, context) is not None:
            continue
        today = timezone.localdate()
        items = [
            capture.ItemData(kind=kind, description=description, application=application, obstacles=obstacles,
                             obstacle_note=note, target_date=today + timedelta(days=days))
            for kind, description, application, obstacles, note, days in DEMO_ITEMS
        ]
        capture.save_plan(enrolment.user, context, items, revision=0, submit=True)
        ctx.count("Capacity Capture plans")
