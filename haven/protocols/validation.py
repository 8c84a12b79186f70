"""What makes a protocol template's steps valid; every refusal names the step."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from haven.agencies.roles import CASEWORKER_ROLES
from haven.lib.reference import choices, load

ROLES = {str(role): role.label for role in CASEWORKER_ROLES}
MAX_DUE_HOURS = 24 * 365


def service_codes() -> set[str]:
    """The PMT sub-service codes of assistance's catalog (read from the same reference file,
    since protocols sits beside assistance and may not import it)."""
    return {sub for _, _, subs in load("pmt")["service_categories"] for sub, _ in subs}


VICTIMIZATION_CODES = {code for code, _ in choices("pmt", "victimization_types")}


@dataclass
class StepData:
    key: str
    title: str
    role: str = "advocate"
    after: str = ""  # an earlier step's key; empty: counted from the protocol's start
    due_hours: int = 24
    services: list[str] = field(default_factory=list)
    notes: str = ""


def check_steps(steps: list[StepData]) -> None:
    """Refuse empty or repeated keys, titles missing or too long, an unknown role, a step due
    before its start (negative hours), a step after an unknown step, and a loop of steps each
    waiting for another."""
    errors: list[str] = []
    if not steps:
        errors.append("A protocol needs at least one step.")
    keys = [s.key for s in steps]
    known = set(service_codes())
    for step in steps:
        name = f"Step “{step.title or step.key}”"
        if not step.key:
            errors.append(f"{name}: give it a short key (letters, digits, dashes).")
        elif keys.count(step.key) > 1:
            errors.append(f"{name}: the key “{step.key}” is used by another step.")
        if not step.title.strip():
            errors.append(f"Step “{step.key}”: give it a title.")
        elif len(step.title) > 200:
            errors.append(f"{name}: keep the title to 200 characters.")
        if step.role not in ROLES:
            errors.append(
                f"{name}: unknown role “{step.role}” (one of {', '.join(sorted(ROLES))})."
            )
        if step.due_hours < 0:
            errors.append(f"{name} is due before its start: give hours of 0 or more.")
        elif step.due_hours > MAX_DUE_HOURS:
            errors.append(f"{name}: due more than a year after its start.")
        if step.after and step.after not in keys:
            errors.append(f"{name} comes after “{step.after}”, which is not a step of it.")
        elif step.after == step.key and step.key:
            errors.append(f"{name} cannot wait for itself.")
        unknown = sorted(set(step.services) - known)
        if unknown:
            errors.append(f"{name}: unknown service codes {', '.join(unknown)}.")
    if not errors:
        errors.extend(_loops(steps))
    if errors:
        raise ValidationError(errors)


def _loops(steps: list[StepData]) -> list[str]:
    """Each step waits for at most one other: follow the chain from each; a chain that comes
    back to a step it passed is a loop."""
    after = {s.key: s.after for s in steps}
    titles = {s.key: s.title for s in steps}
    reported: set[str] = set()
    errors = []
    for start in after:
        seen: list[str] = []
        key = start
        while key and key not in seen:
            seen.append(key)
            key = after.get(key, "")
        if key and key == start and start not in reported:
            loop = seen[seen.index(key) :]
            reported.update(loop)
            chain = " → ".join(f"“{titles[k]}”" for k in [*loop, key])
            errors.append(f"Step “{titles[start]}” waits for itself through a loop: {chain}.")
    return errors


@dataclass
class TemplateData:
    key: str
    name: str
    steps: list[StepData]
    description: str = ""
    victimizations: list[str] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    is_active: bool = True
