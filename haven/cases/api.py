"""The cases API: one view per operation, with its input and output serializers nested.
Each calls the same access helpers, selectors and services as the pages."""

from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.agencies.roles import Perm
from haven.cases import selectors
from haven.cases.access import access_case
from haven.cases.models import (
    AttemptResult,
    CaseStatus,
    ContactChannel,
    ContactDirection,
    ContactOutcome,
    NoteVisibility,
)
from haven.cases.services import contact_log, note_add
from haven.core.api import needs


class CaseListApi(APIView):
    permission_classes = [needs(Perm.CASE_VIEW)]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        number = serializers.CharField()
        status = serializers.CharField()
        priority = serializers.CharField()
        source = serializers.CharField()
        received_at = serializers.DateTimeField()
        first_contact_at = serializers.DateTimeField(allow_null=True)
        report_number = serializers.CharField()
        victim_name = serializers.CharField(source="primary_victim.full_name")
        assigned_to = serializers.CharField(source="assigned_to.display_name", default=None)

    @extend_schema(
        operation_id="cases_list",
        responses=inline_serializer(
            "CaseListPage",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": OutputSerializer(many=True),
            },
        ),
        parameters=[
            OpenApiParameter("status", str, description="open (default), all, or a status"),
            OpenApiParameter("assignee", str, description="a member's id, or 'none' (unassigned)"),
            OpenApiParameter("q", str, description="a case number, report number or name"),
            OpenApiParameter("page", int, description="the page, from 1"),
        ],
    )
    def get(self, request):
        actor = request._request.actor
        status_filter = request.query_params.get("status", "open")
        filters = selectors.CaseFilters(
            status=status_filter
            if status_filter in ("open", "all", *CaseStatus.values)
            else "open",
            assignee=request.query_params.get("assignee", ""),
            q=request.query_params.get("q", ""),
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.case_list(actor, filters), request, view=self)
        selectors.audit_case_page(actor, page, filters)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class CaseDetailApi(APIView):
    permission_classes = [needs(Perm.CASE_VIEW)]

    class OutputSerializer(serializers.Serializer):
        class ContactSerializer(serializers.Serializer):
            id = serializers.IntegerField()
            outcome = serializers.CharField()
            attempt_result = serializers.CharField()
            channel = serializers.CharField()
            direction = serializers.CharField()
            occurred_at = serializers.DateTimeField()
            duration_minutes = serializers.IntegerField(allow_null=True)
            summary = serializers.CharField()

        class NoteSerializer(serializers.Serializer):
            id = serializers.IntegerField()
            body = serializers.CharField()
            visibility = serializers.CharField()
            created_at = serializers.DateTimeField()
            author = serializers.CharField(source="author.display_name", default=None)

        id = serializers.IntegerField()
        number = serializers.CharField()
        status = serializers.CharField()
        status_reason = serializers.CharField()
        priority = serializers.CharField()
        source = serializers.CharField()
        received_at = serializers.DateTimeField()
        first_contact_at = serializers.DateTimeField(allow_null=True)
        closed_at = serializers.DateTimeField(allow_null=True)
        report_number = serializers.CharField()
        victim_name = serializers.CharField(source="primary_victim.full_name")
        victim_id = serializers.IntegerField(source="primary_victim_id")
        preferred_language = serializers.CharField(source="primary_victim.preferred_language")
        assigned_to = serializers.CharField(source="assigned_to.display_name", default=None)
        victimizations = serializers.SerializerMethodField()
        contacts = ContactSerializer(many=True)
        notes = serializers.SerializerMethodField()

        @extend_schema_field(NoteSerializer(many=True))
        def get_notes(self, case) -> list[dict]:
            # Privileged notes only for a reader who holds case.privileged_notes.
            notes = selectors.notes_visible_to(self.context["actor"], case)
            return self.NoteSerializer(notes, many=True).data

        def get_victimizations(self, case) -> list[str]:
            return sorted(v.code for v in case.victimizations.all())

    @extend_schema(responses=OutputSerializer)
    def get(self, request, case_id: int):
        actor = request._request.actor
        case = access_case(actor, case_id)
        return Response(self.OutputSerializer(case, context={"actor": actor}).data)


class ContactCreateApi(APIView):
    permission_classes = [needs(Perm.CASE_WORK)]

    class InputSerializer(serializers.Serializer):
        outcome = serializers.ChoiceField(choices=ContactOutcome.choices)
        channel = serializers.ChoiceField(choices=ContactChannel.choices)
        direction = serializers.ChoiceField(choices=ContactDirection.choices)
        occurred_at = serializers.DateTimeField()
        attempt_result = serializers.ChoiceField(
            choices=AttemptResult.choices, required=False, default=""
        )
        duration_minutes = serializers.IntegerField(required=False, allow_null=True, default=None)
        summary = serializers.CharField(required=False, default="", allow_blank=True)

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        case_first_contact_at = serializers.DateTimeField(
            source="case.first_contact_at", allow_null=True
        )
        case_status = serializers.CharField(source="case.status")

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request, case_id: int):
        actor = request._request.actor
        case = access_case(actor, case_id, write=True)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contact = contact_log(actor=actor, case=case, **data.validated_data)
        return Response(self.OutputSerializer(contact).data, status=status.HTTP_201_CREATED)


class NoteCreateApi(APIView):
    permission_classes = [needs(Perm.CASE_WORK)]

    class InputSerializer(serializers.Serializer):
        body = serializers.CharField()
        visibility = serializers.ChoiceField(
            choices=NoteVisibility.choices, default=NoteVisibility.PRIVILEGED
        )

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        visibility = serializers.CharField()
        created_at = serializers.DateTimeField()

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request, case_id: int):
        actor = request._request.actor
        case = access_case(actor, case_id, write=True)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = note_add(actor=actor, case=case, **data.validated_data)
        return Response(self.OutputSerializer(note).data, status=status.HTTP_201_CREATED)


class ServedStatusApi(APIView):
    """For an officer's mobile terminal: is the victim on this report being served, by whom."""

    permission_classes = [needs(Perm.SERVED_STATUS)]

    class OutputSerializer(serializers.Serializer):
        victim_name = serializers.CharField()
        report_number = serializers.CharField()
        being_served = serializers.BooleanField()
        status_label = serializers.CharField()
        specialist = serializers.CharField()
        specialist_phone = serializers.CharField()

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request):
        rows = selectors.served_status(
            request._request.actor,
            report_number=request.query_params.get("report_number", ""),
            last_name=request.query_params.get("last_name", ""),
        )
        return Response(self.OutputSerializer(rows, many=True).data)
