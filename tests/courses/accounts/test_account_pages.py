"""Accounts: sign-in with username or e-mail, the lockout, password reset and the profile."""

import pytest
from django.core import mail
from django.urls import reverse

from courses.models import TrainerProfile
from tests.factories import PASSWORD, ServicePointFactory, TrainerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer():
    return TrainerFactory(
        username="wulan",
        email="Wulan@Example.org",
        service_point=ServicePointFactory(code="TL-001"),
        profile__full_name="Wulan Lestari",
        profile__phone="",
    )


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_in_indonesian_and_works_without_javascript(client):
    html = client.get(reverse("login")).content.decode()
    assert "Nama pengguna atau e-mail" in html
    assert "csrfmiddlewaretoken" in html
    assert reverse("password_reset") in html
    assert "<script" not in html


def test_sign_in_with_the_username(client, trainer):
    response = sign_in(client, "wulan")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_sign_in_with_the_email_address_in_any_case(client, trainer):
    response = sign_in(client, "wulan@example.ORG")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_sign_in_follows_a_safe_next_url(client, trainer):
    response = client.post(
        reverse("login"), {"username": "wulan", "password": PASSWORD, "next": reverse("profile")}
    )
    assert response["Location"] == reverse("profile")


def test_a_wrong_password_explains_the_limit(client, trainer):
    response = sign_in(client, "wulan", "salah")
    html = response.content.decode()
    assert response.status_code == 200
    assert "kata sandi salah" in html
    assert "5 kali gagal" in html


def test_five_failures_lock_sign_in_with_an_indonesian_page(client, trainer):
    for _ in range(4):
        assert sign_in(client, "wulan", "salah").status_code == 200
    response = sign_in(client, "wulan", "salah")
    html = response.content.decode()
    assert response.status_code == 429
    assert "Masuk dikunci sementara" in html
    assert "Silakan coba lagi dalam 15 menit" in html
    assert "setelah pukul" in html
    # Even the right password is refused while locked.
    response = sign_in(client, "wulan")
    assert response.status_code == 429
    assert client.get(reverse("dashboard")).status_code == 302


def test_sign_out_is_a_post(client, trainer):
    client.force_login(trainer)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_password_reset_sends_an_indonesian_email_with_a_link_from_base_url(client, trainer, settings):
    response = client.post(
        reverse("password_reset"), {"email": "wulan@example.org"}, HTTP_HOST="jahat.example"
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "kata sandi baru" in message.subject
    assert "http://testserver/accounts/password/reset/" in message.body
    assert "jahat.example" not in message.body
    link = next(line for line in message.body.splitlines() if "/accounts/password/reset/" in line)
    path = link.removeprefix("http://testserver")
    response = client.get(path, follow=True)
    assert "Buat kata sandi baru" in response.content.decode()
    confirm_url = response.redirect_chain[-1][0]
    response = client.post(
        confirm_url, {"new_password1": "Pelatih-Baru-2024", "new_password2": "Pelatih-Baru-2024"}
    )
    assert response["Location"] == reverse("password_reset_complete")
    assert sign_in(client, "wulan", "Pelatih-Baru-2024").status_code == 302


def test_password_reset_for_an_unknown_address_tells_nothing(client, trainer):
    response = client.post(reverse("password_reset"), {"email": "tidak.ada@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_profile_shows_name_phone_and_the_service_point_read_only(client, trainer):
    client.force_login(trainer)
    html = client.get(reverse("profile")).content.decode()
    assert "Wulan Lestari" in html
    assert "UPT BP2MI TL-001" in html
    assert 'name="service_point"' not in html
    assert "dicetak di sertifikat" in html


def test_profile_saves_a_normalised_name_and_phone_but_never_the_service_point(client, trainer):
    client.force_login(trainer)
    other_point = ServicePointFactory(code="TL-002")
    response = client.post(
        reverse("profile"),
        {"full_name": "  Wulan   Sari,  S.Pd. ", "phone": "0812-3456 7890", "service_point": other_point.pk},
    )
    assert response.status_code == 302
    profile = TrainerProfile.objects.get(user=trainer)
    assert profile.full_name == "Wulan Sari, S.Pd."
    assert profile.phone == "6281234567890"
    assert profile.service_point.code == "TL-001"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"full_name": "", "phone": ""}, "Nama lengkap wajib diisi."),
        ({"full_name": "W", "phone": ""}, "Nama terlalu pendek."),
        ({"full_name": "Wulan <b>", "phone": ""}, "Nama memuat karakter yang tidak bisa dicetak"),
        ({"full_name": "Wulan 123", "phone": ""}, "Nama memuat karakter yang tidak bisa dicetak"),
        ({"full_name": "Wulan Sari", "phone": "12345"}, "Nomor telepon tidak valid"),
        ({"full_name": "Wulan Sari", "phone": "0812abc4567"}, "Nomor telepon tidak valid"),
    ],
)
def test_profile_rejects_bad_input_in_indonesian_and_changes_nothing(client, trainer, data, message):
    client.force_login(trainer)
    response = client.post(reverse("profile"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    profile = TrainerProfile.objects.get(user=trainer)
    assert (profile.full_name, profile.phone) == ("Wulan Lestari", "")


def test_profile_is_created_for_a_user_without_one(client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username="baru", password=PASSWORD, first_name="Dewi", last_name="Ayu"
    )
    client.force_login(user)
    html = client.get(reverse("profile")).content.decode()
    assert "Dewi Ayu" in html and "Belum ditetapkan" in html
    client.post(reverse("profile"), {"full_name": "Dewi Ayu", "phone": "+62 811 2233 4455"})
    assert TrainerProfile.objects.get(user=user).phone == "6281122334455"
