"""The access log in words people read: what was opened (「投稿 #8 のPDF」, 「添付ファイル」) and from
where (画面, API, コマンド). The stored rows keep their short English codes; only what people see
(閲覧の記録, the audit CSV) is translated here, so a code without a label still shows as itself."""

from __future__ import annotations

OBJECT_LABELS = {
    "patient": "利用者の記録",
    "patient_form": "利用者情報の編集",
    "timeline": "タイムライン",
    "post": "投稿",
    "attachment": "添付ファイル",
    "attachment_thumbnail": "添付画像の縮小表示",
    "collaboration_sheet": "投稿のPDF",
    "consent": "同意",
    "consent_history": "同意の記録",
    "consent_scan": "同意書の画像",
    "consent_withdrawal": "同意の撤回",
    "care_team": "ケアチーム",
    "membership": "ケアチームの一員",
    "emergency_access": "緊急アクセス",
    "access_log": "閲覧の記録",
    "consultation": "相談記録",
    "consultation_desk": "相談窓口",
    "follow_up": "フォローアップ",
    "consultation_import": "相談記録の取込",
    "contact_path": "連絡経路",
    "acp_record": "人生会議の記録",
    "emergency_kit": "救急医療情報キット",
    "kit_profile": "キットの追加情報",
    "episode": "入院",
    "transition_document": "入退院の文書",
    "transition_document_pdf": "入退院の文書のPDF",
    "fhir_document": "FHIR文書",
    "fhir_link": "FHIRの一回限りのリンク",
    "emergency_services_kit": "救急医療情報キット（消防・警察の閲覧）",
    "emergency_services_search": "消防・警察の検索結果",
    "emergency_services_consent": "消防・警察への提供の同意",
    "agency_grant": "消防・警察への提供の許可",
    "agency_account": "消防・警察のアカウント",
    "filled_sheet": "連携シートのPDF",
}

# Where the id means something to the reader (a post's number), the page shows it within the words.
WITH_ID = {
    "post": "投稿 #{id}",
    "collaboration_sheet": "投稿 #{id} のPDF",
    "filled_sheet": "投稿 #{id} のPDF",
}

VIA_LABELS = {"web": "画面", "api": "API", "cli": "コマンド"}


def kind_label(object_type: str) -> str:
    """What kind of thing, for a column that carries the id beside it (the CSV)."""
    return OBJECT_LABELS.get(object_type, object_type)


def object_label(object_type: str, object_id: str = "") -> str:
    """The thing itself, for a page: 「投稿 #8 のPDF」, 「添付ファイル」."""
    if object_type in WITH_ID and object_id:
        return WITH_ID[object_type].format(id=object_id)
    return OBJECT_LABELS.get(object_type) or f"{object_type} {object_id}".strip()


def via_label(via: str) -> str:
    return VIA_LABELS.get(via, via)
