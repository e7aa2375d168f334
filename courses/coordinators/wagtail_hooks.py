"""Wagtail hooks of the coordinators' area, imported by courses.wagtail_hooks."""

from wagtail import hooks

from courses.people.services import LOG_ACTIONS


@hooks.register("register_log_actions")
def register_trainer_log_actions(actions) -> None:
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)
