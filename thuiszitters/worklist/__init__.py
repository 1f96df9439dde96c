"""The werkvoorraad ("Mijn werk", DOMAIN.md "Casework around the chain"): what a user must do, up to a chosen day.

`items.py` (pure) holds what an item is and how the list is grouped and sorted; `sources.py` finds the items of
each kind in the user's scope (one function per source, listed in `SOURCES`); `views.py` is the page `/mijn-werk`.
The API's `GET /api/v1/worklist` reads the same `collect`.
"""
