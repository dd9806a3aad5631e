"""pressroom keys list | rotate | revoke KID|--kid=KID --at TIME"""

from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError

from pressroom.trust import keys


class Command(BaseCommand):
    help = "List, rotate or revoke the release signing keys (public halves are shown, never private ones)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="every key with its validity period")
        sub.add_parser("rotate", help="retire the current key and start a new one")
        revoke = sub.add_parser("revoke", help="nothing the key signed from TIME on verifies")
        # A key ID is a base64url thumbprint, so one in 64 begins with "-", which argparse would
        # take for an option: such a key is named as --kid=-ABC (or after "--").
        revoke.add_argument("kid", nargs="?", help="the key's ID, as `keys list` shows it")
        revoke.add_argument("--kid", dest="kid_option", metavar="KID",
                            help="the key's ID; use --kid=-ABC for an ID that begins with '-'")
        revoke.add_argument("--at", required=True,
                            help="ISO 8601 time, e.g. 2026-12-01T09:00:00Z (or 'now')")

    def handle(self, *args, action, **options):
        try:
            if action == "rotate":
                self.stdout.write(f"new signing key {keys.rotate()}")
            elif action == "revoke":
                kid = options["kid"] or options["kid_option"]
                if not kid or (options["kid"] and options["kid_option"]):
                    raise CommandError("keys revoke: name one key, as KID or --kid=KID")
                at = self._time(options["at"])
                row = keys.revoke(kid, at)
                self.stdout.write(f"key {row.kid} revoked from {keys.iso(at)}")
            if action in ("list", "rotate", "revoke"):
                for k in keys.jwks()["keys"]:
                    state = f"revoked from {k['revoked_at']}" if k["revoked"] else (
                        f"retired {k['not_after']}" if k["not_after"] else "current")
                    self.stdout.write(f"{k['kid']}  from {k['not_before']}  {state}")
        except keys.KeyError_ as e:
            raise CommandError(str(e)) from None

    def _time(self, raw: str) -> datetime:
        if raw == "now":
            return keys.utc_now()
        try:
            t = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise CommandError(f"--at: not an ISO 8601 time: {raw!r}") from None
        return t if t.tzinfo else t.replace(tzinfo=UTC)
