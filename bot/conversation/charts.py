"""The cohort report: a heatmap of ACs done per learner per unit (PNG) and a CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class LearnerRow:
    """One learner of a cohort as a tutor sees them: ACs done in each unit they are enrolled
    in (`done` has exactly those units: a unit they did not choose is not counted against
    them), and dates (shown by the caller, ISO in the CSV)."""

    name: str
    done: dict[str, int]  # enrolled unit code -> ACs done
    last_active: date
    next_review: date | None
    practice_hours: str = "0 h 00 min"  # coaching or mentoring logged (never its contents)
    last_session: date | None = None
    optional: frozenset[str] = field(default_factory=frozenset)  # units not every learner has


# Learners per chart: a page of 40 is about 1,700 x 2,800 px, inside Telegram's photo limit
# (width + height at most 10,000 px) for any qualification's units, and readable on a phone.
PAGE = 40


def heatmap_pages(rows: list[LearnerRow], units: dict[str, int], title: str) -> list[bytes]:
    """The heatmap in pages of at most PAGE learners, so a large cohort still gets photos
    Telegram accepts; one page (perhaps empty) when the cohort fits."""
    if len(rows) <= PAGE:
        return [heatmap_png(rows, units, title)]
    pages = range(0, len(rows), PAGE)
    return [heatmap_png(rows[start:start + PAGE], units,
                        f"{title} ({start + 1}-{min(start + PAGE, len(rows))} of {len(rows)})")
            for start in pages]


def heatmap_png(rows: list[LearnerRow], units: dict[str, int], title: str) -> bytes:
    """Learners down, units across, each cell the share of the unit's ACs done (with counts).
    Names and the title are drawn as plain text: matplotlib would read a "$" in a learner's
    name as maths and fail on the whole chart."""
    codes = list(units)
    optional = frozenset().union(*(row.optional for row in rows)) if rows else frozenset()
    shares = [[row.done[c] / units[c] if c in row.done else float("nan") for c in codes]
              for row in rows] or [[0.0] * len(codes)]
    # Imported here, not at the top: matplotlib takes a third of a second to import, and a
    # worker should be answering before any tutor asks for a chart. The object API, not
    # pyplot: pyplot keeps global state, and two cohorts' reports may be drawn at once.
    from matplotlib.figure import Figure

    height = 1.6 + 0.42 * max(len(rows), 1)
    fig = Figure(figsize=(max(4.5, 0.9 * len(codes) + 2.5), height), dpi=150)
    ax = fig.subplots()
    image = ax.imshow(shares, cmap="Greens", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(codes)), [f"{c} (optional)" if c in optional else c
                                       for c in codes], rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(rows)), [literal(r.name[:24]) for r in rows], fontsize=8)
    for y, row in enumerate(rows):
        for x, code in enumerate(codes):
            share = shares[y][x]
            ax.text(x, y, f"{row.done[code]}/{units[code]}" if code in row.done else "not taken",
                    ha="center", va="center", fontsize=7 if code in row.done else 5,
                    color="white" if share > 0.6 else "black")
    ax.set_title(literal(title), fontsize=10)
    fig.colorbar(image, ax=ax, fraction=0.04, label="share of ACs done")
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def literal(text: str) -> str:
    """Text matplotlib draws as typed: every "$" escaped, so none starts maths."""
    return text.replace("$", r"\$")


def report_csv(rows: list[LearnerRow], units: dict[str, int]) -> bytes:
    """One row per learner: "done/total" for each unit they are enrolled in (empty for the
    others), their totals over those units, then ISO dates (they sort), coaching hours."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["learner", *units, "acs_done", "acs_total", "last_active", "next_pdp_review",
                     "practice_hours", "last_session"])
    for row in rows:
        writer.writerow([cell(row.name),
                         *(f"{row.done[c]}/{units[c]}" if c in row.done else "" for c in units),
                         sum(row.done.values()), sum(units[c] for c in row.done),
                         row.last_active.isoformat(), iso(row.next_review),
                         row.practice_hours, iso(row.last_session)])
    return out.getvalue().encode()


def iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def cell(text: str) -> str:
    """A spreadsheet must not read a learner's name as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
