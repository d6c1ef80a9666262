"""A date-and-time field written as the site writes dates ("1 December 2026 14:30"), not in a browser's order."""

import re
from datetime import datetime

from wtforms import Field
from wtforms.widgets import TextInput

# Tried in order after commas and a lone "at" are dropped; ISO forms keep older forms and scripts working.
FORMATS = (
    "%d %B %Y %H:%M",
    "%d %b %Y %H:%M",
    "%d %B %Y %I:%M %p",
    "%d %b %Y %I:%M %p",
    "%d %B %Y",
    "%d %b %Y",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)
MESSAGE = "Write the date as the site does, day month year and a 24-hour time, such as “1 December 2026 14:30”."


def site_datetime(value: datetime) -> str:
    """Return a time as the field shows it: "1 December 2026 14:30"."""
    return f"{value.day} {value:%B %Y %H:%M}"


def parse_site_datetime(text: str) -> datetime:
    """Read a date written as the site writes dates (or in ISO form); raise ValueError with a reader's message."""
    cleaned = re.sub(r"\s+", " ", re.sub(r",|\bat\b", " ", text)).strip()
    if len(cleaned) <= 40:  # no format is longer: a long value is refused without trying each
        for form in FORMATS:
            try:
                return datetime.strptime(cleaned, form)
            except ValueError:
                continue
    raise ValueError(MESSAGE)


class SiteDateTimeField(Field):
    """A text field holding a datetime, shown and read as "1 December 2026 14:30"; empty is None."""

    widget = TextInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return site_datetime(self.data) if self.data else ""

    def process_formdata(self, valuelist: list) -> None:
        text = (valuelist[0] if valuelist else "") or ""
        self.data = None
        if text.strip():
            self.data = parse_site_datetime(text)
