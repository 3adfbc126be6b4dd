"""The poll: answers counted per time, and the best time chosen as promised (most yes,
then most "if need be", then the earliest; never a time that has passed or that nobody
can make)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.meetings import selectors, services
from apps.meetings.models import Answer, Meeting, TimeOption
from apps.meetings.selectors import OptionTally, best_option
from apps.meetings.testing import days_ahead, idea_in, make_meeting
from apps.notifications.models import OutboxEmail


def _tally(hour: int, yes=0, maybe=0, no=0, past=False, pk=None) -> OptionTally:
    start = days_ahead(3, hour)
    option = TimeOption(pk=pk or hour, start=start, end=start + timedelta(hours=1))
    return OptionTally(option=option, yes=yes, maybe=maybe, no=no, is_past=past)


def test_most_yes_wins_over_more_if_need_be():
    tallies = [_tally(9, yes=1, maybe=3), _tally(10, yes=2, maybe=0, no=2)]
    assert best_option(tallies).option.start.hour == 10


def test_on_equal_yes_most_if_need_be_wins():
    tallies = [_tally(9, yes=2, maybe=0), _tally(13, yes=2, maybe=1), _tally(15, yes=1, maybe=3)]
    assert best_option(tallies).option.start.hour == 13


def test_on_a_full_tie_the_earliest_wins_whatever_the_order():
    tallies = [_tally(15, yes=2, maybe=1), _tally(9, yes=2, maybe=1), _tally(13, yes=2, maybe=1)]
    assert best_option(tallies).option.start.hour == 9


def test_passed_times_and_times_nobody_can_make_are_never_best():
    assert best_option([_tally(9, no=3), _tally(10)]) is None
    assert best_option([]) is None
    tallies = [_tally(8, yes=5, past=True), _tally(9, maybe=1, no=4)]
    assert best_option(tallies).option.start.hour == 9


@pytest.fixture
def meeting(world) -> Meeting:
    idea = idea_in(world.skovde)
    return make_meeting(
        idea,
        world.coach,
        starts=[days_ahead(7, 9), days_ahead(7, 13), days_ahead(8, 9)],
        users=[world.process_leader],
        submitters=[idea.submitters.get()],
        guests=[("Anna Expert", "anna@his.se"), ("Bo Rådgivare", "bo@almi.se")],
    )


def _answer(meeting: Meeting, email_or_user, values: list[str]) -> None:
    participant = next(
        p
        for p in meeting.participants.select_related("user", "submitter")
        if p.address == email_or_user
    )
    options = list(meeting.options.order_by("start"))
    services.participant_answer(
        participant=participant,
        answers={o.pk: v for o, v in zip(options, values, strict=True)},
    )


def test_the_poll_counts_answers_and_marks_the_best(world, meeting):
    submitter = meeting.idea.submitters.get().email
    _answer(meeting, "pl@skaraborg.se", ["yes", "maybe", "yes"])
    _answer(meeting, submitter, ["no", "yes", "yes"])
    _answer(meeting, "anna@his.se", ["maybe", "yes", "no"])
    poll = selectors.poll(meeting)
    counts = [(t.yes, t.maybe, t.no) for t in poll.tallies]
    assert counts == [(1, 1, 1), (2, 1, 0), (2, 0, 1)]
    assert poll.best is poll.tallies[1] and poll.tallies[1].is_best
    assert [t.is_best for t in poll.tallies] == [False, True, False]
    assert poll.waiting == 1  # Bo has not answered
    assert [r.answers for r in poll.rows][-1] == [None, None, None]


def test_answering_again_replaces_the_answers(world, meeting):
    _answer(meeting, "anna@his.se", ["yes", "yes", "yes"])
    _answer(meeting, "anna@his.se", ["no", "maybe", "no"])
    values = sorted(Answer.objects.values_list("value", flat=True))
    assert values == ["maybe", "no", "no"]


def test_the_organiser_is_told_once_when_everyone_has_answered(world, meeting):
    submitter = meeting.idea.submitters.get().email
    everyone = ["pl@skaraborg.se", submitter, "anna@his.se", "bo@almi.se"]
    for address in everyone[:-1]:
        _answer(meeting, address, ["yes", "no", "no"])
    assert not OutboxEmail.objects.filter(kind="meeting_all_answered").exists()
    _answer(meeting, everyone[-1], ["yes", "no", "no"])
    _answer(meeting, everyone[0], ["no", "yes", "no"])  # a change of mind: no new email
    [email] = OutboxEmail.objects.filter(kind="meeting_all_answered")
    assert email.recipient == "coach@skovde.se"
    assert f"/meetings/{meeting.pk}/" in email.body


def test_an_answer_must_cover_every_time_with_a_known_value(world, meeting):
    participant = meeting.participants.get(email="anna@his.se")
    first, *_rest = meeting.options.all()
    with pytest.raises(ValidationError):
        services.participant_answer(participant=participant, answers={first.pk: "yes"})
    with pytest.raises(ValidationError):
        services.participant_answer(
            participant=participant, answers={o.pk: "perhaps" for o in meeting.options.all()}
        )
    assert not Answer.objects.exists()


def test_no_answers_once_booked_and_none_through_a_removed_link(world, meeting):
    anna = meeting.participants.get(email="anna@his.se")
    bo = meeting.participants.get(email="bo@almi.se")
    services.participant_remove(participant=bo, actor=world.coach)
    everything = {o.pk: "yes" for o in meeting.options.all()}
    with pytest.raises(PermissionDenied):
        services.participant_answer(participant=bo, answers=everything)
    services.meeting_book(meeting=meeting, actor=world.coach, option=meeting.options.first())
    with pytest.raises(ValidationError):
        services.participant_answer(participant=anna, answers=everything)


def test_a_passed_time_cannot_be_booked_nor_proposed(world, meeting):
    option = meeting.options.first()
    TimeOption.objects.filter(pk=option.pk).update(
        start=timezone.now() - timedelta(hours=2), end=timezone.now() - timedelta(hours=1)
    )
    option.refresh_from_db()
    with pytest.raises(ValidationError):
        services.meeting_book(meeting=meeting, actor=world.coach, option=option)
    with pytest.raises(ValidationError):
        services.meeting_add_options(
            meeting=meeting, actor=world.coach, starts=[timezone.now() - timedelta(minutes=5)]
        )
    with pytest.raises(ValidationError):  # already an option
        services.meeting_add_options(
            meeting=meeting, actor=world.coach, starts=[meeting.options.last().start]
        )
