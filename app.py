"""Entry point: `flask --app app run` and gunicorn `app:app`."""
from thuiszitters import create_app

app = create_app()
