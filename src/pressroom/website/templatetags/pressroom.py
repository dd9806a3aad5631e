from django import template

from pressroom.releases.pibtext import IST, format_posted_on

register = template.Library()


@register.filter
def posted_on(value):
    """PIB's own way of printing a time: 04 OCT 2018 5:19PM (IST)."""
    return format_posted_on(value) if value else ""


@register.filter
def ist_date(value):
    return value.astimezone(IST).date() if value else None
