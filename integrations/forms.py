from django import forms
from django.core.exceptions import ValidationError


class TokenForm(forms.Form):
    """A pasted API token. The field never renders the stored value back."""

    token = forms.CharField(
        label="API token",
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}),
    )

    def __init__(self, *args, token_required=True, token_name="API token", **kwargs):
        super().__init__(*args, **kwargs)
        self.token_name = token_name
        self.fields["token"].label = token_name[0].upper() + token_name[1:]
        self.fields["token"].required = token_required
        self.fields["token"].error_messages["required"] = f"Paste the {token_name}."

    def clean_token(self):
        token = self.cleaned_data["token"]
        if token and (len(token) < 8 or any(character.isspace() for character in token)):
            article = "an" if self.token_name[:1].lower() in "aeiou" else "a"
            raise ValidationError(
                f"That does not look like {article} {self.token_name}: copy the whole token, with no spaces."
            )
        return token


class SwitchForm(TokenForm):
    """The ON/OFF switch of Your Integration, which carries the token pasted beside it (optional:
    without one, the stored token is switched on)."""

    on = forms.TypedChoiceField(
        choices=[("1", "On"), ("0", "Off")],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
        error_messages={"required": "Choose on or off.", "invalid_choice": "Choose on or off."},
    )

    def __init__(self, *args, token_name="API token", **kwargs):
        super().__init__(*args, token_required=False, token_name=token_name, **kwargs)
