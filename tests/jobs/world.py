"""An export world for tests and the benchmark: the sandbox Jira served over HTTP in a thread, a SQLite
database the workers share, a tenant installed on both sides, a batch of approved drafts, and real
`dramatiq` worker processes (Redis) or the embedded in-process worker."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import redis
from cryptography.fernet import Fernet

from app.config import Config
from app.connect.descriptor import descriptor
from app.jira import JiraClient
from app.store import Run, Store
from jobs.export_cache import ResolvedRuns
from jobs.exporter import Exporter
from jobs.settings import JobSettings
from jobs.throttle import LocalPaces, TenantGate
from sandbox import SandboxSettings
from sandbox.store import Installation
from tests.conftest import PG_URL, REDIS_URL, ROOT, UWEC
from tests.sandbox.conftest import APP_KEY, ServerThread, open_site
from tests.sandbox.helpers import SandboxAdmin
from tests.served import free_port
from ticketgen.drafts.model import Draft, Source, Table

T = TypeVar("T")
PROJECT = "UWEC"
DRAFTING_DEADLINE_S = 120


def uwec_drafts() -> list[Draft]:
    from ticketgen.planner import plan
    from ticketgen.spec import load
    from ticketgen.writers.template import TemplateWriter

    spec = load([(p.name, p.read_bytes()) for p in sorted(UWEC.glob("*.csv"))])
    planned = plan(spec, labels=["drupal-spec"]).drafts
    return asyncio.run(TemplateWriter().write(planned)).drafts


def synthetic_drafts(count: int, *, oversized: int = 1, seed: int = 7) -> list[Draft]:
    """`count` drafts in layers, each depending on one or two drafts of earlier layers (≈1.5 links per
    draft); the first `oversized` ones carry a table too big for a Jira description."""
    import random

    rng = random.Random(seed)
    drafts: list[Draft] = []
    for i in range(count):
        rows = [
            [f"field_{i}_{r}", "Text (plain)", "x" * 40, "Required"]
            for r in range(900 if i < oversized else 4)
        ]
        earlier = [d.key for d in drafts[: max(0, i - i % 20)]]  # blockers from earlier layers of 20
        depends = rng.sample(earlier, k=min(len(earlier), rng.choice((1, 2)))) if earlier else []
        drafts.append(
            Draft(
                key=f"bundle:item_{i:04d}",
                kind="bundle",
                summary=f"Content type: Item {i}",
                tables=[Table("Fields", ["Machine name", "Type", "Description", "Required"], rows)],
                sources=[Source("bundles.csv", [i + 2])],
                user_story=f"As an editor I can create Item {i} content.",
                criteria=[f"Item {i} exists", "Fields match the table"],
                labels=["drupal-spec"],
                depends_on=depends,
            )
        )
    return drafts


def until(check: Callable[[], object], *, what: str, timeout_s: float = 60) -> None:
    """Polls a condition (the deadline is against hangs, not a timing assertion)."""
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@dataclass
class Site(SandboxAdmin):
    """The sandbox Jira, its admin endpoints and direct (read-only) access to what it stored."""

    sandbox: Any
    server: ServerThread
    shared_secret: str

    def issues_by_draft(self, batch_id: str) -> dict[str, list[Any]]:
        store = self.sandbox.state.store
        props = store.all_properties()
        found: dict[str, list[Any]] = {}
        for issue in store.issues(PROJECT):
            marker = props.get(issue.id, {}).get("ticketgen") or {}
            if marker.get("batchId") == batch_id:
                found.setdefault(marker["draftKey"], []).append(issue)
        return found

    def close(self) -> None:
        self.server.__exit__()
        self.sandbox.close()


def open_sandbox(data_dir: Path, settings: SandboxSettings | None = None) -> Site:
    sandbox, server = open_site(data_dir, settings or SandboxSettings())
    secret = secrets.token_urlsafe(32)
    doc = descriptor(base_url=sandbox.state.app_base_url, app_key=APP_KEY)
    sandbox.state.store.save_installation(
        Installation(sandbox.state.settings.client_key, APP_KEY, secret, sandbox.state.app_base_url, doc)
    )
    server.__enter__()
    return Site(sandbox=sandbox, server=server, base_url=sandbox.base_url, shared_secret=secret)


@contextmanager
def postgres_database(prefix: str = "ticketgen_jobs") -> Iterator[str]:
    """A new empty PostgreSQL database on the test server (`TEST_DATABASE_URL`), dropped afterwards."""
    from sqlalchemy import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    async def admin(sql: str) -> None:
        engine = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as conn:
                await conn.exec_driver_sql(sql)
        finally:
            await engine.dispose()

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# Injected timeouts hold the answer longer than the worker waits, so they always time out.
CLIENT_TIMEOUT_S = 4
HELD_S = CLIENT_TIMEOUT_S + 2


@dataclass
class World:
    """The add-on's side: database, Config and the tenant that the sandbox site installed."""

    data_dir: Path
    site: Site
    secret_key: str = field(default_factory=lambda: Fernet.generate_key().decode())
    namespace: str = field(default_factory=lambda: f"tg-test-{uuid.uuid4().hex[:10]}")
    tenant_id: str = ""
    database_url: str = ""  # default: a SQLite file in data_dir

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{(self.data_dir / 'jobs.db').resolve()}"

    def config(self) -> Config:
        return Config(
            data_dir=self.data_dir, database_url=self.db_url, secret_key=self.secret_key, app_key=APP_KEY
        )

    def db(self, fn: Callable[[Store], Awaitable[T]]) -> T:
        async def go() -> T:
            async with Store(url=self.db_url, secret_key=self.secret_key) as store:
                return await fn(store)

        return asyncio.run(go())

    def install(self) -> None:
        async def go(store: Store) -> str:
            await store.migrate()
            tenant = await store.upsert_tenant(
                self.site.sandbox.state.settings.client_key,
                shared_secret=self.site.shared_secret,
                base_url=self.site.base_url,
            )
            return tenant.id

        self.tenant_id = self.db(go)

    def approved_batch(
        self, drafts: Sequence[Draft], *, run: bool = True, existing_issues: str | None = None
    ) -> tuple[str, str]:
        """A batch with these drafts, approved; with `run`, its export run is created (queued); with
        `existing_issues`, submitted with that choice for drafts already in Jira before the approval."""

        async def go(store: Store) -> tuple[str, str]:
            t = self.tenant_id
            batch = await store.create_batch(t, project_key=PROJECT, project_id="10000", name="UWEC")
            for to, expect in (("validated", "uploaded"), ("drafting", "validated"), ("drafted", "drafting")):
                assert await store.transition(t, batch.id, to=to, expect={expect})
            await store.replace_drafts(t, batch.id, drafts)
            if existing_issues is None:
                assert await store.approve(t, batch.id, by="tester", expect={"drafted"})
            else:
                assert await store.submit(t, batch.id, by="tester", existing_issues=existing_issues)
                assert await store.approve(t, batch.id, by="tester")
            created = await store.create_run(t, batch.id, "export", created_by="tester") if run else None
            return batch.id, created.id if created else ""

        return self.db(go)

    def run(self, run_id: str) -> Run:
        run = self.db(lambda s: s.get_run(self.tenant_id, run_id))
        assert run is not None
        return run

    def wait(self, run_id: str, *, until: Callable[[Run], bool] | None = None, timeout_s: float = 90) -> Run:
        """Polls the run (a deadline against hangs, not a timing assertion)."""
        done = until or (lambda r: r.finished)
        deadline = time.monotonic() + timeout_s

        async def poll(store: Store) -> Run:
            # one connection for the whole wait: the sandbox's server thread shares this process's GIL
            while True:
                run = await store.get_run(self.tenant_id, run_id)
                assert run is not None
                if done(run):
                    return run
                if time.monotonic() > deadline:
                    raise AssertionError(f"run {run_id} did not get there in {timeout_s} s: {run}")
                await asyncio.sleep(0.05)

        return self.db(poll)

    def records(self, batch_id: str) -> dict[str, Any]:
        return self.db(lambda s: s.list_export_records(self.tenant_id, batch_id))

    def batch_status(self, batch_id: str) -> str:
        batch = self.db(lambda s: s.get_batch(self.tenant_id, batch_id))
        assert batch is not None
        return str(batch.status)

    def worker_env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ANTHROPIC_"))}
        env.update(
            REDIS_URL=REDIS_URL,
            JOBS_NAMESPACE=self.namespace,
            DATABASE_URL=self.db_url,
            SECRET_KEY=self.secret_key,
            DATA_DIR=str(self.data_dir),
            APP_KEY=APP_KEY,
            dramatiq_worker_timeout="100",
            dramatiq_restart_delay="100",
            JOBS_LEASE_MS="1500",
            # short, so injected timeouts cost little, yet above the slowest answer of a sandbox sharing a
            # loaded 2-core machine with the tests around it (over 2 s seen)
            JIRA_TIMEOUT_S=str(CLIENT_TIMEOUT_S),
            JOBS_BACKOFF_MS="200",
            JOBS_BACKOFF_MAX_MS="2000",
            PYTHONPATH=str(ROOT),
        )
        env.update(extra)
        # the injected timeouts hold bulk creates too: they must time out like every other request here
        env.setdefault("JIRA_BULK_TIMEOUT_S", env["JIRA_TIMEOUT_S"])
        return env

    def flush_redis(self) -> None:
        """Only this world's keys: other tests share the Redis server."""
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{self.namespace}*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


