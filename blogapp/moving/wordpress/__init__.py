"""Moving in from WordPress: read a WXR export as a stream, convert its HTML, map it to rows."""

from .media import discard_files
from .reader import WxrError, import_wxr

__all__ = ["WxrError", "discard_files", "import_wxr"]
