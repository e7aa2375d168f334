"""Sign-in with a username or an e-mail address."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        identifier = username.strip()
        if "@" in identifier:
            user = User.objects.filter(email__iexact=identifier).order_by("pk").first()
        else:
            user = User.objects.filter(username__iexact=identifier).order_by("pk").first()
        if user is None:
            # Same cost as a real check, so timing does not tell which accounts exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
