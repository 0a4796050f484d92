import pytest
from django.core.exceptions import ValidationError

from network.models import Profile
from tests.factories import make_institution, make_person

pytestmark = pytest.mark.django_db


def test_every_new_user_gets_a_profile():
    person = make_person()

    assert Profile.objects.filter(user=person).count() == 1
    assert person.profile.preferred_language == "en"
    assert person.profile.time_zone == "UTC"


def test_the_bio_is_sanitised_when_saved():
    person = make_person(
        bio='<p onclick="steal()">I teach <strong>export control</strong>.</p><script>alert(1)</script>'
    )

    person.profile.refresh_from_db()
    assert person.profile.bio == "<p>I teach <strong>export control</strong>.</p>alert(1)"


def test_an_unknown_time_zone_is_rejected():
    profile = make_person().profile
    profile.time_zone = "Mars/Olympus_Mons"

    with pytest.raises(ValidationError) as error:
        profile.full_clean()
    assert "time_zone" in error.value.message_dict


def test_a_listed_and_a_typed_institution_together_are_rejected():
    profile = make_person().profile
    profile.institution = make_institution()
    profile.institution_name = "Another University"

    with pytest.raises(ValidationError) as error:
        profile.full_clean()
    assert "institution_name" in error.value.message_dict


def test_either_institution_or_none_is_accepted():
    listed = make_person(institution=make_institution(name="Taras Shevchenko National University")).profile
    typed = make_person(institution_name="  Institute of Physics  ").profile
    neither = make_person().profile

    for profile in (listed, typed, neither):
        profile.full_clean()
    assert listed.institution_label == "Taras Shevchenko National University"
    assert typed.institution_label == "Institute of Physics"
    assert neither.institution_label == ""


def test_the_name_falls_back_to_the_email():
    person = make_person(email="anna@example.org")

    assert person.profile.name == "anna@example.org"
    person.profile.display_name = "Anna Kovalenko"
    assert str(person.profile) == "Anna Kovalenko"
