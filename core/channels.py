"""Delivery channels of the outbox: e-mail over SMTP, SMS through an HTTP gateway, the in-app inbox.

A channel sends one message (a mapping with recipient, subject, body, idempotency key) or raises
`DeliveryError` with a protocol-tagged code ('smtp:550', 'http:503', 'timeout', 'connection') that
the outbox classifies as transient or permanent. Channels read their settings from the app config.
"""

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate

import requests

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A channel could not deliver; `code` says why in a form the retry policy understands."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code} {detail}".strip())
        self.code = code
        self.detail = detail[:300]


def message_id(key: str, domain: str = "zjdes.local") -> str:
    """A stable Message-ID from the idempotency key, so a duplicate is recognisable downstream."""
    safe = "".join(ch if ch.isalnum() or ch in "-." else "." for ch in key)
    return f"<{safe}@{domain}>"


class EmailChannel:
    """E-mail over SMTP (smtplib), with STARTTLS and login when configured."""

    name = "email"

    def configured(self, config) -> bool:
        return bool(config.get("SMTP_HOST"))

    def send(self, message, config) -> None:
        email = EmailMessage()
        email["From"] = config["SMTP_FROM"]
        email["To"] = message["recipient"]
        email["Subject"] = message["subject"] or ""
        email["Date"] = formatdate(localtime=False)
        email["Message-ID"] = message_id(message["idempotency_key"])
        email["X-Idempotency-Key"] = message["idempotency_key"]
        email.set_content(message["body"])
        timeout = config.get("SMTP_TIMEOUT", 10)
        smtp = None
        try:
            smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=timeout)
            if config.get("SMTP_STARTTLS"):
                smtp.starttls()
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
            smtp.send_message(email)
            # Accepted (250 after DATA): return at once so that the outbox commits 'sent' without
            # waiting for QUIT's round trip; the connection is simply closed.
        except smtplib.SMTPRecipientsRefused as error:
            code = next(iter(error.recipients.values()))[0]
            raise DeliveryError(f"smtp:{code}", "recipient refused") from None
        except smtplib.SMTPResponseException as error:
            raise DeliveryError(f"smtp:{error.smtp_code}", str(error.smtp_error)) from None
        except TimeoutError as error:
            raise DeliveryError("timeout", str(error)) from None
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError("connection", str(error)) from None
        finally:
            if smtp is not None:
                smtp.close()


class SmsChannel:
    """SMS through an HTTP gateway: POST JSON {to, text, id} to SMS_GATEWAY_URL, 2xx is success."""

    name = "sms"

    def configured(self, config) -> bool:
        return bool(config.get("SMS_GATEWAY_URL"))

    def send(self, message, config) -> None:
        payload = {
            "to": message["recipient"],
            "text": message["body"],
            "id": message["idempotency_key"],
        }
        headers = {"Idempotency-Key": message["idempotency_key"]}
        try:
            response = requests.post(
                config["SMS_GATEWAY_URL"],
                json=payload,
                headers=headers,
                timeout=config.get("SMS_GATEWAY_TIMEOUT", 10),
            )
        except requests.Timeout as error:
            raise DeliveryError("timeout", str(error)) from None
        except requests.RequestException as error:
            raise DeliveryError("connection", str(error)) from None
        if response.status_code >= 300:
            raise DeliveryError(f"http:{response.status_code}", response.text[:200])


class InAppChannel:
    """The in-app inbox: the message row is the delivery, so sending only marks it sent."""

    name = "in_app"

    def configured(self, config) -> bool:
        return True

    def send(self, message, config) -> None:
        return None
