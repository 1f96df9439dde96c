"""Reports for people: the case summary (`summary.py` gathers plain data, `pdf.py` builds the PDF without Flask or a
database) and the processing log of a case (`processing_log.py`: who read or changed it)."""
