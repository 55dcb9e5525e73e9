"""Which Jira site addresses an install may give us: our Jira client sends JWT-signed requests to `baseUrl`
and our pages and Slack messages link to `displayUrl`, so an address an attacker picks would be an SSRF
(an internal address) or a phishing link.

Accepted: https on a host under Atlassian's Cloud domains (`*.atlassian.net`, `*.jira.com`,
`*.jira-dev.com`) or under a domain the operator allows (`EXTRA_SITE_DOMAINS`). Never an IP address, a
user name or password, or a name that only resolves inside a network (localhost, .local, .internal), except
in sandbox mode, where the local Jira stand-in lives on the loopback or on the add-on's own host over http.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

ATLASSIAN_DOMAINS = ("atlassian.net", "jira.com", "jira-dev.com")
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
_PRIVATE_SUFFIXES = (".localhost", ".local", ".localdomain", ".internal", ".intranet", ".lan", ".home.arpa")
MAX_URL_LENGTH = 512  # the tenants table's column


@dataclass(frozen=True, slots=True)
class SitePolicy:
    """Parameters:
    extra_domains: "jira.example.com" allows that host, "*.example.com" every host under example.com.
    sandbox_hosts: hosts allowed over http with any port (sandbox mode only; empty otherwise).
    """

    extra_domains: tuple[str, ...] = ()
    sandbox_hosts: frozenset[str] = frozenset()

    @classmethod
    def for_app(cls, *, extra_domains: tuple[str, ...], sandbox: bool, app_base_url: str) -> SitePolicy:
        own_host = (urlsplit(app_base_url).hostname or "").lower()
        sandbox_hosts = (LOOPBACK_HOSTS | {own_host}) - {""} if sandbox else frozenset()
        return cls(tuple(d.strip().lower() for d in extra_domains if d.strip()), frozenset(sandbox_hosts))

    def allows_domain(self, host: str) -> bool:
        if any(host.endswith("." + domain) for domain in ATLASSIAN_DOMAINS):
            return True
        for entry in self.extra_domains:
            wildcard = entry.startswith("*.")
            if (wildcard and host.endswith(entry[1:])) or (not wildcard and host == entry):
                return True
        return False


def site_host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def site_url_problem(name: str, url: object, policy: SitePolicy) -> str | None:
    """What is wrong with `url` as the site's `name` (baseUrl, displayUrl), in a sentence; None if nothing."""
    if not isinstance(url, str) or not url:
        return f"The install payload has no {name}."
    if len(url) > MAX_URL_LENGTH or not url.isascii() or any(c.isspace() or c == "\\" for c in url):
        return f"The {name} is not a plain web address."
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return f"The {name} is not a valid web address."
    host = site_host(url)
    if parts.scheme not in ("https", "http") or not host:
        return f"The {name} must be an https address with a host name."
    if parts.username is not None or parts.password is not None or parts.query or parts.fragment:
        return f"The {name} must not carry a user name, password, query or fragment."
    if host in policy.sandbox_hosts:
        return None
    if parts.scheme != "https":
        return f"The {name} must use https."
    if port not in (None, 443):
        return f"The {name} must not name a port."
    if _is_ip(host) or host in LOOPBACK_HOSTS or host.endswith(_PRIVATE_SUFFIXES):
        return f"The {name} points into a private network ({host}); a Jira Cloud site has a public name."
    if not policy.allows_domain(host):
        return (
            f"The {name} {host} is not a Jira Cloud site (*.atlassian.net, *.jira.com, *.jira-dev.com); "
            "an operator can allow other domains with EXTRA_SITE_DOMAINS."
        )
    return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:  # 2130706433, 127.1, 0x7f.1: forms resolvers still read as IPv4
        return all(label.isdigit() or label.startswith("0x") for label in host.split("."))
    return True
