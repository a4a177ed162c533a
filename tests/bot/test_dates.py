"""Dates as learners type them, time zones and British Summer Time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.services.dates import (
    DateError,
    find_zones,
    local_to_utc,
    parse_date,
    parse_time,
    zone,
)

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize("text,expected,rest", [
    ("2026-12-15 Review with line manager", date(2026, 12, 15), "Review with line manager"),
    ("15/12/2026 Review", date(2026, 12, 15), "Review"),
    ("15 Dec Review", date(2026, 12, 15), "Review"),
    ("15th December 2027: Review", date(2027, 12, 15), "Review"),
    ("Dec 15 review", date(2026, 12, 15), "review"),
    ("1 Jan review", date(2027, 1, 1), "review"),  # no year: the next one to come
    ("today", MONDAY, ""),
    ("tomorrow review", date(2026, 11, 24), "review"),
    ("next Friday Review", date(2026, 11, 27), "Review"),
    ("friday", date(2026, 11, 27), ""),
    ("monday", date(2026, 11, 30), ""),  # never today
    ("in 3 weeks Review", date(2026, 12, 14), "Review"),
    ("in 10 days", date(2026, 12, 3), ""),
    ("in a week", date(2026, 11, 30), ""),
    ("in 3 months", date(2027, 2, 23), ""),
    # issue 11: the whole phrase is the date, the rest the title as typed
    ("friday week catch up with coachee", date(2026, 12, 4), "catch up with coachee"),
    ("Monday week review", date(2026, 11, 30), "review"),  # Monday of next week
    ("sunday week", date(2026, 12, 6), ""),
    ("next tuesday catch up", date(2026, 11, 24), "catch up"),
    ("in 2 weeks catch up", date(2026, 12, 7), "catch up"),
    ("15/1 catch up", date(2027, 1, 15), "catch up"),  # day first; no year: the next one
    ("15/12 catch up", date(2026, 12, 15), "catch up"),
    ("15 Jan catch up", date(2027, 1, 15), "catch up"),
])
def test_forms(text: str, expected: date, rest: str) -> None:
    parsed = parse_date(text, MONDAY)
    assert (parsed.day, parsed.rest) == (expected, rest)


def test_month_end_arithmetic() -> None:
    assert parse_date("in 1 month", date(2027, 1, 31)).day == date(2027, 2, 28)


@pytest.mark.parametrize("text", ["", "blah", "31 Feb 2027", "2026-13-01", "32/01/2027",
                                  "in many weeks", "next blursday", "15/13 Review",
                                  "next week Review", "this weekend Review", "weekday Review"])
def test_unreadable_or_impossible(text: str) -> None:
    with pytest.raises(DateError):
        parse_date(text, MONDAY)


def test_times() -> None:
    assert parse_time("17:00 deadline") == (time(17, 0), "deadline")
    assert parse_time("5pm") == (time(17, 0), "")
    assert parse_time("at 9.30 workshop") == (time(9, 30), "workshop")
    assert parse_time("workshop") == (None, "workshop")
    with pytest.raises(DateError):
        parse_time("25:00")


def test_nine_am_london_across_british_summer_time() -> None:
    london = zone("Europe/London")
    # BST began at 01:00 UTC on Sunday 29 March 2026 and ends on Sunday 25 October 2026.
    assert local_to_utc(date(2026, 3, 28), time(9), london) == datetime(2026, 3, 28, 9, tzinfo=UTC)
    assert local_to_utc(date(2026, 3, 29), time(9), london) == datetime(2026, 3, 29, 8, tzinfo=UTC)
    assert local_to_utc(date(2026, 10, 24), time(9), london) == datetime(2026, 10, 24, 8, tzinfo=UTC)
    assert local_to_utc(date(2026, 10, 25), time(9), london) == datetime(2026, 10, 25, 9, tzinfo=UTC)
    assert local_to_utc(date(2026, 12, 15), time(9), zone("Asia/Dubai")) == \
        datetime(2026, 12, 15, 5, tzinfo=UTC)


def test_unknown_time_zone() -> None:
    with pytest.raises(DateError):
        zone("Mars/Olympus")


@pytest.mark.parametrize("text,expected", [
    ("london", ["Europe/London"]), ("LONDON", ["Europe/London"]), ("uk", ["Europe/London"]),
    ("England", ["Europe/London"]), ("scotland", ["Europe/London"]),
    ("ireland", ["Europe/Dublin"]), ("new york", ["America/New_York"]),
    ("Europe/Paris", ["Europe/Paris"]), ("asia/dubai", ["Asia/Dubai"]),
    ("new", ["America/New_York", "America/North_Dakota/New_Salem"]),  # a start: several
    ("Atlantis", []), ("", []), ("st", []),  # too short to guess from
])
def test_zones_found_by_city_or_country(text: str, expected: list[str]) -> None:
    assert find_zones(text) == expected
