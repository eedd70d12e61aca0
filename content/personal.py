"""Personal data in words a user typed: phone numbers and e-mail addresses.

A question from the inbox becomes an FAQ's example, and with it training data and the audit
log, where no retention reaches: what identifies a person must be edited out first.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from phonenumbers import PhoneNumberMatcher

# Numbers without a country code are read as Italian ones; others need their "+".
REGION = "IT"
# An address as people type one; `\w` takes in letters of every script.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class Kind(enum.StrEnum):
    """What was found."""

    PHONE = "phone"
    EMAIL = "email"


@dataclass(frozen=True)
class Found:
    """One piece of personal data, as it was typed."""

    kind: Kind
    text: str


def personal_data(text: str) -> list[Found]:
    """Phone numbers (valid by their country's numbering plan) and e-mail addresses, in order."""
    emails = [(m.start(), Found(Kind.EMAIL, m.group())) for m in EMAIL.finditer(text)]
    phones = [(m.start, Found(Kind.PHONE, m.raw_string)) for m in PhoneNumberMatcher(text, REGION)]
    return [found for _start, found in sorted(emails + phones, key=lambda pair: pair[0])]
