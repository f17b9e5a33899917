"""The OpenAPI schema arranged for reading: the /api/docs/ page renders what this returns.

drf-spectacular's Swagger UI and Redoc views load their JavaScript from a CDN; the tracker serves no
CDN asset, so the docs page is rendered on the server from the very schema /api/schema/ serves.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class TypeText:
    text: str = ""
    ref: str = ""  # a component name the page links to


@dataclass
class Parameter:
    name: str
    location: str
    required: bool
    type: TypeText
    description: str


@dataclass
class Operation:
    method: str
    path: str
    operation_id: str
    summary: str
    description: str
    parameters: list
    response: TypeText
    tags: list = field(default_factory=list)

    @property
    def anchor(self):
        return f"op-{self.operation_id}"


@dataclass
class Property:
    name: str
    type: TypeText
    description: str
    required: bool
    read_only: bool


@dataclass
class Component:
    name: str
    description: str
    properties: list

    @property
    def anchor(self):
        return f"schema-{self.name}"


@dataclass
class Docs:
    title: str
    version: str
    description: str
    operations: list
    components: list


def _ref_name(ref):
    return ref.rsplit("/", 1)[-1]


def describe_type(node):
    """A short reading of a schema node: "整数", "列表：<Component>", "字符串（date）, 可为空"."""
    if not node:
        return TypeText(_("任意"))
    if "$ref" in node:
        return TypeText(ref=_ref_name(node["$ref"]))
    for combinator in ("allOf", "oneOf", "anyOf"):
        if combinator in node:
            parts = [describe_type(part) for part in node[combinator]]
            refs = [part.ref for part in parts if part.ref]
            text = " / ".join(part.text for part in parts if part.text)
            described = TypeText(text=text, ref=refs[0] if refs else "")
            if node.get("nullable"):
                described.text = ", ".join(filter(None, [described.text, _("可为空")]))
            return described
    kind = node.get("type", "")
    if kind == "array":
        inner = describe_type(node.get("items", {}))
        return TypeText(text=f"{_('列表')}：{inner.text}", ref=inner.ref)
    names = {
        "integer": _("整数"),
        "number": _("数值"),
        "string": _("字符串"),
        "boolean": _("布尔值"),
        "object": _("对象"),
    }
    text = names.get(kind, kind)
    if node.get("format"):
        text = f"{text}（{node['format']}）"
    if node.get("enum"):
        text = f"{text}：{' | '.join(str(value) for value in node['enum'] if value not in ('', None))}"
    if node.get("nullable"):
        text = f"{text}, {_('可为空')}"
    return TypeText(text=text)


def _response(operation):
    responses = operation.get("responses", {})
    for status in ("200", "201"):
        content = responses.get(status, {}).get("content", {})
        for media in ("application/json", *content.keys()):
            if media in content:
                return describe_type(content[media].get("schema", {}))
    return TypeText()


def describe_schema(schema):
    operations = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            parameters = [
                Parameter(
                    name=parameter["name"],
                    location=parameter.get("in", ""),
                    required=parameter.get("required", False),
                    type=describe_type(parameter.get("schema", {})),
                    description=parameter.get("description", ""),
                )
                for parameter in operation.get("parameters", [])
            ]
            operations.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    operation_id=operation.get("operationId", f"{method}-{path}"),
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    parameters=parameters,
                    response=_response(operation),
                    tags=operation.get("tags", []),
                )
            )
    components = []
    for name, node in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(node.get("required", []))
        properties = [
            Property(
                name=prop_name,
                type=describe_type(prop),
                description=prop.get("description", ""),
                required=prop_name in required,
                read_only=prop.get("readOnly", False),
            )
            for prop_name, prop in node.get("properties", {}).items()
        ]
        description = node.get("description", "")
        if not properties:
            description = ", ".join(filter(None, [description, describe_type(node).text]))
        components.append(Component(name=name, description=description, properties=properties))
    info = schema.get("info", {})
    return Docs(
        title=info.get("title", ""),
        version=info.get("version", ""),
        description=info.get("description", ""),
        operations=operations,
        components=components,
    )
