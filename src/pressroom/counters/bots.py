"""Who is not a person: crawlers, monitors, link previewers and prefetches. Pure functions."""

import re

# Substrings of User-Agent headers sent by software rather than readers.
BOT_PATTERN = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|scrape|archiver|facebookexternalhit|embedly|preview|"
    r"monitor|uptime|pingdom|headless|phantomjs|python-requests|python-urllib|aiohttp|httpx|"
    r"curl/|wget/|go-http-client|java/|okhttp|libwww|feedfetcher|feedparser|wrk/|ab/|"
    r"lighthouse|whatsapp|telegrambot|discordbot|slackbot|skypeuripreview",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    """No User-Agent at all, or one that names itself a program, is not a reader."""
    return not user_agent.strip() or bool(BOT_PATTERN.search(user_agent))


def is_prefetch(headers) -> bool:
    """Browsers announce speculative loads; those are not views."""
    purpose = (headers.get("Sec-Purpose") or headers.get("Purpose") or
               headers.get("X-Moz") or "").lower()
    return "prefetch" in purpose or "prerender" in purpose
