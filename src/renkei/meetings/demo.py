"""Demo data of meetings: the 医師会's ACP training (online, with registrations, attendance and
evaluations), a 新郷村 推進会議 run on paper, an upcoming 住民向け講演会 (open to residents: shown on the portal), and two 課題 of 新郷村 at
different stages of the PDCA cycle, and a lecturer roster of three. Built on the core and sharing demo accounts; safe to load again."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from renkei.core.demo import DEMO_ADMIN_USERNAME, DEMO_MUNICIPAL_USERNAME
from renkei.core.models import Organization, User
from renkei.meetings import survey_demo
from renkei.meetings.models import Countermeasure, Event, EventKind, Issue, Lecturer, Scene, SeedItem
from renkei.meetings.services import evaluation, events, issues

TRAINING = "ACPを考える多職種研修（デモ）"
COUNCIL = "新郷村 在宅医療・介護連携推進会議（デモ）"
LECTURE = "住民向け講演会「わが家で最期まで」（デモ）"
ATTENDEES = ("demo-caremanager", "demo-nurse", "demo-physician")
# (username, scores, comment) of the demo evaluations.
ANSWERS = (
    ("demo-caremanager", {"satisfaction": 5, "understanding": 4, "usefulness": 5, "collaboration": 4},
     "グループワークで医師の考えを聞けてよかった。"),
    ("demo-nurse", {"satisfaction": 4, "understanding": 4, "usefulness": 3, "collaboration": 5}, ""),
)  # fmt: skip


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _training(admin: User, people: list[User]) -> Event:
    event = Event.objects.filter(title=TRAINING).first()
    if event is not None:
        return event
    event = events.create_event(
        admin,
        None,
        kind=EventKind.TRAINING,
        title=TRAINING,
        theme="人生会議（ACP）を多職種でどう支えるか",
        lecturer="八戸市医師会 在宅医療担当理事（デモ）",
        starts_at=_at(-20, 18),
        ends_at=_at(-20, 20),
        online_url="https://meet.example.invalid/acp-demo",
        target_professions=[User.Profession.PHYSICIAN, User.Profession.NURSE, User.Profession.CARE_MANAGER],
        description="事例をもとにグループワークを行います（オンライン）。",
    )
    events.invite(
        admin,
        event,
        [
            Organization.Kind.CLINIC,
            Organization.Kind.VISITING_NURSE_STATION,
            Organization.Kind.CARE_MANAGEMENT_OFFICE,
        ],
        whole_region=True,
    )
    for person in people:
        events.register(person, event)
    events.record_named_attendance(admin, event, people)
    by_name = {person.username: person for person in people}
    for username, scores, comment in ANSWERS:
        evaluation.answer(by_name[username], event, scores, comment)
    return event


def _municipal_events(staff: User) -> Event:
    municipality = staff.organization.municipality if staff.organization else None
    council = Event.objects.filter(title=COUNCIL).first()
    if council is None:
        council = events.create_event(
            staff,
            municipality,
            kind=EventKind.COORDINATION_COUNCIL,
            title=COUNCIL,
            theme="退院時の情報共有",
            starts_at=_at(-40, 14),
            ends_at=_at(-40, 16),
            place="新郷村役場 大会議室",
            on_paper=True,
        )
        events.record_counts(
            staff,
            council,
            {
                (User.Profession.PHYSICIAN, True): 1,
                (User.Profession.NURSE, True): 2,
                (User.Profession.CARE_MANAGER, False): 4,
                (User.Profession.SOCIAL_WORKER, False): 1,
            },
        )
        events.save_minutes(staff, council, "退院時に病院から在宅側への情報提供が遅れる事例が3件報告された。")
    if not Event.objects.filter(title=LECTURE).exists():
        lecture = events.create_event(
            staff,
            municipality,
            kind=EventKind.PUBLIC_LECTURE,
            title=LECTURE,
            lecturer="デモ訪問看護ステーション（架空） 所長",
            starts_at=_at(25, 13),
            ends_at=_at(25, 15),
            place="新郷村ふれあい館",
            description="家で最期まで過ごすために、家族ができることを訪問看護師がお話しします。申込みは不要です。",
            open_to_public=True,
        )
        events.invite(staff, lecture, [Organization.Kind.COMMUNITY_SUPPORT_CENTER], whole_region=False)
    return council


def _issues(staff: User, council: Event) -> None:
    if Issue.objects.filter(source_event=council).exists() or staff.organization is None:
        return
    municipality = staff.organization.municipality
    sharing = issues.raise_issue(
        staff,
        municipality,
        title="退院時の情報共有が遅れる（デモ）",
        scene=Scene.ADMISSION_DISCHARGE,
        seed_item=SeedItem.E,
        evidence="推進会議で3事例。ケアマネ調査で退院当日に情報を受けたのは12件中5件。",
        raised_on=timezone.localdate() - timedelta(days=40),
        source_event=council,
    )
    measure = issues.add_countermeasure(
        staff, sharing, title="入退院時の共有シートを作る", owner=staff.organization, due_on=None
    )
    issues.update_countermeasure(
        staff,
        measure,
        status=Countermeasure.Status.DONE,
        done_on=timezone.localdate() - timedelta(days=10),
        evaluation="2病院で試行。退院当日の情報提供が増えた（今後の調査で確認）。",
    )
    issues.raise_issue(
        staff,
        municipality,
        title="医療機関の定例的な会議参加が難しい（デモ）",
        scene=Scene.DAILY,
        seed_item=SeedItem.I,
        evidence="推進会議の医療機関からの出席は3人。",
        raised_on=timezone.localdate() - timedelta(days=40),
        source_event=council,
    )


# (name, affiliation, topics) of the demo lecturer roster; the first taught the demo ACP training.
LECTURERS = (
    ("在宅医療担当理事（デモ）", "八戸市医師会", "ACP 看取り 在宅医療"),
    ("派遣講師（デモ）", "青森県理学療法士会", "介護予防 リハビリ 福祉用具"),
    ("派遣講師（デモ）", "八戸薬剤師会", "服薬支援 残薬"),
)


def _roster(admin: User, training: Event | None) -> None:
    assert admin.organization is not None
    region = admin.organization.municipality.region
    for name, affiliation, topics in LECTURERS:
        lecturer, _ = Lecturer.objects.get_or_create(
            region=region,
            name=name,
            affiliation=affiliation,
            defaults={"topics": topics, "created_by": admin},
        )
        if training is not None and affiliation == "八戸市医師会":
            training.roster_lecturers.add(lecturer)


@transaction.atomic
def load(stdout) -> None:
    admin = User.objects.filter(username=DEMO_ADMIN_USERNAME).first()
    staff = User.objects.filter(username=DEMO_MUNICIPAL_USERNAME).first()
    people = list(User.objects.filter(username__in=ATTENDEES).order_by("username"))
    if admin is None or staff is None:
        return
    training = _training(admin, people) if len(people) == len(ATTENDEES) else None
    _roster(admin, training)
    council = _municipal_events(staff)
    _issues(staff, council)
    survey_demo.load(stdout)
    stdout.write("会議・研修のデモ: ACP研修（医師会）、新郷村の推進会議と講演会、課題2件、講師名簿3件\n")
