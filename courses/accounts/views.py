"""The account pages: sign-in (with the lock-out page), the password-reset request (with its
limits) and the trainer's own profile. Django's views do the rest of the password pages."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from courses import services
from courses.accounts.forms import LoginForm, TrainerProfileForm
from courses.accounts.sign_in_limits import password_reset_allowed
from courses.models import TrainerProfile
from courses.people.phones import phone_display
from courses.tasks import password_reset_email_send
from lms.client_address import client_network
from lms.queue import task_send


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    trainer_profile = TrainerProfile.objects.filter(user=request.user).select_related("service_point").first()
    if request.method == "POST":
        form = TrainerProfileForm(request.POST)
        if form.is_valid():
            services.trainer_profile_update(
                user=request.user, full_name=form.cleaned_data["full_name"], phone=form.cleaned_data["phone"]
            )
            messages.success(request, _("Profil Anda tersimpan."))
            return redirect(reverse("profile"))
    else:
        initial = (
            {"full_name": trainer_profile.full_name, "phone": phone_display(trainer_profile.phone)}
            if trainer_profile
            else {"full_name": request.user.get_full_name()}
        )
        form = TrainerProfileForm(initial=initial)
    return render(request, "courses/profile.html", {"form": form, "trainer_profile": trainer_profile})


class SignInView(auth_views.LoginView):
    """Django's sign-in page; a locked-out attempt (see courses.accounts.sign_in_limits, decided in the
    sign-in backend) gets the Indonesian lock-out page with 429, even with the right password."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        lockout = getattr(self.request, "sign_in_lockout", None)
        if lockout is None:
            return super().form_invalid(form)
        response = render(
            self.request,
            "registration/lockout.html",
            {
                "cooloff_timedelta": timedelta(seconds=lockout.retry_after),
            },
            status=429,
        )
        response["Retry-After"] = str(lockout.retry_after)
        return response


class SignOutView(auth_views.LogoutView):
    """Django's sign-out (the offline token of the session is revoked by courses.receivers), and
    the browser is told to drop what it stored for this site: the pages saved for offline, the
    queue and the token, on top of what the page's own script already removed (devices are
    shared at service points; the next trainer must find nothing of this one)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password-reset form with a limit per e-mail address and per client address.

    Every valid request gets the same redirect to the "sent" page, whether an account has the
    address, and whether the limit was hit (then nothing is sent). The e-mail itself is sent by
    the worker, so the answer takes about the same time either way."""

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if password_reset_allowed(email=email, ip=client_network(self.request)):
            for user in form.get_users(email):
                # Nothing is written here, so nothing to wait for: queue at once.
                task_send(password_reset_email_send, user.pk)
        return HttpResponseRedirect(self.get_success_url())
