"""Reports built from plain case data (PDF summaries); no Flask, no database."""
