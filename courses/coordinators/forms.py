"""Forms of the coordinators' area. They only parse input; the rules are the services'."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage
from courses.people.models import CoordinatorProfile, ServicePoint, TrainerProfile
from courses.people.scope import coordinator_service_points

# A database id as typed in a form: at most 12 digits (a longer number made the lookup overflow).
ROW_ID = re.compile(r"[0-9]{1,12}")


class RowIdChoiceField(forms.ModelChoiceField):
    """A model choice whose value must look like a row id before it reaches the database."""

    def to_python(self, value):
        if value not in self.empty_values and not ROW_ID.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RowIdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value:
            if not ROW_ID.fullmatch(str(pk)):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)


class ServicePointChoiceField(RowIdChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} · {obj.name}"


class TrainerForm(forms.ModelForm):
    """Account and profile in one form. The choices of service point are the coordinator's."""

    email = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("Undangan untuk membuat kata sandi dikirim ke alamat ini setelah disimpan."),
    )

    class Meta:
        model = TrainerProfile
        fields = ["full_name", "email", "phone", "service_point"]
        field_classes = {"service_point": ServicePointChoiceField}
        help_texts = {"phone": _("Nomor Indonesia, diawali 08 atau +62.")}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        self.fields["service_point"].queryset = coordinator_service_points(for_user).filter(active=True)
        self.fields["service_point"].required = True
        self.fields["service_point"].empty_label = _("Pilih titik layanan")
        if self.instance.pk and not self.is_bound:
            self.initial["email"] = self.instance.user.email
        self.fields["full_name"].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        self.fields["email"].widget.attrs.update({"inputmode": "email", "autocomplete": "off"})

    def _post_clean(self):
        # The services validate (and normalise) everything, in one transaction; the model's own
        # validation here would only say the same things twice.
        pass


class CohortEnrolmentForm(forms.Form):
    course = RowIdChoiceField(
        label=_("Kursus"),
        queryset=CoursePage.objects.none(),
        empty_label=_("Pilih kursus"),
    )
    service_points = RowIdMultipleChoiceField(
        label=_("Titik layanan"),
        queryset=ServicePoint.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Semua pelatih aktif di titik layanan ini didaftarkan."),
    )

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = (
            CoursePage.objects.live().filter(open_for_enrolment=True).order_by("title")
        )
        self.fields["service_points"].queryset = coordinator_service_points(for_user)
        self.fields["service_points"].label_from_instance = lambda obj: f"{obj.code} · {obj.name}"


class CoordinatorProfileForm(forms.ModelForm):
    """An administrator sets a coordinator's scope: national, whole provinces, or service points."""

    provinces = forms.MultipleChoiceField(
        label=_("Provinsi"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Semua titik layanan di provinsi ini, termasuk yang ditambahkan kemudian."),
    )

    class Meta:
        model = CoordinatorProfile
        fields = ["user", "is_national", "provinces", "service_points"]
        labels = {"user": _("Akun")}
        widgets = {"service_points": forms.CheckboxSelectMultiple}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provinces"].choices = [
            (province, province)
            for province in ServicePoint.objects.order_by("province")
            .values_list("province", flat=True)
            .distinct()
        ]
        self.fields["service_points"].label_from_instance = lambda obj: f"{obj.code} · {obj.name}"
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username} ({user.email})"
        )
        # Only accounts that are not trainers, and have no coordinator profile yet (or this one).
        users = self.fields["user"].queryset.filter(trainer_profile__isnull=True)
        taken = CoordinatorProfile.objects.exclude(pk=self.instance.pk).values("user_id")
        self.fields["user"].queryset = users.exclude(pk__in=taken).order_by("username")

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("is_national")
            and not cleaned.get("provinces")
            and not cleaned.get("service_points")
        ):
            raise forms.ValidationError(
                _("Pilih koordinator nasional, satu provinsi atau lebih, atau titik layanan.")
            )
        return cleaned


class SingleValuesForm(forms.Form):
    """A form whose every field is sent once: a field sent twice (`extra=1&extra=9`) is refused,
    where Django would silently take the last value."""

    def clean(self):
        cleaned = super().clean()
        getlist = getattr(self.data, "getlist", None)
        if getlist is not None:
            for name in self.fields:
                if len(getlist(self.add_prefix(name))) > 1:
                    self.add_error(name, _("Isian ini terkirim lebih dari sekali. Kirim satu nilai saja."))
        return cleaned


_ASCII_DIGITS = re.compile(r"[0-9]+")


class DigitsIntegerField(forms.IntegerField):
    """A whole number written with the digits 0-9 only. Python's int(), and so IntegerField, also
    takes other scripts' digits (Arabic-Indic "٣", full-width "３"), "1_0" and "+3"."""

    default_error_messages = {"invalid": _("Tulis angkanya dengan digit 0-9 saja.")}

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not _ASCII_DIGITS.fullmatch(value.strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class QuizAttemptsGrantForm(SingleValuesForm):
    """More attempts at one quiz for one trainer. `standings` are the trainer's quizzes
    (courses.selectors.attempts.QuizStanding): the quiz is chosen among them only."""

    quiz = forms.ChoiceField(label=_("Kuis"))
    extra = DigitsIntegerField(label=_("Percobaan tambahan"), min_value=1, max_value=10, initial=1)
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dicatat di jejak audit, misalnya: sudah belajar ulang bersama fasilitator."),
    )

    def __init__(self, *args, standings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.standings = {f"{item.enrolment.pk}:{item.quiz.id}": item for item in standings}
        self.fields["quiz"].choices = [
            (key, f"{item.course.title} · {item.lesson_title} · {item.quiz.title}")
            for key, item in self.standings.items()
        ]

    def clean_quiz(self):
        return self.standings[self.cleaned_data["quiz"]]
