"""Scale-out: two endpoint instances (gunicorn, as the systemd unit runs them) on one PostgreSQL, posted to
directly or through nginx (the rendered site, whose upstream lists both). They share one rate limit, and when one
is killed with SIGKILL while both take sign-ups, every sign-up that was acknowledged is in the database, once;
the other instance goes on taking sign-ups."""

from __future__ import annotations

import http.client
import itertools
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest

from endpoint_testing import env, free_port, make_project, post_form, signup, wait_for
from hasselthelpt import deploy
from hasselthelpt.endpoint.storage import PostgresStorage
from nginx_testing import installation, main_conf, release, running_nginx

API = "/hasselthelpt/api"

CLIENTS = 6
KILL_AFTER = 80  # acknowledged sign-ups before the kill
AFTER_KILL = 40  # and acknowledged by the survivor afterwards
JSON = {"Sec-Fetch-Site": "same-origin", "Accept": "application/json"}


def start_instance(root, port: int, database: str, proxies: int) -> subprocess.Popen:
    environment = {**os.environ, **env(root, HH_PROJECT=str(root), HH_DATABASE=database, HH_RATE_LIMIT="5/600",
                                       HH_TRUSTED_PROXIES=str(proxies), HH_SMTP_HOST="127.0.0.1",
                                       HH_SMTP_PORT=str(free_port())), "SCRIPT_NAME": API}
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                             "--worker-class", "gthread", "--threads", "4", "--log-level", "warning",
                             "hasselthelpt.endpoint.wsgi:app()"], env=environment, cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def post(url: str, sid: str, address: str):
    return post_form(url + "/aanmelding", signup(submission_id=sid), {**JSON, "X-Forwarded-For": address})


@pytest.fixture(params=["direct", "nginx"])
def route(request, tmp_path):
    """(ports of the two instances, the URL clients post to for each instance, trusted proxies). Through nginx
    both URLs are nginx's: it picks a live instance; the test client plays the city's outer proxy, hence 2."""
    ports = (free_port(), free_port())
    if request.param == "direct":
        yield ports, [f"http://127.0.0.1:{p}{API}" for p in ports], 1
        return
    port = free_port()
    inst = installation(tmp_path / "nginx", port, endpoint_ports=ports)
    deploy.write(inst, inst.config_dir)
    release(inst)
    with running_nginx(tmp_path / "nginx", main_conf(tmp_path / "nginx", inst.config_dir / "nginx" /
                                                                     "hasselthelpt.conf")):
        yield ports, [f"http://127.0.0.1:{port}{API}"] * 2, 2


def test_two_instances_share_the_rate_limit_and_lose_no_sign_up(tmp_path, pg_url, route):
    project = make_project(tmp_path / "project")
    ports, urls, proxies = route
    servers = [start_instance(project.root, port, pg_url, proxies) for port in ports]
    try:
        for port in ports:
            wait_for(f"http://127.0.0.1:{port}{API}/health", 30)

        # One client, alternating between the instances: 5 posts in the window in all, not 5 per instance
        # (nor 5 per worker).
        statuses = [post(urls[n % 2], f"limit-{n:04d}-{uuid.uuid4()}", "203.0.113.9").status for n in range(8)]
        assert statuses == [200] * 5 + [429] * 3

        acked: dict[str, int] = {}  # submission id -> instance that acknowledged it
        lock = threading.Lock()
        killed = threading.Event()
        done = threading.Event()

        def client(n: int) -> None:
            rng = random.Random(n)
            for i in itertools.count():
                if done.is_set() or i > 2000:
                    return
                target = i % 2
                if killed.is_set() and target == 1:
                    target = 0  # what a load balancer does once the instance is gone
                sid = str(uuid.uuid4())
                address = f"10.{n}.{rng.randrange(256)}.{rng.randrange(256)}"  # many clients: no rate limit
                try:
                    answer = post(urls[target], sid, address)
                except (OSError, http.client.HTTPException):  # a reply cut off by the kill (through nginx)
                    continue  # the killed instance: no (whole) answer, so nothing was promised
                if answer.status == 200 and answer.json()["ok"]:
                    with lock:
                        acked[sid] = target

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 60
        while len(acked) < KILL_AFTER and time.monotonic() < deadline:
            time.sleep(0.005)
        os.killpg(servers[1].pid, signal.SIGKILL)  # master and workers of the second instance, mid-stream
        killed.set()
        servers[1].wait(timeout=10)
        at_kill = len(acked)
        while len(acked) < at_kill + AFTER_KILL and time.monotonic() < deadline + 30:
            time.sleep(0.01)
        done.set()
        for t in threads:
            t.join(timeout=30)

        assert at_kill >= KILL_AFTER and len(acked) >= at_kill + AFTER_KILL, (at_kill, len(acked))
        storage = PostgresStorage(pg_url)
        try:
            keys = [r.idem_key for r in storage.records() if r.idem_key.startswith("c:aanmelding:")]
            assert len(keys) == len(set(keys)), "a sign-up was stored twice"
            missing = {f"c:aanmelding:{sid}" for sid in acked} - set(keys)
            assert not missing, f"{len(missing)} acknowledged sign-up(s) lost"
        finally:
            storage.close()
        print(f"\nscale-out ({'direct' if proxies == 1 else 'nginx'}): {len(acked)} acknowledged "
              f"({at_kill} before the kill), {len(keys)} stored")
    finally:
        for server in servers:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
