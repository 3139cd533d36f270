"""The authentication query on the stack's real PostgreSQL: one statement, prepared once per
connection, and a revoked or expired token refused on the very next request all the same."""

import json
import subprocess

from deploy.native.stack import PG_BIN
from tests.integration.conftest import PASSWORD, register_confirmed

# Runs inside the API's Django (manage.py shell) against the stack's database: three requests
# on one connection, the SQL of the last one, and the server's prepared statements of that session.
PROBE = """
import json, os
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
headers = {"HTTP_HOST": "127.0.0.1", "HTTP_AUTHORIZATION": "Token " + os.environ["PROBE_TOKEN"]}
statuses = [client.get("/api/auth/me/", **headers).status_code for _ in range(2)]
with CaptureQueriesContext(connection) as queries:
    last = client.get("/api/auth/me/", **headers)
with connection.cursor() as cursor:
    cursor.execute("SELECT statement FROM pg_prepared_statements")
    prepared = [row[0] for row in cursor.fetchall()]
print(json.dumps({"statuses": statuses + [last.status_code], "email": last.json().get("email"),
                  "queries": [q["sql"] for q in queries.captured_queries], "prepared": prepared,
                  "engine": connection.settings_dict["ENGINE"]}))
"""


def probe(stack, token, **env):
    result = stack.manage("shell", "-c", PROBE, env={"PROBE_TOKEN": token, **env}, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def login(gateway, address):
    response = gateway.post("/api/auth/login/", json={"email": address, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["token"]


def test_one_prepared_statement_per_authenticated_request(stack, gateway, mailbox, new_address):
    register_confirmed(gateway, mailbox, new_address)
    seen = probe(stack, login(gateway, new_address))
    assert seen["engine"] == "core.postgresql"
    assert seen["statuses"] == [200, 200, 200] and seen["email"] == new_address
    (query,) = seen["queries"]
    assert query.startswith('SELECT "accounts_authtoken"."digest"') and '"accounts_authtoken"."token_key" = ' in query
    lookups = [s for s in seen["prepared"] if '"accounts_authtoken"."token_key" = $1' in s]
    assert len(lookups) == 1, seen["prepared"]
    assert "STRING_AGG" in lookups[0]  # the role names come with it
    # Nothing else is prepared: every other query keeps Django's client-side binding.
    assert len(seen["prepared"]) == 1


def test_without_prepared_statements_it_is_the_same_one_query(stack, gateway, mailbox, new_address):
    register_confirmed(gateway, mailbox, new_address)
    seen = probe(stack, login(gateway, new_address), DATABASE_PREPARED_STATEMENTS="false")
    assert seen["statuses"] == [200, 200, 200] and len(seen["queries"]) == 1
    assert seen["prepared"] == []


def test_a_revoked_token_is_refused_on_the_next_request_on_a_warm_connection(stack, gateway, mailbox, new_address):
    register_confirmed(gateway, mailbox, new_address)
    keep, revoked = login(gateway, new_address), login(gateway, new_address)
    keep_auth, revoked_auth = ({"Authorization": f"Token {token}"} for token in (keep, revoked))
    for _ in range(6):  # every gunicorn worker has run (and prepared) the lookup by now
        assert gateway.get("/api/auth/me/", headers=revoked_auth).status_code == 200
    sessions = gateway.get("/api/auth/sessions/", headers=keep_auth).json()
    (other,) = [s for s in sessions if not s["current"]]
    assert gateway.delete(f"/api/auth/sessions/{other['id']}/", headers=keep_auth).status_code == 204
    answers = [gateway.get("/api/auth/me/", headers=revoked_auth) for _ in range(4)]
    assert [a.status_code for a in answers] == [401] * 4
    assert all(a.json()["code"] == "authentication_failed" for a in answers)
    assert gateway.get("/api/auth/me/", headers=keep_auth).status_code == 200


def test_an_expired_token_is_refused_on_the_next_request_on_a_warm_connection(stack, gateway, mailbox, new_address):
    register_confirmed(gateway, mailbox, new_address)
    token = login(gateway, new_address)
    auth = {"Authorization": f"Token {token}"}
    for _ in range(6):  # every gunicorn worker has run (and prepared) the lookup by now
        assert gateway.get("/api/auth/me/", headers=auth).status_code == 200
    # Its expiry passes (written straight into the database, as time would).
    result = subprocess.run(
        [
            str(PG_BIN / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(stack.postgres_port),
            "-U",
            "postgres",
            "-d",
            "auth",
            "-At",
            "-v",
            f"key={token[:15]}",
        ],  # psql quotes it: :'key'
        input="UPDATE accounts_authtoken SET expiry = now() - interval '1 second' WHERE token_key = :'key' RETURNING 1",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout.split() == ["1", "UPDATE", "1"], result
    answers = [gateway.get("/api/auth/me/", headers=auth) for _ in range(4)]
    assert [a.status_code for a in answers] == [401] * 4
