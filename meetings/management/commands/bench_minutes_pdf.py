"""Time the minutes PDF on a large meeting (every body attending, many long agenda items).

A benchmark, not a test: it prints the timings and changes nothing (everything runs in a transaction that is
rolled back). Run against a database with the bodies loaded: `manage.py bench_minutes_pdf --items 40`.
"""

import datetime
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from meetings import services
from meetings.documents import minutes_pdf_document
from meetings.models import Attendee, Meeting
from registry.models import Body, Person
from registry.services import person_create


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "会議録PDFの作成時間を測る（データは残さない）"

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=40)
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--bodies", type=int, default=0, help="attending bodies (default: every member)")

    def handle(self, *args, items, runs, bodies, **options):
        limit = bodies
        bodies = list(Body.objects.active().order_by("pk"))
        if limit:
            bodies = bodies[:limit]
        if not bodies:
            raise CommandError("構成機関がありません。先に loaddata bodies を実行してください。")
        try:
            with transaction.atomic():
                meeting = self._meeting(bodies, items)
                for kind, reader in (("Art. 7, the stored file", ""), ("Art. 9, per reader", "閲覧 花子")):
                    # Art. 9 copies are rendered per reader in the request (documents.py): same content, watermarked.
                    meeting.kind = Meeting.Kind.CASE_REVIEW if reader else Meeting.Kind.REPRESENTATIVES
                    timings = []
                    for _ in range(runs):
                        started = time.perf_counter()
                        document = minutes_pdf_document(meeting, reader=reader)
                        timings.append(time.perf_counter() - started)
                    self.stdout.write(
                        f"minutes PDF ({kind}, {items} items, {len(bodies)} bodies): "
                        f"{len(document.content) // 1024} KB, "
                        f"best {min(timings):.2f} s, worst {max(timings):.2f} s"
                    )
                raise _Rollback
        except _Rollback:
            pass

    def _meeting(self, bodies, items) -> Meeting:
        User = get_user_model()
        secretariat_body = Body.objects.filter(code="dept-jinken-danjo").first() or bodies[0]
        organiser = person_create(
            user=User.objects.create_user("bench-organiser"),
            body=secretariat_body,
            role=Person.Role.SECRETARIAT,
            name="計測 事務局",
            by=None,
        )
        day = datetime.date.today() + datetime.timedelta(days=7)
        data = {"date": day, "start_time": datetime.time(14), "end_time": datetime.time(16), "place": "会議室"}
        meeting = services.meeting_create(kind=Meeting.Kind.REPRESENTATIVES, data=data, organiser=organiser, by=None)
        services.invitations_send(meeting=meeting, bodies=bodies, by=None)
        for n, body in enumerate(bodies):
            role = Person.Role.BUSINESS_MEMBER if body.kind == Body.Kind.BUSINESS else Person.Role.AGENCY_STAFF
            person = person_create(
                user=User.objects.create_user(f"bench-{n}"), body=body, role=role, name=f"計測 太郎{n}", by=None
            )
            services.invitation_answer(
                invitation=meeting.invitations.get(body=body), attending=True, people=[person], by=None
            )
        states = {a.pk: Attendee.Attendance.PRESENT for a in meeting.attendees.all()}
        services.attendance_record(meeting=meeting, states=states, by=None)
        for n in range(items):
            item = services.agenda_item_add(
                meeting=meeting,
                data={"title": f"議題{n + 1}", "matter": "organisation", "presenter": "事務局"},
                by=None,
            )
            services.agenda_item_update(
                item=item, data={"discussion": "説明と質疑を行った。" * 60, "decisions": "確認した。"}, by=None
            )
            services.action_add(
                item=item, data={"body": bodies[n % len(bodies)], "description": f"対応{n + 1}", "due_on": day}, by=None
            )
        return meeting
