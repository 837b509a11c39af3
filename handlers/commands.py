"""`/smtp …`: an ephemeral answer with a Share button.

The answer goes in the acknowledgement itself when it is ready within ACK_BUDGET (it almost
always is: the engine answers a code in well under a millisecond); otherwise the command is
acked empty and the answer posted to `response_url`, so Slack's 3-second limit always holds.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.slack import markup
from bot.slack.app import runtime_of

ACK_BUDGET = 1.5
COMMAND = re.compile(r"^/smtp")  # also /smtp-dev etc., when a workspace runs two copies


def register(app: AsyncApp) -> None:
    rt = runtime_of(app)

    @app.command(COMMAND)
    async def smtp(ack: Any, command: dict[str, Any], respond: Any) -> None:
        text = markup.decode(command.get("text"))
        task = asyncio.ensure_future(rt.reply_for(text, share=True))
        done, _ = await asyncio.wait({task}, timeout=ACK_BUDGET)
        if done:
            message = task.result()
            await ack(response_type="ephemeral", text=message.text, blocks=message.blocks)
            return
        await ack()
        message = await task
        await respond(
            response_type="ephemeral",
            text=message.text,
            blocks=message.blocks,
            replace_original=False,
        )
