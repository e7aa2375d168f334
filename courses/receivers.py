"""Reactions of the courses app to its own signals, and to a user's password or status changing."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from courses import content_cache
from courses.accounts.sessions import sessions_of_user_end
from courses.models import LessonPage
from courses.services import lesson_quiz_index_update
from courses.signals import course_completed
from lms.api.auth import api_tokens_revoke, device_tokens_revoke
from lms.queue import task_send


@receiver(post_save, sender=LessonPage, dispatch_uid="courses.lesson_quiz_index_update")
def _lesson_quiz_index_update(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """Keep the quiz index in step with a lesson's saved body. Saving a draft revision writes only
    a few columns (update_fields without "body"): the live body, and so the index, is unchanged."""
    if raw or (update_fields is not None and "body" not in update_fields):
        return
    lesson_quiz_index_update(lesson=instance)


def _content_changed(sender, instance=None, raw=False, **kwargs) -> None:
    """What the shared content cache keeps may have changed: move its version on."""
    if not raw:
        content_cache.version_bump()


def _page_saved_or_deleted(sender, instance, raw=False, **kwargs) -> None:
    if isinstance(instance, Page) and not raw:
        content_cache.version_bump()


# Pages (any type, any change of the tree), the view restrictions that guard them, the sites whose
# root they are, and the images and documents that lesson bodies show.
post_save.connect(_page_saved_or_deleted, dispatch_uid="courses.content_cache.page_saved")
post_delete.connect(_page_saved_or_deleted, dispatch_uid="courses.content_cache.page_deleted")
for _signal in (page_published, page_unpublished, post_page_move):
    _signal.connect(_content_changed, dispatch_uid=f"courses.content_cache.{id(_signal)}")
for _model in (
    PageViewRestriction,
    Site,
    get_image_model(),
    get_document_model(),
):
    for _signal in (post_save, post_delete):
        _signal.connect(
            _content_changed,
            sender=_model,
            dispatch_uid=f"courses.content_cache.{_model.__name__}.{id(_signal)}",
        )
m2m_changed.connect(
    _content_changed, sender=PageViewRestriction.groups.through, dispatch_uid="courses.content_cache.groups"
)


@receiver(course_completed, dispatch_uid="courses.course_completion_notify")
def _course_completed_notify(sender, enrolment, **kwargs) -> None:
    from courses.tasks import course_completion_notify

    # course_completed is sent after commit, so the worker will find the enrolment.
    task_send(course_completion_notify, enrolment.pk)


# Fields of a user whose change ends every bearer token of that user.
_TOKEN_ENDING_FIELDS = {"password", "is_active"}


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="courses.user_token_revocation_check")
def _user_token_revocation_check(sender, instance, update_fields=None, **kwargs) -> None:
    """Before a user is saved: note whether the password changed or the account was deactivated.

    Every path changes the password through a save (set_password + save, the password change
    and reset views, the Wagtail admin's user form), so this catches them all. One query, and
    only when the save may touch those fields."""
    instance._api_tokens_end = instance._sessions_end = False
    if instance.pk is None or (update_fields is not None and not _TOKEN_ENDING_FIELDS & set(update_fields)):
        return
    before = sender._default_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    instance._api_tokens_end = before["password"] != instance.password or (
        before["is_active"] and not instance.is_active
    )
    instance._sessions_end = before["is_active"] and not instance.is_active


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="courses.user_tokens_revoke")
def _user_tokens_revoke(sender, instance, **kwargs) -> None:
    if getattr(instance, "_api_tokens_end", False):
        instance._api_tokens_end = False
        api_tokens_revoke(user=instance)
    if getattr(instance, "_sessions_end", False):
        # A deactivated account's sessions end (a password change ends the others' by itself:
        # Django checks each session's password hash).
        instance._sessions_end = False
        user_id = instance.pk
        transaction.on_commit(lambda: sessions_of_user_end(user_id=user_id))


@receiver(user_logged_out, dispatch_uid="courses.device_tokens_revoke")
def _device_tokens_revoke(sender, request, user, **kwargs) -> None:
    """Signing out (the site's or the admin's page) ends the offline token of this browser
    session: it is sent before the session is flushed, so the session still names the token."""
    if request is not None and hasattr(request, "session"):
        device_tokens_revoke(session=request.session)
