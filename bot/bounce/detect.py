"""Cheap test: is a chat message a bounce body or DSN fragment worth answering unasked?"""

from __future__ import annotations

from bot.bounce.lazyre import lazy

_STRONG = lazy(
    r"(?im)^\s*(?:final-recipient|original-recipient|diagnostic-code|remote-mta|reporting-mta)"
    r"\s*:|^\s*status:\s*[245]\.\d{1,3}\.\d{1,3}\b|\bsaid:\s*[245]\d\d\b|"
    r"\(in reply to (?:end of )?(?:rcpt|mail|data|helo|ehlo)\b|"
    r"smtp error from remote mail server|delivery to the following recipients? failed|"
    r"the following addresses? had permanent fatal errors|remote host said:|"
    r"message could not be delivered|undeliverable|mail delivery failed|"
    r"delivery has failed to these recipients|this is the mail system at host|"
    r"technical details of (?:permanent|temporary) failure|unrouteable address|"
    r"does not like recipient|mailbox (?:unavailable|full|is full|not found)|"
    r"user unknown|no such user|recipient address rejected|relay access denied|"
    r"over quota|quota exceeded|host or domain name not found"
)
_REPLY_AND_STATUS = lazy(
    r"(?<![\d.$])[45]\d\d[ -](?:#?[245]\.\d{1,3}\.\d{1,3})(?![\d.])|"
    r"\(#[245]\.\d{1,3}\.\d{1,3}\)"
)
_SMTP_WORDS = lazy(
    r"(?i)\b(?:smtp|mailbox|recipient|rcpt|mail from|relay|bounced?|undeliver\w*|"
    r"rejected|blocked|spam|dnsbl|blacklist|spf|dkim|dmarc|quota|postmaster|mailer-daemon|mx)\b"
)
_CODE = lazy(r"(?<![\d.$/=:,])(?:[45]\d\d|[45]\.\d{1,3}\.\d{1,3})(?![\d.%]|\.\d)")


def looks_like_bounce(text: str) -> bool:
    """True for bounce bodies and DSN fragments; False for chat that merely has numbers."""
    if not text or len(text) < 8:
        return False
    sample = text[:20000]
    if _STRONG.search(sample) or _REPLY_AND_STATUS.search(sample):
        return True
    return bool(_CODE.search(sample) and _SMTP_WORDS.search(sample))
