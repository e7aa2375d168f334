"""Locust users for bench/load.py (which writes the fixture file named by LOAD_FIXTURE).

Trainer: reads lessons, marks them done, takes quizzes and sends small offline batches, waiting
1–3 s between steps, signed in with a session (pages) and a bearer token (API).
Visitor: the public checking certificates by their code (the page and the JSON): each check from
an address of its own, as the reverse proxy would name it in X-Forwarded-For (bench/load.py trusts
the loopback address as the proxy), so the per-address verification limit applies as in production.
LessonReader: wrk-style, no wait, one lesson page over and over (anonymous or with a trainer's
session, LOAD_READER=anonymous|trainer).
"""

import itertools
import json
import os
import random
import uuid
from pathlib import Path

from locust import FastHttpUser, between, constant, task

FIXTURE = json.loads(Path(os.environ["LOAD_FIXTURE"]).read_text()) if os.environ.get("LOAD_FIXTURE") else {}
_trainers = itertools.cycle(FIXTURE.get("trainers") or [{}])


class Trainer(FastHttpUser):
    weight = 9
    wait_time = between(1, 3)

    def on_start(self):
        self.me = next(_trainers)
        self.api = {"Authorization": f"Bearer {self.me.get('token', '')}"}
        self.lessons = FIXTURE["lessons"]

    @task(6)
    def read_lesson(self):
        lesson = random.choice(self.lessons)
        self.client.get(
            lesson["url"], headers={"Cookie": f"sessionid={self.me['session']}"}, name="lesson page"
        )

    @task(2)
    def complete_lesson(self):
        lesson = random.choice(self.lessons)
        self.client.post(f"/api/v1/lessons/{lesson['id']}/complete", headers=self.api, name="lesson complete")

    @task(2)
    def take_quiz(self):
        lesson = random.choice(self.lessons)
        self.client.post(
            f"/api/v1/quizzes/{lesson['quiz_id']}/attempts",
            json={"answers": lesson["answers"]},
            headers=self.api,
            name="quiz attempt",
        )

    @task(1)
    def sync_offline(self):
        events = []
        for lesson in random.sample(self.lessons, k=min(5, len(self.lessons))):
            events.append(
                {"id": str(uuid.uuid4()), "type": "lesson_completed", "lesson_id": str(lesson["id"])}
            )
        self.client.post(
            "/api/v1/me/sync", json={"events": events}, headers=self.api, name="offline sync (5)"
        )


_visitor_numbers = itertools.count(1)


class Visitor(FastHttpUser):
    weight = 1
    wait_time = between(1, 3)

    @property
    def headers(self):
        number = next(_visitor_numbers) % 60_000
        return {"X-Forwarded-For": f"198.18.{number // 250}.{number % 250 + 1}"}

    @task(1)
    def verify_page(self):
        code = random.choice(FIXTURE["certificates"])
        self.client.get(f"/certificates/verify/{code}/", headers=self.headers, name="verify page")

    @task(1)
    def verify_json(self):
        code = random.choice(FIXTURE["certificates"])
        self.client.get(f"/api/v1/certificates/{code}", headers=self.headers, name="verify code (API)")


class LessonReader(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.url = FIXTURE["lessons"][len(FIXTURE["lessons"]) // 2]["url"]
        session = FIXTURE["trainers"][0]["session"] if os.environ.get("LOAD_READER") == "trainer" else ""
        self.headers = {"Cookie": f"sessionid={session}"} if session else {}

    @task
    def read(self):
        self.client.get(self.url, headers=self.headers, name="lesson page")
