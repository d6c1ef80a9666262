"""The one error search raises to its callers."""


class SearchUnavailable(Exception):
    """The search index is missing, unreadable or locked."""
