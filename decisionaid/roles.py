"""The staff roles, as groups. Created after every `migrate` (and after a test flush); idempotent.

- "clinician" and "front desk" read discussion sheets (decisionaid.staff checks membership);
- "content editor" edits topics in the admin: every add/change/delete/view permission of the
  topics app. Editors also need "Staff status" ticked on their account to open the admin.
"""

from django.contrib.auth.models import Group, Permission

SHEET_READERS = ("clinician", "front desk")
CONTENT_EDITOR = "content editor"


def ensure_staff_groups(**kwargs):
    for name in SHEET_READERS:
        Group.objects.get_or_create(name=name)
    editor, _ = Group.objects.get_or_create(name=CONTENT_EDITOR)
    editor.permissions.add(*Permission.objects.filter(content_type__app_label="topics"))
