"""gunicorn settings used by `make run` and the deployment (README): ID numbers are masked in the
access and error logs as in the app's own (core/logmask.py)."""

logger_class = "core.logmask.GunicornLogger"
accesslog = "-"
