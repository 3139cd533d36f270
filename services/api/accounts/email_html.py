"""The HTML part of an account email, made from the same rendered text as its plain part.

One source for both parts: the text template (accounts/templates/accounts/email/<kind>.txt, or an
operator's override) says everything; this module lays it out as simple, accessible HTML (real
text, inlined styles, no image, font or other remote resource, dark-mode friendly), so the two
parts can never disagree on a link or a code. A line that is only a link becomes a button with
the link written out under it; a line that is only a code is shown large; everything else is
escaped text in paragraphs, with links made clickable.
"""

import html
import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

# A link ends before the punctuation of the sentence it is in ("enter it at https://x/code:").
_URL = re.compile(r"https?://[^\s<>\"']*[^\s<>\"'.,:;!?)]")
# A code standing alone on its line: 6 digits, or the sign-in code's 4-4 letters and digits.
_CODE = re.compile(r"^(?:\d{6}|[A-Z0-9]{4}-[A-Z0-9]{4})$")


# Long links and addresses wrap instead of widening the message past a phone's screen.
_LINK_STYLE = "color:#1d4ed8;text-decoration:underline;overflow-wrap:anywhere;word-break:break-all"


def _inline(text: str) -> str:
    """Escaped text with its links clickable."""
    out, last = [], 0
    for match in _URL.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        url = html.escape(match.group(0))
        out.append(f'<a href="{url}" style="{_LINK_STYLE}">{url}</a>')
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _block(paragraph: str) -> dict[str, str]:
    line = paragraph.strip()
    if "\n" not in line and _URL.fullmatch(line):
        return {"kind": "button", "url": html.escape(line)}
    if "\n" not in line and _CODE.fullmatch(line):
        return {"kind": "code", "text": html.escape(line)}
    return {"kind": "text", "html": "<br>".join(_inline(part) for part in line.split("\n"))}


def render(subject: str, text: str, language: str) -> str:
    """The HTML part for an email of this subject and plain text, written in this language."""
    paragraphs = [part for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]
    blocks = [_block(paragraph) for paragraph in paragraphs]
    context = {"subject": subject, "blocks": blocks, "site_name": settings.SITE_NAME, "language": language}
    with translation.override(language):
        return render_to_string([f"{language}/base.html", "base.html"], context, using="emails")
