#!/usr/bin/env python3
"""Check a release downloaded from Pressroom without the server.

    python3 verify_release.py release-1548606.json [--sig release-1548606.json.sig]
                              [--keys pressroom-keys.json]

Needs Python 3.11+ and the `cryptography` package, nothing else: this file imports nothing
from Pressroom, so it can be copied alone (the site serves it at /verify/verify_release.py;
in the repository it is tools/verify_release.py). It checks, for every language version
in the file:

1. the text in the file is the text of the signed record (field by field for .json, word
   by word for the PIB-layout .txt);
2. the record's SHA-256 is the one in the signed statement, and the statement's Ed25519
   signature verifies with a key from the key set that was valid, and not revoked, when
   it signed;
3. the statement is a leaf of the public transparency log: its RFC 9162 inclusion proof
   leads to the root of the signed checkpoint in the .sig file.

Pressroom imports the pure parts (canonical JSON, the record, Merkle hashing and proofs)
from here, so the server and this script cannot disagree about them.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import sys
import unicodedata
from datetime import datetime
from pathlib import Path

# --- RFC 8785 JSON canonicalisation --------------------------------------------------------
# The record holds strings, integers, booleans, null, lists and objects only (no floats), for
# which RFC 8785 comes down to: keys sorted by their UTF-16 code units, no whitespace, and
# strings escaped as ECMAScript's JSON.stringify does. tests check it against `rfc8785`.


def _jcs_string(s: str) -> str:
    # Python's escaping with ensure_ascii off is ECMAScript's: \" \\ \b \f \n \r \t, other
    # controls as lowercase \u00xx, everything else as itself (a lone surrogate then fails to
    # encode as UTF-8, as RFC 8785 requires).
    return json.dumps(s, ensure_ascii=False)


def _utf16_key(k: str):
    return k.encode("utf-16-be")


def _jcs(value, out: list):
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        if abs(value) > 2**53 - 1:
            raise ValueError("integer beyond IEEE 754 double precision")
        out.append(str(value))
    elif isinstance(value, str):
        out.append(_jcs_string(value))
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, v in enumerate(value):
            if i:
                out.append(",")
            _jcs(v, out)
        out.append("]")
    elif isinstance(value, dict):
        out.append("{")
        for i, k in enumerate(sorted(value, key=_utf16_key)):
            if not isinstance(k, str):
                raise TypeError("object keys must be strings")
            if i:
                out.append(",")
            out.append(_jcs_string(k))
            out.append(":")
            _jcs(value[k], out)
        out.append("}")
    else:
        raise TypeError(f"cannot canonicalise {type(value).__name__} (floats are not used)")


def _plain(value) -> bool:
    """True where the C encoder gives RFC 8785's text as it is: strings, integers a double
    holds exactly, booleans, null, lists, and objects with ASCII keys (code-point order,
    which sort_keys uses, is then UTF-16 order). A record is always such a value."""
    t = type(value)
    if t is str or t is bool or value is None:
        return True
    if t is int:
        return -(2**53) < value < 2**53
    if t is list or t is tuple:
        return all(_plain(v) for v in value)
    if t is dict:
        return all(type(k) is str and k.isascii() and _plain(v) for k, v in value.items())
    return False


def canonical_json(value) -> bytes:
    """RFC 8785 canonical form, UTF-8."""
    if _plain(value):  # the same bytes, from json's C encoder: 20 times faster on a record
        return json.dumps(value, ensure_ascii=False, sort_keys=True,
                          separators=(",", ":")).encode("utf-8")
    out: list = []
    _jcs(value, out)
    return "".join(out).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- The record -----------------------------------------------------------------------------

RECORD_TEXT_FIELDS = ("ministry", "bureau", "title", "body_text", "sign_off")
RECORD_FIELDS = ("release_id", "language", "revision", "pib_id", "ministry", "bureau", "posted_at",
                 "title", "subtitles", "body_text", "sign_off", "status", "previous", "attachments")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def record_form(*, release_id, language, revision, pib_id, ministry, bureau, posted_at, title,
                subtitles, body_text, sign_off, status, previous=None, attachments=()) -> dict:
    """The canonical form of one revision of one language version: what a statement signs
    (through its SHA-256). Text in Unicode NFC; `subtitles` a list of lines; `posted_at`
    ISO 8601 with the IST offset, as the .json download has it; `previous` the SHA-256 of the
    version's record before this one (null for the first); `attachments` their SHA-256s."""
    return {
        "release_id": int(release_id), "language": language, "revision": int(revision),
        "pib_id": int(pib_id) if pib_id is not None else None,
        "ministry": nfc(ministry), "bureau": nfc(bureau), "posted_at": posted_at,
        "title": nfc(title), "subtitles": [nfc(s) for s in subtitles if s],
        "body_text": nfc(body_text), "sign_off": nfc(sign_off), "status": status,
        "previous": previous, "attachments": list(attachments),
    }


