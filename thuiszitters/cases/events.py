"""What happens to a case that areas above `cases` act on, without `cases` knowing them (blinker signals).

`note_written`: a note sent with a new case or a case edit (the form's and the API's `note`). The case has no
overwritable note any more (DOMAIN.md, "Journaal"); `casework` connects and writes the text as a journal entry in
the same transaction. Receivers get the case as sender and ``text``, ``actor`` and ``today`` as keywords.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

note_written = _signals.signal("case-note-written")
