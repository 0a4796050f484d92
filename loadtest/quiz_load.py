"""Many students take the same quiz at once, over HTTP, as the attempt page's saving script does.

Each simulated student (a thread; the client is the standard library's ``http.client``) arrives
signed in with the session cookie the seed made, and then, all of them released together:
opens the quiz page, starts the quiz with the page's CSRF token, opens the attempt, saves every
answer through the JSON endpoint (``{"question", "answer", "sequence"}`` with the token in
``X-CSRFToken``), changes its mind on a few answers (saving again on the sequence the server
returned), and submits. Afterwards the database is asked whether every answer the students sent
is stored with the value they sent last; the run fails (exit status 1) if any answer was lost or
any request failed.

    python -m loadtest.quiz_load --plan plan.json --base-url http://127.0.0.1:8765

The database check needs the server's Django settings in the environment (``make loadtest`` sets
them); the HTTP part needs nothing but the plan.
"""

import argparse
import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

CSRF_COOKIE = "csrftoken"
# What each step answers when all is well.
EXPECTED = {"quiz page": 200, "start": 302, "attempt page": 200, "save": 200, "submit": 302}


class StepFailed(Exception):
    """A step answered something else than expected: this student stops there."""


# --- Reading the pages --------------------------------------------------------------------------


@dataclass
class Question:
    id: int
    kind: str
    sequence: int = 0
    options: list = field(default_factory=list)  # radio / checkbox values
    several: bool = False  # checkboxes
    pairs: dict = field(default_factory=dict)  # matching: item (pair id) -> match values offered


class PageReader(HTMLParser):
    """What a student's browser would use from the quiz and attempt pages: forms, the CSRF token,
    the save address and each question's controls."""

    def __init__(self):
        super().__init__()
        self.csrf = None
        self.forms = []  # action of each POST form
        self.save_url = None
        self.questions = []
        self._question = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.forms.append(attrs.get("action") or "")
            if attrs.get("data-save-url"):
                self.save_url = attrs["data-save-url"]
        elif tag == "fieldset" and "data-question" in attrs:
            self._question = Question(id=int(attrs["data-question"]), kind=attrs.get("data-kind", ""))
            self.questions.append(self._question)
        elif tag == "input":
            name = attrs.get("name") or ""
            if name == "csrfmiddlewaretoken":
                self.csrf = attrs.get("value")
            elif self._question is not None:
                kind = (attrs.get("type") or "text").lower()
                if "data-sequence" in attrs:
                    self._question.sequence = int(attrs.get("value") or 0)
                elif kind in ("radio", "checkbox"):
                    self._question.options.append(attrs.get("value"))
                    self._question.several = kind == "checkbox"
        elif tag == "select" and self._question is not None:
            # q<question>-m<pair>: one select per item of a matching question.
            self._select = (attrs.get("name") or "").rpartition("-m")[2]
            self._question.pairs[self._select] = []
        elif tag == "option" and self._select is not None and attrs.get("value"):
            self._question.pairs[self._select].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "fieldset":
            self._question = None
        elif tag == "select":
            self._select = None


def read_page(html):
    reader = PageReader()
    reader.feed(html)
    return reader


def answer_to(question, rng):
    """A random answer to ``question``, in the form the server stores it (so the check can compare
    what was sent with what is stored as it is)."""
    if question.kind == "multiple-choice":
        values = sorted(int(value) for value in question.options)
        if question.several:
            return sorted(rng.sample(values, rng.randint(1, len(values))))
        return rng.choice(values)
    if question.kind == "true-false":
        return rng.choice([True, False])
    if question.kind == "matching":
        return {item: rng.choice(matches) for item, matches in question.pairs.items()}
    if question.kind == "numeric":
        return str(rng.randint(30, 50))
    if question.kind == "classification":
        return rng.choice(["1C351", "1C350", "2B350", "1C991"])
    return rng.choice(["Licensing keeps listed goods from the wrong end users.", "A catch-all clause applies."])


# --- One student ----------------------------------------------------------------------------------


@dataclass
class Result:
    """What the students did: every request's step, status and time; what each sent for each answer."""

    timings: list = field(default_factory=list)  # (step, status, ms, when it ended: perf_counter seconds)
    # {attempt id: {question id: {"sent": last value sent, "stored": last value acknowledged, "saves": n}}}
    answers: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)  # (username, message)
    started: float = 0.0
    finished: float = 0.0
    load: float = 0.0  # the machine's one-minute load average at the start
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, step, status, ms):
        with self.lock:
            self.timings.append((step, status, ms, time.perf_counter()))


