from django.contrib.auth import views as auth_views
from django.urls import path, register_converter, reverse_lazy

from courses import evaluation_views, views
from courses.accounts import views as account_views
from courses.offline import views as offline_views
from courses.people import views as people_views


class RowIdConverter:
    """A database id: at most 12 digits. Django's <int:> takes any length, and an id too large for
    the database made the query crash (500) instead of answering 404."""

    regex = "[0-9]{1,12}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(RowIdConverter, "row_id")

urlpatterns = [
    # Accounts
    path(
        "accounts/login/",
        account_views.SignInView.as_view(),
        name="login",
    ),
    path("accounts/logout/", account_views.SignOutView.as_view(), name="logout"),
    path("accounts/profile/", account_views.profile, name="profile"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        # Limited per address and client; the e-mail (with a link from BASE_URL, read when it is
        # sent) is built by courses.notifications.password_reset_email_send.
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # A trainer's invitation: the one-time link to set the first password.
    path(
        "accounts/invitation/<uidb64>/<token>/",
        people_views.InvitationAcceptView.as_view(),
        name="trainer_invitation_accept",
    ),
    path(
        "accounts/invitation/done/",
        people_views.InvitationDoneView.as_view(),
        name="trainer_invitation_done",
    ),
    # Offline learning: the service worker at the site root (its scope is the whole site), the web
    # app manifest and the page shown offline for a page not saved.
    path("sw.js", offline_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline_views.web_manifest, name="web_manifest"),
    path("offline/", offline_views.offline_page, name="offline_page"),
    # Learning
    path("dashboard/", views.dashboard, name="dashboard"),
    path("learn/courses/<row_id:course_id>/enrol/", views.course_enrol, name="course_enrol"),
    path("learn/lessons/<row_id:lesson_id>/complete/", views.lesson_complete, name="lesson_complete"),
    path("learn/quizzes/<str:quiz_id>/attempts/", views.quiz_attempt_create, name="quiz_attempt_create"),
    path("learn/attempts/<row_id:attempt_id>/", views.quiz_attempt_detail, name="quiz_attempt_detail"),
    path(
        "learn/courses/<row_id:course_id>/evaluation/",
        evaluation_views.course_evaluation,
        name="course_evaluation",
    ),
]
