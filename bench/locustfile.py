"""The load of `make bench`: run by bench/run.py as its own process, never imported by Django.

    BENCH_PLAN=plan.json BENCH_SCENARIO=board locust -f bench/locustfile.py --headless …

BENCH_PLAN is the manifest of `bench_build` with the "plan" of `bench_queries` added
(export address, municipality id). BENCH_SCENARIO names one scenario, measured alone with
no pause between requests, or "mixed": every scenario at once, weighted like real use,
with BENCH_THINK seconds (on average) between a person's requests. BENCH_USERS (the
--users given to locust) and BENCH_DURATION: the load runs BENCH_DURATION seconds from
the moment all users are signed in (see `arrived`).

The server runs the production settings behind what it takes to be a TLS proxy: every
request says `X-Forwarded-Proto: https`, every form post carries a matching Origin and
Referer, and each simulated person has their own `X-Forwarded-For` address (employees
behind their municipality's proxy), so the rate limits count people, not the load
generator. Cookies are kept by hand: they are Secure, and locust's cookie jar does not send
them back over the plain http of loopback.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
import uuid
from http.cookiejar import DefaultCookiePolicy

import gevent
from gevent.event import Event
from gevent.lock import Semaphore
from locust import FastHttpUser, between, constant

PLAN = json.loads(open(os.environ["BENCH_PLAN"], encoding="utf-8").read())  # noqa: SIM115
SCENARIO = os.environ.get("BENCH_SCENARIO", "mixed")
THINK = float(os.environ.get("BENCH_THINK", "1.0"))
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# --- Setting up before measuring ---------------------------------------------------------
# Every user signs in (or fetches the form) first; the measurement starts when the last
# one is ready (the file BENCH_READY_FILE is written then, for the memory meter) and lasts
# BENCH_DURATION seconds, so sign-ins never eat into a scenario's time.
EXPECTED_USERS = int(os.environ.get("BENCH_USERS", "1"))
DURATION = float(os.environ.get("BENCH_DURATION", "0"))
READY_FILE = os.environ.get("BENCH_READY_FILE")
SIGN_IN_LOCKS = {"coach": Semaphore(), "leader": Semaphore()}
SESSIONS: dict[str, dict[str, str]] = {}
_ready = Event()
_arrived = 0


def arrived(environment) -> None:
    """Count one user as set up; wait until all are, then let the clock run."""
    global _arrived
    _arrived += 1
    if _arrived >= EXPECTED_USERS and not _ready.is_set():
        _ready.set()
        if READY_FILE:
            with open(READY_FILE, "w", encoding="utf-8") as handle:
                handle.write(str(time.time()))
        if DURATION:
            # What --run-time does, counted from here.
            gevent.spawn_later(DURATION, environment.runner.quit)
    _ready.wait()


# A fresh client address per person (and per submission), from 10.0.0.0/8. The random
# start keeps one run's addresses apart from the run before it (the hourly limit of the
# idea form counts per address).
_addresses = itertools.count(random.randrange(1, 1 << 23))


def next_address() -> str:
    n = next(_addresses) % (1 << 24)
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


class Visitor(FastHttpUser):
    """One person. Subclasses set `role` ("coach", "leader" or None for no login)."""

    abstract = True
    role: str | None = None
    # Generous: a slow answer is measured as slow, not counted as an error.
    network_timeout = 120.0
    connection_timeout = 30.0

    def on_start(self):
        self.address = next_address()
        self.origin = self.host.rstrip("/").replace("http://", "https://", 1)
        self.cookies: dict[str, str] = {}
        # The jar would keep but not send them; one place holds them instead.
        self.client.cookiejar.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        try:
            self.set_up()
        finally:
            arrived(self.environment)

    def set_up(self) -> None:
        if self.role:
            # The manifest has one coach and one process leader: every simulated coach is
            # that person in another tab, so one sign-in per role serves them all (a
            # password check is deliberately slow and would otherwise flood the start).
            with SIGN_IN_LOCKS[self.role]:
                if self.role not in SESSIONS:
                    self.login(PLAN[self.role]["email"], PLAN["password"])
                    SESSIONS[self.role] = dict(self.cookies)
            self.cookies.update(SESSIONS[self.role])

    def headers(self, *, address: str | None = None, post_from: str | None = None) -> dict:
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": address or self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if post_from is not None:
            # The CSRF check of an HTTPS request wants the page the form came from.
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + post_from
        return headers

    def expect(self, method: str, path: str, name: str, status: int = 200, **kwargs):
        kwargs.setdefault("headers", self.headers())
        with self.client.request(
            method, path, name=name, catch_response=True, allow_redirects=False, **kwargs
        ) as response:
            for header in response.headers.getheaders("set-cookie") if response.headers else []:
                key, _, rest = header.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
            if response.status_code != status:
                response.failure(f"{name}: {response.status_code}, expected {status}")
            return response

    def csrf_cookie(self) -> str:
        return self.cookies.get("csrftoken", "")

    def login(self, email: str, password: str) -> None:
        page = self.expect("GET", "/accounts/login/", "setup: login form")
        match = CSRF_INPUT.search(page.text or "")
        token = match.group(1) if match else ""
        self.expect(
            "POST",
            "/accounts/login/",
            "setup: login",
            status=302,
            data={"login": email, "password": password, "csrfmiddlewaretoken": token},
            headers=self.headers(post_from="/accounts/login/"),
        )


# --- The scenarios: one function each, named as in bench/run.py --------------------------


def healthz(user: Visitor) -> None:
    user.expect("GET", PLAN["plan"]["healthz_path"], "healthz")


def trivial(user: Visitor) -> None:
    user.expect("GET", PLAN["plan"]["trivial_path"], "trivial")


def idea_form(user: Visitor) -> None:
    user.expect("GET", "/submit/", "idea_form")


def submission(user: Visitor) -> None:
    # The form was fetched once (on_start), which set the CSRF cookie; a fresh form token
    # per idea as a fresh form gives, and a different employee (address) each time.
    user.expect(
        "POST",
        "/submit/",
        "submission",
        status=302,
        data={
            "title": f"Bench: {random.choice(PLAN['search_terms'])} {uuid.uuid4().hex[:6]}",
            "need": random.choice(PLAN["similar_queries"])["text"][:4000] or "Ett behov.",
            "solution": "Vi provar det i en förvaltning först och sprider det sedan.",
            "municipality": PLAN["plan"]["submit_municipality_id"],
            "submitter_name": "Bench Inlämnare",
            "submitter_email": f"submitter-{uuid.uuid4().hex[:10]}@bench.sluss.invalid",
            "submission_token": str(uuid.uuid4()),
            "csrfmiddlewaretoken": user.csrf_cookie(),
        },
        headers=user.headers(address=next_address(), post_from="/submit/"),
    )


def board(user: Visitor) -> None:
    user.expect("GET", "/workspace/board/", "board")


def idea_list(user: Visitor) -> None:
    params = random.choice(PLAN["list_filters"])
    user.expect("GET", "/workspace/ideas/", "list", params=params)


def idea_page(user: Visitor) -> None:
    reference = random.choice(PLAN["idea_references"])
    user.expect("GET", f"/workspace/ideas/{reference}/", "idea_page")


def idea_similar(user: Visitor, reference: str | None = None) -> None:
    # What htmx asks for once the idea page is shown: its similar-ideas section.
    reference = reference or random.choice(PLAN["idea_references"])
    user.expect(
        "GET",
        f"/workspace/ideas/{reference}/similar/",
        "idea_similar",
        headers={**user.headers(), "HX-Request": "true"},
    )


def idea_visit(user: Visitor) -> None:
    """A coach's visit to an idea as a browser makes it: the page, then its section."""
    reference = random.choice(PLAN["idea_references"])
    user.expect("GET", f"/workspace/ideas/{reference}/", "idea_page")
    idea_similar(user, reference)


