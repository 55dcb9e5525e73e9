from tests.forge.fixtures import forge_client, forge_site, jwks  # noqa: F401
