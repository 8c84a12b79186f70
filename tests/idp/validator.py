"""The claims a real identity provider sends: email, email_verified, amr (RFC 8176).

A user in the group "email-unverified" gets email_verified false; one in "mfa" gets
amr ["pwd", "mfa"], else ["pwd"]; one in "entra" gets xms_edov instead of email_verified.
`state.ISSUER_OVERRIDE` lets a test make the provider sign ID tokens naming another issuer
than its discovery document does.
"""

from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.idp import state


class Validator(OAuth2Validator):
    def get_additional_claims(self, request):
        user = request.user
        groups = set(user.groups.values_list("name", flat=True))
        claims = {
            "email": user.email,
            "email_verified": "email-unverified" not in groups,
            "name": user.get_full_name(),
            "amr": ["pwd", "mfa"] if "mfa" in groups else ["pwd"],
        }
        if "entra" in groups:
            # As Microsoft Entra ID does: no email_verified, the optional claim xms_edov.
            del claims["email_verified"]
            claims["xms_edov"] = "email-unverified" not in groups
        return claims

    def get_oidc_claims(self, token, token_handler, request):
        # Every claim of get_additional_claims, whatever DOT's claim-to-scope table says.
        claims = super().get_oidc_claims(token, token_handler, request)
        claims.update(self.get_additional_claims(request))
        return claims

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
        if state.ISSUER_OVERRIDE:
            claims["iss"] = state.ISSUER_OVERRIDE
        return claims, expiration
