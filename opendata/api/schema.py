"""Keeping the OpenAPI schema honest: every answer the API gives is declared.

Each list answers 400 when a filter's value is not one it documents (with the reasons, per
parameter) and 404 for a page past the last; each detail answers 404 for an unknown id; the
statistics answer 400 for an unknown session. A schemathesis run with all checks
(tests/test_api_fuzzing.py) holds the schema to it.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema

ERROR = {
    "type": "object",
    "description": str(_("出错原因：detail 为总的说明，或按参数名列出的说明。")),
    "additionalProperties": True,
}


def _error(description):
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def declare_errors(result, generator, request, public):
    """A drf-spectacular postprocessing hook: declare the 400 and 404 answers of every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for path, item in result.get("paths", {}).items():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if any(parameter["in"] == "query" for parameter in operation.get("parameters", [])):
                responses.setdefault("400", _error(str(_("参数值无效（如不存在的代码、超出范围的编号）"))))
            if "{" in path:
                responses.setdefault("404", _error(str(_("没有这条已公开的记录"))))
            elif any(parameter["name"] == "page" for parameter in operation.get("parameters", [])):
                responses.setdefault("404", _error(str(_("页码超出范围"))))
    return result


class SingleObjectSchema(AutoSchema):
    """For a `list` action that answers one object (the statistics), not an array."""

    def _is_list_view(self, serializer=None):
        return False
