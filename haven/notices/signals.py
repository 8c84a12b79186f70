"""Signals other apps listen to.

message_delivered(sender=Message, message=<Message>) is sent after commit when a message
reaches the person: the provider confirmed an SMS, or the specialist logged the call.
An email accepted by the mail server is "sent", not "delivered" (SMTP cannot tell).
"""

from django.dispatch import Signal

message_delivered = Signal()
