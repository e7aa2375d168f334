"""The editors' item statistics: their admin URLs and a link to them from a lesson's header menu
(edit view) and from the lesson's "more" menu in the page explorer."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from courses.editors.views import user_can_see_item_statistics
from courses.models import LessonPage


@hooks.register("register_admin_urls")
def register_item_statistics_urls():
    return [path("statistik-butir/", include("courses.editors.urls", namespace="item_statistics"))]


def _item_statistics_button(page, user, priority):
    # The page's class comes from its content type (cached): no query per row of a listing.
    if page.specific_class is not LessonPage or not user_can_see_item_statistics(user=user, page=page):
        return None
    return Button(
        _("Statistik butir soal"),
        reverse("item_statistics:lesson", args=[page.pk]),
        icon_name="table",
        priority=priority,
    )


@hooks.register("register_page_header_buttons")
def item_statistics_header_button(page, user, view_name, next_url=None):
    button = _item_statistics_button(page, user, priority=66)
    if button is not None:
        yield button


@hooks.register("register_page_listing_more_buttons")
def item_statistics_listing_button(page, user, next_url=None):
    button = _item_statistics_button(page, user, priority=55)
    if button is not None:
        yield button
