"""An LLM span's prompt and completion as chat messages (role: content), from whichever convention
the instrumentation wrote (first found wins):

1. OTel GenAI (current): `gen_ai.input.messages` / `gen_ai.output.messages`, JSON arrays of
   `{"role", "parts": [{"type": "text", "content"}, {"type": "tool_call", "name", "arguments"}]}`.
2. OTel GenAI (older) and OpenLLMetry: `gen_ai.prompt` / `gen_ai.completion` as JSON, or flat keys
   `gen_ai.prompt.0.role`, `gen_ai.prompt.0.content`, `gen_ai.completion.0.content`, ….
3. MLflow: `mlflow.spanInputs` / `mlflow.spanOutputs` (JSON: an OpenAI-style request with
   `messages`, a response with `choices[].message`, or any value, shown as indented JSON).
4. Events: `gen_ai.system.message`, `gen_ai.user.message`, `gen_ai.assistant.message`,
   `gen_ai.tool.message` (prompt) and `gen_ai.choice` (completion).

Nothing here raises: an unexpected shape is shown as its JSON text under the role "value".
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_FLAT = re.compile(r"^gen_ai\.(prompt|completion)\.(\d+)\.(\w+)$")
_PROMPT_EVENTS = {"gen_ai.system.message": "system", "gen_ai.user.message": "user",
                  "gen_ai.assistant.message": "assistant", "gen_ai.tool.message": "tool"}
MAX_CHARS = 20_000  # per message shown: a 1 MB prompt must not stall the page


@dataclass(frozen=True)
class Message:
    role: str
    content: str


def load_json(text: Any) -> Any:
    """JSON text as Python (None for NULL, malformed or absurdly nested text)."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _clip(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS] + f"\n… ({len(text) - MAX_CHARS:,} more characters)"


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False)


def _part_text(part: Any) -> str:
    if not isinstance(part, dict):
        return _as_text(part)
    kind = part.get("type")
    if kind in ("tool_call", "function_call") or "arguments" in part:
        return f"→ tool call {part.get('name', '')}({_as_text(part.get('arguments', ''))})"
    if kind == "tool_call_response":
        return f"← tool result: {_as_text(part.get('response', part.get('result', '')))}"
    for key in ("content", "text"):
        if isinstance(part.get(key), str):
            return part[key]
    return _as_text(part)


def _content(message: dict) -> str:
    pieces = []
    for key in ("parts", "content"):
        value = message.get(key)
        if isinstance(value, list):
            pieces += [_part_text(p) for p in value]
        elif value is not None and value != "":
            pieces.append(_as_text(value))
    for call in message.get("tool_calls") or []:
        function = call.get("function", call) if isinstance(call, dict) else {}
        pieces.append(f"→ tool call {function.get('name', '')}({_as_text(function.get('arguments', ''))})")
    return "\n".join(pieces)


def _message(item: Any, default_role: str) -> Message:
    if isinstance(item, dict) and isinstance(item.get("message"), dict):  # an OpenAI choice
        item = item["message"]
    if isinstance(item, dict) and ({"role", "content", "parts", "tool_calls"} & item.keys()):
        return Message(str(item.get("role") or default_role), _clip(_content(item)))
    return Message(default_role, _clip(_as_text(item)))


def messages(value: Any, default_role: str) -> list[Message]:
    """Chat messages from a parsed JSON value of any of the shapes above."""
    if value is None or value == "":
        return []
    if isinstance(value, dict):
        for key in ("messages", "choices", "input", "output"):
            if isinstance(value.get(key), list):
                return [_message(m, default_role) for m in value[key]]
        return [_message(value, default_role)]
    if isinstance(value, list):
        return [_message(m, default_role) for m in value]
    return [Message(default_role, _clip(str(value)))]


def _parsed(text: Any) -> Any:
    loaded = load_json(text)
    return text if loaded is None and isinstance(text, str) else loaded


def _flat(attributes: Mapping[str, str], side: str) -> list[Message]:
    found: dict[int, dict[str, str]] = {}
    for key, value in attributes.items():
        match = _FLAT.match(key)
        if match and match.group(1) == side:
            found.setdefault(int(match.group(2)), {})[match.group(3)] = value
    default = "user" if side == "prompt" else "assistant"
    return [Message(found[i].get("role", default), _clip(found[i].get("content", ""))) for i in sorted(found)]


def _from_events(events: list[tuple[str, Mapping[str, str]]]) -> tuple[list[Message], list[Message]]:
    prompt, completion = [], []
    for name, attrs in events:
        if name in _PROMPT_EVENTS:
            content = _parsed(attrs.get("content", ""))
            prompt.append(Message(attrs.get("role", _PROMPT_EVENTS[name]), _clip(_as_text(content))))
        elif name == "gen_ai.choice":
            completion += messages(_parsed(attrs.get("message", attrs.get("content", ""))), "assistant")
    return prompt, completion


def conversation(attributes: Mapping[str, str],
                 events: list[tuple[str, Mapping[str, str]]]) -> tuple[list[Message], list[Message]]:
    """(prompt, completion) of an LLM span: the first convention that has either (module docstring)."""
    a = attributes
    pairs = [("gen_ai.input.messages", "gen_ai.output.messages"), ("gen_ai.prompt", "gen_ai.completion"),
             ("mlflow.spanInputs", "mlflow.spanOutputs")]
    for prompt_key, completion_key in pairs[:2]:
        if prompt_key in a or completion_key in a:
            return messages(_parsed(a.get(prompt_key)), "user"), messages(_parsed(a.get(completion_key)), "assistant")
    flat = _flat(a, "prompt"), _flat(a, "completion")
    if flat[0] or flat[1]:
        return flat
    prompt_key, completion_key = pairs[2]
    if prompt_key in a or completion_key in a:
        return messages(_parsed(a.get(prompt_key)), "input"), messages(_parsed(a.get(completion_key)), "output")
    return _from_events(events)
