"""Staff of a state's victim-services units at work, for locust (`make loadtest`).

Each simulated member of staff signs in with a demo account (the password every demo user has)
and then browses the way their role does, with a pause between pages (LOADTEST_WAIT_MIN and
LOADTEST_WAIT_MAX seconds, 5 and 15):

- advocates: My caseload, the outreach queue, a case from the caseload, a person of that case,
  the people search by a last name of their agency;
- supervisors and coordinators: the case list, the queue, a case, the reports dashboard;
- analysts: the reports dashboard and the PMT report of the last quarter.

The accounts come from LOADTEST_USERS_FILE (one JSON object per line: username, role, hosts'
index, last names to search; written by bench/loadtest.py). LOADTEST_HOSTS lists the app
servers (comma-separated): each user keeps to one, as behind a load balancer with sticky
sessions. Every page is named (`name=`) so locust's statistics are per page, not per URL.
"""

import itertools
import json
import os
import random
import re
import threading

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "haven-demo-2026")
HOSTS = [h for h in os.environ.get("LOADTEST_HOSTS", "").split(",") if h]
WAIT = between(
    float(os.environ.get("LOADTEST_WAIT_MIN", "5")),
    float(os.environ.get("LOADTEST_WAIT_MAX", "15")),
)
CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
PERSON_LINK = re.compile(r'href="/people/(\d+)/"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _accounts() -> list[dict]:
    path = os.environ.get("LOADTEST_USERS_FILE")
    if not path:
        return [{"username": "advocate", "role": "advocate", "last_names": []}]
    with open(path) as lines:
        return [json.loads(line) for line in lines if line.strip()]


ACCOUNTS = _accounts()
_next_account = itertools.count()
_lock = threading.Lock()


class Staff(HttpUser):
    wait_time = WAIT
    host = HOSTS[0] if HOSTS else "http://127.0.0.1:8000"

    def on_start(self):
        with _lock:
            number = next(_next_account)
        self.account = ACCOUNTS[number % len(ACCOUNTS)]
        if HOSTS:
            self.host = HOSTS[number % len(HOSTS)]
            self.client.base_url = self.host
        self.cases: list[str] = []
        self.people: list[str] = []
        self.sign_in()

    def sign_in(self):
        page = self.client.get("/accounts/login/", name="sign-in form")
        token = CSRF_FIELD.search(page.text)
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.account["username"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
            catch_response=True,
        ) as response:
            if "/accounts/login/" in response.url:
                response.failure(f"sign-in refused for {self.account['username']}")

    def page(self, url: str, name: str):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            elif "/accounts/login/" in response.url:
                response.failure("signed out")
                self.sign_in()
            return response

    @property
    def role(self) -> str:
        return self.account["role"]

    @task(4)
    def worklist(self):
        if self.role == "advocate":
            response = self.page("/cases/mine/", "caseload")
        elif self.role == "analyst":
            response = self.page("/reports/", "reports dashboard")
            return
        else:
            response = self.page("/cases/", "case list")
        found = CASE_LINK.findall(response.text or "")
        if found:
            self.cases = found[:50]

    @task(2)
    def queue(self):
        if self.role != "analyst":
            self.page("/queue/", "outreach queue")

    @task(8)
    def case(self):
        if self.role == "analyst" or not self.cases:
            return
        response = self.page(f"/cases/{random.choice(self.cases)}/", "case page")
        found = PERSON_LINK.findall(response.text or "")
        if found:
            self.people = found[:10]

    @task(3)
    def person(self):
        if self.people:
            self.page(f"/people/{random.choice(self.people)}/", "person")

    @task(2)
    def search(self):
        names = self.account.get("last_names") or []
        if names and self.role != "analyst":
            self.page(f"/people/search/?last_name={random.choice(names)}", "people search")

    @task(1)
    def reports(self):
        if self.role in ("supervisor", "coordinator", "analyst"):
            self.page("/reports/", "reports dashboard")
        if self.role == "analyst":
            quarter = self.account.get("quarter", "")
            if quarter:
                self.page(f"/reports/pmt/?quarter={quarter}&format=csv", "PMT report")