class WorkerProcess:
    """`dramatiq jobs.actors` as production starts it, in its own process group (so kill -9 reaches the
    forked worker processes too); with `command="ticketgen"`, through `ticketgen worker` and its settings."""

    def __init__(
        self, world: World, *, processes: int = 1, threads: int = 4, command: str = "dramatiq", **env: str
    ) -> None:
        self.world = world
        self.processes = processes
        head = [str(Path(sys.executable).with_name(command))] + (
            ["worker"] if command == "ticketgen" else ["jobs.actors"]
        )
        self.args = [*head, "--processes", str(processes), "--threads", str(threads)]
        self.env = world.worker_env(**env)
        self.log = world.data_dir / "worker.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> WorkerProcess:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                self.args,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def wait_ready(self, timeout_s: float = 120) -> WorkerProcess:
        """Until every worker process has booted (a deadline against hangs, not a timing assertion)."""
        deadline = time.monotonic() + timeout_s
        while self.output(tail=None).count("Worker process is ready for action") < self.processes:
            if self.proc is None or self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the workers did not start: {self.output()}")
            time.sleep(0.05)
        return self

    def kill9(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # the main process stops its workers gracefully
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill9()
        self.proc = None

    def output(self, tail: int | None = 4000) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return text[-tail:] if tail else text


class AddonProcess(WorkerProcess):
    """`ticketgen serve` with `REDIS_URL` set, as production runs the web process beside the workers: its
    jobs go to Redis, none run inside it."""

    def __init__(self, of: World, **env: str) -> None:
        super().__init__(of, **env)
        self.url = f"http://127.0.0.1:{free_port()}"
        port = self.url.rsplit(":", 1)[1]
        self.args = [sys.executable, "-m", "ticketgen.cli", "serve", "--host", "127.0.0.1", "--port", port]
        self.env["BASE_URL"] = self.url
        self.log = of.data_dir / "addon.log"

    def start(self, *, deadline_s: float = 60) -> AddonProcess:
        super().start()
        deadline = time.monotonic() + deadline_s
        while True:
            assert self.proc is not None and self.proc.poll() is None, self.output()
            try:
                health: Any = httpx.get(f"{self.url}/healthz", timeout=2)
                if health.status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"ticketgen serve did not answer: {self.output()}")
            time.sleep(0.1)


