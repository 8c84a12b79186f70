"""The coordinator's pages for the agency's outreach rules."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from haven.agencies.roles import Perm
from haven.agencies.selectors import caseworkers
from haven.core.decorators import staff_view
from haven.core.forms import add_service_errors, dataclass_from
from haven.incidents.rule_forms import OutreachRuleForm
from haven.incidents.rule_selectors import access_outreach_rule, agency_districts, outreach_rules
from haven.incidents.rule_services import RuleData, outreach_rule_save, outreach_rules_start


@staff_view(Perm.AGENCY_CONFIGURE)
def rule_list(request):
    return render(
        request, "incidents/rules/list.html", {"rules": list(outreach_rules(request.actor))}
    )


@require_POST
@staff_view(Perm.AGENCY_CONFIGURE)
def rules_start(request):
    try:
        rules = outreach_rules_start(actor=request.actor)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Added {len(rules)} starter rules: check them below.")
    return redirect("outreach_rules:list")


@staff_view(Perm.AGENCY_CONFIGURE)
def rule_new(request):
    return _rule_form(request, rule=None)


@staff_view(Perm.AGENCY_CONFIGURE)
def rule_edit(request, rule_id: int):
    return _rule_form(request, rule=access_outreach_rule(request.actor, rule_id))


def _rule_form(request, *, rule):
    actor = request.actor
    form = OutreachRuleForm(
        request.POST or None,
        initial=OutreachRuleForm.initial_for(rule) if rule else None,
        districts=agency_districts(actor),
        caseworkers=caseworkers(actor),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = outreach_rule_save(
                actor=actor, data=dataclass_from(RuleData, form.cleaned_data), rule=rule
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Saved the rule “{saved.name}”.")
            return redirect("outreach_rules:list")
    return render(
        request,
        "incidents/rules/form.html",
        {"form": form, "rule": rule},
        status=400 if form.errors else 200,
    )
