"""ASCII slugs for Vietnamese headings and file names: "Đào tạo, bồi dưỡng" -> "dao-tao-boi-duong".

Unicode decomposition alone drops "Đ" (it has no decomposition), which is how other slugifiers
give "ao-tao"; it is mapped to "D" first.
"""

from __future__ import annotations

import re
import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """Remove tone and vowel marks and map đ to d, keeping case: "Đào tạo" -> "Dao tao"."""
    text = unicodedata.normalize("NFD", text.translate(_D))
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


def slugify(value: str, separator: str = "-") -> str:
    """Python-Markdown `toc` slugify function (signature: value, separator)."""
    value = fold(value).lower()
    value = re.sub(r"[^a-z0-9\s-]", "", value)
    return re.sub(r"[\s-]+", separator, value).strip(separator)
