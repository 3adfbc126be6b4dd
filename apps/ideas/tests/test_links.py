"""Linking two ideas as related or as the same idea (issue 5 §2).

The services record the link on both timelines and tell both ideas' submitters through
the outbox, naming only the other idea's title and municipality; the pages show linked
ideas with their kind and a button to remove the link; and the rules hold: only those
who work the idea link it, and a coach of Hjo cannot reach Skövde's idea at all.
"""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.core.testing import run_worker, submit_idea
from apps.ideas import services
from apps.ideas.models import IdeaLink, TimelineEntry
from apps.notifications.models import OutboxEmail


def _pair(world):
    """An idea in Skövde and one in Hjo, each with its own submitter (and a co-submitter
    on Hjo's), so that each side's personal data can be looked for on the other."""
    skovde = submit_idea(
        world.skovde,
        title="Webbaserad föräldrautbildning",
        submitter_name="Sara Skövdebo",
        submitter_email="sara@skovde.se",
    )
    hjo = submit_idea(
        world.hjo,
        title="Föräldrakurs på nätet",
        submitter_name="Hugo Hjobo",
        submitter_email="hugo@hjo.se",
        submitter_phone="0503-123 45",
        co_submitters=[services.CoSubmitter(name="Hanna Medhjälp", email="hanna@hjo.se")],
    )
    OutboxEmail.objects.all().delete()
    return skovde, hjo


def _emails_to(address: str) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(recipient=address, kind="idea_linked"))


# --- The services -----------------------------------------------------------------------


def test_linking_records_on_both_timelines_and_tells_both_sides_submitters(world):
    skovde, hjo = _pair(world)

    link = services.idea_link(actor=world.coach, idea=skovde, other=hjo, kind=IdeaLink.Kind.SAME)

    assert (link.idea_a, link.idea_b, link.kind) == (skovde, hjo, "same")
    assert link.created_by == world.coach
    for idea, other in ((skovde, hjo), (hjo, skovde)):
        entry = idea.timeline.get(kind=TimelineEntry.Kind.IDEA_LINKED)
        assert entry.actor == world.coach
        assert other.reference in entry.body and other.title in entry.body
    # Everyone on both ideas gets one email, in the outbox.
    for address in ("sara@skovde.se", "hugo@hjo.se", "hanna@hjo.se"):
        assert len(_emails_to(address)) == 1, address
    to_sara = _emails_to("sara@skovde.se")[0]
    assert skovde.reference in to_sara.subject
    assert "Föräldrakurs på nätet" in to_sara.body and "Hjo" in to_sara.body
    # Never the other side's people: not their names, addresses or phone.
    for private in ("Hugo", "hugo@hjo.se", "Hanna", "hanna@hjo.se", "0503"):
        assert private not in to_sara.subject + to_sara.body
    to_hugo = _emails_to("hugo@hjo.se")[0]
    assert "Webbaserad föräldrautbildning" in to_hugo.body and "Skövde" in to_hugo.body
    for private in ("Sara", "sara@skovde.se"):
        assert private not in to_hugo.subject + to_hugo.body


def test_linking_merges_nothing(world):
    skovde, hjo = _pair(world)
    services.idea_assign_owner(idea=skovde, actor=world.coach, owner=world.coach)
    before = {
        idea.pk: (
            sorted(idea.submitters.values_list("email", flat=True)),
            idea.timeline.count(),
        )
        for idea in (skovde, hjo)
    }

    services.idea_link(actor=world.coach, idea=skovde, other=hjo, kind=IdeaLink.Kind.SAME)

    for idea in (skovde, hjo):
        idea.refresh_from_db()
        emails, entries = before[idea.pk]
        assert sorted(idea.submitters.values_list("email", flat=True)) == emails
        assert idea.timeline.count() == entries + 1  # its own entry, nothing copied over
    assert skovde.owner == world.coach and hjo.owner is None


@pytest.mark.django_db(transaction=True)
def test_the_link_emails_are_delivered_by_the_worker(world):
    skovde, hjo = _pair(world)
    mail.outbox.clear()

    services.idea_link(actor=world.process_leader, idea=hjo, other=skovde, kind="related")
    run_worker()

    delivered = {message.to[0]: message for message in mail.outbox}
    assert {"sara@skovde.se", "hugo@hjo.se", "hanna@hjo.se"} <= set(delivered)
    assert "Webbaserad föräldrautbildning" in delivered["hanna@hjo.se"].body


