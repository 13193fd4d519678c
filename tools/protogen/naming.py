"""Proto identifiers derived from AWS model names.

AWS names are PascalCase or camelCase and sometimes carry characters a proto
identifier cannot (`__listOfTag`, enum values like `t2.micro`). Every function
here is deterministic: the same model always yields the same names, which the
committed protos and their field-number lock depend on.
"""

import keyword
import re

# Words that must not be used as-is for a field name. protoc itself accepts
# them, but generated code in C++ or Python would need mangling or could not
# use them as keyword arguments; we suffix them instead so every language sees
# the same name.
CPP_KEYWORDS = frozenset("""
alignas alignof and and_eq asm auto bitand bitor bool break case catch char
char8_t char16_t char32_t class compl concept const consteval constexpr
constinit const_cast continue co_await co_return co_yield decltype default
delete do double dynamic_cast else enum explicit export extern false float for
friend goto if inline int long mutable namespace new noexcept not not_eq
nullptr operator or or_eq private protected public register reinterpret_cast
requires return short signed sizeof static static_assert static_cast struct
switch template this thread_local throw true try typedef typeid typename union
unsigned using virtual void volatile wchar_t while xor xor_eq
NULL assert errno major minor
""".split())

# Names that clash with members protobuf generates on every message class.
GENERATED_MEMBER_NAMES = frozenset("""
descriptor reflection default_instance swap clear byte_size cached_size
unknown_fields arena internal_metadata new_instance extensions
""".split())

RESERVED_FIELD_NAMES = CPP_KEYWORDS | frozenset(keyword.kwlist) | GENERATED_MEMBER_NAMES

# Message and enum names that would collide with language builtins or the
# well-known types we import.
RESERVED_TYPE_NAMES = frozenset(["Timestamp", "Value", "Struct", "ListValue", "Any",
                                 "Descriptor", "Message", "Object"])

_ACRONYM_BOUNDARY = re.compile(r"([A-Z]+)([A-Z][a-z])")
_WORD_BOUNDARY = re.compile(r"([a-z0-9])([A-Z])")


def snake_case(name: str) -> str:
    """'taskDefinitionARN' -> 'task_definition_arn', 'IPv6Address' -> 'i_pv6_address'.

    Runs of capitals are one word ('DNSName' -> 'dns_name'); anything that is
    not a letter or digit becomes a word break.
    """
    s = re.sub(r"[^A-Za-z0-9]+", "_", name)
    s = _ACRONYM_BOUNDARY.sub(r"\1_\2", s)
    s = _WORD_BOUNDARY.sub(r"\1_\2", s)
    s = re.sub(r"_+", "_", s).strip("_").lower()
    if not s:
        s = "field"
    if s[0].isdigit():
        s = "f_" + s
    return s


def upper_snake(name: str) -> str:
    return snake_case(name).upper()


def pascal_case(name: str) -> str:
    """'__listOfTag' -> 'ListOfTag', 'ECS' -> 'Ecs', 'app runner' -> 'AppRunner'."""
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", name) if p]
    out = []
    for p in parts:
        if len(p) > 1 and p.isupper():
            p = p.capitalize()
        out.append(p[0].upper() + p[1:])
    s = "".join(out) or "Shape"
    if s[0].isdigit():
        s = "T" + s
    return s


def type_name(shape_name: str) -> str:
    """The message or enum name for an AWS shape."""
    s = shape_name if re.fullmatch(r"[A-Z][A-Za-z0-9]*", shape_name) else pascal_case(shape_name)
    if s in RESERVED_TYPE_NAMES:
        s += "Shape"
    return s


def package_name(model_name: str) -> str:
    """'ecs' -> 'aws.ecs.v1'. protoc does not mangle package parts, so a part
    that is a C++ or Python keyword would break generated code: suffix it."""
    part = re.sub(r"[^a-z0-9]+", "", model_name.lower()) or "service"
    if part in RESERVED_FIELD_NAMES or part[0].isdigit():
        part = "aws" + part
    return f"aws.{part}.v1"


# Where the code that stock toolchains generate from the protos goes: Go
# import paths under one module, and a namespace per language under one root
# (the same for the gateway's own protos, proto/awsgw/).
GO_MODULE = "aws-grpc-gateway/gen/go"


def file_options(package: str) -> list:
    """Language options for a proto of `package` ('aws.ecs.v1'), sorted by
    name: so that protoc-gen-go, javac (one file per class, not one 27 MB
    file), C#, Ruby, PHP and Objective-C get packages that do not collide."""
    parts = package.split(".")
    pascal = [p[:1].upper() + p[1:] for p in parts]
    return [
        ("csharp_namespace", ".".join(["Awsgw"] + pascal)),
        ("go_package", f"{GO_MODULE}/{'/'.join(parts)};{''.join(parts[-2:])}"),
        ("java_multiple_files", True),
        ("java_outer_classname", pascal[-2] + "Proto"),
        ("java_package", "awsgw." + package),
        ("objc_class_prefix", "AGW" + parts[-2].upper()),
        ("php_namespace", "\\".join(["Awsgw"] + pascal)),
        ("ruby_package", "::".join(["Awsgw"] + pascal)),
    ]


def field_name(member_name: str) -> str:
    """The proto field name for an AWS member (before collision handling)."""
    s = snake_case(member_name)
    if s in RESERVED_FIELD_NAMES:
        s += "_value"
    return s


def enum_value_name(enum_name: str, aws_value: str) -> str:
    """'DesiredStatus', 'RUNNING' -> 'DESIRED_STATUS_RUNNING'; 't2.micro' -> '..._T2_MICRO'."""
    v = re.sub(r"[^A-Za-z0-9]+", "_", aws_value)
    v = upper_snake(v) if v.strip("_") else "EMPTY"
    return f"{upper_snake(enum_name)}_{v}"


class NameAllocator:
    """Hands out unique names within one scope (a message, an enum).

    The first claimant of a name keeps it; later ones get a numeric suffix.
    Claims happen in model order, so the result is deterministic.
    """

    def __init__(self, taken=()):
        self._taken = set(taken)

    def claim(self, name: str) -> str:
        candidate, n = name, 2
        while candidate in self._taken:
            candidate = f"{name}_{n}"
            n += 1
        self._taken.add(candidate)
        return candidate

    def __contains__(self, name):
        return name in self._taken
