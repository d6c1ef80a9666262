"""Import a WordPress export (WXR 1.0–1.2): stream the file, check it is WXR, map it in one transaction."""

import re
from collections.abc import Callable

from lxml import etree

from ...extensions import db
from .elements import WxrReport, child_texts, element_name, is_wordpress_namespace, postmeta
from .mapping import WxrMapper
from .media import MediaFolder, discard_files

FLUSH_EVERY = 1000
# libxml2 calls a namespace name with letters outside ASCII (an IRI, fine in XML) "not a valid URI"; lxml raises it
# only when closing the parser, after every element has been read.
_HARMLESS = {etree.ErrorTypes.WAR_NS_URI, etree.ErrorTypes.WAR_NS_URI_RELATIVE}
_OPTIONS = {"resolve_entities": False, "no_network": True, "huge_tree": False, "remove_comments": True}


class WxrError(Exception):
    """The file is not a WordPress export this importer can read; nothing should be kept."""


def import_wxr(
    path: str, dry_run: bool = False, progress: Callable[[int], object] | None = None, media_dir: str | None = None
) -> WxrReport:
    """Add a WXR file's authors, categories, posts and (from `media_dir`) attachments to the session.

    The caller commits or rolls back; files of attachments are removed again if the import fails here.
    """
    report = WxrReport()
    media = MediaFolder(media_dir, report) if media_dir else None
    try:
        if media is not None:
            _store_attachments(path, media, dry_run)
        return _import(path, WxrMapper(report, dry_run, media), dry_run, progress)
    except BaseException:
        discard_files(report)
        raise


def _store_attachments(path: str, media: MediaFolder, dry_run: bool) -> None:
    """Read the export once for its attachments, so that posts before them can show them and feature them."""
    events = etree.iterparse(path, events=("end",), tag="item", **_OPTIONS)
    try:
        for _, element in events:
            data = child_texts(element)
            if data.get("wp:post_type") == "attachment" and data.get("wp:post_id", "").isdigit():
                meta = postmeta(element)
                title, url = data.get(":title") or "(untitled)", data.get("wp:attachment_url", "")
                alt = meta.get("_wp_attachment_image_alt", "")
                media.attachment(data["wp:post_id"], title, meta.get("_wp_attached_file", ""), url, alt, dry_run)
            element.clear()
    except etree.XMLSyntaxError as exc:
        if exc.code not in _HARMLESS:
            raise WxrError(f"not well-formed XML (line {exc.lineno}): {exc.msg}") from exc


def _import(path: str, importer: WxrMapper, dry_run: bool, progress: Callable[[int], object] | None) -> WxrReport:
    report = importer.report
    version: str | None = None
    events = etree.iterparse(path, events=("end",), **_OPTIONS)
    root_read = False
    try:
        for _, element in events:
            root = element.getroottree().getroot()
            if root.tag != "rss":
                raise WxrError(f"not a WordPress export: the root element is <{root.tag}>, not <rss>")
            kind_name = element_name(element.tag)
            parent = element.getparent()
            if kind_name == ("wp", "wxr_version"):
                version = (element.text or "").strip()
                if not re.fullmatch(r"\d+\.\d+", version):
                    raise WxrError(f"invalid WXR version {version!r} (expected a number such as 1.2)")
            root_read = parent is None
            if parent is None or element_name(parent.tag) != ("", "channel"):
                continue
            if kind_name == ("", "item") or kind_name[0] == "wp":
                if not any(is_wordpress_namespace(uri) for uri in root.nsmap.values()):
                    raise WxrError("this is an RSS feed, not a WordPress export (no WordPress namespace)")
                if version is None:
                    raise WxrError("not a WordPress export: wp:wxr_version is missing before the content")
                if kind_name == ("", "item"):
                    # Flushing per post would re-queue every article of a touched category for the index.
                    with db.session.no_autoflush:
                        importer.item(element)
                    if not dry_run and report.imported % FLUSH_EVERY == 0:
                        db.session.flush()
                    if progress:
                        progress(1)
                else:
                    importer.channel_element(kind_name, element)
            # Free what was read so a large export uses bounded memory.
            element.clear()
            while element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        if not (root_read and exc.code in _HARMLESS):
            raise WxrError(f"not well-formed XML (line {exc.lineno}): {exc.msg}") from exc
    if version is None:
        raise WxrError("not a WordPress export: no wp:wxr_version element (is this a WXR file?)")
    return report
