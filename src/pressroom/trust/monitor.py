"""A log monitor's check: does the log now still contain the log it saw before?

Pure (the caller fetches /log/checkpoint and /log/consistency): a monitor keeps the last
signed checkpoint it trusted; for a newer one it checks both signatures and the RFC 9162
consistency proof between them. A past entry rewritten in the database changes every root
from its position on, so no proof can connect the old checkpoint to the new tree.
"""

from __future__ import annotations

from .offline import check_signed, key_set, verify_consistency


def _problem(cp: dict, keys: dict) -> str | None:
    body = {k: cp.get(k) for k in ("origin", "size", "root", "kid", "signed_at")}
    return check_signed(body, cp.get("signature", ""), keys)


def check(old: dict, new: dict, proof: list[str], jwks: dict) -> list[str]:
    """What is wrong (empty: the new checkpoint extends the old one)."""
    keys = key_set(jwks)
    problems = [f"{name} checkpoint: {p}" for name, cp in (("old", old), ("new", new))
                if (p := _problem(cp, keys))]
    if old.get("origin") != new.get("origin"):
        problems.append("the checkpoints are of different logs")
    if new.get("size", 0) < old.get("size", 0):
        problems.append("the log shrank")
    elif not verify_consistency(old["size"], new["size"], bytes.fromhex(old["root"]),
                                bytes.fromhex(new["root"]), [bytes.fromhex(h) for h in proof]):
        problems.append(f"the log of {new['size']} entries does not contain the log of "
                        f"{old['size']} entries this monitor saw: a past entry was changed")
    return problems
