from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "haven.sso"
    label = "sso"
    verbose_name = "Single sign-on (OpenID Connect)"
