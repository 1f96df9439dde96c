"""Where a redirect may go when the target comes from the request (`?next=`, the Referer). Pure: no Flask.

The one rule: only a path on this site. It is judged on what a browser will follow, not on the text as sent,
because browsers repair URLs before they use them (WHATWG URL standard): they drop leading and trailing
control characters and spaces, remove every tab, CR and LF, and read a backslash as a slash. So
``/\t/evil.example`` and ``/\\evil.example`` are both ``//evil.example`` to a browser: another site.
"""
from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

# What a browser strips from both ends of a URL (C0 controls and space) and removes anywhere (tab, LF, CR).
_C0_OR_SPACE = "".join(chr(code) for code in range(0x21))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
# Characters left as they are in the Location header; everything else is percent-encoded, so no control
# character, space or non-ASCII letter ever reaches the header (a raw LF there made Werkzeug fail with a 500).
_SAFE = "/?#[]@!$&'()*+,;=:%-._~"


def as_browser_reads_it(target: str) -> str:
    """The URL text a browser actually resolves for `target` (the repairs it makes before parsing)."""
    cleaned = _TAB_OR_NEWLINE.sub("", target.strip(_C0_OR_SPACE))
    return cleaned.replace("\\", "/")


def local_target(target: str | None, *, own_host: str | None = None) -> str | None:
    """`target` as a same-site path (with query and fragment), or None when a browser would leave the site.

    An absolute http(s) URL is accepted only when `own_host` is given and the URL names exactly that host (the
    Referer header is sent that way); it is reduced to its path. Anything else that is not a path starting with
    a single slash (another host, a scheme such as javascript:, a scheme-relative ``//host``) gives None.
    """
    if not target or not isinstance(target, str):
        return None
    followed = as_browser_reads_it(target)
    try:
        parts = urlsplit(followed)
    except ValueError:  # e.g. an unbalanced "[" in what would be the host
        return None
    if parts.scheme or parts.netloc:
        if own_host is None or parts.scheme not in ("http", "https") or parts.netloc.lower() != own_host.lower():
            return None
        followed = followed.split(parts.netloc, 1)[1] or "/"
        parts = urlsplit(followed)
        if parts.scheme or parts.netloc:
            return None
    # On the text, not on urlsplit's path: "///host" is scheme-relative to a browser, a bare path to urlsplit.
    if not followed.startswith("/") or followed.startswith("//"):
        return None
    return quote(followed, safe=_SAFE)
