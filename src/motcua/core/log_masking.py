"""Personal identification numbers never reach a log line (Law 91/2025 on personal data; issue 10, finding 6).

The filter is installed on every handler in settings.LOGGING, `django.server` and `django.request` included:
they print request lines and paths, and a caller may still put a number in a URL that the product refuses.
"""

from __future__ import annotations

import logging

from motcua.core.identifiers import contains_personal_id, mask_personal_ids


class MaskPersonalIds(logging.Filter):
    """Rewrites a record whose message carries a 9- or 12-digit run, masking each run; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments do not fit its format is the handler's to report
            return True
        if contains_personal_id(message):
            record.msg, record.args = mask_personal_ids(message), None
        if record.exc_info and not record.exc_text:
            # Formatted here once (the formatter reuses exc_text), so that a traceback is masked too.
            record.exc_text = _FORMATTER.formatException(record.exc_info)
        if record.exc_text and contains_personal_id(record.exc_text):
            record.exc_text = mask_personal_ids(record.exc_text)
        return True


_FORMATTER = logging.Formatter()
