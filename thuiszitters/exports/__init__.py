"""The monthly pseudonymised export for the Inspectie van het Onderwijs.

`builder` is the pure part: it turns plain case rows into cases.csv, summary.csv, one .xlsx and
manifest.json, and knows nothing of Flask or the database. Loading the rows and storing the run is the
services' job.
"""
