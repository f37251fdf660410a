from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class UserSession(AbstractBaseSession):
    """A server-side session that knows its account, so every session of a person can end in one DELETE.

    Django's own session table cannot be searched by account (the data is encoded); deactivating a
    person, a body's withdrawal, the end of a membership and an administrator's password change must
    end all of that person's sessions at once (accounts.services.user_sessions_end).
    """

    user_id = models.BigIntegerField("アカウントID", null=True, blank=True, db_index=True)

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"
        verbose_name = "セッション"
        verbose_name_plural = "セッション"

    @classmethod
    def get_session_store_class(cls):
        from accounts.session_store import SessionStore

        return SessionStore
