"""A fake Slack for tests: Web API, response_url, private files and a Socket Mode server.

Runs as its own process on 127.0.0.1 (`python tests/slack/fake_slack.py --port N`) so the
bot under test talks to it over real HTTP and WebSocket, exactly as it would to Slack. It
answers like Slack — `invalid_auth`, `not_authed`, `unknown_method`, `channel_not_found`,
`no_text`, `invalid_blocks` (checked with the same Block Kit validator the renderer is
tested with) — and records every call, which tests read through `/_fake/…` control routes.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bot.render.limits import validate_message

TEAM_ID, TEAM = "T0E2E0001", "smtpbot-e2e"
APP_ID = "A0E2E0001"
BOT_USER, BOT_ID = "U0E2EBOT1", "B0E2EBOT1"
HUMAN = "U0E2EUSR1"
CHANNEL = re.compile(r"^[CDG][A-Z0-9]{2,}$")
RESPONSE_URL_USES = 5
SIGN_IN_PAGE = b"<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in</body></html>"
KNOWN = {
    "auth.test",
    "api.test",
    "chat.postMessage",
    "chat.postEphemeral",
    "chat.update",
    "chat.delete",
    "views.publish",
    "views.open",
    "views.update",
    "users.info",
    "conversations.info",
    "conversations.history",
    "conversations.replies",
    "reactions.add",
    "files.info",
    "apps.connections.open",
}


class Fake:
    def __init__(self, bot_token: str, app_token: str) -> None:
        self.bot_token, self.app_token = bot_token, app_token
        self.base = ""
        self.calls: list[dict[str, Any]] = []
        self.responses: list[dict[str, Any]] = []
        self.response_uses: dict[str, int] = {}
        self.history: dict[str, list[dict[str, Any]]] = {}
        self.files: dict[str, tuple[str, bytes]] = {}
        self.file_fetches: list[dict[str, Any]] = []
        self.sockets: list[web.WebSocketResponse] = []
        self.socket_connects = 0
        self.pending: dict[str, asyncio.Future] = {}
        self.retiring: list[web.WebSocketResponse] = []
        self.ts = itertools.count(1)

    def next_ts(self) -> str:
        return f"{int(time.time())}.{next(self.ts):06d}"

    # ------------------------------------------------------------ Web API

    async def api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        body = await request.read()
        ctype = request.headers.get("Content-Type", "")
        if body:
            if "json" in ctype:
                try:
                    args.update(json.loads(body))
                except ValueError:
                    return web.json_response({"ok": False, "error": "invalid_json"})
            else:
                args.update({k: v for k, v in (await request.post()).items()})
        auth = request.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else None
        record = {
            "method": method,
            "token": token,
            "token_param": "token" in args,
            "args": {k: v for k, v in args.items() if k != "token"},
            "t": time.time(),
        }
        result = self.dispatch(method, token, args)
        record["result"] = {k: v for k, v in result.items() if k in ("ok", "error", "problems")}
        self.calls.append(record)
        return web.json_response(result)

    def dispatch(self, method: str, token: str | None, args: dict[str, Any]) -> dict[str, Any]:
        if method not in KNOWN:
            return {"ok": False, "error": "unknown_method"}
        if "token" in args:  # tokens belong in the Authorization header
            return {"ok": False, "error": "invalid_auth"}
        if token is None:
            return {"ok": False, "error": "not_authed"}
        if method == "apps.connections.open":
            if token != self.app_token:
                return {"ok": False, "error": "invalid_auth"}
            self.socket_connects += 1
            ws = self.base.replace("http://", "ws://")
            return {"ok": True, "url": f"{ws}/link/?ticket=t{self.socket_connects}"}
        if token == self.app_token:
            return {"ok": False, "error": "not_allowed_token_type"}
        if token != self.bot_token:
            return {"ok": False, "error": "invalid_auth"}
        handler = getattr(self, "m_" + method.replace(".", "_"), None)
        return handler(args) if handler else {"ok": True}

    @staticmethod
    def _json_arg(args: dict[str, Any], name: str) -> Any:
        value = args.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def _message_problems(self, args: dict[str, Any]) -> dict[str, Any] | None:
        channel = args.get("channel")
        if not channel or not CHANNEL.match(str(channel)):
            return {"ok": False, "error": "channel_not_found"}
        payload = {"text": args.get("text"), "blocks": self._json_arg(args, "blocks")}
        if not payload["text"] and not payload["blocks"]:
            return {"ok": False, "error": "no_text"}
        if not isinstance(payload["text"], str) or not payload["text"].strip():
            return {"ok": False, "error": "no_text"}
        if payload["blocks"] is None:
            payload.pop("blocks")
            problems = validate_message({**payload, "blocks": []}, strict=False)
        else:
            problems = validate_message(payload, strict=False)
        if problems:
            return {"ok": False, "error": "invalid_blocks", "problems": problems[:5]}
        return None

    def m_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://smtpbot-e2e.slack.com/",
            "team": TEAM,
            "user": "smtpbot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def m_api_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "args": args}

    def m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        if (error := self._message_problems(args)) is not None:
            return error
        ts = self.next_ts()
        message = {
            "type": "message",
            "user": BOT_USER,
            "bot_id": BOT_ID,
            "text": args.get("text"),
            "ts": ts,
        }
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        self.history.setdefault(args["channel"], []).append(message)
        return {"ok": True, "channel": args["channel"], "ts": ts, "message": message}

    def m_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        if (error := self._message_problems(args)) is not None:
            return error
        if not args.get("user"):
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "message_ts": self.next_ts()}

    def m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        if (error := self._message_problems(args)) is not None:
            return error
        if not args.get("ts"):
            return {"ok": False, "error": "message_not_found"}
        return {"ok": True, "channel": args["channel"], "ts": args["ts"]}

    def m_chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts")}

    def _view(self, args: dict[str, Any], surface: str) -> dict[str, Any]:
        view = self._json_arg(args, "view")
        if not isinstance(view, dict):
            return {"ok": False, "error": "invalid_arguments"}
        problems = validate_message(view, surface=surface)  # type: ignore[arg-type]
        if problems:
            return {"ok": False, "error": "invalid_blocks", "problems": problems[:5]}
        return {"ok": True, "view": {"id": "V0E2E0001", **view}}

    def m_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("user_id"):
            return {"ok": False, "error": "user_not_found"}
        return self._view(args, "home")

    def m_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        return self._view(args, "modal")

    def m_views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._view(args, "modal")

    def m_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "user": {"id": args.get("user"), "name": "someone", "is_bot": False}}

    def m_conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel", "")
        if not CHANNEL.match(channel):
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": {"id": channel, "name": channel.lower()}}

    def m_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        messages = self.history.get(args.get("channel", ""), [])
        latest = float(args.get("latest") or "inf")
        inclusive = str(args.get("inclusive", "")).lower() in ("1", "true")
        picked = [
            m
            for m in reversed(messages)
            if float(m["ts"]) < latest or (inclusive and float(m["ts"]) == latest)
        ]
        return {"ok": True, "messages": picked[: int(args.get("limit") or 100)]}

    def m_conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        messages = self.history.get(args.get("channel", ""), [])
        ts = args.get("ts")
        thread = [m for m in messages if m["ts"] == ts or m.get("thread_ts") == ts]
        if not thread:
            return {"ok": False, "error": "thread_not_found"}
        thread.sort(key=lambda m: (m["ts"] != ts, float(m["ts"])))
        return {"ok": True, "messages": thread[: int(args.get("limit") or 100)]}

    def m_files_info(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = args.get("file", "")
        if file_id not in self.files:
            return {"ok": False, "error": "file_not_found"}
        name, data = self.files[file_id]
        return {"ok": True, "file": self.file_object(file_id, name, data)}

    def file_object(self, file_id: str, name: str, data: bytes) -> dict[str, Any]:
        url = f"{self.base}/files-pri/{TEAM_ID}-{file_id}/download/{name}"
        return {
            "id": file_id,
            "name": name,
            "title": name,
            "mimetype": "message/rfc822" if name.endswith(".eml") else "text/plain",
            "filetype": "email" if name.endswith(".eml") else "text",
            "size": len(data),
            "url_private": url.replace("/download/", "/"),
            "url_private_download": url,
        }

    # ------------------------------------------------------------ files, response_url

    async def file(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file"].split("-", 1)[-1]
        auth = request.headers.get("Authorization", "")
        ok = auth == f"Bearer {self.bot_token}"
        self.file_fetches.append({"file": file_id, "authorized": ok, "t": time.time()})
        if not ok or file_id not in self.files:
            return web.Response(body=SIGN_IN_PAGE, content_type="text/html")
        data = self.files[file_id][1]
        return web.Response(body=data, content_type="application/octet-stream")

    async def response_url(self, request: web.Request) -> web.Response:
        rid = request.match_info["rid"]
        raw = await request.read()
        uses = self.response_uses.get(rid, 0)
        entry: dict[str, Any] = {"rid": rid, "t": time.time(), "use": uses + 1}
        try:
            entry["body"] = json.loads(raw)
        except ValueError:
            entry["body"] = None
            entry["error"] = "invalid_payload"
        if uses >= RESPONSE_URL_USES:
            entry["error"] = "used_url"
        elif entry["body"] is not None:
            problems = validate_message(entry["body"], strict=False)
            if problems:
                entry["error"] = "invalid_blocks"
                entry["problems"] = problems[:5]
        self.response_uses[rid] = uses + 1
        self.responses.append(entry)
        if "error" in entry:
            return web.Response(status=404 if entry["error"] == "used_url" else 400, text="error")
        return web.Response(text="ok")

    # ------------------------------------------------------------ Socket Mode

    async def websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=None)
        await ws.prepare(request)
        previous = [s for s in self.sockets if not s.closed]
        self.sockets.append(ws)
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": len(previous) + 1,
                "debug_info": {"host": "fake-slack", "approximate_connection_time": 3600},
                "connection_info": {"app_id": APP_ID},
            }
        )
        loop = asyncio.get_running_loop()
        for old in [s for s in self.retiring if not s.closed]:
            loop.call_later(1.0, lambda s=old: asyncio.ensure_future(s.close()))
        self.retiring.clear()
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                data = json.loads(message.data)
            except ValueError:
                continue
            future = self.pending.pop(str(data.get("envelope_id")), None)
            if future is not None and not future.done():
                future.set_result(data)
        return ws

    def current_socket(self) -> web.WebSocketResponse | None:
        live = [s for s in self.sockets if not s.closed and s not in self.retiring]
        return live[-1] if live else None

    async def socket_send(self, request: web.Request) -> web.Response:
        envelope = await request.json()
        ws = self.current_socket()
        if ws is None:
            return web.json_response({"acked": False, "error": "no_socket"})
        future = asyncio.get_running_loop().create_future()
        self.pending[envelope["envelope_id"]] = future
        started = time.monotonic()
        await ws.send_json(envelope)
        try:
            ack = await asyncio.wait_for(future, 3.0)
        except TimeoutError:
            return web.json_response({"acked": False, "elapsed": time.monotonic() - started})
        return web.json_response({"acked": True, "ack": ack, "elapsed": time.monotonic() - started})

    async def socket_refresh(self, request: web.Request) -> web.Response:
        ws = self.current_socket()
        if ws is None:
            return web.json_response({"ok": False})
        self.retiring.append(ws)
        await ws.send_json(
            {"type": "disconnect", "reason": "refresh_requested", "debug_info": {"host": "fake"}}
        )
        return web.json_response({"ok": True})

    # ------------------------------------------------------------ control (tests)

    async def control(self, request: web.Request) -> web.Response:
        what = request.match_info["what"]
        if what == "calls":
            return web.json_response(self.calls)
        if what == "responses":
            return web.json_response(self.responses)
        if what == "file_fetches":
            return web.json_response(self.file_fetches)
        if what == "socket":
            live = [s for s in self.sockets if not s.closed]
            return web.json_response({"connects": self.socket_connects, "live": len(live)})
        if what == "message" and request.method == "POST":
            data = await request.json()
            message = {"type": "message", "ts": self.next_ts(), **data["message"]}
            self.history.setdefault(data["channel"], []).append(message)
            return web.json_response(message)
        if what == "file" and request.method == "POST":
            name = request.query["name"]
            file_id = request.query.get("id") or f"F{len(self.files) + 1:08d}"
            data = await request.read()
            self.files[file_id] = (name, data)
            return web.json_response(self.file_object(file_id, name, data))
        if what == "socket_send":
            return await self.socket_send(request)
        if what == "socket_refresh":
            return await self.socket_refresh(request)
        return web.json_response({"error": "unknown"}, status=404)


def build(fake: Fake) -> web.Application:
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_route("*", "/api/{method}", fake.api)
    app.router.add_post("/response/{rid}", fake.response_url)
    app.router.add_get("/files-pri/{file}/download/{name}", fake.file)
    app.router.add_get("/files-pri/{file}/{name}", fake.file)
    app.router.add_get("/link/", fake.websocket)
    app.router.add_route("*", "/_fake/{what}", fake.control)
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--bot-token", default="xoxb-test")
    parser.add_argument("--app-token", default="xapp-test")
    args = parser.parse_args()
    fake = Fake(args.bot_token, args.app_token)
    fake.base = f"http://127.0.0.1:{args.port}"
    web.run_app(build(fake), host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
