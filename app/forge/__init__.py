"""Atlassian Forge: the remote backend's side (invocation tokens, lifecycle, OAuth tokens) and the manifest."""
