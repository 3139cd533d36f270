"""The dead-letter queue for operators: `python -m mailer.deadletters list|replay|purge`.

Dead letters are the emails the mailer gave up on (retries exhausted), that the SMTP server refused
for good (5xx), or that broke the contract. Dramatiq's RedisBroker keeps them in the emails queue's
dead-letter set for MAILER_DEAD_LETTER_TTL_S (see mailer/redis_keys.py). Listing never shows a
subject or a body (they carry one-time links and codes) and masks the recipient. Replaying puts a
message back on the queue as a fresh first attempt; mailer/sent_log.py makes sure an email that was
in fact delivered is not sent again.
"""

import argparse
import dataclasses
import json
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, cast

import redis
from dramatiq import Message
from dramatiq.errors import DecodeError

from mailer import redis_keys
from mailer.contract import KIND
from mailer.settings import settings

# What an earlier attempt left in the message: a replay starts over as a first attempt, now.
_RESET_OPTIONS = {"retries", "traceback", "requeue_timestamp", "eta", "redis_message_id"}

# Moves one dead letter back to the queue, atomically, as dispatch.lua's "enqueue" does (HSET the
# message, RPUSH its id). ZREM first: if another operator replayed or purged it meanwhile, nothing
# happens, so no message is replayed twice.
_REPLAY = """
if redis.call("zrem", KEYS[1], ARGV[1]) == 0 then
    return 0
end
redis.call("hdel", KEYS[2], ARGV[1])
redis.call("hset", KEYS[4], ARGV[2], ARGV[3])
redis.call("rpush", KEYS[3], ARGV[2])
return 1
"""


@dataclasses.dataclass(frozen=True)
class DeadLetter:
    redis_id: str  # Dramatiq's key for this copy of the message in Redis
    message: Message[Any]
    died_at: datetime

    @property
    def payload(self) -> dict[str, Any]:
        args = self.message.args
        return args[0] if args and isinstance(args[0], dict) else {}

    def summary(self) -> dict[str, Any]:
        """What an operator may see: no subject, no body, the recipient masked."""
        kind = self.payload.get("kind")
        return {
            "id": _printable(self.message.message_id),  # the email's id (the contract's message_id)
            "kind": kind if isinstance(kind, str) and KIND.fullmatch(kind) else "?",
            "to": mask_address(self.payload.get("to")),
            "died_at": self.died_at.isoformat().replace("+00:00", "Z"),
            # Dramatiq stores the message as it was last enqueued: its retry count is attempts - 1.
            "attempts": self.message.options.get("retries", 0) + 1,
        }


def _printable(text: object) -> str:
    # A hostile payload must not write escape sequences to the operator's terminal.
    return "".join(char if char.isprintable() else "?" for char in str(text))[:254]


def mask_address(address: object) -> str:
    """`ada@example.com` -> `a***@example.com`: enough to tell emails apart, not to read them."""
    if not isinstance(address, str) or "@" not in address:
        return "?"
    local, _, domain = address.rpartition("@")
    return _printable(f"{local[:1]}***@{domain}")


def _decoded(data: bytes | None) -> Message[Any] | None:
    """The message, or None if its hash entry is missing (data None) or unreadable."""
    if data is None:
        return None
    try:
        return Message.decode(data)
    except DecodeError:
        return None


def dead_letters(client: redis.Redis) -> list[DeadLetter]:
    """Every dead letter, oldest first; undecodable entries are reported on stderr and skipped."""
    # A client without decode_responses: ids and messages are bytes.
    scores = cast(list[tuple[bytes, float]], client.zrange(redis_keys.DEAD, 0, -1, withscores=True))
    if not scores:
        return []
    datas = cast(list[bytes | None], client.hmget(redis_keys.DEAD_MESSAGES, [redis_id for redis_id, _ in scores]))
    letters = []
    for (redis_id, score), data in zip(scores, datas, strict=True):
        message = _decoded(data)
        if message is None:
            print(f"skipping an unreadable dead letter ({redis_id.decode()})", file=sys.stderr)
            continue
        died_at = datetime.fromtimestamp(score / 1000, UTC).replace(microsecond=0)
        letters.append(DeadLetter(redis_id.decode(), message, died_at))
    return letters


def replay(client: redis.Redis, letters: list[DeadLetter]) -> int:
    """Put these dead letters back on the queue as first attempts; return how many went."""
    script = client.register_script(_REPLAY)
    keys = [redis_keys.DEAD, redis_keys.DEAD_MESSAGES, redis_keys.READY, redis_keys.MESSAGES]
    replayed = 0
    for letter in letters:
        new_id = str(uuid.uuid4())
        options = {key: value for key, value in letter.message.options.items() if key not in _RESET_OPTIONS}
        options["redis_message_id"] = new_id
        fresh = dataclasses.replace(letter.message, queue_name=redis_keys.QUEUE, options=options)
        replayed += cast(int, script(keys=keys, args=[letter.redis_id, new_id, fresh.encode()]))
    return replayed


def purge(client: redis.Redis) -> int:
    """Delete every dead letter; return how many there were."""
    with client.pipeline(transaction=True) as pipe:
        pipe.zcard(redis_keys.DEAD)
        pipe.delete(redis_keys.DEAD, redis_keys.DEAD_MESSAGES)
        count, _ = pipe.execute()
    return cast(int, count)


def _list(client: redis.Redis, args: argparse.Namespace) -> int:
    summaries = [letter.summary() for letter in dead_letters(client)]
    if args.json:
        print(json.dumps(summaries, indent=2))
        return 0
    for summary in summaries:
        print("{id}  {kind}  {to}  died {died_at}  attempts={attempts}".format(**summary))
    if not summaries:
        print("no dead letters", file=sys.stderr)
    return 0


def _replay(client: redis.Redis, args: argparse.Namespace) -> int:
    letters = dead_letters(client)
    missing: set[str] = set()
    if not args.all:
        wanted = set(args.ids)
        letters = [letter for letter in letters if letter.message.message_id in wanted]
        missing = wanted - {letter.message.message_id for letter in letters}
    print(f"replayed {replay(client, letters)}")
    for email_id in sorted(missing):
        print(f"not found: {_printable(email_id)}", file=sys.stderr)
    return 1 if missing else 0


def _purge(client: redis.Redis, args: argparse.Namespace) -> int:
    print(f"purged {purge(client)}")
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m mailer.deadletters", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    listing = commands.add_parser(
        "list", help="one line per dead letter (id, kind, masked recipient, when it died, attempts)"
    )
    listing.add_argument("--json", action="store_true", help="a JSON array instead")
    listing.set_defaults(run=_list)

    replaying = commands.add_parser("replay", help="put dead letters back on the emails queue as first attempts")
    which = replaying.add_mutually_exclusive_group(required=True)
    which.add_argument("ids", nargs="*", default=[], metavar="id", help="email ids, as `list` shows them")
    which.add_argument("--all", action="store_true", help="every dead letter")
    replaying.set_defaults(run=_replay)

    purging = commands.add_parser("purge", help="delete every dead letter")
    purging.set_defaults(run=_purge)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, client: redis.Redis | None = None) -> int:
    args = parse_args(argv)
    # Fallback timeouts, so a Redis that does not answer ends the command; REDIS_URL's own win.
    client = client or redis.Redis.from_url(settings.redis_url, socket_timeout=10, socket_connect_timeout=5)
    run: Callable[[redis.Redis, argparse.Namespace], int] = args.run  # set by parse_args for each command
    try:
        return run(client, args)
    except redis.RedisError as exc:
        print(f"Redis error at REDIS_URL: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
