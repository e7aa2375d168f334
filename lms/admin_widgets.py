"""Wagtail's chooser widgets (image, document, page, snippet) without an inline script.

Wagtail writes `<script>new ImageChooser("id", {...});</script>` after each chooser, which the
site's Content-Security-Policy (no inline script) refuses to run, leaving the chooser dead. Here the
widget writes the same constructor name, id and options as data attributes instead, and
lms/static/js/admin-widgets.js (loaded on every admin page) starts it. The moderation workflow's
task chooser, whose code is a plain `createTaskChooser("id")`, gets a marker naming that function.
Any other chooser that writes its own initialisation code (`render_js_init` overridden) keeps
Wagtail's rendering."""

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.admin.widgets.workflows import AdminTaskChooser

_wagtail_render = BaseChooser.render


# Choosers whose own initialisation is `function("id")`: the function's name.
_INIT_FUNCTIONS = {AdminTaskChooser.render_js_init: "createTaskChooser"}


def _render_with_marker(self, name, value, attrs=None, renderer=None):
    init_function = _INIT_FUNCTIONS.get(type(self).render_js_init)
    own_init = type(self).render_js_init is not BaseChooser.render_js_init and init_function is None
    if own_init or not attrs or "id" not in attrs:
        return _wagtail_render(self, name, value, attrs=attrs, renderer=renderer)
    value_data = self.get_value_data(value)
    widget_html = self.render_html(name, value_data, attrs)
    options = {} if init_function else self.get_js_init_options(attrs["id"], name, value_data)
    marker = format_html(
        '<span hidden data-lms-widget-init="{}" data-lms-widget-id="{}" data-lms-widget-config="{}"></span>',
        init_function or self.js_constructor,
        attrs["id"],
        json.dumps(options),
    )
    return mark_safe(widget_html + marker)  # noqa: S308 - widget_html is Wagtail's escaped template output


def choosers_without_inline_script() -> None:
    """Idempotent: replaces BaseChooser.render once, at start-up (CoursesConfig.ready)."""
    BaseChooser.render = _render_with_marker
