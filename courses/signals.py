"""Signals other apps listen to."""

from django.dispatch import Signal

# Sent once, after commit, when an enrolment first meets its course's completion rule.
# Arguments: enrolment (courses.models.Enrolment), trainer (User), course (CoursePage).
course_completed = Signal()
