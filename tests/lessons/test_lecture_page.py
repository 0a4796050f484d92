import pytest
from django.contrib.auth.models import Group, User

from tests.factories import make_lecture, make_term, translate_term

pytestmark = pytest.mark.django_db


def lecture_with_blocks(module, term):
    return make_lecture(
        module,
        number=9,
        body=[
            ("heading", "Reading a control entry"),
            ("text", "<p>Entries are grouped by category and product group.</p>"),
            ("glossary_term", term),
            ("case_study", {"title": "A seized shipment", "country": "Georgia", "text": "<p>Customs stopped it.</p>"}),
            (
                "discussion_prompt",
                {"question": "Who decides what is controlled?", "guidance": "<p>Think of regimes.</p>"},
            ),
            ("control_entry", {"regime": "ag", "code": "1C351", "title": "Human and animal pathogens", "note": ""}),
        ],
    )


def test_every_block_type_renders(client, course_tree):
    term = make_term("Catch-all control", definition="<p>A licence requirement for unlisted items.</p>")
    lecture = lecture_with_blocks(course_tree.modules[0], term)
    html = client.get(lecture.url).content.decode()
    assert "<h2>Reading a control entry</h2>" in html
    assert "Entries are grouped by category" in html
    assert "A licence requirement for unlisted items." in html
    assert "A seized shipment" in html and "Georgia" in html
    assert "Who decides what is controlled?" in html
    assert "1C351" in html and "Australia Group" in html


def test_glossary_block_shows_the_term_in_the_lecture_language(client, course_tree, site_tree):
    from tests.factories import translate_page

    term = make_term("Dual-use item", definition="<p>English definition.</p>")
    translate_term(term, "uk", term="Товар подвійного використання", definition="<p>Українське визначення.</p>")
    lecture = lecture_with_blocks(course_tree.modules[0], term)
    translated = translate_page(lecture, "uk", title="Читання контрольного запису")
    html = client.get(translated.url).content.decode()
    assert "Товар подвійного використання" in html
    assert "Українське визначення." in html
    assert "English definition." not in html


def test_teaching_notes_need_a_teaching_place_not_just_the_authoring_group(client, course_tree):
    lecture = course_tree.lectures[0]
    notes = "Start with a recent seizure in the news."
    assert notes not in client.get(lecture.url).content.decode()

    author = User.objects.create_user("prof", password="pw-prof-1")
    author.groups.add(Group.objects.get_or_create(name="Professors")[0])
    client.force_login(author)
    assert notes not in client.get(lecture.url).content.decode()

    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw-root-1"))
    assert notes in client.get(lecture.url).content.decode()


def test_previous_and_next_lecture_links(client, course_tree):
    first, second, third = course_tree.lectures[:3]
    html = client.get(second.url).content.decode()
    assert f'rel="prev" href="{first.url}"' in html
    assert f'rel="next" href="{third.url}"' in html
    assert 'rel="prev"' not in client.get(first.url).content.decode()


def test_control_entry_code_is_validated_in_the_editor():
    from django.core.exceptions import ValidationError

    from lessons.blocks import ControlEntryBlock

    block = ControlEntryBlock()
    good = block.to_python({"regime": "eu", "code": "2B350.a", "title": "Reaction vessels", "note": ""})
    assert block.clean(good)["code"] == "2B350.a"
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"regime": "eu", "code": "not a code", "title": "x", "note": ""}))


def test_translators_are_not_asked_to_translate_an_entry_code(course_tree):
    from wagtail_localize.segments.extract import extract_segments

    lecture = make_lecture(
        course_tree.modules[0],
        number=8,
        body=[("control_entry", {"regime": "eu", "code": "1C351", "title": "Pathogens", "note": ""})],
    )
    strings = [segment.string.data for segment in extract_segments(lecture) if hasattr(segment, "string")]
    assert "Pathogens" in strings
    assert "1C351" not in strings
