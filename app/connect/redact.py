"""Keep Jira's iframe JWTs (`?jwt=…`) out of the access log: they are credentials until they expire."""

from __future__ import annotations

import logging
import re

_JWT_PARAM = re.compile(r"(?i)([?&]jwt=)[^&\s\"]+")


def redact(text: str) -> str:
    return _JWT_PARAM.sub(r"\1[redacted]", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install_log_redaction(logger_name: str = "uvicorn.access") -> None:
    logging.getLogger(logger_name).addFilter(RedactTokens())
