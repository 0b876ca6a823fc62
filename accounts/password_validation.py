"""A password "validator" that validates nothing: Django calls its ``password_changed`` hook from
``User.save()`` after ``set_password()``, however the password changed (the reset page, the admin,
``changepassword``, the shell), so it is the one place that revokes the user's API tokens."""

from __future__ import annotations


class RevokeApiTokensOnPasswordChange:
    def validate(self, password: str, user=None) -> None:
        return None

    def password_changed(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from .services import api_token_revoke_all  # services import the models: not at start-up

        api_token_revoke_all(user=user)

    def get_help_text(self) -> str:
        return "Changing your password revokes your API tokens."