def record_hash(record: dict) -> str:
    return sha256_hex(canonical_json(record))


# --- RFC 9162 Merkle tree hashing and proof verification ------------------------------------


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def entry_bytes(statement: dict, signature: str) -> bytes:
    """What a log leaf holds: the statement with its signature, canonical."""
    return canonical_json({"statement": statement, "signature": signature})


def verify_inclusion(index: int, size: int, leaf: bytes, path: list[bytes], root: bytes) -> bool:
    """RFC 9162, 2.1.3.2."""
    if index >= size or index < 0:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes,
                       path: list[bytes]) -> bool:
    """RFC 9162, 2.1.4.2: the tree of size `second` extends the one of size `first`."""
    if first == second:
        return not path and first_root == second_root
    if first <= 0 or first > second or not path:
        return False
    if first & (first - 1) == 0:  # a power of two: the old root is itself a node of the new tree
        path = [first_root, *path]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


# --- Keys and signatures ------------------------------------------------------------------


def b64url_decode(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _time(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00")) if s else None


def key_problem(jwk: dict | None, kid: str, signed_at: str) -> str | None:
    """Why this key could not have made a valid signature at `signed_at` (None: it could)."""
    if jwk is None:
        return f"key {kid} is not in the key set"
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        return f"key {kid} is not an Ed25519 key"
    at = _time(signed_at)
    if at is None:
        return "the statement has no signing time"
    revoked = _time(jwk.get("revoked_at"))
    if revoked is not None and at >= revoked:
        return f"key {kid} was revoked on {jwk['revoked_at']}, before this was signed"
    start, end = _time(jwk.get("not_before")), _time(jwk.get("not_after"))
    if (start and at < start) or (end and at > end):
        return f"key {kid} was not in use at {signed_at}"
    return None


def signature_ok(jwk: dict, message: bytes, signature: str) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"])).verify(
            b64url_decode(signature), message)
        return True
    except (InvalidSignature, ValueError, KeyError):
        return False


def check_signed(obj: dict, signature: str, keys: dict[str, dict]) -> str | None:
    """None when `obj` (with its `kid` and `signed_at`) is validly signed, else why not."""
    kid = obj.get("kid", "")
    problem = key_problem(keys.get(kid), kid, obj.get("signed_at", ""))
    if problem:
        return problem
    if not signature_ok(keys[kid], canonical_json(obj), signature):
        return f"the signature does not verify with key {kid}"
    return None


def key_set(jwks: dict) -> dict[str, dict]:
    return {k["kid"]: k for k in jwks.get("keys", []) if "kid" in k}


# --- A downloaded file against its proof bundle ---------------------------------------------

def _mark_ranges() -> str:
    """A regex class of the combining marks of the BMP (vowel signs, viramas, nuktas...)."""
    out, start = [], None
    for cp in range(0x10000):
        is_mark = unicodedata.category(chr(cp))[0] == "M"
        if is_mark and start is None:
            start = cp
        elif not is_mark and start is not None:
            out.append(f"\\u{start:04x}-\\u{cp - 1:04x}")
            start = None
    return "".join(out)


# Letters, digits and combining marks of every script, plus the zero-width (non-)joiners
# Indic words carry: Python's \w alone cuts Devanagari words at their vowel signs. (\w also
# takes "_", which is never part of a word here: callers replace it with a space first.)
WORD = re.compile(f"[\\w{_mark_ranges()}\\u200c\\u200d]+")


def words(text: str) -> list[str]:
    """Words of any script, in Unicode NFC."""
    return WORD.findall(nfc(text).replace("_", " "))


MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def posted_on(iso: str) -> str:
    t = datetime.fromisoformat(iso)  # carries the IST offset, as the record has it
    hour = t.hour % 12 or 12
    return f"{t.day:02d} {MONTHS[t.month - 1]} {t.year} {hour}:{t.minute:02d}{'AM' if t.hour < 12 else 'PM'}"


def expected_text_words(record: dict, with_header: bool) -> list[str]:
    parts = []
    if with_header:
        parts += [record["ministry"], record["title"], *record["subtitles"],
                  f"Posted On: {posted_on(record['posted_at'])} by {record['bureau']}"]
    else:
        parts += [record["title"], *record["subtitles"]]
    parts += [record["body_text"], record["sign_off"],
              f"(Release ID: {record['pib_id'] or record['release_id']}) Visitor Counter :"]
    return words("\n".join(parts))


VISITOR_COUNT = re.compile(r"(Visitor Counter\s*:\s*)[\d,]+")


def compare_text(text: str, record: dict) -> list[str]:
    """A PIB-layout .txt against the record: [] when its words are the record's words."""
    got = words(VISITOR_COUNT.sub(r"\1", text))
    for header in (True, False):
        if got == expected_text_words(record, header):
            return []
    want = expected_text_words(record, True)
    for i, (a, b) in enumerate(zip(got, want, strict=False)):
        if a != b:
            return [f"word {i + 1}: the file has {a!r} where the signed text has {b!r}"]
    return [f"the file has {len(got)} words, the signed text {len(want)}"]


def compare_json_version(v: dict, record: dict) -> list[str]:
    problems = []
    for f in ("release_id", "language", "revision", "pib_id", "posted_at", "status"):
        if v.get(f) != record[f]:
            problems.append(f"{f}: the file has {v.get(f)!r}, the signed record {record[f]!r}")
    for f in RECORD_TEXT_FIELDS:
        if nfc(v.get(f) or "") != record[f]:
            problems.append(f"{f} differs from the signed record")
    if [nfc(s) for s in v.get("subtitles") or [] if s] != record["subtitles"]:
        problems.append("subtitles differ from the signed record")
    return problems


def check_bundle(bundle: dict, keys: dict[str, dict]) -> tuple[list[str], list[str]]:
    """(what holds, what fails) for the bundle's signatures and log proofs alone."""
    ok, bad = [], []
    cp = bundle.get("checkpoint") or {}
    body = {k: cp.get(k) for k in ("origin", "size", "root", "kid", "signed_at")}
    problem = check_signed(body, cp.get("signature", ""), keys)
    if problem:
        bad.append(f"log checkpoint: {problem}")
    else:
        ok.append(f"log checkpoint of {cp['size']} entries signed by {cp['kid']} at {cp['signed_at']}")
    root = bytes.fromhex(cp.get("root") or "")
    for e in bundle.get("entries", []):
        name = f"{e['statement'].get('release_id')}/{e['statement'].get('language')}"
        rec = e.get("record")
        if rec is None or record_hash(rec) != e["statement"].get("record_sha256"):
            bad.append(f"{name}: the record is not the one the statement signs")
            continue
        problem = check_signed(e["statement"], e["signature"], keys)
        if problem:
            bad.append(f"{name}: {problem}")
            continue
        leaf = leaf_hash(entry_bytes(e["statement"], e["signature"]))
        path = [bytes.fromhex(h) for h in e.get("inclusion", [])]
        if not verify_inclusion(e["index"], cp.get("size", 0), leaf, path, root):
            bad.append(f"{name}: not proved to be entry {e['index']} of the log checkpoint")
            continue
        ok.append(f"{name} revision {rec['revision']} ({rec['status']}): signed by "
                  f"{e['statement']['kid']}, {e['statement']['attests']}, log entry {e['index']}")
    return ok, bad


def check_file(data: bytes, name: str, bundle: dict, keys: dict[str, dict]) -> tuple[list, list]:
    ok, bad = check_bundle(bundle, keys)
    entries = {e["statement"]["language"]: e for e in bundle.get("entries", [])}
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ok, [*bad, f"{name} is not UTF-8 text"]
    if name.endswith(".json"):
        try:
            doc = json.loads(text)
            versions = doc["versions"] if isinstance(doc, dict) and "versions" in doc else [doc]
        except (ValueError, KeyError, TypeError):
            return ok, [*bad, f"{name} is not a Pressroom release JSON file"]
        for v in versions:
            e = entries.get(v.get("language"))
            if e is None:
                bad.append(f"{name}: no signature for the {v.get('language')!r} version")
                continue
            problems = compare_json_version(v, e["record"])
            (bad.extend if problems else ok.append)(
                [f"{v['language']}: {p}" for p in problems] if problems
                else f"{v['language']}: the file's text is the signed text")
    else:
        if len(entries) != 1:
            return ok, [*bad, "a .txt file goes with the proof of one language version"]
        e = next(iter(entries.values()))
        problems = compare_text(text, e["record"])
        if problems:
            bad.extend(problems)
        else:
            ok.append(f"{name}: the file's text is the signed text")
    return ok, bad


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Check a Pressroom release file offline.")
    p.add_argument("file", type=Path, help="the downloaded .json or .txt")
    p.add_argument("--sig", type=Path, help="its signature and proof (default FILE.sig)")
    p.add_argument("--keys", type=Path, default=Path("pressroom-keys.json"),
                   help="the public key set, from /.well-known/pressroom-keys.json")
    a = p.parse_args(argv)
    sig = a.sig or a.file.with_name(a.file.name + ".sig")
    try:
        bundle = json.loads(sig.read_text(encoding="utf-8"))
        keys = key_set(json.loads(a.keys.read_text(encoding="utf-8")))
        data = a.file.read_bytes()
    except (OSError, ValueError) as e:
        print(f"cannot read the inputs: {e}", file=sys.stderr)
        return 2
    ok, bad = check_file(data, a.file.name, bundle, keys)
    for line in ok:
        print(f"OK    {line}")
    for line in bad:
        print(f"FAIL  {line}")
    print("GENUINE: the file is what Pressroom signed and logged." if not bad and ok else
          "NOT VERIFIED: do not trust this file as a Pressroom release.")
    return 0 if not bad and ok else 1


if __name__ == "__main__":
    sys.exit(main())
