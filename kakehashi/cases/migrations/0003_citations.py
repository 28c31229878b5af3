from django.db import migrations

# Citations moved from file names to the project's list of sources (reference/data/sources.yaml).
OLD_SOURCES = {
    "shared/seeds/002_cd9428d8ecef192e.txt": "isa_kg_flow",
    "shared/seeds/003_86c0bb99358835bd.txt": "moc_kg",
    "DOMAIN.md §6 (fields in force; verify against the Cabinet decision)": "ssw_basic_policy 分野別運用方針",
}


def forward(apps, schema_editor):
    """Flags and deadlines cite the list of sources; a flag no longer carries the ministry's
    reason (moc_kg §3: the contact points read it from the decision)."""
    CaseFlag = apps.get_model("cases", "CaseFlag")
    for flag in CaseFlag.objects.all():
        source = flag.source
        for old, key in OLD_SOURCES.items():
            source = source.replace(old, key)
        params = {k: v for k, v in flag.params.items() if k != "reason"}
        if source != flag.source or params != flag.params:
            flag.source, flag.params = source, params
            flag.save(update_fields=["source", "params"])
    CaseDeadline = apps.get_model("cases", "CaseDeadline")
    for deadline in CaseDeadline.objects.filter(key="coe_validity"):
        deadline.source = "immigration_act_regulation 第6条の2"
        deadline.save(update_fields=["source"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_one_open_case_per_person_and_employer")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
