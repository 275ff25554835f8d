"""A test client that posts forms the way browsers do here: urlencoded, never multipart.

Django's test client sends a dict as multipart/form-data, which the app refuses with 413
(decisionaid.limits): no form in the app has a file field, so no browser ever sends it one.
"""

from urllib.parse import urlencode

from django import test


class Client(test.Client):
    def post(self, path, data=None, content_type=None, *args, **kwargs):
        """A dict (or nothing) goes as application/x-www-form-urlencoded, lists as repeated
        fields; anything with an explicit content type goes as Django's client sends it."""
        if content_type is None:
            if data is None or isinstance(data, dict):
                data = urlencode(data or {}, doseq=True)
                content_type = "application/x-www-form-urlencoded"
            else:
                content_type = test.client.MULTIPART_CONTENT
        return super().post(path, data, content_type, *args, **kwargs)
