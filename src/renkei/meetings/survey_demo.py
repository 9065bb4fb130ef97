"""Demo data of the questionnaires: 階上町's ケアマネ survey on the 退院調整ルール, last 年度's (closed,
six answers) and this 年度's copy (open, four answers so far), with six demo care managers of two
階上町 offices (no password: they are the respondents, not logins) and a 階上町 staff login.
Safe to load again."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from renkei.core.demo import demo_account
from renkei.core.models import Municipality, Organization, User
from renkei.meetings.models import QuestionKind, Survey
from renkei.meetings.services import surveys

HASHIKAMI = "024465"
STAFF_USERNAME = "demo-hashikami"
TITLE = "退院調整ルールの運用状況アンケート（ケアマネジャー・デモ）"
QUESTIONS: tuple[tuple[str, str, list[str]], ...] = (
    (
        QuestionKind.CHOICE,
        "退院調整ルールを知っていますか",
        ["内容まで知っている", "名前だけ知っている", "知らない"],
    ),
    (
        QuestionKind.MULTIPLE,
        "病院から退院の連絡を受けた方法（複数選択可）",
        ["電話", "FAX", "Renkei", "面談"],
    ),
    (QuestionKind.SCALE, "ルールに沿って病院と情報共有できている", []),
    (QuestionKind.NUMBER, "この半年に担当した退院調整の件数", []),
    (QuestionKind.TEXT, "ルールを使いにくいと感じた場面", []),
)
# One row per demo care manager: choice index, multiple-choice indexes, 5-point, number, free text.
LAST_YEAR = (
    (0, [0, 1], 4, 6, "退院日が急に決まり、連絡が前日だった。"),
    (1, [0], 3, 2, ""),
    (1, [0, 1], 2, 4, "病棟によって連絡の窓口が違う。"),
    (2, [1], 2, 1, ""),
    (0, [0, 3], 4, 8, ""),
    (1, [0], 3, 3, ""),
)
THIS_YEAR = (
    (0, [2], 5, 7, ""),
    (0, [0, 2], 4, 5, "Renkeiで退院前に連絡が来るようになった。"),
    (1, [0], 3, 2, ""),
    (0, [2, 3], 4, 9, ""),
)


def _people(hashikami: Municipality) -> tuple[User, list[User]]:
    office, _ = Organization.objects.get_or_create(
        municipality=hashikami,
        name="階上町役場 福祉課",
        defaults={"kind": Organization.Kind.MUNICIPAL_OFFICE},
    )
    staff, _password = demo_account(
        STAFF_USERNAME,
        full_name="階上 デモ職員",
        organization=office,
        role=User.Role.MUNICIPALITY_STAFF,
        email="demo-hashikami@example.invalid",
    )
    managers = []
    for n in range(1, 7):
        agency, _ = Organization.objects.get_or_create(
            municipality=hashikami,
            name=f"はしかみ居宅介護支援事業所{'AB'[(n - 1) % 2]}（デモ）",
            defaults={"kind": Organization.Kind.CARE_MANAGEMENT_OFFICE},
        )
        user, created = User.objects.get_or_create(
            username=f"demo-hashikami-cm{n}",
            defaults={
                "full_name": f"階上 ケアマネ{n}",
                "organization": agency,
                "role": User.Role.PROFESSIONAL,
                "profession": User.Profession.CARE_MANAGER,
                "email": f"demo-hashikami-cm{n}@example.invalid",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        managers.append(user)
    return staff, managers


def _answer_all(survey: Survey, people: list[User], rows: tuple, staff: User) -> None:
    questions = list(survey.questions.all())
    for person, row in zip(people, rows, strict=False):
        values = {q.pk: value for q, value in zip(questions, row, strict=True)}
        surveys.answer(
            person, survey, values, show_name=bool(row[4]) and person.pk % 2 == 0, today=survey.opens_on
        )


def load(stdout) -> None:
    hashikami = Municipality.objects.filter(code=HASHIKAMI).first()
    if hashikami is None or Survey.objects.filter(title=TITLE).exists():
        return
    staff, managers = _people(hashikami)
    today = timezone.localdate()
    last = surveys.create_survey(
        staff,
        hashikami,
        title=TITLE,
        description="退院調整ルールの運用を確かめるため、毎年お願いしています。",
        opens_on=today - timedelta(days=375),
        closes_on=today - timedelta(days=355),
        target_kinds=[Organization.Kind.CARE_MANAGEMENT_OFFICE],
        target_professions=[User.Profession.CARE_MANAGER],
    )
    for kind, text, choices in QUESTIONS:
        surveys.add_question(
            staff, last, kind=kind, text=text, choices=choices, required=kind != QuestionKind.TEXT
        )
    surveys.open_survey(staff, last)
    _answer_all(last, managers, LAST_YEAR, staff)
    surveys.close_survey(staff, last)
    current = surveys.copy_survey(staff, last)
    surveys.open_survey(staff, current)
    _answer_all(current, managers, THIS_YEAR, staff)
    stdout.write("アンケートのデモ: 階上町のケアマネ向け退院調整ルールアンケート（前年度6件・今年度4件）\n")
