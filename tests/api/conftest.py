from tests.connect.fixtures import client, config, key_server, other_site, permissions, signing_key, site  # noqa: F401
