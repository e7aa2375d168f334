"""Who may see whom: the coordinator scope, used by every view and API that shows trainers' data.

The scope rule lives in `coordinator_scope` and nowhere else: a coordinator sees the trainers whose
profile names one of the service points they coordinate, directly or through a province
(everyone for a superuser or a national coordinator). Lists, counts, downloads and ZIPs filter
rows with `CoordinatorScope.trainer_q`, and single objects are checked with
`coordinator_can_see_trainer`; both derive from that one function.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from courses.people.models import CoordinatorProfile, ServicePoint
from courses.people.roles import COORDINATORS_GROUP, EDITORS_GROUP, MODERATORS_GROUP


def is_coordinator(user) -> bool:
    """A superuser, or a user with a coordinator profile in the Coordinators group."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Kept on the user object like the scope below: the admin's menu items, the views and the
    # selectors of one request all ask.
    cached = getattr(user, "_is_coordinator_cache", None)
    if cached is None:
        cached = CoordinatorProfile.objects.filter(user=user, user__groups__name=COORDINATORS_GROUP).exists()
        user._is_coordinator_cache = cached
    return cached


def is_content_editor(user) -> bool:
    """An active user in the Content editors or the Moderators group (kept on the user object for
    the rest of the request, as is_coordinator)."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, "_is_content_editor_cache", None)
    if cached is None:
        cached = user._is_content_editor_cache = user.groups.filter(
            name__in=[EDITORS_GROUP, MODERATORS_GROUP]
        ).exists()
    return cached


@dataclass(frozen=True)
class CoordinatorScope:
    """The trainers a user may see as a coordinator: all of them (`everything`), or those of the
    service points in `service_point_ids` (none at all for a user who is not a coordinator)."""

    everything: bool
    service_point_ids: frozenset[int]

    def includes_service_point(self, service_point_id: int | None) -> bool:
        return self.everything or service_point_id in self.service_point_ids

    def trainer_q(self, trainer_path: str = "") -> Q:
        """A filter keeping the rows whose trainer is in scope. `trainer_path` leads from the
        filtered model to the trainer's user, e.g. "trainer__" for a certificate, "" for users."""
        if self.everything:
            return Q()
        # A trainer without a service point belongs to no restricted scope.
        return Q(**{f"{trainer_path}trainer_profile__service_point_id__in": sorted(self.service_point_ids)})


NO_SCOPE = CoordinatorScope(everything=False, service_point_ids=frozenset())


def coordinator_scope(user) -> CoordinatorScope:
    """THE coordinator scope rule (three queries at most; no writes). Everything for a superuser
    or a national coordinator; for a coordinator, the profile's service points and those of its
    provinces; nothing for anyone else (a trainer, an editor, an anonymous or inactive user).

    Kept on the user object, as Django keeps permissions (`_perm_cache`), so that the several
    selectors of one request ask the database once; a request loads its user afresh."""
    cached = getattr(user, "_coordinator_scope_cache", None)
    if cached is not None:
        return cached
    if not is_coordinator(user):
        scope = NO_SCOPE
    elif user.is_superuser:
        scope = CoordinatorScope(everything=True, service_point_ids=frozenset())
    else:
        profile = CoordinatorProfile.objects.get(user=user)
        if profile.is_national:
            scope = CoordinatorScope(everything=True, service_point_ids=frozenset())
        else:
            # The chosen service points and every service point of the chosen provinces, at once.
            in_scope = Q(coordinators=profile)
            if profile.provinces:
                in_scope |= Q(province__in=list(profile.provinces))
            ids = ServicePoint.objects.filter(in_scope).values_list("pk", flat=True).distinct()
            scope = CoordinatorScope(everything=False, service_point_ids=frozenset(ids))
    if getattr(user, "pk", None) is not None:
        user._coordinator_scope_cache = scope
    return scope


def coordinator_service_points(user) -> QuerySet[ServicePoint]:
    """The service points a coordinator manages: all for a superuser or a national coordinator."""
    scope = coordinator_scope(user)
    if scope.everything:
        return ServicePoint.objects.all()
    return ServicePoint.objects.filter(pk__in=sorted(scope.service_point_ids))


def coordinator_can_see_trainer(user, trainer) -> bool:
    """True when `user` coordinates the service point of `trainer` (the scope's queries, plus one
    for the trainer's profile unless it is already loaded)."""
    scope = coordinator_scope(user)
    if scope.everything:
        return True
    profile = getattr(trainer, "trainer_profile", None) if trainer is not None else None
    return profile is not None and profile.service_point_id in scope.service_point_ids
