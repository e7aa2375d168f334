"""Admin screens for the service points (trainers have their own area, courses.coordinators).

They use Django model permissions (Wagtail's ModelPermissionPolicy): superusers manage them, and a
group gets access only when it is given the add/change/delete permissions on the model. Content
editors have none of them, so they do not see this menu.
"""

import django_filters
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import InspectView, SnippetViewSet, SnippetViewSetGroup

# The coordinators' area registers its own hooks.
import courses.coordinators.import_hooks  # noqa: F401
import courses.coordinators.wagtail_hooks  # noqa: F401
import courses.editors.wagtail_hooks  # noqa: F401
import courses.reports.wagtail_hooks  # noqa: F401
from courses.models import ServicePoint


def province_choices() -> list[tuple[str, str]]:
    """The provinces that have a service point, so that the filter lists only real options."""
    provinces = ServicePoint.objects.order_by("province").values_list("province", flat=True).distinct()
    return [(province, province) for province in provinces]


class ServicePointFilterSet(WagtailFilterSet):
    province = django_filters.ChoiceFilter(label=_("Provinsi"), choices=province_choices)

    class Meta:
        model = ServicePoint
        fields = ["province", "kind", "active"]


class YesNoColumn(BooleanColumn):
    """A tick or a cross, read out as "Ya"/"Tidak" rather than True/False."""

    cell_template_name = "courses/admin/boolean_cell.html"


class ServicePointInspectView(InspectView):
    def get_active_display_value(self):
        return _("Ya") if self.object.active else _("Tidak")


class ServicePointViewSet(SnippetViewSet):
    model = ServicePoint
    inspect_view_class = ServicePointInspectView
    icon = "site"
    menu_order = 300
    list_display = [
        "code",
        "name",
        "kind",
        "province",
        "city",
        YesNoColumn(
            "active", label=capfirst(ServicePoint._meta.get_field("active").verbose_name), sort_key="active"
        ),
    ]
    list_export = ["code", "name", "kind", "province", "city", "address", "active"]
    export_filename = "titik-layanan"
    filterset_class = ServicePointFilterSet
    # Plain database lookups: 92 rows need no search index, and results never lag behind imports.
    search_fields = ["code", "name", "city", "province"]
    search_backend_name = None
    ordering = ["code"]
    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = True


class ServiceNetworkGroup(SnippetViewSetGroup):
    # Trainers have their own area, "Pelatih" (courses.coordinators), scoped per coordinator.
    items = (ServicePointViewSet,)
    menu_icon = "site"
    menu_label = _("Jaringan layanan")
    menu_name = "service-network"
    menu_order = 300


register_snippet(ServiceNetworkGroup)
