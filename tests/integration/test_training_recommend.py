"""Skill-gap course recommendations through the API and the pages, with reasons and access rules."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

import jobmatch.interface
from core.extensions import db
from jobmatch.models import JobPost, SeekerProfile
from tests import factories
from tests.integration.test_training_support import make_course, make_provider
from training.models import CourseEvaluation

SOON = date.today() + timedelta(days=10)


@dataclass
class Ranked:
    post: JobPost
    total: float


@pytest.fixture
def ranking(monkeypatch):
    """Stand in for the matching engine: the seeker's best posts are the ones put in `ranked`."""
    ranked: list = []

    def ranked_posts(person, k=20):
        return [Ranked(db.session.get(JobPost, post_id), total) for post_id, total in ranked][:k]

    monkeypatch.setattr(jobmatch.interface, "ranked_posts", ranked_posts)
    return ranked


@pytest.fixture
def seeker(app, ranking):
    """A hearing-impaired graduate of Xihu who knows Excel, four good posts and four courses."""
    person = factories.make_person(county="330106", category=2, level=2, name="听障毕业生")
    db.session.add(SeekerProfile(person_id=person.id, skills=["excel"]))
    employer = factories.make_employer(county="330106")
    skills = [
        ["livestream_selling", "excel"],
        ["livestream_selling", "video_editing"],
        ["直播带货"],
        ["video_editing"],
    ]
    for i, post_skills in enumerate(skills):
        post = JobPost(
            employer_id=employer.id, title=f"岗位{i}", skills=post_skills, county_code="330106"
        )
        db.session.add(post)
        db.session.flush()
        ranking.append((post.id, 0.9 - i / 10))
    db.session.commit()
    provider = make_provider(county="330106")
    sign = ["sign_language"]
    courses = {
        "live": make_course(
            provider,
            title="直播带货线上班",
            mode="online",
            county_code="330212",
            skills=["livestream_selling"],
            accessibility=sign,
        ),
        "video": make_course(
            provider,
            title="视频剪辑西湖班",
            starts_on=SOON,
            skills=["video_editing"],
            accessibility=sign + ["step_free"],
        ),
        "no_sign": make_course(provider, title="直播带货无手语班", skills=["livestream_selling"]),
        "excel": make_course(provider, title="Excel 提高班", skills=["excel"], accessibility=sign),
        "far": make_course(
            provider,
            title="视频剪辑宁波班",
            county_code="330212",
            skills=["video_editing"],
            accessibility=sign,
        ),
    }
    user = factories.make_user("graduate", username="grad_hearing", person_id=person.id)
    return {"person": person, "user": user, **{k: c.id for k, c in courses.items()}}


def test_the_api_ranks_courses_by_the_gap_they_close_with_reasons(
    client, api_headers, counselor, seeker
):
    headers = {**api_headers(counselor), "Accept-Language": "en"}
    response = client.get(f"/api/v1/seekers/{seeker['person'].id}/courses?k=5", headers=headers)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["accessibility_needs"] == ["sign_language"]
    assert body["posts_considered"] == 4
    assert body["gap"] == [
        {"skill": "Live-stream selling", "posts_needing": 3},
        {"skill": "Video editing", "posts_needing": 2},
    ]
    assert [c["course"]["id"] for c in body["courses"]] == [seeker["live"], seeker["video"]]
    live, video = body["courses"]
    assert live["reason"] == "teaches Live-stream selling, needed by 3 of your 4 best posts"
    assert (live["gap_share"], live["effectiveness"], live["measured"]) == (0.6, 0.5, False)
    assert live["score"] == pytest.approx(0.3) and video["score"] == pytest.approx(0.2)
    assert video["closes"] == ["Video editing"]
    chinese = client.get(
        f"/api/v1/seekers/{seeker['person'].id}/courses?k=1", headers=api_headers(counselor)
    ).json
    assert [c["reason"] for c in chinese["courses"]] == [
        "教授 直播带货，您最匹配的 4 个岗位中有 3 个需要"
    ]


def test_measured_effectiveness_reorders_the_courses(client, api_headers, admin, seeker):
    db.session.add(
        CourseEvaluation(
            as_of=date.today(),
            scope="course",
            subject_id=seeker["video"],
            course_id=seeker["video"],
            employed_6m=5,
            employment_due=5,
        )
    )
    db.session.add(CourseEvaluation(as_of=date.today(), scope="province", subject_id=0))
    db.session.commit()
    body = client.get(
        f"/api/v1/seekers/{seeker['person'].id}/courses", headers=api_headers(admin)
    ).json
    first = body["courses"][0]
    assert (first["course"]["id"], first["measured"], first["score"]) == (
        seeker["video"],
        True,
        pytest.approx(0.4),
    )


