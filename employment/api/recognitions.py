"""Recognition of flexible and home-based work: applications, evidence and decisions."""

from flask import abort
from flask_babel import gettext as _
from flask_smorest.fields import Upload

from core.access import get_or_404
from core.auth import BEARER, api_auth, api_user
from core.models import Person
from core.schemas import BaseSchema
from employment import recognition
from employment.api.blueprint import STAFF, blp
from employment.models import RecognitionApplication
from employment.schemas import DecisionIn, RecognitionIn, RecognitionOut, RecognitionQuery


class EvidenceUpload(BaseSchema):
    evidence_file = Upload(required=True)


@blp.get("/recognitions")
@api_auth(*STAFF, "graduate")
@blp.arguments(RecognitionQuery, location="query")
@blp.response(200, RecognitionOut(many=True))
@blp.doc(security=BEARER)
def list_recognitions(query):
    """Work recognition applications the caller may see (a graduate: their own)."""
    return recognition.applications(
        api_user(), query["status"], query["page"], query["per_page"]
    ).items


@blp.post("/recognitions")
@api_auth(*STAFF, "graduate")
@blp.arguments(RecognitionIn)
@blp.response(201, RecognitionOut)
@blp.doc(security=BEARER)
def create_recognition(data):
    """Apply for recognition of flexible or home-based work (a graduate for themself)."""
    user = api_user()
    person_id = user.person_id if user.role == "graduate" else data["person_id"]
    if person_id is None:
        abort(422, description={"person_id": [_("Missing data for required field.")]})
    person = get_or_404(Person, person_id, user)
    return recognition.apply(user, person, data)


@blp.get("/recognitions/<int:app_id>")
@api_auth(*STAFF, "graduate")
@blp.response(200, RecognitionOut)
@blp.doc(security=BEARER)
def get_recognition(app_id):
    """One application, if the caller may see it."""
    return get_or_404(RecognitionApplication, app_id, api_user())


@blp.put("/recognitions/<int:app_id>/evidence")
@api_auth(*STAFF, "graduate")
@blp.arguments(EvidenceUpload, location="files")
@blp.response(200, RecognitionOut)
@blp.doc(security=BEARER)
def put_evidence(files, app_id):
    """Attach the evidence file (PDF, JPG or PNG, at most 5 MB) to a pending application."""
    application = get_or_404(RecognitionApplication, app_id, api_user())
    return recognition.attach_evidence(
        api_user(), application, recognition.read_upload(files["evidence_file"])
    )


def _decide(app_id, decide, reason):
    application = get_or_404(RecognitionApplication, app_id, api_user())
    return decide(api_user(), application, reason)


@blp.post("/recognitions/<int:app_id>/approve")
@api_auth(*STAFF)
@blp.arguments(DecisionIn)
@blp.response(200, RecognitionOut)
@blp.doc(security=BEARER)
def approve_recognition(data, app_id):
    """Recognise the work: the person counts as employed from the day it started (audited)."""
    return _decide(app_id, recognition.approve, data["reason"])


@blp.post("/recognitions/<int:app_id>/reject")
@api_auth(*STAFF)
@blp.arguments(DecisionIn)
@blp.response(200, RecognitionOut)
@blp.doc(security=BEARER)
def reject_recognition(data, app_id):
    """Refuse the application with a reason (required)."""
    return _decide(app_id, recognition.reject, data["reason"])
