"""Views of the feedback API: thin views over ``selectors`` (what a user sees: another tenant's
request is a 404), ``policies`` (who may act on what they see: 403 otherwise) and ``services``
(the writes, whose field errors are 400s).

Answering a request that is already answered or cancelled (or booking from slots already booked)
is a 409 whose ``detail`` is the service's message ("This request is already answered."), the
same status and words as the pages: the service decides it under a row lock and raises
``rpo_portal.conflicts.Conflict``, which ``rpo_portal.api.exception_handler`` answers.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from engagements.api.serializers import InterviewSerializer
from engagements.selectors import interview_list
from rpo_portal.viewsets import ScopedViewSet

from .. import filters, policies, selectors, services
from ..models import Feedback, Reminder
from .serializers import (
    AvailabilityRequestSerializer,
    BookingSerializer,
    FeedbackAnswerSerializer,
    FeedbackRequestSerializer,
    FeedbackSerializer,
    SlotOfferSerializer,
)

_BAD_INPUT = OpenApiResponse(description="Bad input: a message per field.")
_FORBIDDEN = OpenApiResponse(description="You can see the request but may not do this.")
_CONFLICT = OpenApiResponse(
    description="The request is already answered or cancelled (or its slots already booked): ``detail`` says which."
)
_NOT_FOUND = OpenApiResponse(description="No such request among those you can see.")


def _with_reminders(queryset):
    # One query for the reminders of the whole page, with their recipients.
    return queryset.prefetch_related(Prefetch("reminders", queryset=Reminder.objects.select_related("recipient")))


class FeedbackRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Feedback asked of a hiring manager (or interviewer): a résumé review, or a post-interview
    assessment. Opened and chased by the portal itself; answered with the ``respond`` action."""

    http_method_names = ["get", "post", "head", "options"]
    selector = staticmethod(selectors.feedback_request_list)
    serializer_class = FeedbackRequestSerializer
    filterset_class = filters.FeedbackRequestFilter
    ordering_fields = ["due_at", "created_at", "answered_at", "id"]
    ordering = ["due_at", "id"]

    def get_queryset(self):
        return _with_reminders(super().get_queryset().select_related("feedback__given_by"))

    def get_serializer_class(self):
        return FeedbackAnswerSerializer if self.action == "respond" else super().get_serializer_class()

    @extend_schema(
        request=FeedbackAnswerSerializer,
        responses={201: FeedbackSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        """Answer the request (only the person it was asked of). Advance moves a résumé on to
        interview and asks for availability; reject closes the submission. A request that is
        already answered or cancelled is a 409."""
        feedback_request = self.get_object()
        self.require(
            policies.can_respond(request.user, feedback_request),
            "Only the person this request was sent to can answer it.",
        )
        serializer = FeedbackAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback = services.feedback_respond(
            feedback_request=feedback_request,
            actor=request.user,
            channel=Feedback.Channel.API,
            **serializer.validated_data,
        )
        return Response(FeedbackSerializer(feedback, context=self.get_serializer_context()).data, status=201)


class AvailabilityRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Interview availability asked of a hiring manager after an advance: they offer slots with
    the ``slots`` action, and the provider's recruiting staff book one with ``book``."""

    http_method_names = ["get", "post", "head", "options"]
    selector = staticmethod(selectors.availability_request_list)
    serializer_class = AvailabilityRequestSerializer
    filterset_class = filters.AvailabilityRequestFilter
    ordering_fields = ["due_at", "created_at", "answered_at", "id"]
    ordering = ["due_at", "id"]

    def get_queryset(self):
        return _with_reminders(super().get_queryset())

    def get_serializer_class(self):
        if self.action == "slots":
            return SlotOfferSerializer
        if self.action == "book":
            return BookingSerializer
        return super().get_serializer_class()

    @extend_schema(
        request=SlotOfferSerializer,
        responses={
            201: AvailabilityRequestSerializer,
            400: _BAD_INPUT,
            403: _FORBIDDEN,
            404: _NOT_FOUND,
            409: _CONFLICT,
        },
    )
    @action(detail=True, methods=["post"])
    def slots(self, request, pk=None):
        """Offer interview slots (only the person asked). Times carry their offset; a time
        without one is refused. Answers the request: it shows the slots offered. A request that is
        already answered or cancelled is a 409."""
        availability_request = self.get_object()
        self.require(
            policies.can_respond(request.user, availability_request),
            "Only the person this request was sent to can offer slots.",
        )
        serializer = SlotOfferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.availability_offer_slots(
            availability_request=availability_request,
            actor=request.user,
            slots=[(slot["starts_at"], slot["ends_at"]) for slot in serializer.validated_data["slots"]],
        )
        return self.output(self.fresh(availability_request), status=201)

    @extend_schema(
        request=BookingSerializer,
        responses={201: InterviewSerializer, 400: _BAD_INPUT, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def book(self, request, pk=None):
        """Book the interview in one of the offered slots (the provider's recruiting staff); both
        sides get an invitation. Answers the interview. Slots already booked are a 409."""
        availability_request = self.get_object()
        self.require(
            policies.can_book(request.user, availability_request),
            "Only the provider's recruiting staff can book interviews.",
        )
        serializer = BookingSerializer(
            data=request.data, context={**self.get_serializer_context(), "availability_request": availability_request}
        )
        serializer.is_valid(raise_exception=True)
        interview = services.availability_book(actor=request.user, **serializer.validated_data)
        interview = interview_list(user=request.user).filter(pk=interview.pk).first() or interview
        return Response(InterviewSerializer(interview, context=self.get_serializer_context()).data, status=201)