class Student:
    def __init__(self, base_url, plan, entry, result, rng, changes, think):
        split = urlsplit(base_url)
        self.host, self.port = split.hostname, split.port or 80
        self.plan, self.username, self.result = plan, entry["username"], result
        self.cookies = {plan["session_cookie"]: entry["session"]}
        self.rng, self.changes, self.think = rng, changes, think
        self.arrived = False

    def request(self, step, method, path, body=None, headers=None):
        headers = dict(headers or {})
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            self.result.record(step, type(error).__name__, (time.perf_counter() - started) * 1000)
            raise StepFailed(f"{step}: {method} {path}: {type(error).__name__}: {error}") from error
        finally:
            connection.close()
        self.result.record(step, status, (time.perf_counter() - started) * 1000)
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if status != EXPECTED[step]:
            raise StepFailed(f"{step}: {method} {path} answered {status}: {content[:200]!r}")
        return response, content.decode("utf-8", "replace")

    def post_form(self, step, path, token):
        body = urlencode({"csrfmiddlewaretoken": token})
        return self.request(step, "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def take_quiz(self, gate):
        _response, html = self.request("quiz page", "GET", self.plan["quiz_url"])
        page = read_page(html)
        start = next((action for action in page.forms if action.rstrip("/").endswith("/start")), None)
        if start is None or page.csrf is None:
            raise StepFailed("quiz page: no start form (is the student enrolled, the quiz open?)")
        self.arrive(gate)
        response, _html = self.post_form("start", start, page.csrf)
        attempt_path = urlsplit(urljoin(self.plan["quiz_url"], response.headers["Location"])).path
        _response, html = self.request("attempt page", "GET", attempt_path)
        page = read_page(html)
        if not page.questions or page.save_url is None or page.csrf is None:
            raise StepFailed(f"attempt page {attempt_path}: no questions, save address or CSRF token")
        attempt_id = int(attempt_path.rstrip("/").rpartition("/")[2])
        answers = self.result.answers.setdefault(attempt_id, {})
        order = list(page.questions) + self.rng.sample(page.questions, min(self.changes, len(page.questions)))
        for question in order:
            self.save(page, question, answers)
        self.post_form("submit", f"{attempt_path}submit/", page.csrf)

    def save(self, page, question, answers):
        if self.think:
            time.sleep(self.rng.uniform(0, 2 * self.think))
        answer = answer_to(question, self.rng)
        mark = answers.setdefault(question.id, {"sent": None, "stored": None, "saves": 0, "acknowledged": False})
        mark["sent"] = answer
        body = json.dumps({"question": question.id, "answer": answer, "sequence": question.sequence})
        _response, content = self.request("save", "POST", page.save_url, body.encode(), {
            "Content-Type": "application/json", "X-CSRFToken": page.csrf,
        })
        question.sequence = json.loads(content)["sequence"]  # what the next save of it builds on
        mark.update(stored=answer, saves=mark["saves"] + 1, acknowledged=True)

    def arrive(self, gate):
        """Wait at the gate until every student has the quiz page (once; also after a failure)."""
        if not self.arrived:
            self.arrived = True
            gate.wait()

    def run(self, gate):
        try:
            self.take_quiz(gate)
        except StepFailed as failure:
            with self.result.lock:
                self.result.failures.append((self.username, str(failure)))
        except Exception as error:  # a bug in the client must not pass unnoticed
            with self.result.lock:
                self.result.failures.append((self.username, f"{type(error).__name__}: {error}"))
        finally:
            self.arrive(gate)  # one who fails before the gate must not keep the others waiting


def run(base_url, plan, changes=3, think=0.0, seed=1):
    """Every student of ``plan`` takes the quiz at ``base_url``, all starting at once; returns the Result."""
    result = Result()
    students = [
        Student(base_url, plan, entry, result, random.Random(seed * 100_003 + number), changes, think)
        for number, entry in enumerate(plan["students"])
    ]
    gate = threading.Barrier(len(students) + 1)
    threads = [threading.Thread(target=student.run, args=(gate,), daemon=True) for student in students]
    for thread in threads:
        thread.start()
    gate.wait()  # every student has the quiz page open
    result.started, result.load = time.perf_counter(), os.getloadavg()[0]
    for thread in threads:
        thread.join()
    result.finished = time.perf_counter()
    return result


# --- What the run shows, and the check against the database ---------------------------------------


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(result, students):
    seconds = result.finished - result.started
    saves = [(ms, at) for step, status, ms, at in result.timings if step == "save" and status == EXPECTED["save"]]
    window = max(at for _ms, at in saves) - min(at - ms / 1000 for ms, at in saves) if saves else 0
    lines = [
        f"{students} students, released together; {seconds:.1f} s from the first start to the last submit "
        f"(load average {result.load:.1f} on {os.cpu_count()} CPUs when it began).",
        f"Answers saved: {len(saves)}, {len(saves) / seconds:.1f} per second over the run, "
        f"{len(saves) / window if window else 0:.1f} per second between the first save and the last.",
    ]
    for step in EXPECTED:
        times = [ms for name, status, ms, _at in result.timings if name == step and status == EXPECTED[step]]
        if times:
            lines.append(
                f"  {step:<13} {len(times):>5} ok   p50 {percentile(times, 0.5):7.1f} ms   "
                f"p95 {percentile(times, 0.95):7.1f} ms   max {max(times):7.1f} ms   "
                f"mean {statistics.fmean(times):7.1f} ms"
            )
    errors = Counter((step, status) for step, status, _ms, _at in result.timings if status != EXPECTED[step])
    if errors:
        lines.append("Errors (step, status: count): " + ", ".join(
            f"{step} {status}: {count}" for (step, status), count in sorted(errors.items(), key=str)
        ))
    else:
        lines.append("Errors: none (every request answered as expected).")
    for username, message in result.failures[:10]:
        lines.append(f"  {username}: {message}")
    if len(result.failures) > 10:
        lines.append(f"  ... and {len(result.failures) - 10} more students who stopped")
    return lines


@dataclass
class Verdict:
    ok: bool
    lines: list


def verify(result):
    """Whether every answer the students sent is stored, as the value each sent last, saved as
    often as they saved it; and every attempt submitted. Asks the database through Django."""
    from assessments.quiz_models import Attempt, Response

    sent = {
        (attempt_id, question_id): mark
        for attempt_id, questions in result.answers.items()
        for question_id, mark in questions.items()
    }
    stored = {
        (attempt_id, question_id): (answer, sequence)
        for attempt_id, question_id, answer, sequence in Response.objects.filter(
            attempt_id__in=list(result.answers)
        ).values_list("attempt_id", "question_id", "answer", "sequence")
    }
    problems = defaultdict(list)
    for key, mark in sent.items():
        if not mark["acknowledged"] or mark["sent"] != mark["stored"]:
            problems["sent but refused (its save failed)"].append(key)
        elif key not in stored:
            problems["acknowledged but not stored"].append(key)
        elif stored[key][0] != mark["stored"]:
            problems["stored with another value"].append(key)
        elif stored[key][1] != mark["saves"]:
            problems["stored after another number of saves"].append(key)
    extra = [key for key in stored if key not in sent]
    if extra:
        problems["stored without being sent"] = extra
    open_attempts = Attempt.objects.filter(pk__in=list(result.answers), status=Attempt.Status.IN_PROGRESS).count()
    lines = [
        f"Database check: {len(sent)} answers sent (last values, {sum(m['saves'] for m in sent.values())} saves), "
        f"{len(stored)} Response rows stored for the run's {len(result.answers)} attempts; "
        f"{open_attempts} attempts left unsubmitted."
    ]
    for what, keys in problems.items():
        lines.append(f"  LOST: {len(keys)} {what}, e.g. (attempt, question) {keys[:3]}")
    ok = not problems and not open_attempts and not result.failures and len(sent) > 0
    lines.append("Every answer sent is stored as sent." if ok else "FAILED: answers were lost or students stopped.")
    return Verdict(ok, lines)


def server_cpu_seconds(pid):
    """CPU time used so far by the children of ``pid`` (gunicorn's workers), from Linux's /proc."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # from the 3rd field on: state, ppid, ...
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            ticks += int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plan", required=True, help="The plan seed.py wrote.")
    parser.add_argument("--base-url", default="http://127.0.0.1:8765")
    parser.add_argument("--changes", type=int, default=3, help="Answers each student changes after a first save.")
    parser.add_argument("--think", type=float, default=0.0,
                        help="Mean seconds a student thinks before each save (default 0: as fast as the server).")
    parser.add_argument("--server-pid", type=int, help="gunicorn's master: report the CPU its workers used.")
    args = parser.parse_args(argv)
    with open(args.plan, encoding="utf-8") as handle:
        plan = json.load(handle)
    print(f"{len(plan['students'])} students take the quiz at {args.base_url}{plan['quiz_url']} "
          f"({plan['questions']} questions, {args.changes} answers changed each)...")
    cpu_before = server_cpu_seconds(args.server_pid) if args.server_pid else None
    result = run(args.base_url, plan, changes=args.changes, think=args.think)
    print("\n".join(report(result, len(plan["students"]))))
    if cpu_before is not None:
        cpu = server_cpu_seconds(args.server_pid) - cpu_before
        print(f"Server CPU: the workers used {cpu:.1f} CPU-seconds for the {len(result.timings)} requests, "
              f"{1000 * cpu / max(len(result.timings), 1):.1f} ms a request on average; the rest of each request's "
              "time was spent waiting (for a worker, a CPU, the database).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")
    import django

    django.setup()
    verdict = verify(result)
    print("\n".join(verdict.lines))
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
