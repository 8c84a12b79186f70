from django.apps import AppConfig


class CrisisConfig(AppConfig):
    name = "haven.crisis"
    label = "crisis"

    def ready(self):
        from haven.audit.reads import register_read_objects
        from haven.crisis.models import CallOut

        def callouts_about(agency_id: int, case_ids: list[int], person_ids: list[int]):
            about = CallOut.objects.filter(agency_id=agency_id, case_id__in=case_ids)
            return (("crisis.callout", pk) for pk in about.values_list("pk", flat=True))

        # A call-out's reads belong on the "who has opened this" lists of its case.
        register_read_objects("crisis", callouts_about)
