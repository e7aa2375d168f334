"""Who may see whom: the coordinator scope, used by every view and API that shows trainers' data."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from courses.models import CoordinatorProfile, ServicePoint

COORDINATORS_GROUP = "Coordinators"
TRAINERS_GROUP = "Trainers"
EDITORS_GROUP = "Content editors"


def is_coordinator(user) -> bool:
    """A superuser, or a user with a coordinator profile in the Coordinators group."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return CoordinatorProfile.objects.filter(user=user, user__groups__name=COORDINATORS_GROUP).exists()


def coordinator_service_points(user) -> QuerySet[ServicePoint]:
    """The service points a coordinator manages: all for a superuser or a national coordinator."""
    if not is_coordinator(user):
        return ServicePoint.objects.none()
    if user.is_superuser:
        return ServicePoint.objects.all()
    profile = CoordinatorProfile.objects.get(user=user)
    if profile.is_national:
        return ServicePoint.objects.all()
    return profile.service_points.all()


def coordinator_can_see_trainer(user, trainer) -> bool:
    """True when `user` coordinates the service point of `trainer` (one query, or two)."""
    if not is_coordinator(user):
        return False
    if user.is_superuser:
        return True
    profile = CoordinatorProfile.objects.get(user=user)
    if profile.is_national:
        return True
    return profile.service_points.filter(trainers__user=trainer).exists()