def search(user: Visitor) -> None:
    user.expect(
        "GET", "/workspace/ideas/", "search", params={"q": random.choice(PLAN["search_terms"])}
    )


def bearer(user: Visitor) -> dict:
    return {**user.headers(), "Authorization": f"Bearer {PLAN['api_token']}"}


def similar(user: Visitor) -> None:
    query = random.choice(PLAN["similar_queries"])
    user.expect(
        "POST",
        "/api/v1/ideas/similar",
        "similar",
        json={"title": query["title"][:150], "text": query["text"][:8000], "limit": 5},
        headers=bearer(user),
    )


def dashboard(user: Visitor) -> None:
    user.expect("GET", "/statistics/", "dashboard")


def api_list(user: Visitor) -> None:
    user.expect("GET", "/api/v1/ideas", "api_list", headers=bearer(user))


def export(user: Visitor) -> None:
    params = random.choice(PLAN["list_filters"]) if PLAN["plan"]["export_kind"] == "ideas" else {}
    user.expect("GET", PLAN["plan"]["export_path"], "export", params=params)


SCENARIOS = {
    "healthz": (healthz, None),
    "trivial": (trivial, None),
    "idea_form": (idea_form, None),
    "submission": (submission, None),
    "board": (board, "coach"),
    "list": (idea_list, "coach"),
    "idea_page": (idea_page, "coach"),
    "idea_similar": (idea_similar, "coach"),
    "search": (search, "coach"),
    "similar": (similar, None),
    "dashboard": (dashboard, "leader"),
    "api_list": (api_list, None),
    "export": (export, "coach" if PLAN["plan"]["export_kind"] == "ideas" else "leader"),
}


class Anonymous(Visitor):
    """Someone not signed in; fetches the public form once so the CSRF cookie is set."""

    abstract = True

    def set_up(self) -> None:
        self.expect("GET", "/submit/", "setup: idea form")


if SCENARIO == "mixed":
    # Weighted like a working day: many employees reading the form and some handing in,
    # coaches working their ideas, a few process leaders on the dashboard, one
    # integration reading the API, and the load balancer's health check.
    think = between(THINK * 0.5, THINK * 1.5)

    class Employee(Anonymous):
        weight = 14
        wait_time = think
        tasks = {trivial: 1, idea_form: 3, submission: 1}

    class Coach(Visitor):
        weight = 26
        role = "coach"
        wait_time = think
        tasks = {idea_visit: 8, idea_list: 5, board: 4, search: 4}
        if SCENARIOS["export"][1] == "coach":
            tasks[export] = 1

    class Leader(Visitor):
        weight = 6
        role = "leader"
        wait_time = think
        tasks = {dashboard: 3}
        if SCENARIOS["export"][1] == "leader":
            tasks[export] = 1

    class Integration(Visitor):
        weight = 3
        wait_time = think
        tasks = {api_list: 2, similar: 3}

    class Monitor(Visitor):
        weight = 1
        wait_time = think
        tasks = [healthz]

elif SCENARIO in SCENARIOS:
    _function, _role = SCENARIOS[SCENARIO]

    class Scenario(Anonymous if SCENARIO == "submission" else Visitor):
        # Closed loop with no pause: each person sends the next request as soon as the
        # answer is in, so requests/s is what the server gives at this concurrency.
        role = _role
        wait_time = constant(0)
        tasks = [_function]

else:
    raise SystemExit(f"BENCH_SCENARIO: unknown scenario {SCENARIO!r}")
