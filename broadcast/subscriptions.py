"""What a user follows: opt-in topics, changed only by the user (or by blocking the bot)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from content.models import Subscription, Topic


class SubscriptionStore:
    """Reads and writes `subscriptions` for one chat at a time."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def topics(self, chat_id: int) -> list[Topic]:
        """The topics a chat follows, in the order of `Topic`."""
        with self.sessions() as session:
            found = set(
                session.scalars(select(Subscription.topic).where(Subscription.chat_id == chat_id))
            )
        return [topic for topic in Topic if topic in found]

    def follow(self, chat_id: int, topic: Topic) -> None:
        """Subscribe (again, harmlessly, if already subscribed)."""
        if topic not in self.topics(chat_id):
            with self.sessions.begin() as session:
                session.add(Subscription(chat_id=chat_id, topic=topic))

    def unfollow(self, chat_id: int, topic: Topic) -> None:
        """Stop one topic."""
        with self.sessions.begin() as session:
            session.execute(
                delete(Subscription).where(
                    Subscription.chat_id == chat_id, Subscription.topic == topic
                )
            )
