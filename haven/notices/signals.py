"""Signals other apps listen to.

message_delivered(sender=Message, message=<Message>) is sent after commit when a message
reaches the person: the provider confirmed an SMS, or the specialist logged the call.
An email accepted by the mail server is "sent", not "delivered" (SMTP cannot tell).

message_sent(sender=Message, message=<Message>) is sent after commit when a message leaves
Haven: the mail server or the SMS provider accepted it, or the specialist mailed the letter.
A notice the law requires is given at that moment (haven.justice honors its obligation).
"""

from django.dispatch import Signal

message_delivered = Signal()
message_sent = Signal()
