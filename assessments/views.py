"""Quiz pages and attempts: start or resume, answer (saved one by one), submit, review."""

import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from course.learning import in_course_of
from course.models import Enrolment

from . import attempts as rules
from . import grading
from .display import shown_questions
from .quiz_models import Attempt, QuizPage


def quiz_context(quiz, request):
    """What the quiz page shows the reader: their attempts and what they may do next."""
    context = {"attempts": [], "enrolment": None, "teaches_offerings": []}
    if not request.user.is_authenticated:
        return context
    enrolments = list(in_course_of(request.user, quiz).select_related("offering"))
    context["teaches_offerings"] = [
        e.offering for e in enrolments if e.role in Enrolment.STAFF_ROLES and e.status == Enrolment.Status.ACTIVE
    ]
    student = next(
        (e for e in enrolments if e.role == Enrolment.Role.STUDENT and e.status == Enrolment.Status.ACTIVE), None
    )
    if student is None:
        return context
    source = rules.source_quiz(quiz)
    attempts = list(Attempt.objects.filter(quiz=source, enrolment=student).order_by("number"))
    opens, closes = rules.window(source, student.offering)
    now = timezone.now()
    in_progress = next((a for a in attempts if a.status == Attempt.Status.IN_PROGRESS), None)
    used = len(attempts)
    context.update({
        "enrolment": student,
        "attempts": attempts,
        "in_progress": in_progress,
        "opens": opens,
        "closes": closes,
        "kept": grading.kept_grade(attempts, source.grading_method),
        "attempts_left": None if source.max_attempts is None else max(source.max_attempts - used, 0),
        "may_start": in_progress is None
        and (source.max_attempts is None or used < source.max_attempts)
        and not (opens and now < opens)
        and not (closes and now > closes),
        "passed": any(a.passed for a in attempts),
    })
    return context


def _signed_in(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("account_login"))
    return None


@require_POST
def start(request, page_id):
    quiz = get_object_or_404(QuizPage.objects.live(), pk=page_id)
    if not request.user.is_authenticated:
        return redirect_to_login(quiz.get_url(request), reverse("account_login"))
    try:
        attempt = rules.start(request.user, quiz)
    except rules.AttemptRefused as refusal:
        messages.error(request, refusal.message)
        return redirect(quiz.get_url(request))
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return redirect("quizzes:review", attempt_id=attempt.pk)
    return redirect("quizzes:attempt", attempt_id=attempt.pk)


def _attempt_or_404(request, attempt_id, lock=False):
    try:
        return rules.owned_attempt(request.user, attempt_id, lock=lock)
    except rules.AttemptRefused as refusal:
        return render(request, "assessments/refused.html", {"message": refusal.message}, status=refusal.status)


@never_cache  # answers change with every save; a cached copy would show old ones
def attempt_page(request, attempt_id):
    if (response := _signed_in(request)) is not None:
        return response
    attempt = _attempt_or_404(request, attempt_id)
    if not isinstance(attempt, Attempt):
        return attempt
    if request.method == "POST":
        return _save_form(request, attempt)
    rules.enforce_deadline(attempt)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return redirect("quizzes:review", attempt_id=attempt.pk)
    return _render_attempt(request, attempt)


def _render_attempt(request, attempt, errors=None, status=200):
    questions = rules.questions_of(attempt)
    responses = {r.question_id: r for r in attempt.responses.all()}
    reveal = rules.may_review(attempt)
    remaining = int((attempt.deadline - timezone.now()).total_seconds()) if attempt.deadline else None
    return render(request, "assessments/attempt.html", {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "questions": shown_questions(attempt, questions, responses, get_language(), reveal),
        "reveal": reveal,
        "remaining_seconds": max(remaining, 0) if remaining is not None else None,
        "errors": errors or {},
    }, status=status)


