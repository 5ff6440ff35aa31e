"""The crash test: gunicorn (the deployment server) takes sign-ups from concurrent clients and is killed with
SIGKILL mid-stream. After a restart every sign-up that got a success answer is there, none twice; sending every
sign-up again (what a client does after an error) stores each exactly once, with its mails."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

from endpoint_testing import env, free_port, make_project, post_form, signup, wait_for
from hasselthelpt.endpoint.storage import open_storage

CLIENTS = 8
KILL_AFTER = 150  # acknowledged sign-ups before the kill
HEADERS = {"Sec-Fetch-Site": "same-origin", "Accept": "application/json"}


def start_gunicorn(root, port: int) -> subprocess.Popen:
    environment = {**os.environ, **env(root, HH_PROJECT=str(root), HH_RATE_LIMIT="100000/60",
                                       HH_SMTP_HOST="127.0.0.1", HH_SMTP_PORT=str(free_port()))}
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                             "--worker-class", "gthread", "--threads", "4", "--log-level", "warning",
                             "hasselthelpt.endpoint.wsgi:app()"], env=environment, cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_sign_ups_survive_sigkill(tmp_path):
    project = make_project(tmp_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_gunicorn(project.root, port)
    attempted: list[str] = []
    acked: list[str] = []
    lock = threading.Lock()
    killed = threading.Event()

    def client(n: int) -> None:
        for i in range(400):  # bounded
            sid = str(uuid.uuid4())
            with lock:
                attempted.append(sid)
            try:
                answer = post_form(url + "/aanmelding", signup(submission_id=sid, name=f"Client {n} nr {i}"), HEADERS)
            except (OSError, http.client.HTTPException):  # refused, reset, or an answer cut off by the kill
                if killed.is_set():
                    return
                time.sleep(0.01)
                continue
            if answer.status == 200 and answer.json()["ok"]:
                with lock:
                    acked.append(sid)

    try:
        wait_for(url + "/health", 30)
        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        while len(acked) < KILL_AFTER and time.monotonic() < deadline:
            time.sleep(0.005)
        killed.set()
        os.killpg(server.pid, signal.SIGKILL)  # master and workers, mid-stream
        server.wait(timeout=10)
        for t in threads:
            t.join(timeout=30)
        assert len(acked) >= KILL_AFTER, f"only {len(acked)} sign-ups before the deadline"

        storage = open_storage(str(project.root / "var" / "test.sqlite3"))
        keys = [r.idem_key for r in storage.records()]
        assert len(keys) == len(set(keys)), "a sign-up was stored twice"
        missing = {f"c:aanmelding:{sid}" for sid in acked} - set(keys)
        assert not missing, f"{len(missing)} acknowledged sign-up(s) lost"
        print(f"\ncrash test: {len(attempted)} sent, {len(acked)} acknowledged, {len(keys)} stored at the kill")

        server = start_gunicorn(project.root, port)  # restart; every client sends everything again
        wait_for(url + "/health", 30)
        for sid in attempted:
            answer = post_form(url + "/aanmelding", signup(submission_id=sid), HEADERS)
            assert answer.status == 200 and answer.json()["ok"], answer.text
        records = storage.records()
        assert sorted(r.idem_key for r in records) == sorted(f"c:aanmelding:{sid}" for sid in attempted)
        state = storage.outbox_state()
        assert state.pending + state.sent == 2 * len(records)  # each with its two mails, never without
        storage.close()
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
