from __future__ import annotations

from django import forms

from renkei.outreach.models import PortalImage, PortalPage


class PageForm(forms.ModelForm):
    class Meta:
        model = PortalPage
        fields = ["title", "body", "status"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14}), "status": forms.RadioSelect}
        help_texts = {
            "body": "Markdown で書けます: 空行で段落、「## 」で小見出し、「- 」で箇条書き、**太字**、[文字](https://…) でリンク。"
            "HTML は使えません（そのまま文字として表示されます）。",
        }


class ImageForm(forms.ModelForm):
    image = forms.FileField(label="画像（JPEG・PNG、5MBまで）")

    class Meta:
        model = PortalImage
        fields = ["image", "alt", "caption"]
        help_texts = {
            "alt": "目の不自由な方の読み上げソフトが読む文です。画像に写っている内容を書いてください。"
        }
