"""The static files storage: WhiteNoise's hashed and compressed files, with each URL kept.

Every page asks for the same few static URLs (`{% static %}` four times in the base template),
and each answer costs a manifest lookup, a URL join and quoting (~12 µs): the manifest is read
once when the storage is made and fixed for the life of the process, so the answer is too.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url

    def post_process(self, *args, **kwargs):
        # collectstatic rewrites the manifest: forget what was read from the old one
        self._urls.clear()
        yield from super().post_process(*args, **kwargs)
        self._urls.clear()
