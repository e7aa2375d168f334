"""Forms of the trainer's side of the site: sign-in and the profile."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from courses.people.names import person_name_normalize, person_name_validate
from courses.people.phones import phone_normalise


class LoginForm(AuthenticationForm):
    """Django's sign-in form, with one field for the username or the e-mail address."""

    username = forms.CharField(
        label=_("Nama pengguna atau e-mail"),
        max_length=254,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )

    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Nama pengguna/e-mail atau kata sandi salah. Periksa lagi, termasuk huruf besar dan kecil "
            "pada kata sandi. Setelah 5 kali gagal, masuk dikunci selama 15 menit."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi koordinator titik layanan Anda."),
    }


class PersonNameField(forms.CharField):
    """A name as printed on certificates: normalised before the length check (NFC may shorten a
    decomposed name), then checked by `courses.people.names`."""

    def to_python(self, value) -> str:
        return person_name_normalize(name=super().to_python(value))

    def validate(self, value) -> None:
        super().validate(value)
        if value:
            person_name_validate(name=value)


class TrainerProfileForm(forms.Form):
    full_name = PersonNameField(
        label=_("Nama lengkap (dicetak di sertifikat)"),
        max_length=200,
        help_text=_("Tulis persis seperti yang ingin Anda lihat di sertifikat, termasuk gelar bila ada."),
        error_messages={"required": _("Nama lengkap wajib diisi.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Nomor telepon"),
        max_length=32,
        required=False,
        help_text=_("Nomor yang bisa dihubungi koordinator, misalnya 0812 3456 7890."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        return phone_normalise(phone)  # one rule for every way a phone number comes in
