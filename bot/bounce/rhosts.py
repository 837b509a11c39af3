"""Per-remote-host reason tables (data/rhosts.toml): a large provider's own wording decides.

A table applies only when the remote MTA that answered belongs to the provider (a substring of
its name), as the reference parser's per-host rules do. Loaded on the first record with such a
remote host, so `smtpbot parse` pays nothing for it otherwise.
"""

from __future__ import annotations

import os
from functools import lru_cache

from bot.bounce.record import Record
from bot.tomlcache import load_toml

DATA = os.path.join(os.path.dirname(__file__), "data", "rhosts.toml")
# Every host substring of every table, to reject most records without loading the tables.
_QUICK = (
    "aspmx.l.google.com",
    "gmail-smtp-in.l.google.com",
    ".prod.outlook.com",
    ".protection.outlook.com",
    ".yahoodns.net",
    ".mail.icloud.com",
    ".apple.com",
    ".me.com",
    ".mimecast.com",
    ".qq.com",
)


class Rule(Record):
    reason: str
    text: str
    status: str = ""  # exact status, or a prefix when `low`/`high` give a range
    reply: str = ""
    low: int = -1
    high: int = -1


class Table(Record):
    name: str
    hosts: tuple[str, ...]
    keep_preset: bool
    style: str
    rules: tuple[Rule, ...]


def _rule(reason: str, style: str, line: str) -> Rule:
    if style == "text":
        return Rule(reason, line)
    if style == "reply-status":
        reply, status, text = line.split(" ", 2)
        return Rule(reason, text, status=status, reply=reply)
    if style == "reply":
        reply, text = line.split(" ", 1)
        return Rule(reason, text, reply=reply)
    code, text = line.split(" ", 1)
    head, _, tail = code.rpartition(".")
    if "-" in tail:
        low, high = tail.split("-")
        return Rule(reason, text, status=head + ".", low=int(low), high=int(high))
    return Rule(reason, text, status=code)


@lru_cache(maxsize=1)
def tables() -> tuple[Table, ...]:
    try:
        raw = load_toml(DATA)
    except (OSError, ValueError):
        return ()
    out = []
    for name, entry in raw.items():
        style = entry.get("style", "text")
        rules = tuple(
            _rule(reason, style, line)
            for reason, lines in entry.get("rules", {}).items()
            for line in lines
        )
        out.append(
            Table(name, tuple(entry.get("hosts", ())), bool(entry.get("keep_preset")), style, rules)
        )
    return tuple(out)


def table_for(rhost: str) -> Table | None:
    host = (rhost or "").lower()
    if not host or not any(q in host for q in _QUICK):
        return None
    for table in tables():
        if any(h in host for h in table.hosts):
            return table
    return None


def _valid_status(status: str) -> bool:
    parts = status.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return False
    return parts[0] in ("2", "4", "5") and int(parts[1]) <= 7


def _valid_reply(reply: str) -> bool:
    return len(reply) == 3 and reply.isdigit() and reply[0] in "245"


def reason(table: Table, preset: str, status: str, reply: str, text: str) -> str:
    """The table's reason for a record ('' when no rule matches). `text` is lower-cased."""
    if table.keep_preset and preset:
        return preset
    if table.style == "reply-status":
        if not text or not _valid_reply(reply) or not _valid_status(status):
            return ""
        tail_status, tail_reply = status[2:], reply[1:3]
        for rule in table.rules:
            if (
                rule.text in text
                and rule.reply.find(tail_reply) > 0
                and rule.status.find(tail_status) > 1
            ):
                return rule.reason
        return ""
    if table.style == "reply":
        if not _valid_reply(reply):
            return ""
        for rule in table.rules:
            if rule.reply == reply and rule.text in text:
                return rule.reason
        return ""
    if table.style == "status":
        if not _valid_status(status):
            return ""
        last = int(status.rsplit(".", 1)[1])
        for rule in table.rules:
            if rule.low < 0:
                if status != rule.status:
                    continue
            elif rule.status not in status or not rule.low <= last <= rule.high:
                continue
            if rule.text in text:
                return rule.reason
        return ""
    for rule in table.rules:
        if rule.text in text:
            return rule.reason
    return ""
