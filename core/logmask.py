"""A logging filter that masks resident ID and certificate numbers in every log line."""

import logging
import re

# 17 digits + digit/X, optionally followed by category and level digits (certificate). Only
# digits bound the match, so a number glued to a word ("ID330106...", "...123Xabc") is masked too.
_ID_PATTERN = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(\d{2})?(?!\d)")


def mask_numbers_in_text(text: str) -> str:
    """Replace each ID-like number in free text with its masked form."""

    def _mask(match: re.Match) -> str:
        tail = match.group(3) or ""
        return f"{match.group(1)}{'*' * 8}{match.group(2)}{tail}"

    return _ID_PATTERN.sub(_mask, text)


class MaskingFilter(logging.Filter):
    """Masks the message and any traceback (an exception's text may quote the number)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_numbers_in_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_numbers_in_text(record.exc_text)
        return True


def _masked_record_factory(base):
    def factory(*args, **kwargs):
        record = base(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: let the handler report it as usual
            return record
        masked = mask_numbers_in_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return record

    factory.masks_numbers = True
    return factory


def install() -> None:
    """Mask every log record of the process at its creation, whichever logger makes it (the app's,
    werkzeug's, gunicorn's access and error logs, libraries'), and add the filter to the handlers
    that exist now (for tracebacks, formatted only when a handler writes them)."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "masks_numbers", False):
        logging.setLogRecordFactory(_masked_record_factory(current))
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, MaskingFilter) for f in handler.filters):
                handler.addFilter(MaskingFilter())


try:  # gunicorn is optional (the app also runs under `flask run` and the test client)
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover
    _GunicornLogger = None

if _GunicornLogger is not None:

    class GunicornLogger(_GunicornLogger):
        """gunicorn's logger with ID numbers masked in the access and error logs (gunicorn.conf.py)."""

        def setup(self, cfg):
            super().setup(cfg)
            install()
            for logger in (self.error_log, self.access_log):
                for handler in logger.handlers:
                    if not any(isinstance(f, MaskingFilter) for f in handler.filters):
                        handler.addFilter(MaskingFilter())
