"""Calling the API as a person would: with a token of theirs."""

import json

from apps.api.services import api_token_create


class Caller:
    """A test client that sends one person's personal access token with every request."""

    def __init__(self, client, user):
        self.client = client
        _token, self.secret = api_token_create(user=user, name="Tester")
        self.headers = {"Authorization": f"Bearer {self.secret}"}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(path, params or {}, headers=self.headers)

    def post(self, path: str, body):
        return self.client.post(
            path, json.dumps(body), content_type="application/json", headers=self.headers
        )
