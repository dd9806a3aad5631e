"""How big each part of a release may be: one set of numbers for every way in.

The models' column sizes, the newsroom's form limits and the import's checks all read
these, so an import can never store what an editor could not type, nor the reverse.
Pure constants: no Django models here (the import's checks run in a reading process).
"""

from django.conf import global_settings

MINISTRY_NAME_MAX = 200  # Ministry.name
BUREAU_NAME_MAX = 100  # Bureau.name
TITLE_MAX = 1000  # the newsroom's title field
SIGN_OFF_MAX = 200  # the newsroom's sign-off field (and Draft.sign_off)
SEPARATOR_MAX = 40  # LanguageVersion.separator
# Subtitles and body have no field limit in the newsroom; what bounds them there is the
# largest form Django accepts at all (DATA_UPLOAD_MAX_MEMORY_SIZE, not changed in settings).
TEXT_MAX = global_settings.DATA_UPLOAD_MAX_MEMORY_SIZE

# Release IDs, PIB's per-version IDs and visitor counts: whole numbers a JSON reader in any
# language (JavaScript's 2**53) reads exactly, and far enough below the 64-bit columns that
# publishing can always allocate the next Release ID above the highest imported.
ID_MAX = 2**53 - 1
COUNT_MAX = 2**53 - 1
