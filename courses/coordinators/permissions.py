"""Who may use the trainers area: coordinators (and superusers), each within their scope.

Coordinators hold no Django model permissions on users or profiles, so Wagtail's model policy
would refuse them everything; this policy asks the coordinator scope instead. Nobody deletes a
trainer (their progress and certificates are records): the area deactivates accounts.
"""

from wagtail.permission_policies.base import BasePermissionPolicy

from courses.people.scope import coordinator_can_see_trainer, is_coordinator
from courses.people.selectors import trainer_profiles_in_scope

ALLOWED_ACTIONS = frozenset({"add", "change", "view"})


def user_can_manage_trainers(user) -> bool:
    return is_coordinator(user)


class TrainerPermissionPolicy(BasePermissionPolicy):
    permission_cache_name = None

    def user_has_permission(self, user, action) -> bool:
        return action in ALLOWED_ACTIONS and user_can_manage_trainers(user)

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        return self.user_has_permission(user, action) and coordinator_can_see_trainer(user, instance.user)

    def instances_user_has_any_permission_for(self, user, actions):
        if not ALLOWED_ACTIONS.intersection(actions):
            return self.model._default_manager.none()
        return trainer_profiles_in_scope(user)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        return get_user_model()._default_manager.none()
