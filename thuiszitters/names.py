"""Person names as stored and shown: free of the invisible characters that let a name pose as another.

A right-to-left override (U+202E) makes "Ali\u202eeoJ" display as "AliJoe"; a zero-width space makes two names
that look the same differ, so a search or a sort finds the wrong pupil. Names are cleaned once, where they enter
(the case and account services, so every form, the API and the command line share it), rather than escaped at
every place they are shown (pages, PDF, exports, mails).

Pure module: no Flask, no database.
"""
from __future__ import annotations

import re
import unicodedata

# Unicode general categories that never belong in a name: format characters (Cf: bidi embeddings, overrides and
# isolates, LRM/RLM/ALM, zero-width space/joiners, word joiner, BOM, soft hyphen, tag characters) and control
# characters (Cc). Line breaks, tabs and other spacing (also U+2028/U+2029) become one plain space.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc"})
_WHITESPACE_RUN = re.compile(r"\s+")


def clean_person_name(value: str) -> str:
    """The name without invisible format and control characters, in NFC, with single spaces, trimmed.

    Letters, combining marks, apostrophes, hyphens and spaces of every script stay as typed. An empty result is
    left to the caller's "required" check, so a name of only invisible characters gets the usual message.
    """
    composed = unicodedata.normalize("NFC", value)
    visible = "".join(char for char in composed
                      if char.isspace() or unicodedata.category(char) not in _INVISIBLE_CATEGORIES)
    return _WHITESPACE_RUN.sub(" ", visible).strip()
