from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def percent(share) -> str:
    """A share of 0..1 as a whole percentage in the current language ("67 %"); "–" for none."""
    if share is None:
        return "–"
    return f"{floatformat(share * 100, 0)} %"


@register.filter
def index(value) -> str:
    """A discrimination index with two decimals in the current language ("0,45"); "–" for none."""
    if value is None:
        return "–"
    return floatformat(value, 2)
