"""The field-number lock: proto field and enum numbers are stable forever.

A proto's wire format identifies fields by number, so a member must keep its
number as AWS models change. The lock (committed next to each generated proto)
records, per message, every AWS member ever seen with its number, proto name
and proto type; per enum, every AWS value ever seen with its number.

Rules, applied on every generation:
  * a member already in the lock keeps its number;
  * a new member gets one past the highest number the message ever used
    (numbers of removed members are never handed out again);
  * a member that disappears stays in the lock, marked removed, and its number
    and name are emitted as `reserved`;
  * a member whose proto type changes (an incompatible wire change) retires
    its old number (reserved from then on) and gets a new one.
Keys are AWS member names (and "<member>#raw" for raw-enum siblings), not
proto names, because the AWS name is what stays the same.
"""

import json

# protobuf reserves these for its own implementation.
_RESERVED_RANGE = range(19000, 20000)


def _next_free(used: set) -> int:
    n = max(used, default=0) + 1
    while n in _RESERVED_RANGE:
        n += 1
    return n


class MessageNumbers:
    """Allocates field numbers for one message from its lock entry."""

    def __init__(self, entry: dict):
        self.fields = entry.setdefault("fields", {})
        self.retired = entry.setdefault("retired", [])
        self._seen = set()

    def _used(self):
        return {f["number"] for f in self.fields.values()} | {r["number"] for r in self.retired}

    def number(self, key: str, name: str, type_sig: str) -> int:
        self._seen.add(key)
        old = self.fields.get(key)
        if old is not None and old["type"] == type_sig:
            old.pop("removed", None)
            old["name"] = name
            return old["number"]
        if old is not None:
            self.retired.append({"number": old["number"], "name": old["name"]})
        number = _next_free(self._used())
        self.fields[key] = {"number": number, "name": name, "type": type_sig}
        return number

    def finish(self):
        """Marks members not seen this run as removed; returns (numbers, names) to reserve.

        A name still used by a live field is never reserved (a member whose
        type changed keeps its name but not its number).
        """
        for key, f in self.fields.items():
            if key not in self._seen:
                f["removed"] = True
        live = {f["name"] for f in self.fields.values() if not f.get("removed")}
        gone = [f for f in self.fields.values() if f.get("removed")] + self.retired
        return (sorted({f["number"] for f in gone}),
                sorted({f["name"] for f in gone} - live))


class EnumNumbers:
    """Allocates enum value numbers (0 is always <ENUM>_UNSPECIFIED)."""

    def __init__(self, entry: dict):
        self.values = entry.setdefault("values", {})
        self._seen = set()

    def number(self, aws_value: str, name: str) -> int:
        self._seen.add(aws_value)
        old = self.values.get(aws_value)
        if old is not None:
            old.pop("removed", None)
            old["name"] = name
            return old["number"]
        number = _next_free({v["number"] for v in self.values.values()})
        self.values[aws_value] = {"number": number, "name": name}
        return number

    def finish(self):
        for key, v in self.values.items():
            if key not in self._seen:
                v["removed"] = True
        live = {v["name"] for v in self.values.values() if not v.get("removed")}
        gone = [v for v in self.values.values() if v.get("removed")]
        return sorted(v["number"] for v in gone), sorted({v["name"] for v in gone} - live)


class Lock:
    """The whole lock of one service proto."""

    def __init__(self, data=None):
        self.data = data or {}
        self.data.setdefault("messages", {})
        self.data.setdefault("enums", {})

    @classmethod
    def load(cls, path):
        try:
            with open(path, encoding="utf-8") as f:
                return cls(json.load(f))
        except FileNotFoundError:
            return cls()

    def message(self, name: str) -> MessageNumbers:
        return MessageNumbers(self.data["messages"].setdefault(name, {}))

    def enum(self, name: str) -> EnumNumbers:
        return EnumNumbers(self.data["enums"].setdefault(name, {}))

    def dumps(self) -> str:
        return json.dumps(self.data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
