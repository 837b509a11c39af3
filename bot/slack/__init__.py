"""Everything that knows about Slack: app factory, markup, de-duplication, file downloads.

The engine (`bot.answer`, `bot.bounce`, `bot.kb`) never imports from here.
"""
