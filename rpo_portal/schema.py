"""Post-processing of the OpenAPI schema (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``)."""

# What a DRF TimeField reads and writes: a wall-clock time without an offset ("09:00", "17:00:00").
LOCAL_TIME = {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$", "example": "09:00"}


def local_times_without_offset(result, generator, request, public):
    """drf-spectacular documents a TimeField as ``format: time``, which JSON Schema defines as an
    RFC 3339 time *with* an offset ("09:00:00Z"); the API's business hours are local wall-clock
    times in the engagement's zone and carry none, so validators (schemathesis' fuzz run among
    them) refused every engagement the API answers. Each such field is documented by its pattern."""

    def visit(node):
        if isinstance(node, dict):
            if node.get("type") == "string" and node.get("format") == "time":
                del node["format"]
                node.update({key: value for key, value in LOCAL_TIME.items() if key not in node})
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result)
    return result
