from django.apps import AppConfig


class JusticeConfig(AppConfig):
    name = "haven.justice"
    label = "justice"

    def ready(self):
        from haven.justice import case_hooks

        case_hooks.register()
        # A rights notice queued through haven.notices is given when it leaves Haven (mail
        # server or SMS provider accepted it, letter mailed) or when the specialist's call
        # reached the person: either honors its obligation (the first one counts).
        from haven.notices.signals import message_delivered, message_sent

        for signal, uid in ((message_sent, "sent"), (message_delivered, "delivered")):
            signal.connect(_honor_obligation, dispatch_uid=f"justice.obligation_honored_{uid}")


def _honor_obligation(sender, message=None, **kwargs):
    if message is None:
        return
    from haven.justice.services import obligation_honor_from_message

    obligation_honor_from_message(message)
