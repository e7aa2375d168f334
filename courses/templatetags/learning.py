"""Template helpers of the trainer's pages: progress on the course page, sizes, lookups."""

from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

from courses import selectors

register = template.Library()


@register.filter
def lookup(mapping, key):
    """`mapping|lookup:key`: a dict item by a variable key (None when absent)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def data_size(size_bytes) -> str:
    """A byte count for people paying for data: "± 180 KB", "± 1,2 MB"."""
    try:
        size = int(size_bytes)
    except (TypeError, ValueError):
        return ""
    if size < 1024 * 1024:
        kilobytes = max(1, round(size / 1024 / 10) * 10 if size >= 100 * 1024 else round(size / 1024))
        return _("± %(size)s KB") % {"size": number_format(kilobytes)}
    megabytes = size / (1024 * 1024)
    return _("± %(size)s MB") % {"size": number_format(megabytes, decimal_pos=0 if megabytes >= 10 else 1)}


@register.filter
def minutes(duration) -> int:
    """A timedelta in whole minutes, rounded up."""
    if not isinstance(duration, timedelta):
        return 0
    return int(-(-duration.total_seconds() // 60))


@register.filter
def from_now(duration):
    """The aware datetime `duration` from now (when a lockout ends)."""
    if not isinstance(duration, timedelta):
        return None
    return timezone.now() + duration


@register.simple_tag(takes_context=True)
def course_learning(context, course):
    """The signed-in trainer's enrolment and progress in `course`, or None (fixed query count)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    enrolment = selectors.enrolment_get(trainer=user, course=course)
    if enrolment is None:
        return None
    enrolment.course = course
    return selectors.course_progress(enrolment=enrolment)


# Whether the signed-in user may use the admin, kept in the session: [user id, True/False].
ADMIN_ACCESS_SESSION_KEY = "_lms_admin_access"


@register.simple_tag(takes_context=True)
def editor_userbar(context):
    """Wagtail's userbar ("edit this page") for those who may use the admin. Wagtail's own tag
    reads the user's permissions on every page, two queries for a trainer who never has them; the
    answer is kept in the session, so it is read once a sign-in. A right taken away shows at once
    (Wagtail's tag checks again); one given shows from the next sign-in."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return ""
    known = request.session.get(ADMIN_ACCESS_SESSION_KEY)
    if not (isinstance(known, list) and len(known) == 2 and known[0] == user.pk):
        known = [user.pk, user.has_perm("wagtailadmin.access_admin")]
        request.session[ADMIN_ACCESS_SESSION_KEY] = known
    return wagtailuserbar(context) if known[1] else ""