def test_one_link_per_pair_whichever_side_it_is_made_from(world):
    skovde, hjo = _pair(world)
    services.idea_link(actor=world.coach, idea=skovde, other=hjo, kind="related")

    with pytest.raises(ValidationError):
        services.idea_link(actor=world.other_coach, idea=hjo, other=skovde, kind="related")
    # Linking again with the other kind changes the kind of the one link.
    services.idea_link(actor=world.other_coach, idea=hjo, other=skovde, kind="same")
    assert IdeaLink.objects.get().kind == "same"
    assert IdeaLink.objects.count() == 1
    # The database holds the rule too: a pair written the other way round is refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        IdeaLink.objects.create(idea_a=hjo, idea_b=skovde, kind="related", created_by=world.coach)


def test_an_idea_is_never_linked_to_itself(world):
    skovde, _hjo = _pair(world)
    with pytest.raises(ValidationError):
        services.idea_link(actor=world.coach, idea=skovde, other=skovde, kind="related")
    with pytest.raises(IntegrityError), transaction.atomic():
        IdeaLink.objects.create(
            idea_a=skovde, idea_b=skovde, kind="related", created_by=world.coach
        )


def test_an_unknown_kind_is_refused(world):
    skovde, hjo = _pair(world)
    with pytest.raises(ValidationError):
        services.idea_link(actor=world.coach, idea=skovde, other=hjo, kind="merged")
    assert not IdeaLink.objects.exists()


@pytest.mark.parametrize("actor", ["manager", "employee", "communicator", "administrator"])
def test_only_those_who_work_the_idea_link_it(world, actor):
    skovde, hjo = _pair(world)
    with pytest.raises(PermissionDenied):
        services.idea_link(actor=getattr(world, actor), idea=skovde, other=hjo, kind="related")
    assert not IdeaLink.objects.exists()
    assert not TimelineEntry.objects.filter(kind=TimelineEntry.Kind.IDEA_LINKED).exists()


def test_a_coach_of_hjo_cannot_link_skovde_s_idea(world):
    skovde, hjo = _pair(world)
    with pytest.raises(PermissionDenied):
        services.idea_link(actor=world.other_coach, idea=skovde, other=hjo, kind="related")
    # From Hjo's own idea, Skövde's is in reach: coaches see similar ideas everywhere.
    services.idea_link(actor=world.other_coach, idea=hjo, other=skovde, kind="related")


def test_unlinking_records_on_both_timelines_and_either_side_may_do_it(world):
    skovde, hjo = _pair(world)
    link = services.idea_link(actor=world.coach, idea=skovde, other=hjo, kind="related")

    with pytest.raises(PermissionDenied):
        services.idea_unlink(actor=world.manager, link=link)
    # The coach of the other side may remove a link made from Skövde.
    services.idea_unlink(actor=world.other_coach, link=link)

    assert not IdeaLink.objects.exists()
    for idea, other in ((skovde, hjo), (hjo, skovde)):
        entry = idea.timeline.get(kind=TimelineEntry.Kind.IDEA_UNLINKED)
        assert entry.actor == world.other_coach and other.reference in entry.body
    with pytest.raises(ValidationError):
        services.idea_unlink(actor=world.coach, link=link)


# --- The idea page ----------------------------------------------------------------------


def _detail(client, idea):
    return client.get(reverse("ideas:detail", args=[idea.reference]))


def test_a_coach_links_from_the_idea_page_and_removes_the_link(world, client):
    skovde, hjo = _pair(world)
    client.force_login(world.coach)

    response = client.post(
        reverse("ideas:link", args=[skovde.reference]),
        {"link-other": hjo.reference, "link-kind": "same"},
    )
    assert response.status_code == 302
    link = IdeaLink.objects.get()

    page = _detail(client, skovde)
    section = page.content.decode()
    linked = page.context["links"]
    assert [(item.other, item.link.kind) for item in linked] == [(hjo, "same")]
    # Hjo's idea is not Skövde's coach's to open: its title, no link to it.
    assert not linked[0].may_open
    assert hjo.title in section
    assert reverse("ideas:detail", args=[hjo.reference]) not in section
    assert reverse("ideas:unlink", args=[skovde.reference, link.pk]) in section
    # A linked idea is not offered again among the similar ones.
    similar = client.get(reverse("ideas:similar", args=[skovde.reference]))
    assert hjo.pk not in [card.idea_id for card in similar.context["similar"]]

    response = client.post(reverse("ideas:unlink", args=[skovde.reference, link.pk]))
    assert response.status_code == 302
    assert not IdeaLink.objects.exists()
    assert _detail(client, skovde).context["links"] == []


def test_a_process_leader_may_open_both_linked_ideas(world, client):
    skovde, hjo = _pair(world)
    services.idea_link(actor=world.coach, idea=skovde, other=hjo, kind="related")
    client.force_login(world.process_leader)
    page = _detail(client, hjo)
    assert page.context["links"][0].may_open
    assert reverse("ideas:detail", args=[skovde.reference]) in page.content.decode()


