"""Attendance at live sessions as part of an offering's completion rule, where the offering says so."""

from collections import Counter

from django.utils.translation import gettext_lazy as _

from .live_models import Attendance, LiveSession
from .models import LecturePage


class AttendanceRequirement:
    key = "attendance"
    label = _("Live sessions attended")

    def pages(self, root):
        return LecturePage.objects.none()  # attendance is not read page by page

    def done_keys(self, enrolment):
        return set()

    def standing(self, offering_of):
        counting = {enrolment_id for enrolment_id, offering in offering_of.items() if offering.counts_attendance}
        result = {enrolment_id: (0, 0) for enrolment_id in offering_of}
        if not counting:
            return result  # no query for offerings that do not count attendance
        offerings = {offering_of[enrolment_id].pk for enrolment_id in counting}
        held = LiveSession.objects.filter(offering_id__in=offerings).exclude(status=LiveSession.Status.CANCELLED)
        totals = Counter(held.values_list("offering_id", flat=True))
        attended = Counter(
            Attendance.objects.filter(enrolment_id__in=counting, present=True, session__in=held)
            .values_list("enrolment_id", flat=True)
        )
        for enrolment_id in counting:
            result[enrolment_id] = (attended[enrolment_id], totals[offering_of[enrolment_id].pk])
        return result
