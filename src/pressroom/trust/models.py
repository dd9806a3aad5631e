"""Signing keys (public halves only), the transparency log, and the near-duplicate index.

Private keys never enter the database: they live in files under $PRESSROOM_DATA/keys
(or come from the environment), see keys.py.
"""

from django.db import models


class SigningKey(models.Model):
    """A public Ed25519 key with the period it signed in."""

    kid = models.CharField(max_length=64, primary_key=True, help_text="RFC 7638 thumbprint, shortened")
    public_key = models.CharField(max_length=64, help_text="Raw public key, base64url")
    not_before = models.DateTimeField()
    not_after = models.DateTimeField(null=True, blank=True, help_text="Retired (rotated out) at")
    revoked_at = models.DateTimeField(null=True, blank=True,
                                      help_text="Nothing it signed from this time verifies")

    class Meta:
        ordering = ["not_before"]

    def __str__(self):
        return self.kid


class LogHead(models.Model):
    """The log's size: one row, locked while appending, so indexes have no gaps."""

    size = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"log of {self.size} entries"


class LogEntry(models.Model):
    """One leaf of the append-only Merkle tree: a signed statement about one revision (or
    status) of one language version. `index` is the leaf's position, from 0."""

    index = models.PositiveBigIntegerField(primary_key=True)
    release_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=8)
    version_id = models.PositiveBigIntegerField(db_index=True)
    revision = models.PositiveIntegerField()
    event = models.CharField(max_length=12)
    statement = models.JSONField()
    signature = models.CharField(max_length=100)
    # The record the statement signs, canonical JSON: kept so the log can be audited and
    # proofs served even after the text changes.
    record = models.TextField()
    leaf_hash = models.BinaryField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["release_id", "language", "index"])]
        verbose_name_plural = "log entries"

    def __str__(self):
        return f"log entry {self.index}: {self.release_id}/{self.language} r{self.revision}"


class LogTile(models.Model):
    """The hash of a complete subtree of 2**level leaves starting at leaf index * 2**level,
    stored for levels 8, 16, 24 so roots and proofs never read more than a few hundred rows."""

    level = models.PositiveSmallIntegerField()
    index = models.PositiveBigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "index"], name="one_tile")]

    def __str__(self):
        return f"tile {self.level}/{self.index}"


class Shingle(models.Model):
    """Near-duplicate index: a sampled 64-bit hash of five consecutive words of a version's
    text (every revision it has had), for finding which release a pasted text resembles."""

    hash = models.BigIntegerField()
    version_id = models.PositiveBigIntegerField()

    class Meta:
        # One index: finding versions by shingle; a version's own shingles are found by
        # (hash, version) too, and a second index would cost every import a third more.
        indexes = [models.Index(fields=["hash", "version_id"])]

    def __str__(self):
        return f"{self.hash} in version {self.version_id}"
