import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.accounts.forms import TrainerProfileForm
from courses.models import TrainerProfile
from courses.people.names import person_name_clean, person_name_normalize
from tests.courses.name_samples import LONGEST, NAMES
from tests.factories import TrainerFactory


@pytest.mark.parametrize("name", list(NAMES.values()) + list(LONGEST.values()), ids=[*NAMES, *LONGEST])
def test_names_in_the_scripts_of_indonesia_are_accepted_up_to_the_fields_length(name):
    assert len(name) <= 200
    assert person_name_clean(name=name) == unicodedata.normalize("NFC", name)
    form = TrainerProfileForm(data={"full_name": name, "phone": ""})
    assert form.is_valid(), form.errors


def test_a_decomposed_name_is_stored_composed():
    typed = "Nguye\u0302\u0303n Va\u0306n An"
    assert person_name_normalize(name=typed) == "Nguyễn Văn An"
    assert person_name_clean(name=typed) == "Nguyễn Văn An"


def test_a_decomposed_name_longer_than_the_field_but_not_once_composed_is_accepted():
    typed = " ".join(["Nguye\u0302\u0303n"] * 28)  # 251 code points as typed
    composed = " ".join(["Nguyễn"] * 28)  # 195 once composed
    assert len(typed) > 200 >= len(composed)
    form = TrainerProfileForm(data={"full_name": typed, "phone": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["full_name"] == composed


def test_spaces_and_invisible_characters_are_tidied():
    assert person_name_normalize(name="  Budi\u00a0\u00a0Santoso\u200b \t") == "Budi Santoso"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Siti 😀", "name_characters"),
        ("Wulan 123", "name_characters"),
        ("Wulan <b>", "name_characters"),
        ("ꦱꦶꦠꦶ ꧑꧒", "name_characters"),  # Javanese digits
        ("ᬲᬶᬢᬶ ᭚", "name_characters"),  # Balinese punctuation
        ("Ⰰⰱⰲ", "name_characters"),  # Glagolitic: no font for it
        ("\u0301Budi", "name_form"),  # a diacritic without its letter
        ("ꦶꦱꦠ", "name_form"),  # a Javanese vowel sign without its consonant
        ("Sitiꦱꦶ", "name_form"),  # two scripts in one word
        ("-Budi", "name_form"),
        ("Budi,", "name_form"),
        ("W", "name_short"),
    ],
)
def test_names_that_cannot_be_printed_are_refused_with_a_clear_indonesian_message(name, code):
    with pytest.raises(ValidationError) as caught:
        person_name_clean(name=name)
    assert caught.value.error_list[0].code == code
    message = caught.value.messages[0]
    assert message.startswith("Nama"), message


def test_the_message_names_the_characters_that_cannot_be_printed():
    with pytest.raises(ValidationError) as caught:
        person_name_clean(name="Budi ☺ Santoso")
    assert "“☺” (U+263A)" in caught.value.messages[0]


@pytest.mark.django_db
def test_the_profile_page_saves_a_javanese_name_and_refuses_a_symbol_changing_nothing(client):
    trainer = TrainerFactory(profile__full_name="Wulan Lestari")
    client.force_login(trainer)
    response = client.post(reverse("profile"), {"full_name": "ꦮꦸꦭꦤ꧀ ꦊꦱ꧀ꦠꦫꦶ", "phone": ""})
    assert response.status_code == 302
    assert TrainerProfile.objects.get(user=trainer).full_name == "ꦮꦸꦭꦤ꧀ ꦊꦱ꧀ꦠꦫꦶ"
    response = client.post(reverse("profile"), {"full_name": "Wulan ★", "phone": ""})
    assert response.status_code == 200
    assert "tidak bisa dicetak di sertifikat" in response.content.decode()
    assert TrainerProfile.objects.get(user=trainer).full_name == "ꦮꦸꦭꦤ꧀ ꦊꦱ꧀ꦠꦫꦶ"


@pytest.mark.django_db
def test_the_model_applies_the_same_rule_for_the_admin():
    profile = TrainerFactory(profile__full_name="Wulan Lestari").trainer_profile
    profile.full_name = "Nguye\u0302\u0303n  Thi"
    profile.full_clean()
    assert profile.full_name == "Nguyễn Thi"
    profile.full_name = "Wulan 123"
    with pytest.raises(ValidationError) as caught:
        profile.full_clean()
    assert "full_name" in caught.value.message_dict
