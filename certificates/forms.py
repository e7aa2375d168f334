from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.codes import InvalidCode, code_normalize

MAX_PDF_UPLOAD = 2 * 1024 * 1024


class VerifyCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=40,
        help_text=_("Contoh: 7K3Q-9X2M-4HPA-TR5W-H. Huruf besar/kecil dan tanda hubung tidak berpengaruh."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        try:
            return code_normalize(self.cleaned_data["code"])
        except InvalidCode:
            raise forms.ValidationError(
                _(
                    "Kode tidak valid. Periksa kembali: kode terdiri dari 17 huruf/angka, contoh 7K3Q-9X2M-4HPA-TR5W-H."
                ),
                code="invalid_code",
            ) from None


class VerifyPdfForm(forms.Form):
    pdf = forms.FileField(label=_("Berkas PDF sertifikat"), help_text=_("Maksimal 2 MB."))

    def clean_pdf(self) -> bytes:
        upload = self.cleaned_data["pdf"]
        if upload.size > MAX_PDF_UPLOAD:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 2 MB)."), code="too_large")
        data = upload.read(MAX_PDF_UPLOAD + 1)
        if len(data) > MAX_PDF_UPLOAD:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 2 MB)."), code="too_large")
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(_("Berkas ini bukan PDF."), code="not_pdf")
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pencabutan"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReissueForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan penerbitan ulang"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Misalnya: perbaikan penulisan nama. Sertifikat lama dicabut dan diganti."),
    )
