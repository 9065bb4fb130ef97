"""Fixed vocabularies of the directory: categories, their groups, 介護 service types, capabilities.

Service type codes are those of the 介護サービス情報公表システム open data (the file names
``jigyosho_<code>.csv``); readings are included so that kana searches find them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Category(models.TextChoices):
    HOSPITAL = "hospital", "病院"
    CLINIC = "clinic", "診療所"
    DENTAL_CLINIC = "dental_clinic", "歯科診療所"
    PHARMACY = "pharmacy", "薬局"
    VISITING_NURSE_STATION = "visiting_nurse_station", "訪問看護ステーション"
    CARE_MANAGEMENT_OFFICE = "care_management_office", "居宅介護支援事業所"
    COMMUNITY_SUPPORT_CENTER = "community_support_center", "地域包括支援センター"
    HOME_HELP = "home_help", "訪問介護・訪問入浴"
    DAY_SERVICE = "day_service", "通所介護（デイサービス）"
    DAY_CARE_REHAB = "day_care_rehab", "通所リハビリテーション（デイケア）"
    SHORT_STAY = "short_stay", "短期入所（ショートステイ）"
    SMALL_MULTIFUNCTIONAL = "small_multifunctional", "小規模多機能型居宅介護"
    GROUP_HOME = "group_home", "認知症グループホーム"
    SPECIAL_NURSING_HOME = "special_nursing_home", "特別養護老人ホーム"
    GERIATRIC_HEALTH_FACILITY = "geriatric_health_facility", "介護老人保健施設"
    GATHERING_PLACE = "gathering_place", "通いの場"
    INFORMAL_SERVICE = "informal_service", "インフォーマルサービス"
    OTHER = "other", "その他"


# How each category is read, so that a search typed in kana (「かよいのば」, 「とくよう」) finds it.
CATEGORY_READINGS: dict[str, str] = {
    Category.HOSPITAL: "びょういん",
    Category.CLINIC: "しんりょうじょ くりにっく",
    Category.DENTAL_CLINIC: "しかしんりょうじょ",
    Category.PHARMACY: "やっきょく",
    Category.VISITING_NURSE_STATION: "ほうもんかんご",
    Category.CARE_MANAGEMENT_OFFICE: "きょたくかいごしえん けあまね",
    Category.COMMUNITY_SUPPORT_CENTER: "ちいきほうかつしえんせんたー ほうかつ",
    Category.HOME_HELP: "ほうもんかいご ほうもんにゅうよく へるぱー",
    Category.DAY_SERVICE: "つうしょかいご",
    Category.DAY_CARE_REHAB: "つうしょりはびりてーしょん",
    Category.SHORT_STAY: "たんきにゅうしょ",
    Category.SMALL_MULTIFUNCTIONAL: "しょうきぼたきのうがたきょたくかいご しょうたき",
    Category.GROUP_HOME: "にんちしょう",
    Category.SPECIAL_NURSING_HOME: "とくべつようごろうじんほーむ とくよう",
    Category.GERIATRIC_HEALTH_FACILITY: "かいごろうじんほけんしせつ ろうけん",
    Category.GATHERING_PLACE: "かよいのば",
    Category.INFORMAL_SERVICE: "",
    Category.OTHER: "",
}


# How the parts of 診療科目 are read, so that 「ないか」 finds 内科 (as 「ほうもんかんご」 finds 訪問看護):
# a specialty's reading is its parts read one after another, longest part first; kana stays as it is.
SPECIALTY_PART_READINGS: dict[str, str] = {
    "内科": "ないか",
    "外科": "げか",
    "小児": "しょうに",
    "整形": "せいけい",
    "形成": "けいせい",
    "皮膚": "ひふ",
    "眼": "がん",
    "耳鼻咽喉": "じびいんこう",
    "耳鼻": "じび",
    "咽喉": "いんこう",
    "産婦人": "さんふじん",
    "婦人": "ふじん",
    "産": "さん",
    "泌尿器": "ひにょうき",
    "精神": "せいしん",
    "心療": "しんりょう",
    "脳神経": "のうしんけい",
    "神経": "しんけい",
    "循環器": "じゅんかんき",
    "消化器": "しょうかき",
    "呼吸器": "こきゅうき",
    "放射線": "ほうしゃせん",
    "麻酔": "ますい",
    "歯": "し",
    "矯正": "きょうせい",
    "口腔": "こうくう",
    "糖尿病": "とうにょうびょう",
    "腎臓": "じんぞう",
    "血液": "けつえき",
    "内分泌": "ないぶんぴつ",
    "代謝": "たいしゃ",
    "美容": "びよう",
    "肛門": "こうもん",
    "乳腺": "にゅうせん",
    "心臓": "しんぞう",
    "血管": "けっかん",
    "病理": "びょうり",
    "診断": "しんだん",
    "救急": "きゅうきゅう",
    "老年": "ろうねん",
    "緩和": "かんわ",
    "感染症": "かんせんしょう",
    "総合": "そうごう",
    "診療": "しんりょう",
    "臨床": "りんしょう",
    "検査": "けんさ",
    "透析": "とうせき",
    "気管": "きかん",
    "食道": "しょくどう",
    "胃腸": "いちょう",
    "胃": "い",
    "大腸": "だいちょう",
    "肝臓": "かんぞう",
    "頭頸部": "とうけいぶ",
    "疼痛": "とうつう",
    "在宅": "ざいたく",
    "訪問": "ほうもん",
    "病": "びょう",
    "科": "か",
    "内": "ない",
    "外": "げ",
    "心": "しん",
    "腫瘍": "しゅよう",
    "小": "しょう",
    "児": "じ",
    "器": "き",
    "療": "りょう",
    "法": "ほう",
    "漢方": "かんぽう",
    "睡眠": "すいみん",
    "女性": "じょせい",
    "男性": "だんせい",
    "性": "せい",
    "ペイン": "ぺいん",
    "ケア": "けあ",
}
_LONGEST_PART = max(len(part) for part in SPECIALTY_PART_READINGS)


def specialty_reading(name: str) -> str:
    """The reading of a 診療科目 (「循環器内科」 → 「じゅんかんきないか」), or "" when a part of it is not in
    :data:`SPECIALTY_PART_READINGS` (an unknown name is still found by its own letters)."""
    reading, index = [], 0
    while index < len(name):
        for size in range(min(_LONGEST_PART, len(name) - index), 0, -1):
            part = name[index : index + size]
            if part in SPECIALTY_PART_READINGS:
                reading.append(SPECIALTY_PART_READINGS[part])
                index += size
                break
        else:
            char = name[index]
            if not ("\u3041" <= char <= "\u30ff" or char in "・（）() 　"):
                return ""
            reading.append(char)
            index += 1
    return "".join(reading)


class CategoryGroup(models.TextChoices):
    MEDICAL = "medical", "医療"
    CARE = "care", "介護"
    COMMUNITY = "community", "地域資源"


CATEGORY_GROUP: dict[str, str] = {
    Category.HOSPITAL: CategoryGroup.MEDICAL,
    Category.CLINIC: CategoryGroup.MEDICAL,
    Category.DENTAL_CLINIC: CategoryGroup.MEDICAL,
    Category.PHARMACY: CategoryGroup.MEDICAL,
    Category.VISITING_NURSE_STATION: CategoryGroup.MEDICAL,
    Category.CARE_MANAGEMENT_OFFICE: CategoryGroup.CARE,
    Category.COMMUNITY_SUPPORT_CENTER: CategoryGroup.CARE,
    Category.HOME_HELP: CategoryGroup.CARE,
    Category.DAY_SERVICE: CategoryGroup.CARE,
    Category.DAY_CARE_REHAB: CategoryGroup.CARE,
    Category.SHORT_STAY: CategoryGroup.CARE,
    Category.SMALL_MULTIFUNCTIONAL: CategoryGroup.CARE,
    Category.GROUP_HOME: CategoryGroup.CARE,
    Category.SPECIAL_NURSING_HOME: CategoryGroup.CARE,
    Category.GERIATRIC_HEALTH_FACILITY: CategoryGroup.CARE,
    Category.GATHERING_PLACE: CategoryGroup.COMMUNITY,
    Category.INFORMAL_SERVICE: CategoryGroup.COMMUNITY,
    Category.OTHER: CategoryGroup.COMMUNITY,
}


def categories_in_group(group: str) -> list[str]:
    return [category for category, owner in CATEGORY_GROUP.items() if owner == group]


@dataclass(frozen=True)
class ServiceType:
    code: str
    name: str
    kana: str
    category: str  # the facility category an office offering only this service gets


SERVICE_TYPES: dict[str, ServiceType] = {
    service.code: service
    for service in [
        ServiceType("110", "訪問介護", "ほうもんかいご", Category.HOME_HELP),
        ServiceType("120", "訪問入浴介護", "ほうもんにゅうよくかいご", Category.HOME_HELP),
        ServiceType("130", "訪問看護", "ほうもんかんご", Category.VISITING_NURSE_STATION),
        ServiceType("140", "訪問リハビリテーション", "ほうもんりはびりてーしょん", Category.OTHER),
        ServiceType("150", "通所介護", "つうしょかいご でいさーびす", Category.DAY_SERVICE),
        ServiceType(
            "160", "通所リハビリテーション", "つうしょりはびりてーしょん でいけあ", Category.DAY_CARE_REHAB
        ),
        ServiceType("170", "福祉用具貸与", "ふくしようぐたいよ", Category.OTHER),
        ServiceType(
            "210", "短期入所生活介護", "たんきにゅうしょせいかつかいご しょーとすてい", Category.SHORT_STAY
        ),
        ServiceType(
            "220",
            "短期入所療養介護（介護老人保健施設）",
            "たんきにゅうしょりょうようかいご",
            Category.SHORT_STAY,
        ),
        ServiceType(
            "230", "短期入所療養介護（病院等）", "たんきにゅうしょりょうようかいご", Category.SHORT_STAY
        ),
        ServiceType(
            "320",
            "認知症対応型共同生活介護",
            "にんちしょうたいおうがたきょうどうせいかつかいご ぐるーぷほーむ",
            Category.GROUP_HOME,
        ),
        ServiceType(
            "331",
            "特定施設入居者生活介護（有料老人ホーム）",
            "とくていしせつにゅうきょしゃせいかつかいご",
            Category.OTHER,
        ),
        ServiceType(
            "332",
            "特定施設入居者生活介護（軽費老人ホーム）",
            "とくていしせつにゅうきょしゃせいかつかいご",
            Category.OTHER,
        ),
        ServiceType(
            "334",
            "特定施設入居者生活介護（サービス付き高齢者向け住宅）",
            "とくていしせつにゅうきょしゃせいかつかいご",
            Category.OTHER,
        ),
        ServiceType(
            "335",
            "特定施設入居者生活介護（有料老人ホーム・外部サービス利用型）",
            "とくていしせつにゅうきょしゃせいかつかいご",
            Category.OTHER,
        ),
        ServiceType(
            "336",
            "特定施設入居者生活介護（軽費老人ホーム・外部サービス利用型）",
            "とくていしせつにゅうきょしゃせいかつかいご",
            Category.OTHER,
        ),
        ServiceType(
            "337",
            "特定施設入居者生活介護（サービス付き高齢者向け住宅・外部サービス利用型）",
            "とくていしせつにゅうきょしゃせいかつかいご",
            Category.OTHER,
        ),
        ServiceType(
            "361",
            "地域密着型特定施設入居者生活介護（有料老人ホーム）",
            "ちいきみっちゃくがたとくていしせつ",
            Category.OTHER,
        ),
        ServiceType(
            "362",
            "地域密着型特定施設入居者生活介護（軽費老人ホーム）",
            "ちいきみっちゃくがたとくていしせつ",
            Category.OTHER,
        ),
        ServiceType(
            "364",
            "地域密着型特定施設入居者生活介護（サービス付き高齢者向け住宅）",
            "ちいきみっちゃくがたとくていしせつ",
            Category.OTHER,
        ),
        ServiceType("430", "居宅介護支援", "きょたくかいごしえん けあまね", Category.CARE_MANAGEMENT_OFFICE),
        ServiceType(
            "510", "介護老人福祉施設", "かいごろうじんふくししせつ とくよう", Category.SPECIAL_NURSING_HOME
        ),
        ServiceType(
            "520",
            "介護老人保健施設",
            "かいごろうじんほけんしせつ ろうけん",
            Category.GERIATRIC_HEALTH_FACILITY,
        ),
        ServiceType("530", "介護療養型医療施設", "かいごりょうようがたいりょうしせつ", Category.OTHER),
        ServiceType(
            "540",
            "地域密着型介護老人福祉施設入所者生活介護",
            "ちいきみっちゃくがたかいごろうじんふくししせつ とくよう",
            Category.SPECIAL_NURSING_HOME,
        ),
        ServiceType("550", "介護医療院", "かいごいりょういん", Category.OTHER),
        ServiceType("710", "夜間対応型訪問介護", "やかんたいおうがたほうもんかいご", Category.HOME_HELP),
        ServiceType(
            "720", "認知症対応型通所介護", "にんちしょうたいおうがたつうしょかいご", Category.DAY_SERVICE
        ),
        ServiceType(
            "730",
            "小規模多機能型居宅介護",
            "しょうきぼたきのうがたきょたくかいご",
            Category.SMALL_MULTIFUNCTIONAL,
        ),
        ServiceType(
            "760",
            "定期巡回・随時対応型訪問介護看護",
            "ていきじゅんかいずいじたいおうがたほうもんかいごかんご",
            Category.HOME_HELP,
        ),
        ServiceType(
            "770",
            "看護小規模多機能型居宅介護",
            "かんごしょうきぼたきのうがたきょたくかいご かんたき",
            Category.SMALL_MULTIFUNCTIONAL,
        ),
        ServiceType(
            "780",
            "地域密着型通所介護",
            "ちいきみっちゃくがたつうしょかいご でいさーびす",
            Category.DAY_SERVICE,
        ),
    ]
}

# When an office offers several services, the category comes from the most specific one:
# earlier in this list wins.
CATEGORY_PRECEDENCE: list[str] = [
    Category.SPECIAL_NURSING_HOME,
    Category.GERIATRIC_HEALTH_FACILITY,
    Category.GROUP_HOME,
    Category.SMALL_MULTIFUNCTIONAL,
    Category.VISITING_NURSE_STATION,
    Category.CARE_MANAGEMENT_OFFICE,
    Category.DAY_CARE_REHAB,
    Category.DAY_SERVICE,
    Category.SHORT_STAY,
    Category.HOME_HELP,
    Category.OTHER,
]


@dataclass(frozen=True)
class Capability:
    field: str
    label: str
    kind: str  # "home_care" or "procedure"


CAPABILITIES: list[Capability] = [
    Capability("house_call", "往診", "home_care"),
    Capability("home_visit_care", "訪問診療", "home_care"),
    Capability("round_the_clock", "24時間対応", "home_care"),
    Capability("end_of_life_care", "看取り", "home_care"),
    Capability("dementia_care", "認知症対応", "home_care"),
    Capability("tube_feeding", "胃ろう・経管栄養", "procedure"),
    Capability("suctioning", "喀痰吸引", "procedure"),
    Capability("home_oxygen", "在宅酸素", "procedure"),
    Capability("central_venous_nutrition", "中心静脈栄養", "procedure"),
    Capability("ventilator", "人工呼吸器", "procedure"),
    Capability("pressure_ulcer_care", "褥瘡処置", "procedure"),
    Capability("insulin", "インスリン", "procedure"),
    Capability("stoma", "ストーマ", "procedure"),
    Capability("peritoneal_dialysis", "腹膜透析", "procedure"),
    Capability("palliative_opioids", "疼痛緩和・麻薬", "procedure"),
]
CAPABILITY_FIELDS = [capability.field for capability in CAPABILITIES]
CAPABILITY_BY_FIELD = {capability.field: capability for capability in CAPABILITIES}


class AcceptanceStatus(models.TextChoices):
    ACCEPTING = "accepting", "受入可"
    CONSULT = "consult", "要相談"
    NOT_ACCEPTING = "not_accepting", "受入停止"
    UNKNOWN = "unknown", "未確認"


class FacilityStatus(models.TextChoices):
    ACTIVE = "active", "運営中"
    SUSPENDED = "suspended", "休止"
    CLOSED = "closed", "廃止"
