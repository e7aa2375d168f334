"""Public verification pages and the PDF download. Thin: parse, check, call, render."""

from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from certificates import permissions, selectors, services
from certificates.codes import code_normalize_or_none
from certificates.forms import VerifyCodeForm, VerifyPdfForm
from certificates.ratelimit import rate_limit_exceeded
from lms.api.auth import bearer_auth


def _too_many(request) -> HttpResponse:
    response = render(request, "certificates/verify_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


@require_http_methods(["GET"])
def verify_form(request):
    """The form to type a code; a valid code redirects to its page."""
    form = VerifyCodeForm(request.GET or None)
    if request.GET:
        if rate_limit_exceeded(request, scope="verify"):
            return _too_many(request)
        if form.is_valid():
            return redirect("certificates:verify_code", code=form.cleaned_data["code"])
    return render(request, "certificates/verify_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def verify_code(request, code: str):
    """valid / expired / revoked (with date, reason and replacement) or 404; nothing private."""
    if rate_limit_exceeded(request, scope="verify"):
        return _too_many(request)
    normalized = code_normalize_or_none(code)
    if normalized and normalized != code:
        return redirect("certificates:verify_code", code=normalized)
    certificate = selectors.certificate_get_by_code(code=code)
    if certificate is None:
        return render(request, "certificates/verify_unknown.html", {"code": code}, status=404)
    pdf_form = VerifyPdfForm()
    pdf_result = None
    if request.method == "POST":
        pdf_form = VerifyPdfForm(request.POST, request.FILES)
        if pdf_form.is_valid():
            pdf_result = services.certificate_pdf_matches(
                certificate=certificate, data=pdf_form.cleaned_data["pdf"]
            )
    return render(
        request,
        "certificates/verify_result.html",
        {"certificate": certificate, "pdf_form": pdf_form, "pdf_result": pdf_result},
        status=400 if request.method == "POST" and not pdf_form.is_valid() else 200,
    )


def _downloader(request):
    """Who asks: the user of the bearer token when the request carries one (the API's
    `pdf_url`s are fetched with the token that listed them), otherwise the session's user.

    Token validity (expiry, revocation, inactive user) is `bearer_auth`'s rule alone. A bad token
    is nobody, even next to a valid session cookie, exactly as on the API."""
    scheme, _separator, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return request.user
    api_token = bearer_auth.authenticate(request, token)
    return api_token.user if api_token is not None else AnonymousUser()


@require_http_methods(["GET"])
def download(request, code: str):
    """The PDF, for its holder and for coordinators of the holder's service point (signed in, or
    with an API bearer token); 404 otherwise. Side effect: a coordinator's download is audit-logged."""
    user = _downloader(request)
    certificate = selectors.certificate_get_by_code(code=code)
    if certificate is None or not permissions.user_can_download(user, certificate):
        raise Http404(_("Sertifikat tidak ditemukan."))
    if certificate.trainer_id != user.pk:
        services.certificate_download_log(certificate=certificate, user=user)
    try:
        handle = certificate.pdf.open("rb")
    except OSError:
        raise Http404(_("Berkas sertifikat tidak ditemukan.")) from None
    filename = f"sertifikat-{certificate.serial.replace('/', '-')}.pdf"
    response = FileResponse(handle, content_type="application/pdf", as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response
