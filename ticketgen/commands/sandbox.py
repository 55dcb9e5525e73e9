"""`ticketgen sandbox`: the add-on and the local Jira sandbox in one process on one port, installed.

The sandbox is mounted at `/sandbox` of the add-on's own app; after the server listens, the sandbox installs
the add-on and the project URL is printed. `--host connect` (the default): the signed `installed` callback,
verified with the sandbox's install key. `--host forge`: the add-on runs as a Forge remote trusting the
sandbox's FIT keys (in this mode only), gets the `installed` lifecycle event, then the scheduled trigger on
the manifest's interval. SIGTERM and Ctrl-C stop the server gracefully.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

DEFAULT_PORT = 8000


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT", DEFAULT_PORT)),
        help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--data-dir",
        default=os.environ.get("DATA_DIR", "data"),
        help="where the database, keys and sandbox state live (default ./data)",
    )
    parser.add_argument(
        "--host",
        default=None,
        help="the Atlassian host the sandbox plays: connect (default) or forge; any other value is taken as "
        "the address to bind, as --bind (kept for compatibility)",
    )
    parser.add_argument(
        "--bind",
        default=None,
        help="loopback address to bind (default $HOST or 127.0.0.1); the sandbox refuses any other",
    )
    parser.add_argument(
        "--links-afterwards",
        action="store_true",
        help="sandbox create screen without 'issuelinks' (links are created after the issues)",
    )
    parser.add_argument(
        "--cheap",
        action="store_true",
        help="benchmarks only: skip the ADF schema check of each description (real Jira's CPU is not ours)",
    )


ATLASSIAN_HOSTS = ("connect", "forge")


def run(args: argparse.Namespace) -> int:
    """`--host` names the Atlassian host; an address there is the bind address of earlier versions."""
    chosen = args.host
    args.atlassian = chosen if chosen in ATLASSIAN_HOSTS else "connect"
    bind = args.bind if args.bind is not None else None if chosen in ATLASSIAN_HOSTS else chosen
    args.host = bind if bind is not None else os.environ.get("HOST", "127.0.0.1")
    args.bind_option = "--bind" if args.bind is not None else "--host"  # how the refusal names it
    return asyncio.run(_serve(args))


_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost", "[::1]"})


def _exposed(host: str, base_url: str, option: str = "--host") -> str:
    """Why the sandbox would be reachable from elsewhere ("" when it would not)."""
    from urllib.parse import urlsplit

    if host not in _LOOPBACK and not host.startswith("127."):
        return f"{option} {host or '(all addresses)'} is not a loopback address"
    public = urlsplit(base_url.strip()).hostname if base_url.strip() else None
    if public and public not in _LOOPBACK and not public.startswith("127."):
        return f"BASE_URL {base_url.strip()} is not a loopback address"
    return ""


def _stop_quietly(*_: object) -> None:
    """Uvicorn re-raises the signal it shut down on; ending up here means a clean exit (status 0)."""


async def _serve(args: argparse.Namespace) -> int:
    import signal
    import socket
    from dataclasses import replace
    from pathlib import Path

    import uvicorn

    from app.config import Config
    from app.main import create_app
    from app.store import load_or_create_secret_key
    from sandbox import InstallError, Sandbox, SandboxSettings

    if not 0 <= args.port <= 65535:
        print(f"ticketgen sandbox: --port {args.port} is not a valid port", file=sys.stderr)
        return 2
    if exposed := _exposed(args.host, os.environ.get("BASE_URL", ""), args.bind_option):
        print(
            f"ticketgen sandbox: refusing to start: {exposed}. The sandbox's admin endpoints (token minting, "
            "reset, faults) have no authentication, so it serves this machine only; use `ticketgen serve` "
            "for a reachable add-on.",
            file=sys.stderr,
        )
        return 2
    data_dir = Path(args.data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        secret_key = os.environ.get("SECRET_KEY", "").strip() or load_or_create_secret_key(data_dir)
    except OSError as exc:
        print(f"ticketgen sandbox: cannot use data dir {data_dir}: {exc.strerror}", file=sys.stderr)
        return 2
    sock = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        print(f"ticketgen sandbox: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 2
    port = sock.getsockname()[1]
    base_url = os.environ.get("BASE_URL", "").strip().rstrip("/") or f"http://localhost:{port}"
    local_host = "127.0.0.1" if args.host in ("0.0.0.0", "::", "") else args.host
    internal_url = f"http://{f'[{local_host}]' if ':' in local_host else local_host}:{port}"
    config = Config.from_env(base_url=base_url, data_dir=data_dir, secret_key=secret_key, sandbox=True)
    # The add-on fetches the sandbox's install key over the loopback, whatever its public baseUrl is.
    config = replace(config, install_keys_url=f"{internal_url}/sandbox/install-keys")
    settings = SandboxSettings.from_env()
    if args.links_afterwards:
        settings = replace(settings, links_at_creation=False)
    if args.cheap:
        settings = replace(settings, check_descriptions=False)
    sandbox = Sandbox.open(config, settings=settings, internal_url=internal_url, host=args.atlassian)
    config = sandbox.configure(config)  # Forge: the backend trusts the sandbox's FIT keys, here only
    app = create_app(config, extra_routes=sandbox.routes())
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    signal.signal(signal.SIGTERM, _stop_quietly)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    triggers: asyncio.Task[None] | None = None
    try:
        while not server.started:
            if serving.done():
                print("ticketgen sandbox: the server failed to start", file=sys.stderr)
                return 1
            await asyncio.sleep(0.05)
        try:
            await sandbox.install()
        except InstallError as exc:
            print(f"ticketgen sandbox: installing the add-on into the sandbox failed: {exc}", file=sys.stderr)
            server.should_exit = True
            await serving
            return 1
        if sandbox.forge is not None:
            triggers = asyncio.create_task(sandbox.forge.run_triggers())
            print(f"Add-on:  Forge remote {config.base_url} (app {config.forge_app_id})", flush=True)
        else:
            print(f"Add-on:  {config.base_url}/atlassian-connect.json", flush=True)
        print(f"Sandbox Jira project: {sandbox.project_url()}", flush=True)
        await serving
        return 0
    finally:
        if triggers is not None:
            triggers.cancel()
        sandbox.close()
