from django.apps import AppConfig


class JusticeConfig(AppConfig):
    name = "haven.justice"
    label = "justice"

    def ready(self):
        # Honor an obligation when notices delivers its message (contract 2). The notices app
        # is built in parallel: without its signal module there is nothing to listen to.
        try:
            from haven.notices.signals import message_delivered
        except ImportError:
            return
        message_delivered.connect(
            _message_delivered, dispatch_uid="justice.obligation_honored_on_delivery"
        )


def _message_delivered(sender, message=None, **kwargs):
    if message is None:
        return
    from haven.justice.services import obligation_honor_from_message

    obligation_honor_from_message(message)
