"""In-process time to check the UWEC spec (parse + detect + validate), and with 8x the rows.

    .venv/bin/python bench/bench_check.py [--runs N]

The 8x set is the largest the upload bounds admit (its biggest sheet, 8 x 609 rows, stays under the 5,000
rows per file of `ticketgen.spec.limits`). It appends 7 copies of every data row whose identifying cells
(machine names, the workflow and view-mode labels, and the links to them) carry a copy suffix, so keys stay
unique and links resolve the way they do in the real set."""

from __future__ import annotations

import csv
import io

from _utils import median_ms, parse_runs, uwec_files

from ticketgen.spec import load
from ticketgen.spec._utils import is_error_value, norm

# Per file type: columns holding identities or links to them, and whether the value is a machine name.
SUFFIXED: dict[str, dict[str, bool]] = {
    "bundles": {"machine name": True},
    "fields": {"bundle machine name": True},
    "views": {"machine name": True},
    "view_displays": {"view id": True},
    "view_modes": {"view modes": False},
    "image_styles": {"machine name": True},
    "responsive_image_styles": {"machine name": True, "fallback machine name": True},
    "user_roles": {"machine name": True},
    "workflows": {"machine name": True, "label": False},
    "workflow_states": {"workflow": False},
    "workflow_transitions": {"workflow": False},
}


SCALE = 8


def multiply(files: list[tuple[str, bytes]], factor: int) -> list[tuple[str, bytes]]:
    types = {f.name: f.type for f in load(files).files}
    result = []
    for name, data in files:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        header, body = rows[0], rows[1:]
        columns = {
            i: SUFFIXED[types[name]][norm(c)]
            for i, c in enumerate(header)
            if norm(c) in SUFFIXED[types[name]]
        }
        out = [header, *body]
        for copy in range(1, factor):
            for row in body:
                new = list(row)
                for i, machine in columns.items():
                    if i < len(new) and new[i].strip() and new[i] != "-" and not is_error_value(new[i]):
                        new[i] = f"{new[i]}_{copy}" if machine else f"{new[i]} {copy}"
                out.append(new)
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(out)
        result.append((name, buffer.getvalue().encode("utf-8")))
    return result


def main() -> None:
    runs = parse_runs(__doc__)
    files = uwec_files()
    big = multiply(files, SCALE)
    spec, big_spec = load(files), load(big)
    assert not spec.has_errors and not big_spec.has_errors, [f.message for f in big_spec.errors][:5]
    rows, big_rows = (sum(f.row_count for f in s.files) for s in (spec, big_spec))
    ms = median_ms(lambda: load(files), runs)
    big_ms = median_ms(lambda: load(big), max(runs // 4, 3))
    print(f"UWEC: {len(files)} files, {rows} rows, {len(spec.findings)} findings; "
          f"{SCALE}x: {big_rows} rows, {len(big_spec.findings)} findings")  # fmt: skip
    print(f"BENCH check_uwec {ms:.1f} ms")
    print(f"BENCH check_uwec_rows_per_s {rows / ms * 1000:.0f} rows/s")
    print(f"BENCH check_uwec_{SCALE}x {big_ms:.1f} ms")
    print(f"BENCH check_uwec_{SCALE}x_rows_per_s {big_rows / big_ms * 1000:.0f} rows/s")


if __name__ == "__main__":
    main()
