"""Download a file a user shared, the way Slack requires: the private URL plus the bot token.

Slack answers an unauthenticated file URL with an HTML sign-in page (status 200), so the
content type is checked. The token is only ever sent to Slack's own hosts (or the configured
API host, for a local fake), redirects are followed by hand and only on the same host, and
the body is read with a size cap so a huge upload cannot exhaust memory.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import aiohttp

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 3
TIMEOUT = aiohttp.ClientTimeout(total=30, sock_connect=5)
READABLE = (".eml", ".txt", ".msg.txt", ".log")
READABLE_TYPES = ("eml", "text", "email", "message/rfc822", "text/plain")


class FileError(Exception):
    """A file we could not fetch; `reason` is a short machine word, safe to log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SharedFile:
    id: str
    name: str
    url: str | None
    size: int | None


def readable(file: dict) -> bool:
    """Only files that can hold a bounce: .eml/.txt by name, or a text/e-mail type."""
    name = str(file.get("name") or file.get("title") or "").lower()
    if name.endswith(READABLE):
        return True
    kinds = (file.get("filetype"), file.get("mimetype"))
    return any(str(k or "").lower() in READABLE_TYPES for k in kinds)


def shared_file(file: dict) -> SharedFile:
    return SharedFile(
        id=str(file.get("id") or ""),
        name=str(file.get("name") or file.get("title") or "file"),
        url=file.get("url_private_download") or file.get("url_private"),
        size=file.get("size") if isinstance(file.get("size"), int) else None,
    )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def token_allowed(url: str, api_url: str) -> bool:
    """Whether the bot token may be sent to `url`: Slack's hosts over https, or the API host
    itself (a local fake Slack during tests, which also serves files on loopback)."""
    parts, api = urlsplit(url), urlsplit(api_url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and (host == "slack.com" or host.endswith(".slack.com")):
        return True
    api_host = (api.hostname or "").lower()
    return bool(host) and (host == api_host or (_loopback(host) and _loopback(api_host)))


async def download(url: str, token: str, api_url: str, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes. Raises FileError (never leaks the token into the message)."""
    if not token_allowed(url, api_url):
        raise FileError("untrusted_host")
    host = urlsplit(url).hostname
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
        for _ in range(MAX_REDIRECTS + 1):
            async with session.get(url, headers=headers, allow_redirects=False) as resp:
                if resp.status in (301, 302, 303, 307, 308):
                    target = urljoin(url, resp.headers.get("Location", ""))
                    if urlsplit(target).hostname != host:
                        raise FileError("redirect_to_other_host")
                    url = target
                    continue
                if resp.status != 200:
                    raise FileError(f"http_{resp.status}")
                if "text/html" in resp.headers.get("Content-Type", "").lower():
                    raise FileError("sign_in_page")
                if (resp.content_length or 0) > max_bytes:
                    raise FileError("too_large")
                chunks: list[bytes] = []
                total = 0
                async for chunk in resp.content.iter_chunked(256 * 1024):
                    total += len(chunk)
                    if total > max_bytes:
                        raise FileError("too_large")
                    chunks.append(chunk)
                return b"".join(chunks)
    raise FileError("too_many_redirects")
