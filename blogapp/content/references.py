"""Article references: the one-line-per-source form writers type, and links for DOIs, PMIDs and URLs."""

import re
from typing import Any

FIELDS = ("title", "source", "year", "identifier")
MAX_REFERENCES = 200
_DOI = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_PMID = re.compile(r"^(?:pmid:?\s*)(\d{1,9})$", re.IGNORECASE)
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


class ReferenceError(ValueError):
    """A reference line that cannot be read; the message names the line."""


def parse_references(text: str) -> list[dict[str, Any]]:
    """Read `Title | Source | Year | DOI, PMID or URL` lines (only the title is required)."""
    references = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > len(FIELDS):
            raise ReferenceError(f"Reference line {number} has more than {len(FIELDS)} parts separated by |.")
        parts += [""] * (len(FIELDS) - len(parts))
        reference = dict(zip(FIELDS, parts, strict=True))
        if not reference["title"]:
            raise ReferenceError(f"Reference line {number} needs a title before the first |.")
        if reference["year"] and not re.fullmatch(r"\d{4}", reference["year"]):
            raise ReferenceError(f"Reference line {number}: the year must have four digits.")
        if reference["identifier"] and identifier_url(reference["identifier"]) is None:
            raise ReferenceError(
                f"Reference line {number}: {reference['identifier']!r} is not a DOI (10.…), a PMID (PMID: 123) or "
                "an http(s) URL."
            )
        references.append(reference)
    if len(references) > MAX_REFERENCES:
        raise ReferenceError(f"An article can cite at most {MAX_REFERENCES} references.")
    return references


def format_references(references: list[dict[str, Any]]) -> str:
    """Return references as the lines `parse_references` reads."""
    lines = []
    for reference in references:
        parts = [str(reference.get(key) or "") for key in FIELDS]
        while parts and not parts[-1]:
            parts.pop()
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def identifier_url(identifier: str) -> str | None:
    """Return the web address of a DOI, PMID or URL, or None if it is none of them."""
    identifier = identifier.strip()
    if match := _DOI.match(identifier):
        return f"https://doi.org/{match.group(1)}"
    if match := _PMID.match(identifier):
        return f"https://pubmed.ncbi.nlm.nih.gov/{match.group(1)}/"
    if _URL.match(identifier):
        return identifier
    return None
