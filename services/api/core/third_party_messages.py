"""Messages of DRF that our answers can carry, listed so that our catalogue words them too.

Our catalogues (locale/, settings.LOCALE_PATHS) take precedence over DRF's. DRF's German
addresses the reader as "du" ("Stelle sicher, ..."); every message of ours says "Sie", and one
answer should not mix the two (attack finding). Nothing imports this module: makemessages reads it.
"""

from django.utils.translation import gettext_noop

MESSAGES = [
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("Ensure this field has at least {min_length} characters."),
    gettext_noop("Ensure this value is greater than or equal to {min_value}."),
    gettext_noop("Ensure this value is less than or equal to {max_value}."),
]
