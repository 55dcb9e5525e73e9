"""What the browser tests do with the panel: find its iframe, check names and keyboard reach."""

from __future__ import annotations

from typing import Any

UNNAMED_CONTROLS_JS = """() => {
  const name = (el) => {
    const label = el.getAttribute('aria-label');
    if (label && label.trim()) return label.trim();
    const by = el.getAttribute('aria-labelledby');
    if (by) return by.split(/\\s+/).map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim();
    if (el.labels && el.labels.length) return Array.from(el.labels).map(l => l.textContent).join(' ').trim();
    if (el.tagName === 'BUTTON' || el.tagName === 'A') return el.textContent.trim();
    return (el.getAttribute('title') || '').trim();
  };
  return Array.from(document.querySelectorAll('input, select, textarea, button, a[href]'))
    .filter(el => !name(el)).map(el => el.outerHTML.slice(0, 160));
}"""

# Drops [name, base64 content] files on the upload zone, as a person would from the file manager.
DROP_FILES_JS = """([files]) => {
  const transfer = new DataTransfer();
  for (const [name, b64] of files) {
    const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
    transfer.items.add(new File([bytes], name, {type: 'text/csv'}));
  }
  const zone = document.getElementById('dropzone');
  for (const type of ['dragenter', 'dragover', 'drop']) {
    zone.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true, cancelable: true}));
  }
}"""

EXPORT_DEADLINE_MS = 180_000  # against hangs: a whole UWEC export on a loaded 2-core machine

ACTIVE_ELEMENT_JS = (
    "() => { const e = document.activeElement; return e ? (e.id || e.textContent.trim().slice(0, 40)) : ''; }"
)


def panel_frame(page: Any) -> Any:
    handle = page.wait_for_selector("#addon-panel")
    frame = handle.content_frame()
    assert frame is not None, "the sandbox project page embeds no panel iframe"
    frame.wait_for_load_state("load")
    return frame


def open_draft(frame: Any, key: str) -> Any:
    """The draft's editor, found with the search box and opened if it was closed."""
    frame.fill("#draft-search", key)
    draft = frame.locator(f'.draft[data-key="{key}"]')
    draft.wait_for()
    if draft.locator("button.toggle").get_attribute("aria-expanded") != "true":
        draft.locator("button.toggle").click()
    draft.locator("textarea").first.wait_for()
    return draft


def unnamed_controls(frame: Any) -> list[str]:
    return frame.evaluate(UNNAMED_CONTROLS_JS)


def tab_through(page: Any, frame: Any, start_selector: str, presses: int) -> list[str]:
    """Ids (or texts) of the elements Tab reaches, starting from a non-interactive element."""
    frame.click(start_selector)
    reached = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        reached.append(frame.evaluate(ACTIVE_ELEMENT_JS))
    return reached


def draft_uwec(frame: Any, uwec_dir: Any, *, name: str = "UWEC rebuild") -> int:
    """Upload the UWEC spec, generate its drafts as a person would; the number of drafts. Waits on the new
    batch's own title, so it also serves a second upload while an earlier batch is on screen."""
    frame.wait_for_selector("#upload-card:not([hidden])")
    frame.set_input_files("#file-input", sorted(str(p) for p in uwec_dir.glob("*.csv")))
    frame.fill("#batch-name", name)
    frame.click("#upload-button")
    frame.locator("#batch-title", has_text=name).wait_for()
    frame.click("#generate-drafts")
    frame.wait_for_selector("#drafts-card:not([hidden])", timeout=60_000)
    frame.locator("#drafting", has_text="drafts generated").wait_for(timeout=60_000)
    return int(frame.inner_text("#drafts-count").split(" ", 1)[0])


def approve_in_panel(frame: Any) -> None:
    """A Jira admin approves a submitted batch in the panel (no Slack channel): the export runs to its end."""
    frame.click("#approve-batch")
    frame.locator("#export .message.success").wait_for(timeout=EXPORT_DEADLINE_MS)
