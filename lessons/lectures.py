"""What a lecture page needs besides its own fields: where it sits, its neighbours, who reads it."""

from django.db.models import prefetch_related_objects

from course.learning import progress_over, standing

from .models import GlossaryTerm, LecturePage


def lecture_context(lecture, request):
    siblings = list(
        LecturePage.objects.sibling_of(lecture)
        .live()
        .public()
        .order_by("path")
        .only("id", "title", "url_path", "translation_key")
    )
    position = next((i for i, sibling in enumerate(siblings) if sibling.pk == lecture.pk), None)
    previous_lecture = siblings[position - 1] if position else None
    next_lecture = siblings[position + 1] if position is not None and position + 1 < len(siblings) else None
    prefetch_image_renditions(lecture)
    learner = standing(request.user, lecture)
    return {
        "enrolment": learner.enrolment,
        "lecture_done": lecture.translation_key in learner.done_keys,
        "module_progress": progress_over(siblings, learner.done_keys) if learner.enrolment else None,
        "module": lecture.get_parent(),
        "previous_lecture": previous_lecture,
        "next_lecture": next_lecture,
        "glossary_terms": localized_glossary_terms(lecture),
        "show_teaching_notes": bool(lecture.teaching_notes) and (learner.teaches or request.user.is_superuser),
    }


def localized_glossary_terms(lecture):
    """Map each glossary term the lecture uses to its version in the lecture's language, in one query."""
    used = [block.value for block in lecture.body if block.block_type == "glossary_term" and block.value]
    if not used:
        return {}
    in_locale = {
        term.translation_key: term
        for term in GlossaryTerm.objects.filter(
            translation_key__in=[term.translation_key for term in used], locale_id=lecture.locale_id
        )
    }
    return {term.pk: in_locale.get(term.translation_key, term) for term in used}


def prefetch_image_renditions(lecture):
    """The renditions of every image in the body in one query, not one query per image as it renders."""
    images = [block.value["image"] for block in lecture.body if block.block_type == "image"]
    prefetch_related_objects([image for image in images if image is not None], "renditions")
