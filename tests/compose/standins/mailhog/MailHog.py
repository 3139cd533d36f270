#!/usr/bin/python3
"""A MailHog stand-in: SMTP on :1025, and on :8025 a web UI and the parts of MailHog's JSON API
that clients use (the shapes are MailHog's, see its api/v1 and api/v2 packages):

  GET    /api/v2/messages?start=0&limit=50      {"total", "count", "start", "items": [message]}
  GET    /api/v2/search?kind=from|to|containing&query=...
  GET    /api/v1/messages                       [message]
  GET    /api/v1/messages/<id>                  message
  GET    /api/v1/messages/<id>/download         the raw message
  DELETE /api/v1/messages, /api/v1/messages/<id>

A message: {"ID", "From": path, "To": [path], "Content": {"Headers", "Body", "Size"},
"Created", "MIME", "Raw": {"From", "To", "Data", "Helo"}}, newest first. Mail is kept in memory.
"""

import datetime
import email
import email.policy
import html
import json
import signal
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from aiosmtpd.controller import Controller

MESSAGES: list[dict[str, Any]] = []  # newest first
LOCK = threading.Lock()


def path_of(address):
    mailbox, _, domain = address.partition("@")
    return {"Relays": None, "Mailbox": mailbox, "Domain": domain, "Params": ""}


def to_message(envelope, helo):
    raw = envelope.content.decode("utf-8", errors="replace")
    head, _, body = raw.replace("\r\n", "\n").partition("\n\n")
    headers: dict[str, list[str]] = {}
    for name, value in email.message_from_string(raw, policy=email.policy.compat32).items():
        headers.setdefault(name, []).append(value)
    now = datetime.datetime.now(datetime.UTC)
    return {
        "ID": f"{uuid.uuid4()}@mailhog.example",
        "From": path_of(envelope.mail_from),
        "To": [path_of(rcpt) for rcpt in envelope.rcpt_tos],
        "Content": {"Headers": headers, "Body": body, "Size": len(raw), "MIME": None},
        "Created": now.strftime("%Y-%m-%dT%H:%M:%S.%f000Z"),
        "MIME": None,
        "Raw": {"From": envelope.mail_from, "To": list(envelope.rcpt_tos), "Data": raw, "Helo": helo},
    }


class Catcher:
    async def handle_DATA(self, server, session, envelope):
        with LOCK:
            MESSAGES.insert(0, to_message(envelope, session.host_name or ""))
        return "250 Ok: queued"


def matches(message, kind, query):
    query = query.lower()
    if kind == "from":
        return query in message["Raw"]["From"].lower()
    if kind == "to":
        return any(query in rcpt.lower() for rcpt in message["Raw"]["To"])
    return query in message["Raw"]["Data"].lower()


class Api(BaseHTTPRequestHandler):
    server_version = "MailHog"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def find(self, message_id):
        with LOCK:
            return next((m for m in MESSAGES if m["ID"] == message_id), None)

    def do_GET(self):
        url = urlparse(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        parts = [p for p in url.path.split("/") if p]
        with LOCK:
            messages = list(MESSAGES)
        if parts in (["api", "v2", "messages"], ["api", "v2", "search"]):
            if parts[-1] == "search":
                messages = [m for m in messages if matches(m, query.get("kind", ""), query.get("query", ""))]
            start, limit = int(query.get("start", 0)), int(query.get("limit", 50))
            page = messages[start : start + limit]
            self.reply(200, {"total": len(messages), "count": len(page), "start": start, "items": page})
        elif parts == ["api", "v1", "messages"]:
            self.reply(200, messages)
        elif len(parts) in (4, 5) and parts[:3] == ["api", "v1", "messages"]:
            message = self.find(parts[3])
            if message is None:
                self.reply(404, {"error": "message not found"})
            elif len(parts) == 5 and parts[4] == "download":
                self.reply(200, message["Raw"]["Data"].encode(), "message/rfc822")
            else:
                self.reply(200, message)
        elif parts == []:
            rows = "".join(
                f"<tr><td>{html.escape(', '.join(m['Raw']['To']))}</td>"
                f"<td><a href='/api/v1/messages/{html.escape(m['ID'])}/download'>"
                f"{html.escape(m['Content']['Headers'].get('Subject', [''])[0])}</a></td>"
                f"<td>{html.escape(m['Created'])}</td></tr>"
                for m in messages
            )
            index = (
                "<!doctype html><meta charset=utf-8><meta http-equiv=refresh content=5><title>MailHog</title>"
                f"<h1>MailHog ({len(messages)})</h1><table><tr><th>To<th>Subject<th>Received</tr>{rows}</table>"
            )
            self.reply(200, index.encode(), "text/html; charset=utf-8")
        else:
            self.reply(404, {"error": "not found"})

    def do_DELETE(self):
        parts = [p for p in urlparse(self.path).path.split("/") if p]
        with LOCK:
            if parts == ["api", "v1", "messages"]:
                MESSAGES.clear()
            elif len(parts) == 4 and parts[:3] == ["api", "v1", "messages"]:
                MESSAGES[:] = [m for m in MESSAGES if m["ID"] != parts[3]]
            else:
                self.reply(404, {"error": "not found"})
                return
        self.reply(200, b"", "text/plain")


def main():
    # Every interface of its container: the mailer and the published UI port reach it there.
    smtp = Controller(Catcher(), hostname="0.0.0.0", port=1025, server_hostname="mailhog.example")  # noqa: S104
    smtp.start()
    http = ThreadingHTTPServer(("0.0.0.0", 8025), Api)  # noqa: S104
    http.daemon_threads = True

    def stop(*_):
        threading.Thread(target=http.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("[SMTP] Binding to address: 0.0.0.0:1025\n[HTTP] Binding to address: 0.0.0.0:8025", flush=True)
    http.serve_forever()
    smtp.stop()
    sys.exit(0)


if __name__ == "__main__":
    main()
