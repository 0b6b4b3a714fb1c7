import pytest

from motcua.worktime.services import clear_calendar_cache


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    # Calendars are cached per process; a test must not see the overrides another test saved.
    clear_calendar_cache()
    yield
    clear_calendar_cache()
