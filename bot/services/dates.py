"""Dates and times as people type them, and the conversion between a learner's local time
and the UTC the database stores.

Forms: "2026-12-15", "15/12/2026", "15/1", "15 Dec", "15th December 2026", "Dec 15",
"today", "tomorrow", "friday" / "next friday" (the first Friday after today), "friday week" (the
Friday of next week), "in 3 weeks", "in 10 days", "in 2 months", "in a week". A date without a
year is the next one to come; numbers are day first, as in the UK. The whole date phrase is
consumed, so what follows it is the title as typed.

A small parser of our own rather than dateparser: dateparser reads neither "friday week" nor
where the date ends and a title begins, which is what /pdp add and /target need; these forms
are few and each is one tested pattern here.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAYS |= {name.lower(): i for i, name in enumerate(calendar.day_abbr)}
_WEEKDAYS |= {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_END = r"(?=$|[\s,.;:!?—-])"

_FORMS = [
    ("iso", re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _END)),
    ("numeric", re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d{2}|\d{4}))?" + _END)),
    ("day_month", re.compile(rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MONTH})\.?"
                             rf"(?:,?\s+(?P<y>\d{{4}}))?" + _END, re.I)),
    ("month_day", re.compile(rf"(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
                             rf"(?:,?\s+(?P<y>\d{{4}}))?" + _END, re.I)),
    ("relative", re.compile(r"(?P<word>today|tomorrow)" + _END, re.I)),
    ("weekday_week", re.compile(rf"(?P<wd>{_WEEKDAY})\s+week" + _END, re.I)),
    ("weekday", re.compile(rf"(?:next\s+|this\s+|on\s+)?(?P<wd>{_WEEKDAY})" + _END, re.I)),
    ("offset", re.compile(r"in\s+(?P<n>\d{1,3}|an?)\s+(?P<unit>days?|weeks?|months?)" + _END,
                          re.I)),
]
# Phrases that name no single day: refused with a question rather than guessed.
_VAGUE = re.compile(r"(?:next|this)\s+(?:week|month|year)|(?:the\s+|this\s+)?weekend" + _END,
                    re.I)
_TIME = re.compile(r"(?:at\s+)?(?P<h>\d{1,2})[:.](?P<min>\d{2})(?::(?P<sec>\d{2}))?\s*(?P<ampm>am|pm)?"
                   + _END
                   + r"|(?:at\s+)?(?P<h2>\d{1,2})\s*(?P<ampm2>am|pm)" + _END, re.I)


class DateError(ValueError):
    """A date that cannot be read, or that does not exist; the message says which."""


@dataclass(frozen=True)
class Parsed:
    day: date
    rest: str  # what follows the date, e.g. the review's title


def zone(name: str) -> ZoneInfo:
    """The named IANA time zone; DateError for one that does not exist."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: a name too long
        raise DateError(f"I don't know the time zone {name[:40]!r}.") from exc


# Names people give for a country whose zone has another city's name; a city is matched on
# the zone's own last part ("london" finds Europe/London).
ZONE_ALIASES = {"uk": "Europe/London", "united kingdom": "Europe/London",
                "great britain": "Europe/London", "britain": "Europe/London",
                "england": "Europe/London", "scotland": "Europe/London",
                "wales": "Europe/London", "northern ireland": "Europe/London",
                "ireland": "Europe/Dublin", "eire": "Europe/Dublin"}
# Regions of the current IANA names; the rest ("GB", "US/Eastern", "Etc/GMT+1") are old aliases.
_REGIONS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe",
            "Indian", "Pacific")


def find_zones(text: str) -> list[str]:
    """The zones a typed name may mean: the exact IANA name in any case, a country alias,
    zones whose city is the name, else zones whose city starts with it; sorted."""
    wanted = " ".join(text.lower().replace("_", " ").split())
    if not wanted:
        return []
    if wanted in ZONE_ALIASES:
        return [ZONE_ALIASES[wanted]]
    names = available_timezones()
    exact = [n for n in names if n.lower().replace("_", " ") == wanted]
    if exact:
        return exact
    current = [n for n in names if n.split("/")[0] in _REGIONS and "/" in n]
    city = {n: n.rsplit("/", 1)[1].lower().replace("_", " ") for n in current}
    same = sorted(n for n in current if city[n] == wanted)
    if same or len(wanted) < 3:
        return same
    return sorted(n for n in current if city[n].startswith(wanted))


