"""Forms of the account pages: the e-mail address, second-factor codes and personal API tokens."""

from __future__ import annotations

from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="確認コード",
        max_length=20,
        help_text="認証アプリに表示される6桁の数字。スマートフォンが手元にないときはバックアップコード（英数字8文字）。",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "aria-describedby": "id_code_help",
            }
        ),
    )


class SetupCodeForm(forms.Form):
    code = forms.CharField(
        label="確認コード（6桁）",
        max_length=20,
        help_text="QRコードを読み取った認証アプリに表示される6桁の数字。",
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "aria-describedby": "id_code_help",
            }
        ),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="用途",
        max_length=100,
        help_text="例: 連携室の集計スクリプト",
        widget=forms.TextInput(attrs={"aria-describedby": "id_name_help"}),
    )
    days = forms.IntegerField(
        label="有効日数",
        min_value=1,
        max_value=365,
        initial=90,
        help_text="1〜365日。期限が来ると使えなくなります。",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "aria-describedby": "id_days_help"}),
        error_messages={
            "min_value": "有効日数は1以上にしてください。",
            "max_value": "有効日数は365以下にしてください。",
            "invalid": "有効日数は数字で入力してください。",
        },
    )


class EmailForm(forms.Form):
    email = forms.EmailField(
        label="メールアドレス",
        required=False,
        help_text="通知メールとパスワード再設定のメールが届くアドレス。空にするとメールは届きません。",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "メールアドレスの形式が正しくありません。"},
    )
