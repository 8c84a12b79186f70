"""What happens to a message that other apps react to (haven.lib.events: sent after commit).

message_delivered(sender=Message, message=<Message>) when a message reaches the person: the
provider confirmed an SMS, or the specialist logged the call. An email accepted by the mail
server is "sent", not "delivered" (SMTP cannot tell).

message_sent(sender=Message, message=<Message>) when a message leaves Haven: the mail server or
the SMS provider accepted it, or the specialist mailed the letter. A notice the law requires is
given at that moment (haven.justice honors its obligation).
"""

from haven.lib.events import Event

message_delivered = Event(
    "notices.message_delivered",
    "A message reached the person (SMS confirmed, call logged). Facts: message.",
)
message_sent = Event(
    "notices.message_sent",
    "A message left Haven (mail or SMS provider accepted it, letter mailed). Facts: message.",
)
