"""Ways to run the bot: HTTP (Events API), Socket Mode, and the local console."""
