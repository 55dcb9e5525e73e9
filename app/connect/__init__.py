"""Atlassian Connect: descriptor, lifecycle callbacks, inbound JWT/QSH verification, page session tokens.

Entry points others use:
- `qsh.query_string_hash(method, raw_path, query, base_path=...)` / `qsh.url_hash(method, url)`.
- `auth.Authenticator` (`page(request)`, `api(request, project_key)`, `admin(request)`) and the endpoint
  decorators `auth.page_endpoint`, `auth.api_endpoint`, `auth.admin_endpoint` (which ask `app.hosts.Hosts`:
  it hands a Forge invocation to `app.forge.host` and everything else to the `Authenticator`).
- `errors.ApiError` (raise it anywhere inside an endpoint; rendered as `{"error": {"code", "message"}}`).
"""
