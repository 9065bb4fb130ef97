"""Demo data of outreach: the region's three portal pages (在宅医療, 看取り, ACP/人生会議) written for
residents in plain Japanese, published, each municipality's 出前講座 topics, and a published
認知症ケアパス for 八戸市 and 南部町 listing entries of the demo directory. Built on the core demo
accounts; safe to load again."""

from __future__ import annotations

from renkei.core.demo import DEMO_ADMIN_USERNAME
from renkei.core.models import Municipality, User
from renkei.core.services import default_region
from renkei.directory.catalog import Category, FacilityStatus
from renkei.directory.models import Facility
from renkei.outreach.models import DementiaCarePath, LectureTopic, PortalPage, Topic
from renkei.outreach.services import care_path, pages, scope

PAGES = {
    Topic.HOME_CARE: (
        "在宅医療（家で受ける医療）",
        """病気や年をとって通院がむずかしくなっても、医師や看護師が家に来て、診察や治療をすることができます。これを「在宅医療」といいます。

## どんなことをしてもらえるの？

- 医師が定期的に家に来て診察する（訪問診療）
- 具合が悪いときに医師が来る（往診）
- 看護師が来て、体の様子を見たり、薬や床ずれの手当てをしたりする（訪問看護）
- 薬剤師が薬を届けて、飲み方を説明する

## 費用は？

医療保険や介護保険が使えます。くわしくは相談窓口でお聞きください。

## まずは相談を

「家で療養したい」「家族を家でみたい」と思ったら、かかりつけの医師か、お住まいの市町村の**地域包括支援センター**にご相談ください。相談は無料です。
""",
    ),
    Topic.END_OF_LIFE: (
        "看取り（家で最期を迎えること）",
        """「最期は住み慣れた家で過ごしたい」という方は少なくありません。医師や看護師、ケアマネジャーなどが力を合わせれば、家で最期まで過ごすこともできます。

## 家族は何をすればいいの？

特別なことは必要ありません。そばにいて、声をかけ、手をにぎるだけでも、ご本人の安心につながります。体の変化や心配なことがあれば、いつでも訪問看護師や医師に連絡できるようにしておきます。

## 夜や休みの日は？

夜や休みの日に連絡できる電話番号を、前もって医師や訪問看護ステーションに確かめておきましょう。

## 迷ったときは

「家で看取れるか不安」「施設や病院とどちらがいいか」など、迷ったときも相談窓口にご相談ください。
""",
    ),
    Topic.ACP: (
        "人生会議（ACP）― もしものときのために話し合う",
        """「人生会議」（ACP：アドバンス・ケア・プランニング）は、もしものときにどんな医療や介護を受けたいか、どこで過ごしたいかを、前もって家族や医師などと話し合っておくことです。

## なぜ話し合うの？

重い病気やけがのとき、半分以上の人は自分の考えを伝えられなくなるといわれています。話し合っておけば、家族もあなたの気持ちにそった選び方ができます。

## どうやって始めるの？

1. 大切にしていることを考える（家族と過ごしたい、痛みはおさえたい など）
2. 信頼できる人を決める（あなたの代わりに考えを伝えてくれる人）
3. 家族やかかりつけの医師と話し、書きとめておく

気持ちは変わってもかまいません。何度でも話し合いましょう。エンディングノートを使うのもよい方法です。
""",
    ),
}


LECTURE_TOPICS = (
    ("在宅医療ってなに？", "家で受けられる医療と、相談のしかたをお話しします。"),
    ("人生会議（ACP）とエンディングノート", "もしものときに備えて、家族と話し合うきっかけをつくります。"),
    ("認知症を知ろう", "認知症の早めの気づきと、地域の相談先をお話しします。"),
    ("介護保険の使い方", "介護が必要になったときの申請とサービスをお話しします。"),
)


