from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "会議（要綱第7〜9条）"

    def ready(self):
        # The meeting basis of cases/access.py: attendees of a case-review meeting read its review sheets.
        from cases.access import register_basis_provider
        from meetings.access import meeting_basis_provider

        register_basis_provider(meeting_basis_provider)
