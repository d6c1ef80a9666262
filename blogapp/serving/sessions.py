"""The session cookie, kept off public reader pages so that they stay shareable by caches."""

from flask.sessions import SecureCookieSessionInterface


class ReaderSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session, except that public reader pages do not say they vary by cookie.

    They are the same for everyone; team members (who carry a cookie) get them uncached instead.
    """

    def open_session(self, app, request):
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()  # as Flask would, without building its signing serializer first
        return super().open_session(app, request)

    def save_session(self, app, session, response) -> None:
        public = response.cache_control.public
        if public and not session and not session.modified:
            return  # no cookie to set or delete, and no Vary: Cookie (Flask's own outcome, reached sooner)
        super().save_session(app, session, response)
        if public:
            response.vary.discard("Cookie")
