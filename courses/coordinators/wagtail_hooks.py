"""Wagtail hooks of the coordinators' area, imported by courses.wagtail_hooks."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from courses.coordinators.permissions import TrainerPermissionPolicy
from courses.coordinators.views import coordinator_profile_viewset, trainer_viewset
from courses.people.models import TrainerProfile
from courses.people.services import LOG_ACTIONS

# Coordinators have no model permissions on trainers: the scope decides (see the policy).
register_permission_policy(TrainerProfile, TrainerPermissionPolicy(TrainerProfile))


@hooks.register("register_log_actions")
def register_trainer_log_actions(actions) -> None:
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)


@hooks.register("register_admin_viewset")
def register_trainer_viewset():
    return trainer_viewset


@hooks.register("register_admin_viewset")
def register_coordinator_profile_viewset():
    return coordinator_profile_viewset
