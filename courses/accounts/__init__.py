"""Accounts: signing in with a username or an e-mail address (backends.py) behind the limits on
guessing passwords (sign_in_limits.py), the password-reset request, and the trainer's own profile
page (forms.py, views.py). Creating, inviting and deactivating trainers is the people area's job
(courses.people)."""
