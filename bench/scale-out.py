#!/usr/bin/env python3
"""Scale-out bench: the built app as web + N worker processes (+ a scoring process) over a throwaway PostgreSQL
cluster and the local S3 server (tests/s3-server), all on 127.0.0.1. Prints numbers; asserts nothing.

  1. 4 queued generate+train runs (100,000 rows, 200 trees each) with 1 worker, then with 2: wall time to all Ready.
  2. The scoring process under wrk, idle and while a worker trains: requests/s and latency.

Needs: dotnet build -c Release src/LynqDashboard.Web; Debian postgresql and wrk; npm ci in tests/s3-server (./test.sh does).
Usage: bench/scale-out.py [--rows 100000] [--trees 200] [--runs 4] [--workers 1,2]
"""
import argparse
import glob
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DLL = os.path.join(ROOT, "src/LynqDashboard.Web/bin/Release/net10.0/LynqDashboard.Web.dll")
ADMIN, PASSWORD, KEY = "admin@lynq.test", "Bench-Password-2026", "bench-scale-out-key-0123456789"
APPLICANT = ('{"wallet_address":"0xabc","wallet_age_days":365,"total_transactions":150,"total_volume_usd":50000,"defi_interactions":25,'
             '"loan_amount":1000,"collateral_value_usd":1500,"term_months":3,"previous_loans":2,"successful_repayments":2,"defaults":0,"reputation_score":75}')


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, seconds=90, accept=lambda body: True):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            body = urllib.request.urlopen(url, timeout=2).read().decode()
            if accept(body):
                return body
        except Exception:
            pass
        time.sleep(0.2)
    raise TimeoutError(url)


