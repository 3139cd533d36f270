"""The account itself: profile edits and deletion."""

from typing import Any

from django.db import IntegrityError, transaction

from accounts import mail
from accounts.errors import UsernameTaken
from accounts.models import User
from accounts.passwords import check_current_password, lock_if_unchanged


def update_profile(user: User, **fields: Any) -> User:
    if "username" in fields:
        username = fields["username"] or None
        if username and User.objects.filter(username__iexact=username).exclude(pk=user.pk).exists():
            raise UsernameTaken()
        fields["username"] = username
    for name, value in fields.items():
        setattr(user, name, value)
    try:
        with transaction.atomic():
            user.save(update_fields=list(fields))
    except IntegrityError:
        raise UsernameTaken() from None
    return user


def delete_account(user: User, password: str, client_ip: str | None = None) -> None:
    check_current_password(user, password, client_ip)
    with transaction.atomic():
        # The goodbye goes to the address and in the language the account has now, under its lock
        # (not as this request loaded them: a change may have landed during the password check).
        locked = lock_if_unchanged(user)
        locked.delete()  # tokens, keys and codes go with it (on_delete=CASCADE)
        mail.send_account_deleted_email(locked.email, locked.language)
