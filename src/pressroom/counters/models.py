"""Open data about reading: views per language version per day (IST)."""

from django.db import models


class DailyViews(models.Model):
    version = models.ForeignKey("releases.LanguageVersion", on_delete=models.CASCADE,
                                related_name="daily_views")
    day = models.DateField(help_text="The reader's view day in Indian Standard Time")
    views = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "day"], name="one_count_per_day")]
        indexes = [models.Index(fields=["day"])]
        ordering = ["day"]
        verbose_name_plural = "daily views"

    def __str__(self):
        return f"{self.version_id} {self.day}: {self.views}"


class FlushedBatch(models.Model):
    """A batch of Redis counts already written (counters/buffer.py): written in the same
    transaction as its counts, so a batch left in Redis by a flusher that died after the
    commit is recognised and not counted twice. Kept two days."""

    name = models.CharField(max_length=100, unique=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.name
