"""The append-only audit trail (verwerkingenlogboek): every read and change of personal data, hash-chained.

Infrastructure every area writes to, so it sits low: it names a user and a case by id and imports neither area.
The page that reads the trail per case (who looked at this pupil's file?) is reports.processing_log.
"""
from thuiszitters.audit import guard as _guard  # noqa: F401  (append-only: the ORM refuses updates and deletes)
