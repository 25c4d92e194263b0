"""Django's database session store, with the session's per-request lookup as a prepared query (issue 13).

``SESSION_ENGINE = "core.sessions"``. Every request with a session cookie reads the ``django_session`` row by its
key; compiling that query cost more CPU than PostgreSQL takes to answer it. Everything else (saving, creating,
cycling a key on login, flushing on logout, ``clearsessions``) is Django's own ``db`` store, on the same table,
so the rows sessions already have keep working. A row that has expired is not a session, as in Django's store:
its expiry is compared in Python with ``timezone.now()`` instead of in the query, so that the prepared query
depends on the key alone."""

from django.contrib.sessions.backends import db
from django.utils import timezone

from core.prepared import PreparedQuery

_SENTINEL_KEY = "cp-prepared-sentinel-session-key"


def _session_row(session_key):
    from django.contrib.sessions.models import Session

    return Session.objects.filter(session_key=session_key).values_list("session_data", "expire_date")


SESSION_ROW = PreparedQuery(_session_row, session_key=_SENTINEL_KEY)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        rows = SESSION_ROW.rows(session_key=self.session_key)
        if rows and rows[0][1] > timezone.now():
            data, expire_date = rows[0]
            return self.model(session_key=self.session_key, session_data=data, expire_date=expire_date)
        self._session_key = None
        return None
