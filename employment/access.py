"""Who may see the employment records: a person's records, their county's counselors and the
person; an institution's, post's or centre's, the county's counselors; a child row, as its parent."""

from sqlalchemy import false, true

from core import access
from employment.models import (
    AuxiliaryCentre,
    AuxiliaryParticipant,
    Competition,
    CompetitionEntry,
    DisregardReminder,
    HouseholdRelative,
    IncomeDisregard,
    Institution,
    InstitutionMonth,
    RecognitionApplication,
    StartupApplication,
    StartupFollowUp,
    WelfareAssignment,
    WelfarePost,
)

access.register_personal(RecognitionApplication)
access.register_personal(IncomeDisregard)


access.register_child(
    DisregardReminder, "disregard", DisregardReminder.disregard_id, IncomeDisregard
)


def _county_visible(user, obj) -> bool:
    return user.role == "counselor" and obj.county_code == user.county_code


def _county_scope(model):
    def scope(user):
        return model.county_code == user.county_code if user.role == "counselor" else false()

    return scope


access.register(HouseholdRelative, _county_visible, _county_scope(HouseholdRelative))
access.register(Institution, _county_visible, _county_scope(Institution))


access.register_child(InstitutionMonth, "institution", InstitutionMonth.institution_id, Institution)
access.register(WelfarePost, _county_visible, _county_scope(WelfarePost))


access.register_child(WelfareAssignment, "post", WelfareAssignment.post_id, WelfarePost)
access.register(AuxiliaryCentre, _county_visible, _county_scope(AuxiliaryCentre))


access.register_child(
    AuxiliaryParticipant, "centre", AuxiliaryParticipant.centre_id, AuxiliaryCentre
)
access.register_personal(StartupApplication)


access.register_child(
    StartupFollowUp, "application", StartupFollowUp.application_id, StartupApplication
)


def _staff_visible(user, competition) -> bool:
    return user.role == "counselor"


def _staff_scope(user):
    return true() if user.role == "counselor" else false()


# Competitions are public events that any counselor may see; their entrants, the person's county.
access.register(Competition, _staff_visible, _staff_scope)
access.register_personal(CompetitionEntry)
