"""Template helpers of offline learning: the signed-in user's storage key on the device."""

from django import template

from courses.offline.devices import offline_user_key as _offline_user_key

register = template.Library()


@register.simple_tag(takes_context=True)
def offline_user_key(context) -> str:
    """`{% offline_user_key as key %}`: the name of the signed-in user's caches on the device."""
    user = context.get("user")
    return _offline_user_key(user=user) if user is not None and user.is_authenticated else ""
