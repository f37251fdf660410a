"""What every demo builder shares: the seeded Faker, the demo's calendar and its clock.

The demo covers the last DEMO_DAYS days up to today. Each step runs with the clock moved to its day
(time-machine), so the services stamp their own dates (opened, sent, answered, approved) as they
would have on that day, and the history rows tell the same story."""

import contextlib
import datetime
from dataclasses import dataclass, field

import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone
from faker import Faker

from ageo_network.holidays import is_working_day
from registry import services as registry_services
from registry.models import Body, Person

SEED = 2024
DEMO_DAYS = 180
# Every name of a person or a business the demo makes ends so: nobody mistakes it for a real one.
MARK = "（架空）"
# Invented place names (no such town in Ageo) for the fictitious addresses.
TOWNS = ["ひかり野", "こもれび台", "すずかけ町", "はなみずき", "ゆめみ野", "そよかぜ台", "あけぼの町", "さざなみ"]
POSTAL_CODE = "362-0000"


@dataclass
class World:
    """The demo being built: today, its first day, the Faker and the people the builders share."""

    today: datetime.date
    fake: Faker
    people: dict[str, Person] = field(default_factory=dict)
    bodies: dict[str, Body] = field(default_factory=dict)
    counter: int = 0

    @property
    def start(self) -> datetime.date:
        return self.today - datetime.timedelta(days=DEMO_DAYS)

    def day(self, offset: int) -> datetime.date:
        """The first working day on or after start + offset (a negative offset counts back from today),
        never after today."""
        day = self.today + datetime.timedelta(days=offset) if offset < 0 else self.start + datetime.timedelta(offset)
        while not is_working_day(day) and day < self.today:
            day += datetime.timedelta(days=1)
        while not is_working_day(day) and day > self.start:
            day -= datetime.timedelta(days=1)
        return min(day, self.today)

    def future_day(self, offset: int) -> datetime.date:
        """The first working day on or after today + offset."""
        day = self.today + datetime.timedelta(days=offset)
        while not is_working_day(day):
            day += datetime.timedelta(days=1)
        return day

    def at(self, day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
        moment = datetime.datetime.combine(day, datetime.time(hour, minute))
        return timezone.make_aware(moment)

    @contextlib.contextmanager
    def clock(self, day: datetime.date, hour: int = 10, minute: int = 0):
        """Run the block as if it were `day` at hour:minute (the clock ticks on from there)."""
        when = self.at(day, hour, minute)
        if when > timezone.now():
            yield  # today, later than now: keep the real clock
            return
        with time_machine.travel(when, tick=True):
            yield

    # --- fictitious names, addresses, phones ------------------------------------------------------

    def woman(self) -> tuple[str, str]:
        """(name with the mark, reading) of a fictitious woman."""
        last, last_kana, _ = self.fake.last_name_pair()
        first, first_kana, _ = self.fake.first_name_female_pair()
        return f"{last} {first}{MARK}", f"{last_kana} {first_kana}"

    def man(self) -> tuple[str, str]:
        last, last_kana, _ = self.fake.last_name_pair()
        first, first_kana, _ = self.fake.first_name_male_pair()
        return f"{last} {first}{MARK}", f"{last_kana} {first_kana}"

    def person_name(self) -> tuple[str, str]:
        return self.woman() if self.fake.random_int(0, 2) else self.man()

    def address(self) -> str:
        town = self.fake.random_element(TOWNS)
        return f"埼玉県上尾市{town}{self.fake.random_int(1, 5)}-{self.fake.random_int(1, 30)}-{self.fake.random_int(1, 20)}"

    def next_number(self) -> int:
        self.counter += 1
        return self.counter

    def office_phone(self) -> str:
        return f"048-000-{self.next_number():04d}"

    def mobile_phone(self) -> str:
        return f"090-0000-{self.next_number():04d}"

    # --- people -----------------------------------------------------------------------------------

    def add_person(self, key: str, *, body: Body, role: str, title: str = "") -> Person:
        """A fictitious person acting for `body` since before the demo's first day (no sign-in: unusable password)."""
        name, kana = self.person_name()
        user = get_user_model()(username=f"demo-{key}", email=f"demo-{key}@example.jp")
        user.set_unusable_password()
        user.full_clean()
        user.save()
        person = registry_services.person_create(
            user=user,
            body=body,
            role=role,
            name=name,
            name_kana=kana,
            by=None,
            started_on=self.start - datetime.timedelta(days=60),
            **({"title": title} if title else {}),
        )
        self.people[key] = person
        return person


def new_world(today: datetime.date | None = None) -> World:
    Faker.seed(SEED)
    fake = Faker("ja_JP")
    return World(today=today or timezone.localdate(), fake=fake)
