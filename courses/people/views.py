"""The public page where an invited trainer sets their first password."""

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from courses.people.invitations import invitation_token_generator


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """Django's password-reset confirmation with the invitation's token: the link works until a
    password is set (once) or it expires. The token leaves the address bar after the first visit,
    as in Django's view."""

    token_generator = invitation_token_generator
    template_name = "registration/invitation_accept.html"
    success_url = reverse_lazy("trainer_invitation_done")
    reset_url_token = "set-password"  # noqa: S105 (a URL segment, not a password)


class InvitationDoneView(auth_views.PasswordResetCompleteView):
    template_name = "registration/invitation_done.html"
