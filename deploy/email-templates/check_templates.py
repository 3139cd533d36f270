"""Checks a directory of email templates (an EMAIL_TEMPLATES_DIR) with Django's template engine.

Every file must be named as the API looks templates up (accounts/mail.py: `<name>` or
`<language>/<name>`, where `<name>` is one of the built-in templates), parse, and render in its
languages with the built-in templates behind it, as the API's engine has them. Text (subjects,
bodies) must not come out HTML-escaped; base.html must keep every block of the email (the links
and codes) and load nothing remote. README.md and kustomization.yaml are not templates.

Run with the API's virtualenv and settings, from services/api (deploy/compose/check.sh does):
    PYTHONPATH=. DJANGO_SETTINGS_MODULE=config.test_settings .venv/bin/python \\
        ../../deploy/email-templates/check_templates.py DIR...
"""

import sys
from pathlib import Path

import django
from django.conf import settings
from django.template import Context, Engine
from django.utils import translation

BUILT_IN = Path(__file__).resolve().parents[2] / "services" / "api" / "accounts" / "templates" / "accounts" / "email"
NOT_TEMPLATES = {"README.md", "kustomization.yaml"}
# Escaped, as accounts/email_html.py hands them to base.html; "&" shows text that gets escaped twice.
BLOCKS = [
    {"kind": "text", "html": "Someone asked to reset the password of Example &amp; Co."},
    {"kind": "button", "url": "https://auth.example.com/reset?uid=MQ&amp;token=abc-123"},
    {"kind": "code", "text": "123456"},
]
# What the kinds' templates are given (accounts/mail.py), one sample of each; numbers where ours
# count with them (blocktranslate count).
TEXT_CONTEXT = {
    "site_name": "Example & Co",
    "frontend_url": "https://auth.example.com",
    "to": "ada@example.com",
    "link": "https://auth.example.com/reset?uid=MQ&token=abc-123",
    "code_link": "https://auth.example.com/reset/code",
    "code": "123456",
    "valid_minutes": 60,
    "valid_hours": 72,
    "remaining": 3,
}
REMOTE = ("src=", "<link", "url(", "@import")


def template_files(directory):
    """The files the API could read as templates, by their name under the directory."""
    for path in sorted(directory.rglob("*")):
        name = path.relative_to(directory).as_posix()
        if path.is_file() and not path.name.startswith(".") and name not in NOT_TEMPLATES:
            yield name


def render_problems(engine, name, language):
    template = engine.get_template(name)
    with translation.override(language):
        if name.endswith("base.html"):
            context = {"subject": "Reset your password", "site_name": "Example & Co", "language": language}
            out = template.render(Context({**context, "blocks": BLOCKS}))
            for block in BLOCKS:
                shown = block.get("html") or block.get("url") or block["text"]
                if shown not in out:
                    yield f"drops the {block['kind']} block {shown!r}: an email would lose its link or code"
            for remote in REMOTE:
                if remote in out:
                    yield f"has {remote!r}: nothing remote (a logo as inline SVG, no web fonts)"
            return
        out = template.render(Context(TEXT_CONTEXT))
    if "&amp;" in out:
        yield "escapes text (&amp;): wrap it in {% autoescape off %}...{% endautoescape %} as ours do"
    if name.endswith("_subject.txt") and not " ".join(out.split()):
        yield "renders an empty subject"


def check(directory, languages):
    names = {path.name for path in BUILT_IN.iterdir() if path.suffix in (".txt", ".html")}
    # As settings.TEMPLATES' "emails" engine: the operator's directory first, then ours; the
    # Django backend gives it the i18n tags, a bare Engine has to be told.
    engine = Engine(dirs=[str(directory), str(BUILT_IN)], libraries={"i18n": "django.templatetags.i18n"}, debug=True)
    for name in template_files(directory):
        language, _, base = name.rpartition("/")
        if base not in names or (language and language not in languages):
            known = ", ".join(sorted(languages))
            yield f"{name}: the API never reads it: <name> or <language>/<name> (languages {known})"
            continue
        # A file for every language renders in each of them; de/NAME in German only.
        try:
            problems = []
            for each in [language] if language else sorted(languages):
                problems += render_problems(engine, name, each)
        except Exception as error:  # noqa: BLE001  # any template error is the finding
            problems = [f"{type(error).__name__}: {error}"]
        yield from (f"{name}: {problem}" for problem in dict.fromkeys(problems))


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    django.setup()
    languages = {code for code, _ in settings.LANGUAGES}
    found = 0
    for argument in argv[1:]:
        directory = Path(argument).resolve()
        if not directory.is_dir():
            print(f"check_templates: {argument}: not a directory", file=sys.stderr)
            found += 1
            continue
        count = len(list(template_files(directory)))
        problems = list(check(directory, languages))
        for problem in problems:
            print(f"check_templates: {argument}: {problem}", file=sys.stderr)
        found += len(problems)
        if not problems:
            print(f"check_templates: {argument}: {count} templates parse and render ({', '.join(sorted(languages))})")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