class Cluster:
    """initdb + postgres as the postgres user (initdb refuses root), fsync off: a bench, not a store."""

    def __init__(self, work):
        self.dir = os.path.join(work, "pg")
        os.makedirs(self.dir)
        bin_dir = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if as_pg:
            shutil.chown(work, "postgres")
            shutil.chown(self.dir, "postgres")
        subprocess.run(as_pg + [f"{bin_dir}/initdb", "-D", f"{self.dir}/data", "-U", "lynq", "--auth=trust", "--no-sync"], check=True, stdout=subprocess.DEVNULL)
        self.port = free_port()
        self.proc = subprocess.Popen(as_pg + [f"{bin_dir}/postgres", "-D", f"{self.dir}/data", "-p", str(self.port), "-k", self.dir,
                                              "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=300"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.psql = [f"{bin_dir}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "lynq", "-d", "postgres", "-q", "-c"]
        for _ in range(100):
            if subprocess.run(self.psql + ["select 1"], capture_output=True).returncode == 0:
                return
            time.sleep(0.2)
        raise TimeoutError("postgres")

    def database(self, name):
        subprocess.run(self.psql + [f'create database "{name}"'], check=True)
        return f"Host=127.0.0.1;Port={self.port};Username=lynq;Database={name}"

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


class App:
    def __init__(self, work, name, env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        data = os.path.join(work, name)
        os.makedirs(data, exist_ok=True)
        full = dict(os.environ, LYNQ_DATA_DIR=data, Logging__LogLevel__Default="Warning", **env)
        self.log = open(os.path.join(work, f"{name}.log"), "w")
        self.proc = subprocess.Popen(["dotnet", DLL, "--urls", self.url], cwd=data, env=full, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            wait_http(self.url + "/health")
        except TimeoutError:
            self.stop()
            with open(os.path.join(work, f"{name}.log")) as f:
                raise RuntimeError(f"{name} did not start:\n" + "".join([l for l in f.readlines() if not l.lstrip().startswith("at ")][-8:]))

    def stop(self):
        self.proc.kill()
        self.proc.wait()
        self.log.close()


class Dashboard:
    """The dashboard API through the real sign-in form, like a script would use it."""

    def __init__(self, url):
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        form = self.opener.open(url + "/account/login").read().decode()
        token = re.search(r'name="__RequestVerificationToken" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode({"_handler": "login", "__RequestVerificationToken": token.replace("&#x2B;", "+").replace("&#x2F;", "/").replace("&#x3D;", "="),
                                       "Input.Email": ADMIN, "Input.Password": PASSWORD}).encode()
        self.opener.open(url + "/account/login", data)
        self.xsrf = json.loads(self.opener.open(url + "/api/dashboard/antiforgery").read())["token"]

    def post(self, path, body):
        request = urllib.request.Request(self.url + path, json.dumps(body).encode(), {"Content-Type": "application/json", "X-XSRF-TOKEN": self.xsrf})
        return json.loads(self.opener.open(request).read())

    def get(self, path):
        return json.loads(self.opener.open(self.url + path).read())


def s3_bucket(s3, name):
    urllib.request.urlopen(urllib.request.Request(f"{s3}/{name}", method="PUT"))
    return name


def shared_env(cluster, s3, tag):
    return {
        "LYNQ_STORAGE": "PostgreSQL", "LYNQ_DB": cluster.database(tag), "LYNQ_ARTIFACT_BUCKET": s3_bucket(s3, f"{tag}-artifacts"),
        "Lynq__Promotion__ServiceUrl": s3, "Lynq__Promotion__ForcePathStyle": "true", "LYNQ_PROMOTION_BUCKET": s3_bucket(s3, f"{tag}-models"),
        "Lynq__Promotion__Gates__MaxCalibrationError": "0.2",
        "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1",
        "LYNQ_ADMIN_EMAIL": ADMIN, "LYNQ_ADMIN_PASSWORD": PASSWORD, "LYNQ_API_KEYS": KEY, "Lynq__Scoring__PermitsPerMinute": "10000000",
    }


def wait_ready(api, ids, seconds=3600):
    deadline = time.time() + seconds
    while time.time() < deadline:
        states = {v["id"]: v["status"] for v in api.get("/api/dashboard/versions")}
        if all(states.get(i) not in (None, "Queued", "Running") for i in ids):
            return states
        time.sleep(0.5)
    raise TimeoutError("runs")


def wrk(url, seconds, connections=32):
    script = os.path.join(tempfile.gettempdir(), "lynq-wrk.lua")
    with open(script, "w") as f:
        f.write(f"wrk.method = \"POST\"\nwrk.body = '{APPLICANT}'\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.headers[\"X-API-KEY\"] = \"{KEY}\"\n")
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script, url + "/api/ml/credit-score"], capture_output=True, text=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)
    errors = "; ".join(line.strip() for line in out.splitlines() if "Non-2xx" in line or "Socket errors" in line) or "none"
    return f"{float(rps):,.0f} req/s, p50 {p50}, p99 {p99}, errors: {errors}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--trees", type=int, default=200)
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="lynq-scale-bench-")
    cluster = Cluster(work)
    s3_proc = subprocess.Popen(["node", "start.mjs"], cwd=os.path.join(ROOT, "tests/s3-server"), stdout=subprocess.PIPE, text=True)
    s3 = s3_proc.stdout.readline().strip()
    apps = []
    try:
        print(f"machine: {os.cpu_count()} cores; {args.runs} runs of {args.rows:,} rows and {args.trees} trees each")
        for count in [int(w) for w in args.workers.split(",")]:
            env = shared_env(cluster, s3, f"w{count}")
            web = App(work, f"web-{count}", dict(env, LYNQ_ROLE="web"))
            workers = [App(work, f"worker-{count}-{i}", dict(env, LYNQ_ROLE="worker")) for i in range(count)]
            apps += [web, *workers]
            api = Dashboard(web.url)
            started = time.time()
            ids = [api.post("/api/dashboard/runs", {"dataset": {"rows": args.rows, "seed": 100 + i}, "training": {"trees": args.trees, "seed": i}})["version_id"]
                   for i in range(args.runs)]
            states = wait_ready(api, ids)
            elapsed = time.time() - started
            print(f"{count} worker(s): {args.runs} runs to Ready in {elapsed:.1f} s ({elapsed / args.runs:.1f} s per run); statuses {sorted(set(states[i] for i in ids))}")

            if count == max(int(w) for w in args.workers.split(",")) and shutil.which("wrk"):
                api.post("/api/dashboard/promotions", {"version": 1})
                scoring = App(work, f"scoring-{count}", dict(env, LYNQ_ROLE="scoring", MODEL_SOURCE="s3", S3_BUCKET=env["LYNQ_PROMOTION_BUCKET"],
                                                               Lynq__Scoring__S3ServiceUrl=s3, Lynq__Scoring__S3ForcePathStyle="true", Lynq__Scoring__RefreshSeconds="1"))
                apps.append(scoring)
                wait_http(scoring.url + "/health", 60, lambda body: '"model_version":"1"' in body)
                wrk(scoring.url, 3)
                for connections in (32, 8):
                    print(f"scoring process, workers idle, wrk -c{connections}:      {wrk(scoring.url, 10, connections)}")
                # Long enough to cover both wrk runs: three times the rows, ten times the trees.
                training = api.post("/api/dashboard/runs", {"dataset": {"rows": args.rows * 3, "seed": 999}, "training": {"trees": args.trees * 10, "seed": 9}})["version_id"]
                while api.get(f"/api/dashboard/versions/{training}")["status"] != "Running":
                    time.sleep(0.2)
                for connections in (32, 8):
                    print(f"scoring process, a worker training, wrk -c{connections}: {wrk(scoring.url, 10, connections)}")
                state = api.get(f"/api/dashboard/versions/{training}")
                print(f"  (the training was {state['status']} at {state['fraction']:.0%}, {state['done']} trees, when wrk ended)")
            for app in [web, *workers]:
                app.stop()
    finally:
        for app in apps:
            if app.proc.poll() is None:
                app.stop()
        s3_proc.kill()
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
