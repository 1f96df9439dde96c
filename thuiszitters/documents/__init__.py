"""Documents on a case: the aanmeldingsbrief, the school's decision, the OPP, the GPO's oordeel and the like.

`content.py` recognises what a file is by its content (pure), `rules.py` holds the kinds and what a name, a title
and a removal need (pure), `models.py` the document and its bytes (in the database, in chunks), `services.py`
storing a file while it streams in, streaming it back out, and removing it (each with its audit event),
`views.py` the pages and the case page's section, `api/documents.py` the API.
"""
