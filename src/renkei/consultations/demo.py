"""Demo consultations: a year of plausible records for the desks of the 八戸圏域.

The desks are each municipality's 地域包括支援センター and the 八戸市医師会, which runs the
在宅療養相談窓口. The demo region administrator belongs to the 医師会 but, as a region administrator,
sees counts only; the desk's records are read by its demo counsellor (``demo-desk``, a social worker
of the 医師会, with the demo password). Yearly
volumes and the 一般住民/支援機関 split follow the seed survey. Safe to load again: a desk that already
has records is left alone. Summaries are invented and name nobody.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from renkei.consultations import services
from renkei.consultations.models import (
    AgeBand,
    Channel,
    Consultation,
    FollowUp,
    RequesterType,
    Response,
    Sex,
    Status,
)
from renkei.core.demo import demo_account
from renkei.core.models import Municipality, Organization, User

DESK_USERNAME = "demo-desk"

# municipality code → (yearly cases, share of 一般住民)
_VOLUMES = {
    "022039": (150, 0.55),
    "024121": (84, 0.43),
    "024414": (330, 0.67),
    "024422": (110, 0.45),
    "024431": (207, 0.60),
    "024457": (37, 0.35),
    "024465": (60, 0.50),
    "024503": (5, 0.75),
}
_ASSOCIATION = ("022039", "八戸市医師会", 40, 0.58)

_RESIDENT_TYPES = (
    [RequesterType.FAMILY] * 6 + [RequesterType.SELF] * 3 + [RequesterType.RESIDENT, RequesterType.OTHER]
)
_SUPPORT_TYPES = (
    [RequesterType.CARE_PROVIDER] * 5
    + [RequesterType.MEDICAL_INSTITUTION] * 4
    + [RequesterType.WELFARE_COMMISSIONER] * 2
    + [RequesterType.GOVERNMENT]
)
_CHANNELS = (
    [Channel.PHONE] * 6
    + [Channel.VISIT_TO_DESK] * 3
    + [Channel.HOME_VISIT] * 2
    + [Channel.EMAIL, Channel.OTHER]
)
_RESPONSES = (
    [Response.INFORMATION] * 5
    + [Response.REFERRAL] * 3
    + [Response.HOME_VISIT] * 2
    + [Response.ACCOMPANIMENT, Response.CONFERENCE, Response.OTHER]
)
_AGES = (
    [AgeBand.FROM_75_TO_84] * 4
    + [AgeBand.FROM_85] * 3
    + [AgeBand.FROM_65_TO_74] * 2
    + [
        AgeBand.FROM_40_TO_64,
        AgeBand.UNKNOWN,
    ]
)
# Fictitious institution names, used when the directory has no entries yet.
_MEDICAL = [
    "八戸みなと病院",
    "はちのへ中央クリニック",
    "三戸さくら病院",
    "五戸こもれび診療所",
    "南部ひだまり内科",
    "階上うみねこ病院",
]
_CARE = [
    "居宅介護支援事業所あおば",
    "ケアプランセンターしらかば",
    "訪問看護ステーションかもめ",
    "デイサービスりんご",
    "小規模多機能ホームなでしこ",
]
_SUMMARIES = {
    "在宅医療・訪問診療先の相談": "訪問診療を受けられる医療機関を知りたいとの相談。",
    "入退院・退院後の生活": "退院後の自宅での生活と必要なサービスについて相談。",
    "介護保険・サービス利用": "介護保険の申請とサービス利用の流れについて相談。",
    "認知症": "物忘れが増え、受診先と家族の関わり方について相談。",
    "看取り・ACP": "自宅での看取りを希望しており、体制について相談。",
    "医療機関との連携": "主治医との情報共有の方法について事業所から相談。",
    "権利擁護・成年後見": "金銭管理が難しくなっており、成年後見制度について相談。",
    "虐待": "家族による不適切な介護が疑われるとの連絡。",
    "経済的問題": "医療費と介護サービス費の負担について相談。",
    "住まい": "一人暮らしが難しくなり、住み替え先について相談。",
    "その他": "制度全般についての問い合わせ。",
}


def _institutions(region) -> tuple[list, list]:
    """Directory facilities when there are some (so the demo links them), else fictitious names."""
    facilities = services.region_facilities(region)
    medical = list(facilities.filter(category__in=["hospital", "clinic", "visiting_nurse_station"])[:12])
    care = list(facilities.filter(category__in=["care_management_office", "day_service", "home_help"])[:12])
    return medical or _MEDICAL, care or _CARE


def _desks() -> list[tuple[Organization, int, float]]:
    desks = []
    for code, (volume, share) in _VOLUMES.items():
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            continue
        desk = Organization.objects.filter(
            municipality=municipality, kind=Organization.Kind.COMMUNITY_SUPPORT_CENTER
        ).first()
        if desk is not None:
            desks.append((desk, volume, share))
    code, name, volume, share = _ASSOCIATION
    association = Organization.objects.filter(municipality__code=code, name=name).first()
    if association is not None:
        desks.append((association, volume, share))
    return desks


def _received_at(rng: random.Random, today) -> datetime:
    while True:
        day = today - timedelta(days=rng.randrange(0, 365))
        if day.weekday() < 5:
            break
    minutes = rng.randrange(8 * 60 + 30, 17 * 60)
    moment = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=timezone.get_current_timezone())
    return min(moment, timezone.now() - timedelta(minutes=rng.randrange(5, 120)))


def _desk_counsellor(stdout) -> None:
    """The 医師会 desk's counsellor, who reads and records its consultations in the demo."""
    association = Organization.objects.filter(
        municipality__code=_ASSOCIATION[0], name=_ASSOCIATION[1]
    ).first()
    if association is None:
        return
    _user, password = demo_account(
        DESK_USERNAME,
        full_name="相談 窓口子（デモ）",
        full_name_kana="そうだん まどぐちこ",
        email="demo-desk@example.invalid",
        organization=association,
        role=User.Role.PROFESSIONAL,
        profession=User.Profession.SOCIAL_WORKER,
    )
    stdout.write(
        "相談窓口（八戸市医師会）のデモ相談員アカウント（初回ログイン時に認証アプリで2段階認証を設定します）\n"
        f"  ユーザー名: {DESK_USERNAME} / パスワード {password}\n"
    )


