from tests.connect.fixtures import (  # noqa: F401
    client,
    config,
    existing,
    key_server,
    other_site,
    permissions,
    signing_key,
    site,
)
