"""The professor's side of quizzes: the gradebook, its CSV, and grading essays by hand."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from course.enrolment import is_staff_of
from course.models import Offering

from . import gradebook as book
from .models import EssayQuestion
from .quiz_models import Response

STUDENTS_PER_PAGE = 50


def _staff_offering(request, slug):
    offering = get_object_or_404(Offering.objects.select_related("course"), slug=slug)
    if not (request.user.is_superuser or is_staff_of(request.user, offering)):
        raise PermissionDenied
    return offering


def _signed_in(view):
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("account_login"))
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


@require_GET
@_signed_in
def gradebook(request, slug):
    offering = _staff_offering(request, slug)
    quizzes = book.quizzes_of(offering)
    query = request.GET.get("q", "").strip()[:100]
    quiz = next((q for q in quizzes if str(q.pk) == request.GET.get("quiz")), None)
    result = request.GET.get("result", "") if quiz else ""
    page = Paginator(book.students(offering, query, quiz, result), STUDENTS_PER_PAGE).get_page(request.GET.get("page"))
    kept = book.grades(page.object_list, quizzes)
    rows = [(enrolment, [kept.get((enrolment.pk, q.pk)) for q in quizzes]) for enrolment in page.object_list]
    filters = {"q": query, "quiz": quiz.pk if quiz else "", "result": result}
    filters = {key: value for key, value in filters.items() if value}
    return render(request, "assessments/gradebook.html", {
        "offering": offering,
        "quizzes": quizzes,
        "rows": rows,
        "items": page,
        "query": query,
        "quiz": quiz,
        "result": result,
        "results": book.RESULTS,
        "query_string": urlencode(filters),
        "waiting": book.waiting_responses(offering).count(),
    })


@require_GET
@_signed_in
def gradebook_csv(request, slug):
    offering = _staff_offering(request, slug)
    response = StreamingHttpResponse(book.csv_lines(offering), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gradebook-{offering.slug}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@_signed_in
def grading_queue(request, slug):
    offering = _staff_offering(request, slug)
    page = Paginator(book.waiting_responses(offering), 20).get_page(request.GET.get("page"))
    essays = EssayQuestion.objects.in_bulk([response.question_id for response in page.object_list])
    for response in page.object_list:
        response.essay = essays.get(response.question_id)
    return render(request, "assessments/grading.html", {"offering": offering, "items": page})


@require_POST
@_signed_in
def grade(request, response_id):
    response = get_object_or_404(Response.objects.select_related("attempt__enrolment__offering"), pk=response_id)
    offering = response.attempt.enrolment.offering
    if not (request.user.is_superuser or is_staff_of(request.user, offering)):
        raise PermissionDenied
    try:
        book.grade_by_hand(
            response, by=request.user, score=request.POST.get("score", ""), feedback=request.POST.get("feedback", "")
        )
    except book.GradeRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The answer is graded."))
    return redirect(reverse("quizzes:grading", args=[offering.slug]))