def _lecture_topics(stdout) -> None:
    created = 0
    for municipality in scope.region_municipalities():
        for title, description in LECTURE_TOPICS:
            _topic, new = LectureTopic.objects.get_or_create(
                municipality=municipality, title=title, defaults={"description": description}
            )
            created += new
    if created:
        stdout.write(f"出前講座の講座: {created}件\n")


# The demo care path: per (stage, kind of help), the text and the entries to list, each entry named
# by (category, what it must offer) and taken from the municipality's demo directory when it has one.
CARE_PATH_MUNICIPALITIES = ("022039", "024457")  # 八戸市, 南部町
CARE_PATH_INTRODUCTION = (
    "認知症は誰にでも起こりうる身近な病気です。早めに気づいて相談すれば、"
    "住み慣れた地域で自分らしく暮らし続けるための準備ができます。"
    "ご本人やご家族の状態に合わせて、どこに相談し、どんな支援を受けられるかをまとめました。"
)
DESK = (Category.COMMUNITY_SUPPORT_CENTER, "")
CARE_PATH_CELLS: dict[tuple[str, str], tuple[str, list[tuple[str, str]]]] = {
    ("awareness", "consultation"): ("もの忘れが気になったら、まず地域包括支援センターへ。相談は無料です。", [DESK]),
    ("awareness", "medical"): ("かかりつけ医に相談しましょう。必要に応じて専門の医療機関を紹介してもらえます。", [(Category.CLINIC, "dementia_care")]),
    ("awareness", "care"): ("介護保険の申請（要介護認定）は、市町村の窓口や地域包括支援センターで受け付けます。", [DESK]),
    ("awareness", "daily_life"): ("通いの場や百歳体操で人と会い、体を動かすことが予防につながります。", [(Category.GATHERING_PLACE, "百歳体操")]),
    ("awareness", "family"): ("認知症カフェでは、ご本人もご家族も気軽に話ができます。", [(Category.GATHERING_PLACE, "認知症カフェ")]),
    ("awareness", "housing"): ("住み慣れた家で暮らし続けるために、手すりの取り付けなど住宅改修の相談ができます。", [DESK]),
    ("early", "consultation"): ("認知症初期集中支援チームが家を訪ねて、ご本人とご家族の相談にのります。", [DESK]),
    ("early", "medical"): ("認知症の診断と治療は、もの忘れの相談ができる医療機関で受けられます。", [(Category.HOSPITAL, "dementia_care")]),
    ("early", "care"): ("デイサービスで日中を過ごし、生活のリズムを整えます。", [(Category.DAY_SERVICE, "")]),
    ("early", "daily_life"): ("配食や移動販売で、毎日の食事や買い物を支えます。", [(Category.INFORMAL_SERVICE, "配食"), (Category.INFORMAL_SERVICE, "移動販売")]),
    ("early", "family"): ("認知症サポーター養成講座で、ご家族や近所の人が認知症を学べます。", [DESK]),
    ("early", "housing"): ("一人暮らしが心配なときは、見守りや訪問のサービスを組み合わせます。", []),
    ("middle", "consultation"): ("ケアマネジャーが、ご本人とご家族に合った介護サービスを一緒に考えます。", [(Category.CARE_MANAGEMENT_OFFICE, "")]),
    ("middle", "medical"): ("訪問看護で、薬の管理や体調の確認をしてもらえます。", [(Category.VISITING_NURSE_STATION, "")]),
    ("middle", "care"): ("小規模多機能ホームでは、通い・泊まり・訪問を一つの事業所で使えます。", [(Category.SMALL_MULTIFUNCTIONAL, "")]),
    ("middle", "daily_life"): ("ごみ出しなどの困りごとは、地域の支え合いの活動に相談できます。", [(Category.INFORMAL_SERVICE, "ごみ出し")]),
    ("middle", "family"): ("介護に疲れたときは、ショートステイで休むこともできます。", [(Category.SHORT_STAY, "")]),
    ("middle", "housing"): ("グループホームでは、少人数の家庭的な環境で暮らせます。", [(Category.GROUP_HOME, "")]),
    ("late", "consultation"): ("介護の負担が大きくなったら、早めにケアマネジャーや地域包括支援センターへ。", [DESK]),
    ("late", "medical"): ("通院がむずかしくなったら、医師が家に来る訪問診療を受けられます。", [(Category.CLINIC, "home_visit_care")]),
    ("late", "care"): ("ホームヘルパーが食事や入浴、トイレを手伝います。", [(Category.HOME_HELP, "")]),
    ("late", "daily_life"): ("お金の管理や契約が心配なときは、成年後見制度などの相談ができます。", [DESK]),
    ("late", "family"): ("認知症カフェや家族の集まりで、同じ立場の人と話すことが支えになります。", [(Category.GATHERING_PLACE, "認知症カフェ")]),
    ("late", "housing"): ("特別養護老人ホームへの入所を考えるときは、ケアマネジャーに相談を。", [(Category.SPECIAL_NURSING_HOME, "")]),
    ("end_of_life", "consultation"): ("最期をどこで迎えたいか、ご本人の思いを家族や医療・介護の人と話し合っておきましょう（人生会議）。", [DESK]),
    ("end_of_life", "medical"): ("訪問診療と訪問看護で、家での看取りを支えます。", [(Category.CLINIC, "home_visit_care"), (Category.VISITING_NURSE_STATION, "end_of_life_care")]),
    ("end_of_life", "care"): ("介護サービスを使いながら、最期まで家族とともに過ごせるよう支えます。", [(Category.CARE_MANAGEMENT_OFFICE, "")]),
    ("end_of_life", "family"): ("看取りの不安は、訪問看護師や医師にいつでも相談できます。", []),
    ("end_of_life", "housing"): ("施設でも看取りをしているところがあります。入所先に確かめておきましょう。", [(Category.SPECIAL_NURSING_HOME, "")]),
}  # fmt: skip


