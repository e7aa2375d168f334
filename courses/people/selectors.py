"""Reads about people. Every list of trainers a coordinator sees starts from `trainers_in_scope`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from courses.people.scope import coordinator_scope

User = get_user_model()


def trainers_in_scope(user) -> QuerySet:
    """The trainers' accounts (users with a trainer profile, active or not) that `user` may see
    as a coordinator, with their profile and service point loaded; none for anyone else. THE
    queryset of every trainers screen, built on `coordinator_scope` (its queries, then one)."""
    scope = coordinator_scope(user)
    if not scope.everything and not scope.service_point_ids:
        return User._default_manager.none()
    return (
        User._default_manager.filter(trainer_profile__isnull=False)
        .filter(scope.trainer_q())
        .select_related("trainer_profile", "trainer_profile__service_point")
    )


def user_by_email(email: str):
    """The account with this e-mail address (case-insensitive), or None. One query."""
    return (
        User._default_manager.select_related("trainer_profile")
        .filter(email__iexact=email.strip())
        .order_by("pk")
        .first()
    )


def user_is_trainer(user) -> bool:
    """A trainer: an account with a trainer profile (one query unless the profile is loaded)."""
    try:
        return user.trainer_profile is not None
    except User.trainer_profile.RelatedObjectDoesNotExist:
        return False
