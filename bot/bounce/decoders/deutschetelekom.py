"""Deutsche Telekom / T-Online and other Smail 3 derivatives: boxed section banners.

The notice is divided by banners such as "|---- Failed addresses follow: ----|"; each failed
address is either " <addr>" with the remote reply on the next line, or Smail's own
" addr ... failed: reason". Smail may also write a "Message log follows:" section before the
addresses, whose text explains failures that have no reply of their own.
"""

from __future__ import annotations

from bot.bounce.codes import clean_address, is_address
from bot.bounce.decoders.base import Hit, Result
from bot.bounce.decoders.formatkit import squash
from bot.bounce.lazyre import lazy
from bot.bounce.mail import Mail

NAME = "DeutscheTelekom"
_FAILED = "Failed addresses follow:"
_LOG = "Message log follows:"
_BANNER = lazy(r"^\|-{5,} (.+?) -{5,}\|\s*$")
_ANGLED = lazy(r"^ <([^<>\s]+@[^<>\s]+)>\s*$")
_SMAIL = lazy(r"^ (\S+@\S+\.\S+) \.\.\. (.+)$")


def match(mail: Mail) -> bool:
    # The banner needs no headers to be recognised, so pasted notices are read too.
    head = mail.body[:6000]
    return _FAILED in head and "|-----" in head


def decode(mail: Mail) -> Result | None:
    hits: list[Hit] = []
    log: list[str] = []
    section = ""
    for line in mail.body.split("\n"):
        banner = _BANNER.match(line)
        if banner:
            section = banner.group(1)
            if section not in (_FAILED, _LOG) and hits:
                break
            continue
        if not line.strip():
            continue
        if section == _LOG:
            log.append(line.strip())
        elif section == _FAILED:
            angled = _ANGLED.match(line)
            smail = _SMAIL.match(line)
            if angled and is_address(angled.group(1)):
                hits.append(Hit(recipient=angled.group(1)))
            elif smail and is_address(clean_address(smail.group(1))):
                text = squash(" ".join([*log, smail.group(2)]))
                hits.append(Hit(recipient=clean_address(smail.group(1)), diagnosis=text))
            elif hits:
                hits[-1].diagnosis = squash(f"{hits[-1].diagnosis} {line}")
    return Result(hits=hits, decoder=NAME) if hits else None
