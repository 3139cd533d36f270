"""TOTP seeds are encrypted at rest (accounts/secret_box.py): MultiFernet, newest key first."""

import pytest
from cryptography.fernet import Fernet

from accounts import secret_box
from accounts.models import TOTPDevice
from tests.conftest import auth, login_token

pytestmark = pytest.mark.django_db

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_a_secret_round_trips_and_is_not_stored_in_clear(settings):
    settings.MFA_ENCRYPTION_KEYS = [NEW]
    ciphertext = secret_box.encrypt("JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in ciphertext
    assert secret_box.decrypt(ciphertext) == "JBSWY3DPEHPK3PXP"
    assert secret_box.encrypt("JBSWY3DPEHPK3PXP") != ciphertext  # a fresh IV each time


def test_rotation_the_first_key_encrypts_and_every_key_decrypts(settings):
    settings.MFA_ENCRYPTION_KEYS = [OLD]
    under_old = secret_box.encrypt("seed")
    settings.MFA_ENCRYPTION_KEYS = [NEW, OLD]
    assert secret_box.decrypt(under_old) == "seed"
    under_new = secret_box.encrypt("seed")
    settings.MFA_ENCRYPTION_KEYS = [NEW]
    assert secret_box.decrypt(under_new) == "seed"  # written with the newest key
    with pytest.raises(secret_box.SecretUnreadable):
        secret_box.decrypt(under_old)  # the old key dropped before re-encrypting: unreadable
    settings.MFA_ENCRYPTION_KEYS = [NEW, OLD]
    rotated = secret_box.reencrypt(under_old)
    settings.MFA_ENCRYPTION_KEYS = [NEW]
    assert secret_box.decrypt(rotated) == "seed"


def test_the_wrong_rotation_order_writes_with_the_old_key(settings):
    # Old key first: new secrets are written with it, and dropping it loses them.
    settings.MFA_ENCRYPTION_KEYS = [OLD, NEW]
    written = secret_box.encrypt("seed")
    settings.MFA_ENCRYPTION_KEYS = [NEW]
    with pytest.raises(secret_box.SecretUnreadable):
        secret_box.decrypt(written)


def test_a_tampered_ciphertext_is_unreadable(settings):
    settings.MFA_ENCRYPTION_KEYS = [NEW]
    ciphertext = secret_box.encrypt("seed")
    for bad in (ciphertext[:-4] + "AAAA", "not a token", "é"):
        with pytest.raises(secret_box.SecretUnreadable):
            secret_box.decrypt(bad)


def test_a_database_row_without_the_key_yields_no_secret(client, make_user, settings):
    settings.MFA_ENCRYPTION_KEYS = [NEW]
    make_user()
    token = login_token(client)
    secret = client.post("/api/auth/mfa/totp/setup/", **auth(token)).json()["secret"]
    row = TOTPDevice.objects.values("encrypted_secret").get()
    assert secret not in str(row)
    settings.MFA_ENCRYPTION_KEYS = [OLD]  # the dump, read anywhere the production key is not
    with pytest.raises(secret_box.SecretUnreadable):
        secret_box.decrypt(row["encrypted_secret"])
    settings.MFA_ENCRYPTION_KEYS = [NEW]
    assert secret_box.decrypt(row["encrypted_secret"]) == secret


def test_rotate_mfa_keys_moves_every_seed_to_the_newest_key(client, make_user, settings):
    from io import StringIO

    from django.core.management import CommandError, call_command

    settings.MFA_ENCRYPTION_KEYS = [OLD]
    make_user()
    secret = client.post("/api/auth/mfa/totp/setup/", **auth(login_token(client))).json()["secret"]
    settings.MFA_ENCRYPTION_KEYS = [NEW, OLD]
    out = StringIO()
    call_command("rotate_mfa_keys", stdout=out)
    assert "re-encrypted 1 TOTP seeds" in out.getvalue()
    settings.MFA_ENCRYPTION_KEYS = [NEW]  # the old key dropped: the seed still opens
    assert secret_box.decrypt(TOTPDevice.objects.get().encrypted_secret) == secret
    settings.MFA_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # a key that opens nothing
    with pytest.raises(CommandError, match="no configured key opens"):
        call_command("rotate_mfa_keys", stdout=StringIO())
    settings.MFA_ENCRYPTION_KEYS = [NEW]
    assert secret_box.decrypt(TOTPDevice.objects.get().encrypted_secret) == secret  # left as it was
