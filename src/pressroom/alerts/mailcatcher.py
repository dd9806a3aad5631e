"""A real SMTP server on localhost that keeps what it is sent (aiosmtpd): for tests, the
benchmark and ``make serve`` (``pressroom mailcatcher``), never for production.

Bound to port 0 (the system picks a free port) on its own asyncio loop in a thread.
"""

from __future__ import annotations

import asyncio
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.smtp import SMTP


class Catcher:
    """aiosmtpd handler: keeps each message (in memory, and as .eml in ``folder``)."""

    def __init__(self, folder: Path | None = None, keep: bool = True):
        self.folder = folder
        self.keep = keep
        self.messages: list[dict] = []
        self.count = 0
        self.lock = threading.Lock()
        self.refuse: set[str] = set()  # addresses answered 550 (tests)
        self.before_accept = None  # async callable(envelope), tests use it to hold a message

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.before_accept is not None:
            verdict = await self.before_accept(envelope)
            if verdict:
                return verdict
        with self.lock:
            self.count += 1
            n = self.count
            if self.keep:
                self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                                      "data": envelope.content})
        if self.folder is not None:
            path = self.folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{n:06d}.eml"
            path.write_bytes(envelope.content)
        return "250 Message accepted for delivery"

    def parsed(self):
        return [message_from_bytes(m["data"], policy=policy.default) for m in list(self.messages)]


class MailServer:
    def __init__(self, handler: Catcher, host: str = "127.0.0.1", port: int = 0):
        self.handler, self.host, self.port = handler, host, port
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True, name="mailcatcher")
        self._server = None

    def start(self) -> MailServer:
        self._thread.start()

        async def serve():
            return await self.loop.create_server(
                lambda: SMTP(self.handler, hostname="pressroom-mailcatcher", data_size_limit=20_000_000),
                self.host, self.port)

        self._server = asyncio.run_coroutine_threadsafe(serve(), self.loop).result(timeout=30)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        async def close():
            self._server.close()
            await self._server.wait_closed()

        try:
            asyncio.run_coroutine_threadsafe(close(), self.loop).result(timeout=10)
        except Exception:  # noqa: BLE001 - stopping anyway
            pass
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)


def caught(folder: Path, limit: int = 100) -> list[dict]:
    """The newest messages the mail catcher saved, for the demo page."""
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.eml"), reverse=True)[:limit]:
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        text = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
        out.append({"name": path.name, "subject": str(msg["Subject"] or ""), "to": str(msg["To"] or ""),
                    "from": str(msg["From"] or ""), "date": str(msg["Date"] or ""),
                    "list_unsubscribe": str(msg["List-Unsubscribe"] or ""),
                    "text": text.get_content() if text else "", "has_html": html is not None})
    return out
