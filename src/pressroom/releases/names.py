"""Ministry and bureau names per language: what readers of each version see.

``name_in(obj, lang)`` gives the name and the language it is really in (English where no
translation is known yet, so the page can mark it ``lang="en"``). ``add_known_names`` gives
a new ministry or bureau the names ``names_data`` knows for it.
"""

from __future__ import annotations

from django.db import connections

from pressroom.dbrouter import read_alias

from .models import Bureau, BureauName, Language, Ministry, MinistryName, name_in
from .names_data import BUREAUS, MINISTRIES

__all__ = ["add_known_names", "name_in", "names_of"]


def add_known_names(obj: Ministry | Bureau) -> None:
    """Add the known translations of a ministry's or bureau's name it does not have yet."""
    ministry = isinstance(obj, Ministry)
    table = known_names(obj.name, MINISTRIES if ministry else BUREAUS)
    if not table:
        return
    model, owner = (MinistryName, "ministry") if ministry else (BureauName, "bureau")
    have = set(model.objects.filter(**{owner: obj}).values_list("language_id", flat=True))
    known = set(Language.objects.values_list("code", flat=True))
    model.objects.bulk_create([model(**{owner: obj}, language_id=code, name=name)
                               for code, name in table.items()
                               if code in known and code not in have])


def known_names(name: str, table: dict) -> dict | None:
    """The table's names for ``name``, spaces and line breaks as they may come (a scraped
    "Ministry of Agriculture &\r\nFarmers Welfare" is the one ministry)."""
    return table.get(name) or table.get(" ".join(name.split()))


def names_of(obj: Ministry | Bureau) -> dict[str, str]:
    """{language code: name}, English included: from prefetched ``names`` if there, else by
    one plain query (building the ORM's query cost more than running it, on every API answer)."""
    prefetched = getattr(obj, "_prefetched_objects_cache", {}).get("names")
    if prefetched is not None:
        return {"en": obj.name, **{n.language_id: n.name for n in prefetched}}
    model = MinistryName if isinstance(obj, Ministry) else BureauName
    owner = model._meta.get_field("ministry" if model is MinistryName else "bureau").column
    with connections[read_alias(model)].cursor() as c:
        c.execute(f"SELECT language_id, name FROM {model._meta.db_table} WHERE {owner} = %s "
                  f"ORDER BY id", [obj.pk])
        return {"en": obj.name, **dict(c.fetchall())}
