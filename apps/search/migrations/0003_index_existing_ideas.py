"""Index the ideas handed in before search existed (their vectors: `reembed_ideas`)."""

from django.db import migrations


def index_existing(apps, schema_editor):
    from apps.search.normalise import fold, normalise

    Idea = apps.get_model("ideas", "Idea")
    IdeaSearchText = apps.get_model("search", "IdeaSearchText")
    ideas = Idea.objects.using(schema_editor.connection.alias).order_by("pk")
    rows = []
    for pk, title, need, solution, beneficiaries in ideas.values_list(
        "pk", "title", "need", "solution", "beneficiaries"
    ).iterator(chunk_size=2000):
        title_part = normalise(title)
        body_part = normalise(f"{need}\n{solution}\n{beneficiaries}")
        rows.append(
            IdeaSearchText(
                idea_id=pk,
                title_terms=" ".join(title_part.terms),
                body_terms=" ".join(body_part.terms),
                grams=" ".join(dict.fromkeys(title_part.grams + body_part.grams)),
                title_folded=fold(title)[:200],
            )
        )
        if len(rows) >= 2000:
            IdeaSearchText.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    IdeaSearchText.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext_indexes"), ("ideas", "0001_initial")]

    operations = [migrations.RunPython(index_existing, migrations.RunPython.noop)]
