"""Who signs one protocol: its own setting (``Meeting.signatories`` and ``MeetingSignatory`` rows),
set on a draft, and the freeze at approval that keeps a published protocol's signers whatever its
body's setting becomes. ``meetings.protocol.signatories`` resolves the setting into the signers."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from meetings.models import Meeting, MeetingSignatory
from members.models import SignatoriesStyle
from members.services import SignatoryEntry, signatory_entries_check


def meeting_signatories_freeze(*, meeting: Meeting) -> None:
    """A protocol that follows its body's setting takes it over as its own (the set list copied), so
    that a later change of the body's setting does not change who signs it. The caller saves ``meeting``."""
    if meeting.signatories:
        return
    body = meeting.body
    meeting.signatories = body.signatories
    if body.signatories == SignatoriesStyle.CUSTOM:
        meeting.signatory_rows.all().delete()
        MeetingSignatory.objects.bulk_create(
            MeetingSignatory(meeting=meeting, person_id=row.person_id, label=row.label, order=row.order)
            for row in body.signatory_rows.order_by("order")
        )


@transaction.atomic
def meeting_signatories_set(*, meeting: Meeting, style: str, entries: list[SignatoryEntry] = ()) -> Meeting:
    """Who signs this protocol (a draft): ``style`` empty follows the body's setting; a set list
    (``CUSTOM``) names each signer with the position printed above the name."""
    if style and style not in SignatoriesStyle.values:
        raise DomainError(_("Choose who signs the protocol."))
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if not meeting.is_editable:
        raise DomainError(_("This protocol is %(status)s and can no longer be edited.")
                          % {"status": meeting.get_status_display().lower()})
    entries = signatory_entries_check(list(entries), style=style, cluster_id=meeting.cluster_id)
    meeting.signatories = style
    meeting.revision += 1  # an editor opened before this save must not overwrite it unnoticed
    meeting.full_clean()
    meeting.save()
    meeting.signatory_rows.all().delete()
    MeetingSignatory.objects.bulk_create(
        MeetingSignatory(meeting=meeting, person=entry.person, label=entry.label.strip(), order=n)
        for n, entry in enumerate(entries, start=1)
    )
    return meeting
