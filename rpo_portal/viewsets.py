"""The viewset every app's API builds on: querysets from one selector, writes by one service."""

from collections.abc import Callable, Mapping

from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response


class ScopedViewSet(viewsets.GenericViewSet):
    """Querysets come from one selector; writes are authorised by ``policies``, then done by one
    service. PUT is not offered: changes are PATCHes of the fields given."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    selector: Callable = None  # set as staticmethod(selectors.<model>_list)
    create_serializer_class = None
    detail_serializer_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.serializer_class.Meta.model.objects.none()
        return self.selector(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "create" and self.create_serializer_class is not None:
            return self.create_serializer_class
        if self.action != "list" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class

    def require(self, allowed: bool, message: str) -> None:
        if not allowed:
            raise exceptions.PermissionDenied(message)

    def validated_create(self, parent_field: str, may_create: Callable[[object], bool], message: str) -> dict:
        """Validate a new object's body, authorising against its parent (``parent_field``) as soon
        as that id resolves: a role that may not create here gets 403 whatever else is wrong."""
        serializer = self.get_serializer(data=self.request.data)
        parent = None
        if isinstance(serializer.initial_data, Mapping) and parent_field in serializer.initial_data:
            try:
                parent = serializer.fields[parent_field].run_validation(serializer.initial_data[parent_field])
            except serializers.ValidationError:
                parent = None
            if parent is not None:
                self.require(may_create(parent), message)
        serializer.is_valid(raise_exception=True)
        if parent is None:
            self.require(may_create(serializer.validated_data[parent_field]), message)
        return dict(serializer.validated_data)

    def validated_update(self, instance) -> dict:
        serializer = self.get_serializer(instance, data=self.request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def output(self, instance, status: int = 200) -> Response:
        serializer_class = self.detail_serializer_class or self.serializer_class
        return Response(serializer_class(instance, context=self.get_serializer_context()).data, status=status)

    def fresh(self, instance):
        """The instance re-read through the selector, so the answer shows what the write did."""
        return self.get_queryset().filter(pk=instance.pk).first() or instance
