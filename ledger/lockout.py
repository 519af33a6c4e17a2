"""Failed admin logins lock the client address out for a while (django-axes).

Axes refuses to authenticate without a request; sign-ins with none (management commands,
scripts) are not a client guessing passwords, so they pass to the next backend.
"""

from axes.backends import AxesStandaloneBackend


class LoginLockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
