"""Every keras./torch. layer in the catalog is drawn by some recipe, or excluded with a reason."""
from __future__ import annotations

from paramlint.engine import REGISTRY

from diff_recipes import EXCLUDED, covered_names

# No oracle needed: this reads only the recipe table and the catalog.


def catalog() -> set[str]:
    return {name for name in REGISTRY if name.startswith(("keras.", "torch."))}


def test_recipes_cover_the_whole_catalog() -> None:
    missing = catalog() - covered_names() - set(EXCLUDED)
    assert not missing, f"catalog layers no recipe draws (add a recipe in diff_recipes.py): {sorted(missing)}"


def test_recipes_draw_only_catalog_layers() -> None:
    unknown = covered_names() - catalog()
    assert not unknown, f"recipes for names the catalog does not register: {sorted(unknown)}"


def test_exclusions_are_honest() -> None:
    assert set(EXCLUDED) <= catalog(), sorted(set(EXCLUDED) - catalog())
    assert not set(EXCLUDED) & covered_names(), "a layer is both drawn and excluded"
    assert all(len(reason) > 40 for reason in EXCLUDED.values()), "each exclusion says why"
