"""`python -m bot` is the same as the `smtpbot` command."""

from bot.cli import entry

entry()