def _demo_entry(municipality: Municipality, category: str, offers: str) -> Facility | None:
    """The municipality's first open entry of ``category`` that offers ``offers`` (a capability
    confirmed true, or words in its name)."""
    entries = Facility.objects.filter(
        municipality=municipality, category=category, status=FacilityStatus.ACTIVE
    ).order_by("name_kana", "pk")
    if offers and offers in {field.name for field in Facility._meta.fields}:
        return entries.filter(**{offers: True}).first() or entries.first()
    if offers:
        return entries.filter(name__contains=offers).first()
    return entries.first()


def _care_paths(stdout, admin: User) -> None:
    created = []
    for code in CARE_PATH_MUNICIPALITIES:
        municipality = scope.region_municipalities().filter(code=code).first()
        if municipality is None or DementiaCarePath.objects.filter(municipality=municipality).exists():
            continue
        path = care_path.care_path_for_editing(admin, municipality)
        care_path.save_settings(admin, path, title=path.title, introduction=CARE_PATH_INTRODUCTION)
        for (stage, kind), (text, wanted) in CARE_PATH_CELLS.items():
            found = [_demo_entry(municipality, category, offers) for category, offers in wanted]
            ids = [facility.pk for facility in found if facility is not None]
            care_path.save_cell(admin, path, stage, kind, text=text, facility_ids=ids)
        care_path.set_published(admin, path, True)
        created.append(municipality.name)
    if created:
        stdout.write(f"認知症ケアパス（公開）: {'、'.join(created)}\n")


def load(stdout) -> None:
    _lecture_topics(stdout)
    region = default_region()
    admin = User.objects.filter(username=DEMO_ADMIN_USERNAME).first()
    if region is None or admin is None:
        return
    _care_paths(stdout, admin)
    created = 0
    for topic, (title, body) in PAGES.items():
        if PortalPage.objects.filter(region=region, municipality=None, topic=topic).exists():
            continue
        pages.save_page(
            admin, region, None, topic, title=title, body=body, status=PortalPage.Status.PUBLISHED
        )
        created += 1
    if created:
        stdout.write(f"住民向けポータルの説明ページ: {created}件\n")
