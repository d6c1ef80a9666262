"""The endpoint benchmark's HTTP client: one timed request per connection to 127.0.0.1, keeping its own cookies."""

import http.client
import http.cookies
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field

TIMEOUT = 30.0  # seconds; a sitemap part of 50,000 URLs may take one or two on a busy machine


@dataclass
class Answer:
    """What one request got: status (0 when nothing came back), time to the last byte, headers and body."""

    status: int
    seconds: float
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str = ""  # the exception's name when nothing came back (TimeoutError, ConnectionResetError…)

    @property
    def text(self) -> str:
        """Return the body as text."""
        return self.body.decode(errors="replace")


class Client:
    """GET and POST to one server; a new connection for each request, as gunicorn's sync workers close each."""

    def __init__(self, base: str, timeout: float = TIMEOUT, keep_cookies: bool = False):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        # A reader sends no cookie: a session cookie (from /login's CSRF token) would bypass the page cache.
        self.keep_cookies = keep_cookies
        self.cookies: dict[str, str] = {}

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        """GET `path`, timed from connecting to the last byte of the body."""
        return self.request("GET", path, None, headers or {})

    def post_form(self, path: str, fields: dict[str, str]) -> Answer:
        """POST `fields` as a URL-encoded form."""
        body = urllib.parse.urlencode(fields).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def post_file(self, path: str, fields: dict[str, str], name: str, filename: str, data: bytes) -> Answer:
        """POST `fields` and one file as multipart/form-data."""
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            for key, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request(
            "POST", path, b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )

    def request(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> Answer:
        """Send one request on a new connection and read the whole answer; never raise for network errors."""
        if self.cookies:
            headers = {**headers, "Cookie": "; ".join(f"{key}={value}" for key, value in self.cookies.items())}
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            seconds = time.perf_counter() - started
        except (OSError, http.client.HTTPException) as error:
            return Answer(0, time.perf_counter() - started, error=type(error).__name__)
        finally:
            connection.close()
        if self.keep_cookies:
            self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        return Answer(response.status, seconds, dict(response.headers), data)

    def _keep_cookies(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for key, morsel in jar.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[key] = morsel.value
                else:
                    self.cookies.pop(key, None)  # a cookie being deleted
