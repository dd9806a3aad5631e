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
