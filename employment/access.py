"""Who may see recognition applications and income disregards: the person's county, or the person."""

from sqlalchemy import false, select, true

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


def _visible(user, obj) -> bool:
    return access.person_visible(user, obj.person_id, obj.person.county_code)


def _scope_for(model):
    return access.person_scope(model.person_id)


access.register_personal(RecognitionApplication)
access.register_personal(IncomeDisregard)


def _reminder_visible(user, reminder) -> bool:
    return _visible(user, reminder.disregard)


def _reminder_scope(user):
    return DisregardReminder.disregard_id.in_(
        select(IncomeDisregard.id).where(_scope_for(IncomeDisregard)(user))
    )


access.register(DisregardReminder, _reminder_visible, _reminder_scope)


def _county_visible(user, obj) -> bool:
    return user.role == "counselor" and obj.county_code == user.county_code


def _county_scope(model):
    def scope(user):
        return model.county_code == user.county_code if user.role == "counselor" else false()

    return scope


access.register(HouseholdRelative, _county_visible, _county_scope(HouseholdRelative))
access.register(Institution, _county_visible, _county_scope(Institution))


def _month_visible(user, month) -> bool:
    return _county_visible(user, month.institution)


def _month_scope(user):
    return InstitutionMonth.institution_id.in_(
        select(Institution.id).where(_county_scope(Institution)(user))
    )


access.register(InstitutionMonth, _month_visible, _month_scope)
access.register(WelfarePost, _county_visible, _county_scope(WelfarePost))


def _assignment_visible(user, assignment) -> bool:
    return _county_visible(user, assignment.post)


def _assignment_scope(user):
    return WelfareAssignment.post_id.in_(
        select(WelfarePost.id).where(_county_scope(WelfarePost)(user))
    )


access.register(WelfareAssignment, _assignment_visible, _assignment_scope)
access.register(AuxiliaryCentre, _county_visible, _county_scope(AuxiliaryCentre))


def _participant_visible(user, participant) -> bool:
    return _county_visible(user, participant.centre)


def _participant_scope(user):
    return AuxiliaryParticipant.centre_id.in_(
        select(AuxiliaryCentre.id).where(_county_scope(AuxiliaryCentre)(user))
    )


access.register(AuxiliaryParticipant, _participant_visible, _participant_scope)
access.register_personal(StartupApplication)


def _follow_up_visible(user, follow_up) -> bool:
    return _visible(user, follow_up.application)


def _follow_up_scope(user):
    return StartupFollowUp.application_id.in_(
        select(StartupApplication.id).where(_scope_for(StartupApplication)(user))
    )


access.register(StartupFollowUp, _follow_up_visible, _follow_up_scope)


def _staff_visible(user, competition) -> bool:
    return user.role == "counselor"


def _staff_scope(user):
    return true() if user.role == "counselor" else false()


# Competitions are public events that any counselor may see; their entrants, the person's county.
access.register(Competition, _staff_visible, _staff_scope)
access.register_personal(CompetitionEntry)
