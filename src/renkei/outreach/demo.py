"""Demo data of outreach: the region's three portal pages (在宅医療, 看取り, ACP/人生会議) written for
residents in plain Japanese, published, and each municipality's 出前講座 topics. Built on the core demo
accounts; safe to load again."""

from __future__ import annotations

from renkei.core.demo import DEMO_ADMIN_USERNAME
from renkei.core.models import User
from renkei.core.services import default_region
from renkei.outreach.models import LectureTopic, PortalPage, Topic
from renkei.outreach.services import pages, scope

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


def load(stdout) -> None:
    _lecture_topics(stdout)
    region = default_region()
    admin = User.objects.filter(username=DEMO_ADMIN_USERNAME).first()
    if region is None or admin is None:
        return
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
