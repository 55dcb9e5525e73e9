from tests.connect.fixtures import client, config, key_server, other_site, signing_key, site  # noqa: F401
