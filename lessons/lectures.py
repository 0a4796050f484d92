"""What a lecture page needs besides its own fields: where it sits, its neighbours, who reads it."""

import copy

from django.db.models import Exists, OuterRef, Q, prefetch_related_objects
from wagtail.models import PageViewRestriction

from course.learning import progress_over, standing

from .models import GlossaryTerm, LecturePage


def lecture_context(lecture, request):
    # Before anything reads the body: the terms it shows are loaded with their translations.
    glossary_terms = localized_glossary_terms(lecture)
    siblings = list(
        public_siblings(lecture).live().order_by("path").only("id", "title", "url_path", "translation_key")
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
        # Free when the page was routed: routing hands the page its parent, as Wagtail's does.
        "module": lecture.get_parent(),
        "previous_lecture": previous_lecture,
        "next_lecture": next_lecture,
        "glossary_terms": glossary_terms,
        "show_teaching_notes": bool(lecture.teaching_notes) and (learner.teaches or request.user.is_superuser),
    }


def public_siblings(lecture):
    """The lecture's sibling lectures (itself included) outside private sections, as ``public()``
    would give them but in one query: ``public()`` first loads every view restriction of the site.
    A sibling is private when a restriction is set on it or on an ancestor it shares with the lecture."""
    steplen = lecture.steplen
    shared_ancestors = [lecture.path[:end] for end in range(steplen, len(lecture.path), steplen)]
    restricted = PageViewRestriction.objects.filter(Q(page_id=OuterRef("pk")) | Q(page__path__in=shared_ancestors))
    return LecturePage.objects.sibling_of(lecture).exclude(Exists(restricted))


def localized_glossary_terms(lecture):
    """Map each glossary term the lecture uses to its version in the lecture's language.

    One query loads the terms the body names and their versions in the lecture's language; the
    body's glossary blocks are then given their terms, so that rendering it does not load them again.
    """
    body = lecture.body
    used = {i: item for i, item in enumerate(body.raw_data) if item["type"] == "glossary_term"}
    if not used:
        return {}
    ids = [item["value"] for item in used.values() if item["value"] is not None]
    loaded = {
        term.pk: term
        for term in GlossaryTerm.objects.filter(
            Q(pk__in=ids)
            | Q(
                locale_id=lecture.locale_id,
                translation_key__in=GlossaryTerm.objects.filter(pk__in=ids).values("translation_key"),
            )
        )
    }
    # As the block itself would: a missing term is None, and a term used twice is two objects.
    seen = set()
    for i, item in used.items():
        pk = item["value"]
        term = loaded.get(pk)
        if term is not None and pk in seen:
            term = copy.copy(term)
        seen.add(pk)
        body[i] = ("glossary_term", term, item.get("id"))
    in_locale = {term.translation_key: term for term in loaded.values() if term.locale_id == lecture.locale_id}
    terms = [body[i].value for i in used if body[i].value]
    return {term.pk: in_locale.get(term.translation_key, term) for term in terms}


def prefetch_image_renditions(lecture):
    """The renditions of every image in the body in one query, not one query per image as it renders."""
    images = [block.value["image"] for block in lecture.body if block.block_type == "image"]
    prefetch_related_objects([image for image in images if image is not None], "renditions")