def enqueue(world: World, actor: str, *args: str, queue: str = "exports") -> None:
    """Send a message the way the web process does in production (a RedisBroker in its namespace)."""
    import dramatiq
    from dramatiq.brokers.redis import RedisBroker

    broker = RedisBroker(url=REDIS_URL, namespace=world.namespace)
    try:
        broker.declare_queue(queue)
        broker.enqueue(dramatiq.Message(queue_name=queue, actor_name=actor, args=args, kwargs={}, options={}))
    finally:
        broker.close()


def check_export(world: World, batch_id: str, drafts: Sequence[Draft]) -> dict[str, Any]:
    """Every draft exactly once in the sandbox, every Blocks link with the blocker as the inward issue,
    every oversized draft's attachment; the export records agree. Returns the per-draft issues."""
    from ticketgen.adf import description_for

    site = world.site
    found = site.issues_by_draft(batch_id)
    keys = [d.key for d in drafts]
    duplicates = {k: [i.key for i in v] for k, v in found.items() if len(v) > 1}
    assert not duplicates, f"drafts created more than once: {duplicates}"
    missing = [k for k in keys if k not in found]
    assert not missing, f"drafts missing in Jira: {missing[:10]} (+{max(0, len(missing) - 10)})"
    assert set(found) == set(keys)
    issue = {k: v[0] for k, v in found.items()}
    store = site.sandbox.state.store
    links = {(link.inward_id, link.outward_id) for link in store.links()}
    wanted = {(issue[b].id, issue[d.key].id) for d in drafts for b in d.depends_on if b in issue}
    assert wanted <= links, f"{len(wanted - links)} Blocks links missing"
    assert not {(o, i) for i, o in wanted} & links, "a link points the wrong way"
    assert len(store.links()) == len(wanted), "links that no dependency asked for"
    oversized = [d for d in drafts if description_for(d).attachment is not None]
    for draft in oversized:
        files = store.attachments_of(issue[draft.key].id)
        assert len(files) == 1 and files[0].filename.endswith(".md"), (draft.key, files)
    assert store.attachment_count() == len(oversized)
    records = world.records(batch_id)
    assert {k: r.issue_key for k, r in records.items()} == {k: issue[k].key for k in keys}
    assert all(r.state == "created" for r in records.values())
    return issue


def resolve_once(world: World, batch_id: str, run_id: str, resolved: ResolvedRuns | None = None) -> Any:
    """One pass's `_resolve` (project, issue type, create screen, link type; payloads) as a process with
    nothing in memory runs it; `resolved` is where passes share it (default: nowhere else)."""

    async def go(store: Store) -> Any:
        tenant = await store.get_tenant(world.tenant_id)
        batch = await store.get_batch(world.tenant_id, batch_id)
        run = await store.get_run(world.tenant_id, run_id)
        assert tenant and batch and run
        drafts = await store.load_drafts(world.tenant_id, batch_id)
        site = world.site
        with JiraClient(base_url=site.base_url, app_key=APP_KEY, shared_secret=site.shared_secret) as jira:
            gate = TenantGate(tenant.id, paces=LocalPaces(), concurrency=2)
            exporter = Exporter(
                store=store, tenant=tenant, batch=batch, run=run, drafts=drafts, jira=jira, gate=gate,
                settings=JobSettings(), resolved=resolved or ResolvedRuns(None, world.namespace),
            )  # fmt: skip
            return await exporter._resolve()

    return world.db(go)