def test_the_manager_sees_the_links_but_no_buttons(world, client):
    skovde = submit_idea(world.skovde, unit=world.skovde_unit, title="Matsvinn i skolan")
    hjo = submit_idea(world.hjo, title="Mindre matsvinn")
    link = services.idea_link(actor=world.coach, idea=skovde, other=hjo, kind="related")
    client.force_login(world.manager)
    page = _detail(client, skovde)
    assert page.context["links"][0].other == hjo
    html = page.content.decode()
    assert reverse("ideas:unlink", args=[skovde.reference, link.pk]) not in html
    assert reverse("ideas:link", args=[skovde.reference]) not in html
    response = client.post(reverse("ideas:unlink", args=[skovde.reference, link.pk]))
    assert response.status_code == 404
    assert IdeaLink.objects.exists()


def test_a_linked_idea_s_card_costs_no_query_of_its_own(world, client):
    skovde = submit_idea(world.skovde, title="Matsvinn i skolan")
    others = [submit_idea(world.hjo, title=f"Mindre matsvinn {n}") for n in range(3)]
    services.idea_assign_owner(idea=others[0], actor=world.other_coach, owner=world.other_coach)
    client.force_login(world.process_leader)
    services.idea_link(actor=world.process_leader, idea=skovde, other=others[0], kind="related")
    one = _queries(client, skovde)
    for other in others[1:]:
        services.idea_link(actor=world.process_leader, idea=skovde, other=other, kind="same")
    three = _queries(client, skovde)
    assert len(three) == len(one), "\n".join(three)
    html = _detail(client, skovde).content.decode()
    first = others[0]
    first.refresh_from_db()
    for shown in (first.title, first.reference, "Hjo", first.stage.name, str(first.owner)):
        assert shown in html


def _queries(client, idea) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert _detail(client, idea).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"link-other": "", "link-kind": "related"}, "other"),
        ({"link-other": "SLU-1999-9999", "link-kind": "related"}, "other"),
        ({"link-other": "{own}", "link-kind": "related"}, "other"),
        ({"link-other": "{hjo}", "link-kind": "merged"}, "kind"),
    ],
    ids=["empty", "unknown", "itself", "bad-kind"],
)
def test_bad_input_re_renders_the_page_with_what_was_typed(world, client, data, field):
    skovde, hjo = _pair(world)
    client.force_login(world.coach)
    data = {
        key: value.format(own=skovde.reference, hjo=hjo.reference) for key, value in data.items()
    }
    response = client.post(reverse("ideas:link", args=[skovde.reference]), data)
    assert response.status_code == 400
    form = response.context["link_form"]
    assert field in form.errors
    html = response.content.decode()
    assert 'id="error-summary"' in html
    if data["link-other"]:
        assert f'value="{data["link-other"]}"' in html
    assert not IdeaLink.objects.exists()


def test_linking_twice_says_so(world, client):
    skovde, hjo = _pair(world)
    services.idea_link(actor=world.coach, idea=skovde, other=hjo, kind="related")
    client.force_login(world.coach)
    response = client.post(
        reverse("ideas:link", args=[skovde.reference]),
        {"link-other": hjo.reference, "link-kind": "related"},
    )
    assert response.status_code == 400
    assert response.context["link_form"].errors["other"]


def test_the_hjo_coach_gets_404_for_skovde_s_link_pages(world, client):
    skovde, hjo = _pair(world)
    link = services.idea_link(actor=world.coach, idea=skovde, other=hjo, kind="related")
    client.force_login(world.other_coach)
    response = client.post(
        reverse("ideas:link", args=[skovde.reference]),
        {"link-other": hjo.reference, "link-kind": "same"},
    )
    assert response.status_code == 404
    response = client.post(reverse("ideas:unlink", args=[skovde.reference, link.pk]))
    assert response.status_code == 404
    assert IdeaLink.objects.get().kind == "related"


def test_a_link_is_removed_only_through_an_idea_it_belongs_to(world, client):
    skovde, hjo = _pair(world)
    third = submit_idea(world.skovde, title="Något helt annat")
    link = services.idea_link(actor=world.coach, idea=skovde, other=hjo, kind="related")
    client.force_login(world.coach)
    response = client.post(reverse("ideas:unlink", args=[third.reference, link.pk]))
    assert response.status_code == 404
    assert IdeaLink.objects.exists()


def test_the_submitter_page_names_only_the_other_municipality(world, client):
    skovde, hjo = _pair(world)
    services.idea_link(actor=world.coach, idea=skovde, other=hjo, kind="same")
    token = skovde.submitters.get(is_primary=True).access_token
    response = client.get(reverse("ideas:submitter_page", args=[token]))
    assert response.context["linked_municipalities"] == ["Hjo"]
    html = response.content.decode()
    for private in ("Hugo", "hugo@hjo.se", hjo.title, hjo.reference):
        assert private not in html