def parse_date(text: str, today: date) -> Parsed:
    """The date at the start of `text` and what follows it."""
    text = text.strip()
    for form, pattern in _FORMS:
        match = pattern.match(text)
        if match:
            return Parsed(_resolve(form, match, today), _rest(text[match.end():]))
    vague = _VAGUE.match(text)
    if vague:
        raise DateError(f"{vague.group(0)[:20]!r} could be more than one day: which one?")
    raise DateError(f"I couldn't read a date at the start of {text[:40]!r}.")


def _resolve(form: str, m: re.Match[str], today: date) -> date:
    if form == "relative":
        return today + timedelta(days=1 if m["word"].lower() == "tomorrow" else 0)
    if form == "weekday":
        ahead = (_WEEKDAYS[m["wd"].lower()] - today.weekday() - 1) % 7 + 1
        return today + timedelta(days=ahead)
    if form == "weekday_week":  # that day in the week after this one (weeks start on Monday)
        return today + timedelta(days=7 - today.weekday() + _WEEKDAYS[m["wd"].lower()])
    if form == "offset":
        n = 1 if m["n"].lower() in ("a", "an") else int(m["n"])
        unit = m["unit"].lower().rstrip("s")
        if unit == "month":
            month = today.month - 1 + n
            year = today.year + month // 12
            day = min(today.day, calendar.monthrange(year, month % 12 + 1)[1])
            return date(year, month % 12 + 1, day)
        return today + timedelta(days=n * (7 if unit == "week" else 1))
    month = int(m["m"]) if "m" in m.groupdict() and m["m"] else _MONTHS[m["mon"].lower()]
    day = int(m["d"])
    if m["y"]:
        year = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
        return _valid(year, month, day)
    candidate = _valid(today.year, month, day, leap_ok=True)
    return candidate if candidate >= today else _valid(today.year + 1, month, day)


def _valid(year: int, month: int, day: int, leap_ok: bool = False) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        if leap_ok and (month, day) == (2, 29):
            return date(year + 1 + (3 - year % 4) % 4, 2, 29)  # the next leap year's
        raise DateError(f"There is no {day} {calendar.month_name[month] if 1 <= month <= 12 else month} "
                        f"{year}.") from None


def parse_time(text: str) -> tuple[time | None, str]:
    """A time of day at the start of `text` ("17:00", "17:00:30", "5pm", "at 9.30") and the
    rest."""
    match = _TIME.match(text.strip())
    if not match:
        return None, text.strip()
    hour = int(match["h"] or match["h2"])
    minute = int(match["min"] or 0)
    ampm = (match["ampm"] or match["ampm2"] or "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    if ampm == "am" and hour == 12:
        hour = 0
    second = int(match["sec"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise DateError(f"There is no time {match.group(0).strip()}.")
    return time(hour, minute, second), _rest(text.strip()[match.end():])


def _rest(text: str) -> str:
    """What follows a date or time: the separator after it dropped, the rest kept as typed
    (a title's or a reminder's own closing full stop, quotes and line breaks included)."""
    return text.lstrip(" \t\n,.:;—-").rstrip()


def local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    """A wall-clock time in `tz` as UTC (across British Summer Time changes too)."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def next_weekly(now: datetime, tz: ZoneInfo, weekday: int, at: time) -> datetime:
    """The next `weekday` (0 = Monday) at the wall-clock time `at` in `tz` after `now`, in
    UTC: a weekly digest's or prompt's next occurrence."""
    today = local_today(now, tz)
    for ahead in range(8):
        day = today + timedelta(days=ahead)
        when = local_to_utc(day, at, tz)
        if day.weekday() == weekday and when > now:
            return when
    raise AssertionError("a weekday always comes again within eight days")


def local_today(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date()


def show_date(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def show_datetime(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{show_date(local.date())} at {local:%H:%M}"
