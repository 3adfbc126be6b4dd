"""The OpenAPI description: valid, complete, public; and a property-based fuzz of every
endpoint it describes (hypothesis draws parameters and bodies from the description's
own schemas, and also values that break them): never a 5xx, always JSON."""

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core import testing

from .helpers import Caller

OPENAPI = "/api/v1/openapi.json"
ENDPOINTS = {
    ("get", "/api/v1/ideas"),
    ("post", "/api/v1/ideas"),
    ("get", "/api/v1/ideas/{reference}"),
    ("post", "/api/v1/ideas/{reference}/move"),
    ("get", "/api/v1/ideas/{reference}/timeline"),
    ("post", "/api/v1/ideas/similar"),
    ("get", "/api/v1/stages"),
    ("get", "/api/v1/municipalities"),
    ("get", "/api/v1/statistics"),
    ("get", "/api/v1/statistics/public"),
    ("get", "/api/v1/showcase"),
}
#: Public: no token needed.
PUBLIC = {("get", "/api/v1/statistics/public"), ("get", "/api/v1/showcase")}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def spec(client, db) -> dict:
    response = client.get(OPENAPI)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/"), ref
        node = spec
        for part in ref[2:].split("/"):
            assert part in node, f"unresolvable reference {ref}"
            node = node[part]
        schema = node
    return schema


def walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield method, path, operation


# --- The description ----------------------------------------------------------------------


def test_the_description_is_valid_openapi(spec):
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] and spec["info"]["version"] == "1"
    # Every reference resolves, wherever it is.
    for node in walk(spec):
        if "$ref" in node:
            resolve(spec, node)
    operation_ids = []
    for method, path, operation in operations(spec):
        operation_ids.append(operation["operationId"])
        assert operation["responses"], f"{method} {path} describes no answer"
        for status, answer in operation["responses"].items():
            assert status.isdigit() and 100 <= int(status) < 600
            assert answer["description"]
        # Path parameters are declared, and only those in the path.
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        in_path = {part[1:-1] for part in path.split("/") if part.startswith("{")}
        assert declared == in_path, path
        for parameter in operation.get("parameters", []):
            assert parameter["in"] in {"query", "path", "header", "cookie"}
            assert "schema" in parameter
        # Every operation says how to authenticate, with schemes that exist.
        schemes = spec["components"]["securitySchemes"]
        assert ("security" in operation) is ((method, path) not in PUBLIC), path
        for requirement in operation.get("security", []):
            assert set(requirement) <= set(schemes)
    assert len(operation_ids) == len(set(operation_ids))
    bearer = [s for s in spec["components"]["securitySchemes"].values() if s["type"] == "http"]
    assert bearer == [{"type": "http", "scheme": "bearer"}]


def test_the_description_lists_the_endpoints(spec):
    found = {(method, path) for method, path, _operation in operations(spec)}
    assert found == ENDPOINTS
    for method, path, operation in operations(spec):
        # Every refusal is described, with the one error format.
        expected = {"400", "404", "405", "422", "429", "500"}
        if (method, path) not in PUBLIC:
            expected |= {"401", "403"}
        assert expected <= set(operation["responses"]), (method, path)
        for status, answer in operation["responses"].items():
            if int(status) >= 400:
                schema = answer["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (path, status)
    idea = resolve(spec, spec["components"]["schemas"]["IdeaOut"])
    assert {"reference", "title", "need", "solution", "url"} <= set(idea["properties"])


def test_the_description_exposes_no_submitter_or_assessment(spec):
    # What the API gives (what it takes, a new idea, has the submitter's phone).
    names = {
        name.lower()
        for schema_name, schema in spec["components"]["schemas"].items()
        if schema_name not in {"IdeaIn", "CoSubmitterIn"}
        for name in schema.get("properties", {})
    }
    for private in ("email", "phone", "submitter", "submitters", "assessment", "scores"):
        assert private not in names


def test_there_is_no_docs_page_that_would_load_from_a_cdn(client, db):
    assert client.get("/api/v1/docs").status_code == 404


# --- The fuzz -------------------------------------------------------------------------------

#: Anything JSON can carry, to put where the description wants something else.
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=6,
)