def test_who_may_see_a_seekers_courses(client, api_headers, other_counselor, seeker):
    url = f"/api/v1/seekers/{seeker['person'].id}/courses"
    assert client.get(url, headers=api_headers(seeker["user"])).status_code == 200
    assert client.get(url, headers=api_headers(other_counselor)).status_code == 404
    stranger = factories.make_user(
        "graduate", username="grad_other", person_id=factories.make_person().id
    )
    assert client.get(url, headers=api_headers(stranger)).status_code == 404
    assert client.get(url).status_code == 401
    assert client.get(f"{url}?k=0", headers=api_headers(seeker["user"])).status_code == 422


def test_the_counselor_sees_the_courses_on_the_person_page(client, auth, counselor, seeker):
    auth.login(counselor)
    page = client.get(f"/people/{seeker['person'].id}?lang=en").get_data(as_text=True)
    assert "Recommended training courses" in page
    assert "直播带货线上班" in page and "needed by 3 of your 4 best posts" in page
    assert "直播带货无手语班" not in page and "视频剪辑宁波班" not in page
    full = client.get(f"/training/people/{seeker['person'].id}/courses").get_data(as_text=True)
    assert "岗位0" in full and "视频剪辑西湖班" in full
    response = client.post(
        f"/training/courses/{seeker['video']}/enrol", data={"person_id": seeker["person"].id}
    )
    assert response.status_code == 302
    assert "已报名" in client.get(f"/training/people/{seeker['person'].id}/courses").get_data(
        as_text=True
    )


def test_a_graduate_sees_and_enrols_in_their_recommended_courses(client, auth, seeker):
    auth.login(seeker["user"])
    page = client.get("/training/my").get_data(as_text=True)
    assert "为我推荐的课程" in page and "直播带货线上班" in page
    assert "教授 直播带货，您最匹配的 4 个岗位中有 3 个需要" in page
    client.post(f"/training/courses/{seeker['live']}/enrol")
    page = client.get("/training/my").get_data(as_text=True)
    assert "已报名" in page and "退出 直播带货线上班 的原因" in page


def test_a_course_already_enrolled_in_is_not_recommended_again(client, api_headers, auth, seeker):
    auth.login(seeker["user"])
    assert client.post(f"/training/courses/{seeker['live']}/enrol").status_code in (200, 302)
    body = client.get(
        f"/api/v1/seekers/{seeker['person'].id}/courses?k=5", headers=api_headers(seeker["user"])
    ).json
    assert [c["course"]["id"] for c in body["courses"]] == [seeker["video"]]


def test_without_posts_there_is_nothing_to_recommend(client, api_headers, admin, ranking, seeker):
    ranking.clear()
    body = client.get(
        f"/api/v1/seekers/{seeker['person'].id}/courses", headers=api_headers(admin)
    ).json
    assert (body["posts_considered"], body["gap"], body["courses"]) == (0, [], [])


def test_recommendations_from_the_real_matching_engine(client, api_headers, counselor):
    """No stand-in: jobmatch.interface.ranked_posts picks the posts, the gap follows from them."""
    person = factories.make_person(county="330106", category=4, level=3, name="肢体残疾毕业生")
    db.session.add(SeekerProfile(person_id=person.id, skills=["office_software"]))
    employer = factories.make_employer(county="330106")
    for i in range(3):
        db.session.add(
            JobPost(
                employer_id=employer.id,
                title=f"数据标注员{i}",
                skills=["data_labelling", "office_software"],
                county_code="330106",
                salary_min=3000,
                salary_max=5000,
                positions=2,
            )
        )
    db.session.commit()
    course = make_course(title="数据标注员培训", skills=["data_labelling"], mode="online")
    headers = {**api_headers(counselor), "Accept-Language": "en"}
    body = client.get(f"/api/v1/seekers/{person.id}/courses", headers=headers).json
    assert body["posts_considered"] == 3
    assert body["gap"] == [{"skill": "Data labelling", "posts_needing": 3}]
    assert [c["course"]["id"] for c in body["courses"]] == [course.id]
    assert (
        body["courses"][0]["reason"] == "teaches Data labelling, needed by 3 of your 3 best posts"
    )