def _save_form(request, attempt):
    """The page's own Save and Submit buttons, for people without the saving script."""
    errors = {}
    for question_id in attempt.question_ids:
        key = f"q{question_id}"
        if f"{key}-sequence" not in request.POST:
            continue
        raw = answer_from(request.POST, key)
        try:
            rules.save_answer(request.user, attempt.pk, question_id, raw, request.POST.get(f"{key}-sequence"))
        except rules.BadAnswer as refusal:
            errors[question_id] = refusal.message
        except rules.AttemptRefused as refusal:
            if refusal.status == 404:
                raise
            if "another window" in str(refusal.message):
                errors[question_id] = refusal.message
            else:
                messages.error(request, refusal.message)
                return redirect("quizzes:review", attempt_id=attempt.pk)
    if errors:
        attempt.refresh_from_db()
        return _render_attempt(request, attempt, errors=errors, status=400)
    if "submit" in request.POST:
        rules.submit(request.user, attempt.pk)
        messages.success(request, _("Your attempt has been submitted."))
        return redirect("quizzes:review", attempt_id=attempt.pk)
    messages.success(request, _("Your answers are saved."))
    return redirect("quizzes:attempt", attempt_id=attempt.pk)


def answer_from(data, key):
    """The raw answer to one question from form data: a list for checkboxes, a mapping for
    matching (``<key>-m<pair id>`` fields), text otherwise."""
    prefix = f"{key}-m"
    if f"{key}-matching" in data:
        return {
            name[len(prefix):]: data.get(name)
            for name in data
            if name.startswith(prefix) and name[len(prefix):].isdigit()
        }
    values = data.getlist(key)
    return values if len(values) > 1 else (values[0] if values else "")


@require_POST
def save(request, attempt_id):
    """The saving script's endpoint: one answer at a time, as JSON."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "sign in"}, status=403)
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "not JSON"}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"error": "not an object"}, status=400)
    try:
        response = rules.save_answer(
            request.user, attempt_id, payload.get("question"), payload.get("answer"), payload.get("sequence")
        )
    except rules.AttemptRefused as refusal:
        return JsonResponse({"error": str(refusal.message)}, status=refusal.status)
    body = {"sequence": response.sequence, "saved_at": timezone.localtime(response.saved_at).strftime("%H:%M:%S")}
    if rules.may_review(response.attempt) and response.score is not None:
        body["score"] = str(response.score)
    return JsonResponse(body)


@require_POST
def submit(request, attempt_id):
    if (response := _signed_in(request)) is not None:
        return response
    try:
        attempt = rules.submit(request.user, attempt_id)
    except rules.AttemptRefused as refusal:
        return render(request, "assessments/refused.html", {"message": refusal.message}, status=refusal.status)
    messages.success(request, _("Your attempt has been submitted."))
    return redirect("quizzes:review", attempt_id=attempt.pk)


@require_POST
def abandon(request, attempt_id):
    if (response := _signed_in(request)) is not None:
        return response
    try:
        attempt = rules.abandon(request.user, attempt_id)
    except rules.AttemptRefused as refusal:
        return render(request, "assessments/refused.html", {"message": refusal.message}, status=refusal.status)
    messages.info(request, _("You gave the attempt up; it counts as one of your attempts."))
    return redirect(attempt.quiz.get_url(request))


@require_GET
def review(request, attempt_id):
    if (response := _signed_in(request)) is not None:
        return response
    attempt = _attempt_or_404(request, attempt_id)
    if not isinstance(attempt, Attempt):
        return attempt
    rules.enforce_deadline(attempt)
    if attempt.status == Attempt.Status.IN_PROGRESS:
        return redirect("quizzes:attempt", attempt_id=attempt.pk)
    reveal = rules.may_review(attempt)
    questions = rules.questions_of(attempt)
    responses = {r.question_id: r for r in attempt.responses.all()}
    return render(request, "assessments/review.html", {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "questions": shown_questions(attempt, questions, responses, get_language(), reveal),
        "reveal": reveal,
    })
