"""API plumbing shared by every app: error shape, pagination and the fields that resolve related
ids only among what the acting user may see (the scoped viewset is in ``viewsets``: DRF's generic
views read the pagination class from here when they are imported)."""

from collections.abc import Callable, Mapping

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from rest_framework import exceptions, pagination, serializers
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.views import exception_handler as drf_exception_handler

from .conflicts import Conflict

# Ids are bigint primary keys; anything outside this range cannot name a row (and some drivers
# refuse to send it), so it is answered like any other unknown id.
_MAX_ID = 2**63 - 1
MAX_RELATED_IDS = 100


class ConflictError(exceptions.APIException):
    status_code = 409
    default_detail = "This conflicts with the current state of the resource."
    default_code = "conflict"


def exception_handler(exc, context):
    """Services raise Django's ``ValidationError`` keyed by field; answer it as a 400 with a
    message per field, exactly like a serializer error. A ``Conflict`` (the target's state refuses
    the write, e.g. a request already answered) is a 409 whose ``detail`` is the service's message."""
    if isinstance(exc, Conflict):
        exc = ConflictError(" ".join(exc.messages))
    elif isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {field: [str(message) for message in messages] for field, messages in exc.message_dict.items()}
            if "__all__" in detail:
                detail["non_field_errors"] = detail.pop("__all__")
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)


class Pagination(pagination.PageNumberPagination):
    """``?page=`` and ``?page_size=`` (up to 200; 50 by default)."""

    page_size_query_param = "page_size"
    max_page_size = 200


class IdFilter(filters.NumberFilter):
    """A filter on an id: a whole number in the id range (``?engagement=1.5`` is a 400, not a
    rounded lookup; a 30-digit number is a 400, not a driver overflow)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", _MAX_ID)
        super().__init__(*args, **kwargs)


def _parse_id(field: serializers.Field, data) -> int | None:
    """An id as an int, or None when it is a well-formed number no row can have."""
    if isinstance(data, bool) or not isinstance(data, int | str):
        field.fail("incorrect_type", data_type=type(data).__name__)
    if isinstance(data, str):
        data = data.strip()
        if not data.isascii() or not data.isdigit():
            field.fail("incorrect_type", data_type="str")
        data = int(data)
    return data if 1 <= data <= _MAX_ID else None


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A related object written as its id and looked up only in ``selector(user=<acting user>)``:
    an id the user may not see is "does not exist", exactly like an id nobody has.

    ``queryset`` is only there to name the model (for the schema); lookups never use it.
    """

    def __init__(self, *, selector: Callable[..., QuerySet], **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        return self.selector(user=self.context["request"].user)

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        return ScopedManyRelatedField(child_relation=cls(*args, **kwargs), **list_kwargs)

    def to_internal_value(self, data):
        pk = _parse_id(self, data)
        found = self.get_queryset().filter(pk=pk).first() if pk is not None else None
        if found is None:
            self.fail("does_not_exist", pk_value=data)
        return found


class ScopedManyRelatedField(serializers.ManyRelatedField):
    """A list of ids resolved in one query (not one per id), at most ``MAX_RELATED_IDS`` of them."""

    default_error_messages = {"too_many": f"Give at most {MAX_RELATED_IDS} ids."}

    def to_internal_value(self, data):
        if isinstance(data, str | Mapping) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        data = list(data)
        if not self.allow_empty and not data:
            self.fail("empty")
        if len(data) > MAX_RELATED_IDS:
            self.fail("too_many")
        child = self.child_relation
        ids = [_parse_id(child, item) for item in data]
        found = child.get_queryset().in_bulk([pk for pk in ids if pk is not None])
        for item, pk in zip(data, ids, strict=True):
            if pk not in found:
                child.fail("does_not_exist", pk_value=item)
        return [found[pk] for pk in dict.fromkeys(ids)]


class AwareDateTimeField(serializers.DateTimeField):
    """A moment: ISO 8601 with an offset (``Z`` or ``+02:00``). A naive time is refused rather than
    guessed, because the server cannot know which time zone the caller meant."""

    default_error_messages = {
        "naive": "Give a time zone offset (for example 2025-03-01T09:00:00Z or 2025-03-01T09:00:00+01:00).",
    }

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            self.fail("naive")
        return super().enforce_timezone(value)