@transaction.atomic
def load(stdout) -> None:
    _desk_counsellor(stdout)
    today = timezone.localdate()
    loaded = 0
    for desk, volume, share in _desks():
        if Consultation.objects.filter(desk=desk).exists():
            continue
        region = services.region_of_desk(desk)
        categories = list(services.categories_for(region, active_only=True))
        municipalities = list(Municipality.objects.filter(region=region))
        medical, care = _institutions(region)
        # Seeded so that every machine gets the same demo data; nothing secret depends on it.
        rng = random.Random(f"renkei-demo-{desk.municipality.code}-{desk.name}")  # noqa: S311
        records, chosen = [], []
        for _ in range(volume):
            received_at = _received_at(rng, today)
            resident = rng.random() < share
            requester_type = rng.choice(_RESIDENT_TYPES if resident else _SUPPORT_TYPES)
            institution = None
            if requester_type == RequesterType.MEDICAL_INSTITUTION:
                institution = rng.choice(medical)
            elif requester_type == RequesterType.CARE_PROVIDER:
                institution = rng.choice(care)
            picked = rng.sample(categories, k=1 if rng.random() < 0.7 else 2)
            response = rng.choice(_RESPONSES)
            referred = rng.choice(medical + care) if response == Response.REFERRAL else None
            age = (today - received_at.date()).days
            continuing = rng.random() < (0.5 if age < 30 else 0.08)
            record = Consultation(
                desk=desk,
                received_at=received_at,
                channel=rng.choice(_CHANNELS),
                requester_type=requester_type,
                requester_facility=institution if not isinstance(institution, str) else None,
                requester_institution=institution if isinstance(institution, str) else "",
                subject_age_band=rng.choice(_AGES),
                subject_sex=rng.choice([Sex.FEMALE, Sex.FEMALE, Sex.MALE, Sex.UNKNOWN]),
                subject_municipality=desk.municipality if rng.random() < 0.9 else rng.choice(municipalities),
                summary=_SUMMARIES.get(picked[0].name, "相談内容の記録（デモ）。"),
                response=response,
                referred_facility=referred
                if referred is not None and not isinstance(referred, str)
                else None,
                referred_institution=referred if isinstance(referred, str) else "",
                minutes_spent=rng.choice([10, 15, 20, 30, 30, 45, 60, 90]),
                status=Status.CONTINUING if continuing else Status.CLOSED,
                next_action_on=today + timedelta(days=rng.randrange(-5, 21)) if continuing else None,
                staff_name=rng.choice(["相談員A", "相談員B", "相談員C"]),
            )
            record.set_derived_fields()
            records.append(record)
            chosen.append(picked)
        created = Consultation.objects.bulk_create(records)
        through = Consultation.categories.through
        through.objects.bulk_create(
            [
                through(consultation_id=record.pk, consultationcategory_id=category.pk)
                for record, picked in zip(created, chosen, strict=True)
                for category in picked
            ]
        )
        follow_ups = [
            FollowUp(
                consultation=record,
                occurred_at=min(record.received_at + timedelta(days=rng.randrange(1, 10)), timezone.now()),
                channel=Channel.PHONE,
                response=Response.INFORMATION,
                summary="経過を確認。",
                minutes_spent=15,
                status=record.status,
                next_action_on=record.next_action_on,
            )
            for record in created
            if record.status == Status.CONTINUING
        ]
        FollowUp.objects.bulk_create(follow_ups)
        loaded += len(created)
    if loaded:
        stdout.write(f"相談記録のデモデータ: {loaded}件を登録しました。\n")
