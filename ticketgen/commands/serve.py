"""`ticketgen serve`: run the add-on (ASGI app under uvicorn). Stops cleanly on SIGTERM/SIGINT."""

from __future__ import annotations

import argparse
import os
import signal
import sys


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default=os.environ.get("HOST", "127.0.0.1"), help="interface (default 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("PORT", "8000")), help="port (default 8000)"
    )
    parser.add_argument(
        "--data-dir", default=None, help="SQLite file, secret key and attachments (default ./data)"
    )


def build_config(args: argparse.Namespace):  # -> app.config.Config (imported lazily)
    from dataclasses import replace
    from pathlib import Path

    from app.config import Config
    from app.store import load_or_create_secret_key

    overrides: dict[str, object] = {}
    if args.data_dir:
        overrides["data_dir"] = Path(args.data_dir)
    if not os.environ.get("BASE_URL"):
        overrides["base_url"] = f"http://localhost:{args.port}"
    config = Config.from_env(**overrides)
    if not config.secret_key:
        if config.database_url:
            raise SystemExit(
                "ticketgen serve: SECRET_KEY must be set when DATABASE_URL is (every process needs it)"
            )
        config = replace(config, secret_key=load_or_create_secret_key(config.data_dir))
    return config


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from app.connect.redact import install_log_redaction
    from app.main import create_app
    from app.store import SecretKeyError

    try:
        config = build_config(args)
        app = create_app(config)
    except (SecretKeyError, ValueError, OSError) as exc:
        print(f"ticketgen serve: {exc}", file=sys.stderr)
        return 2
    print(f"Add-on descriptor: {config.base_url}/atlassian-connect.json", flush=True)
    # uvicorn shuts down gracefully on SIGTERM, then re-raises it to the handler found at start: make that
    # a no-op so a requested stop exits 0 rather than "killed by signal".
    signal.signal(signal.SIGTERM, lambda *_: None)
    install_log_redaction()
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", proxy_headers=True)
    return 0