def from_schema(spec: dict, schema: dict):
    """Values for a JSON schema: mostly within it, at and beyond its bounds too."""
    schema = resolve(spec, schema)
    if "anyOf" in schema:
        return st.one_of([from_schema(spec, option) for option in schema["anyOf"]])
    kind = schema.get("type")
    if kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        edges = [v for v in (low, high) if v is not None]
        edges += [v - 1 for v in edges] + [v + 1 for v in edges]
        return st.integers(min_value=low, max_value=high) | st.sampled_from(edges or [0])
    if kind == "string":
        longest = schema.get("maxLength", 300)
        return st.text(max_size=longest) | st.text(min_size=longest, max_size=longest + 3)
    if kind == "null":
        return st.none()
    if kind == "object":
        properties = {
            name: from_schema(spec, sub) for name, sub in schema.get("properties", {}).items()
        }
        return st.fixed_dictionaries({}, optional=properties)
    return ANY_JSON


def query_values(spec: dict, parameters: list[dict]):
    """A query string from the operation's parameters: each left out, drawn from its
    schema, or replaced by text that is no value of it."""
    strategies = {
        p["name"]: from_schema(spec, p["schema"]) | st.text(max_size=30)
        for p in parameters
        if p["in"] == "query"
    }
    return st.fixed_dictionaries({}, optional=strategies).map(
        lambda drawn: {k: v for k, v in drawn.items() if v is not None}
    )


def assert_answered(response, what: str) -> None:
    assert response.status_code < 500, f"{what} answered {response.status_code}"
    assert response["Content-Type"].startswith("application/json"), what
    json.loads(response.content)


FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def callers(client, world) -> list[Caller]:
    testing.submit_idea(world.skovde, unit=world.skovde_unit, title="Föräldrastöd på nätet")
    testing.submit_idea(world.hjo, title="Digitala lås i hemtjänsten")
    return [Caller(client, world.process_leader), Caller(client, world.employee)]


def _operation(spec: dict, method: str, path: str) -> dict:
    return spec["paths"][path][method]


@FUZZ
@given(data=st.data())
def test_fuzz_the_list(spec, callers, data):
    operation = _operation(spec, "get", "/api/v1/ideas")
    caller = data.draw(st.sampled_from(callers))
    params = data.draw(query_values(spec, operation["parameters"]))
    response = caller.get("/api/v1/ideas", params)
    assert_answered(response, f"GET /api/v1/ideas {params!r}")
    if response.status_code == 200:
        body = response.json()
        assert len(body["results"]) <= body["limit"] and body["count"] >= len(body["results"])


@FUZZ
@given(data=st.data())
def test_fuzz_one_idea(spec, callers, data):
    operation = _operation(spec, "get", "/api/v1/ideas/{reference}")
    (parameter,) = operation["parameters"]
    caller = data.draw(st.sampled_from(callers))
    reference = data.draw(
        from_schema(spec, parameter["schema"]).filter(bool)
        | st.sampled_from(["SLU-2026-0001", "SLU-2026-0002", "similar"])
    )
    path = "/api/v1/ideas/" + quote(reference, safe="")
    response = caller.get(path)
    if response.status_code == 404 and "/" in reference:
        return  # an encoded slash leaves the pattern: Django's own 404 page
    if reference == "similar":
        # That address is the similar-ideas endpoint, which only takes a POST.
        assert response.status_code == 405 and response["Allow"] == "POST"
        return
    assert_answered(response, f"GET {path}")
    assert response.status_code in {200, 404}


@FUZZ
@given(data=st.data())
def test_fuzz_similar(spec, callers, data):
    operation = _operation(spec, "post", "/api/v1/ideas/similar")
    body_schema = operation["requestBody"]["content"]["application/json"]["schema"]
    caller = data.draw(st.sampled_from(callers))
    body = data.draw(from_schema(spec, body_schema) | ANY_JSON)
    response = caller.post("/api/v1/ideas/similar", body)
    assert_answered(response, f"POST /api/v1/ideas/similar {body!r}")
    if response.status_code == 200:
        results = response.json()["results"]
        limit = body.get("limit") if isinstance(body, dict) else None
        assert len(results) <= (limit or 5)


@FUZZ
@given(header=st.text(max_size=300))
def test_fuzz_the_authorization_header(client, world, header):
    try:
        header.encode("latin-1")
    except UnicodeEncodeError:
        return  # HTTP headers carry Latin-1 only; no client can send this
    response = client.get("/api/v1/ideas", headers={"Authorization": header})
    assert_answered(response, f"Authorization: {header!r}")
    assert response.status_code == 401
