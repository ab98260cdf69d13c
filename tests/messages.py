"""What a message shown to a user must never contain: the interpreter's and the engine's own names and reprs."""
from __future__ import annotations

import re

# reprs of internal values (Layer(qualname=...), ListV(items=..., taint=[])), ast operator names, object ids
INTERNAL = re.compile(
    r"\b(?:Layer|ListV|DictV|TensorV|RangeV|ObjV|ClassV|Func|Builtin|Symbol|Unknown|Ref|Model|Ambiguous|Env|_Method|_BoundMethod)\("
    r"|\b(?:qualname|taint|kind|items|children)=|<local>|object at 0x|\b(?:Mult|Sub|Div|FloorDiv|Mod|Pow|BinOp|UnaryOp|USub|MatMult)\b"
    r"|operands of|expressions are not evaluated"
)


def internal(message: str) -> bool:
    return INTERNAL.search(message) is not None
