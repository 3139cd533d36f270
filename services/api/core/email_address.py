"""What a valid email address is: the rule written down in docs/contracts/mail-message-v1.md
("Addresses"), which the mailer applies to every message too.

Django's EmailValidator is not used: it accepts quoted local parts, IP literals and `localhost`,
which the mailer refuses, so an account could be created whose emails are dropped.
"""

import re
import unicodedata

import idna
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 254
MAX_LOCAL_LENGTH = 64
MAX_DOMAIN_LENGTH = 253
ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
LOCAL_PART = re.compile(rf"{ATOM}(?:\.{ATOM})*")
LDH_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")

# Sentences for the user, in the request's language (lazy: translated where they are shown).
TOO_LONG = format_lazy(_("An email address may have at most {count} characters."), count=MAX_LENGTH)
NO_AT = _("Enter an email address with an @, like name@example.com.")
LOCAL_TOO_LONG = format_lazy(_("The part before the @ may have at most {count} characters."), count=MAX_LOCAL_LENGTH)
BAD_LOCAL = _(
    "Before the @, use only ASCII letters, digits, single dots and !#$%&'*+-/=?^_`{|}~ (no quotes, spaces or comments)."
)
BAD_DOMAIN = _("After the @, give a domain name such as example.com (not an IP address).")
DOMAIN_TOO_LONG = format_lazy(_("The domain may have at most {count} characters."), count=MAX_DOMAIN_LENGTH)


def _ascii_label(label):
    """The label's ASCII (IDNA) form if it is a valid LDH label in that form, else None."""
    if not label.isascii():
        # Symbols, dots, spaces and invisible characters would be mapped or dropped by ToASCII,
        # so the address would not be the one the user typed.
        if any(unicodedata.category(char)[0] not in "LMN" and char != "-" for char in label):
            return None
        try:
            # IDNA 2008 with UTS 46 (non-transitional), as registries and browsers do: ß stays ß
            # (xn--strae-oqa), where Python's encodings.idna (IDNA 2003) would map it to "ss",
            # another domain: mail for straße.example went to strasse.example.
            label = idna.encode(label, uts46=True, transitional=False).decode("ascii")
        except (idna.IDNAError, UnicodeError):
            return None
    return label if LDH_LABEL.fullmatch(label) else None


def ascii_domain(address):
    """`address` with its domain in ASCII (A-label) form: the one form an address is stored,
    compared and mailed in, so `ada@bücher.example` and `ada@xn--bcher-kva.example` are one
    account. An address whose domain has no ASCII form is returned as it is (the rule refuses it)."""
    local, at, domain = address.rpartition("@")
    if not at or domain.isascii():
        return address
    labels = [_ascii_label(label) for label in domain.split(".")]
    return address if None in labels else f"{local}@{'.'.join(labels)}"


def normalize_email(email):
    """The one canonical form of an address: NFKC, trimmed, lower-cased, its domain in ASCII.

    Every lookup and every stored address uses it, so look-alike spellings (case, full-width
    characters, an IDN domain and its punycode form) map to the same account, and mail only ever
    goes to the stored address (ascii_domain: IDNA 2008).
    """
    return ascii_domain(unicodedata.normalize("NFKC", email or "").strip().lower())


def address_problem(address):
    """What is wrong with `address` (a sentence for the user), or None if it is valid."""
    if len(address) > MAX_LENGTH:
        return TOO_LONG
    local, at, domain = address.partition("@")
    if not at:
        return NO_AT
    if len(local) > MAX_LOCAL_LENGTH:
        return LOCAL_TOO_LONG
    if not LOCAL_PART.fullmatch(local):
        return BAD_LOCAL
    labels = [_ascii_label(label) for label in domain.split(".")]
    if len(labels) < 2 or None in labels or labels[-1].isdigit():
        return BAD_DOMAIN
    if len(".".join(labels)) > MAX_DOMAIN_LENGTH:
        return DOMAIN_TOO_LONG
    return None


def validate_email_address(address):
    """The rule as a Django validator: the model field's, so the Django admin and
    `createsuperuser` refuse what the API and the mailer refuse."""
    from django.core.exceptions import ValidationError

    if problem := address_problem(address):
        raise ValidationError(problem, code="invalid_email")
