"""The safety panel's settings: the crisis terms a search is checked against, the help message and the helpline."""

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Setting
from .settings import set_setting
from .version import remember

# Words and phrases of people who may be in danger now; a search is matched on their analysed (stemmed) forms,
# so "suicidal", "overdosing" and "killing myself" match too.
DEFAULT_TERMS = (
    "suicide",
    "suicidal",
    "self-harm",
    "kill myself",
    "end my life",
    "want to die",
    "hurt myself",
    "harm myself",
    "cutting myself",
    "hang myself",
    "no reason to live",
    "overdose",
)
# Names no country: the site's own helpline is chosen by an admin (settings page).
DEFAULT_MESSAGE = (
    "If you are thinking about suicide or harming yourself, or someone is in danger now, "
    "contact your local emergency number or a crisis line."
)
MAX_TERMS = 100
MAX_TERM_CHARS = 100
MAX_MESSAGE_CHARS = 500
MAX_HELPLINE_CHARS = 200
_KEYS = {"terms": "safety_terms", "message": "safety_message", "helpline": "safety_helpline"}


@dataclass(frozen=True)
class SafetySettings:
    """What the safety panel matches and says."""

    terms: tuple[str, ...]
    message: str
    helpline: str


def parse_terms(text: str) -> tuple[str, ...]:
    """Return the terms of a one-per-line list: trimmed, single-spaced, lowercase, each once, blank lines dropped."""
    terms = (" ".join(line.split()).lower() for line in text.splitlines())
    return tuple(dict.fromkeys(term for term in terms if term))


def _read() -> SafetySettings:
    # One statement for the three settings, once per content version in each process (see `remember`).
    stored = dict(db.session.execute(select(Setting.key, Setting.value).where(Setting.key.in_(_KEYS.values()))).all())
    terms = stored.get(_KEYS["terms"])
    return SafetySettings(
        terms=DEFAULT_TERMS if terms is None else parse_terms(terms),
        message=stored.get(_KEYS["message"]) or DEFAULT_MESSAGE,
        helpline=stored.get(_KEYS["helpline"], ""),
    )


def safety_settings() -> SafetySettings:
    """Return the safety panel's settings, read once per content version (a saved setting makes a new one)."""
    return remember("safety_settings", _read)


def save_safety_settings(settings: SafetySettings) -> None:
    """Store the safety panel's settings; the caller commits (which makes a new content version)."""
    set_setting(_KEYS["terms"], "\n".join(settings.terms))
    set_setting(_KEYS["message"], settings.message)
    set_setting(_KEYS["helpline"], settings.helpline)
