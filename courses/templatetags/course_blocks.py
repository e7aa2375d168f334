"""Template filters for rendering lesson blocks on phones with little data."""

import re

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

IFRAME_OPEN = re.compile(r"<iframe\b(?![^>]*\bloading=)", re.IGNORECASE)


def iframes_lazy(html: str) -> str:
    """Add loading="lazy" to every iframe that has no loading attribute.

    A lazy iframe inside a closed <details> is not fetched until the reader opens it, which is how a
    video costs no data until the trainer asks for it, without any JavaScript.
    """
    return IFRAME_OPEN.sub('<iframe loading="lazy"', html)


@register.filter
def lazy_embed(html) -> str:
    # The input is embed HTML that Wagtail already treats as safe; we only add an attribute.
    return mark_safe(iframes_lazy(str(html)))  # noqa: S308
