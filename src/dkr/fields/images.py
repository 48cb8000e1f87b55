"""Pure: docker's image listing rows and fields (docker/cli formatter/image.go) for tables, JSON, templates.

One image becomes one row per repository:tag (docker's `imageFormatTaggedAndDigest`); an untagged image is
one `<none>` row. Each value has docker's exact string form, so `dkr images --format json` reads like
`docker images --format json`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from dkr.fields.containers import go_time, truncate_id
from dkr.grammars.reference import InvalidReference, Reference, parse_normalized
from dkr.grammars.units import human_duration, human_size
from dkr.models.images import Image

#: The keys of `docker images --format json` (docker CLI 28), in the order docker's JSON writer sorts them.
JSON_KEYS = (
    "Containers",
    "CreatedAt",
    "CreatedSince",
    "Digest",
    "ID",
    "Repository",
    "SharedSize",
    "Size",
    "Tag",
    "UniqueSize",
    "VirtualSize",
)

TABLE_HEADERS = {
    "ID": "IMAGE ID",
    "Repository": "REPOSITORY",
    "Tag": "TAG",
    "Digest": "DIGEST",
    "CreatedSince": "CREATED",
    "CreatedAt": "CREATED AT",
    "Size": "SIZE",
    "Containers": "CONTAINERS",
    "VirtualSize": "SIZE",
    "SharedSize": "SHARED SIZE",
    "UniqueSize": "UNIQUE SIZE",
}

DEFAULT_COLUMNS = ("Repository", "Tag", "ID", "CreatedSince", "Size")
DIGEST_COLUMNS = ("Repository", "Tag", "Digest", "ID", "CreatedSince", "Size")

NONE = "<none>"
#: Go's zero time.Time as Unix seconds: docker shows no CreatedSince for it.
_GO_ZERO_TIME = -62135596800


def parse_reference(text: str) -> Reference | None:
    """A RepoTags / RepoDigests entry as docker's image listing reads it (ParseNormalizedNamed); None where
    docker's parse fails (it skips those)."""
    try:
        return parse_normalized(text)
    except InvalidReference:
        return None


@dataclass(frozen=True)
class ImageRow:
    """One line of the listing: an image under one repository and tag (and digest)."""

    image: Image
    repository: str
    tag: str
    digest: str


def is_dangling(img: Image) -> bool:
    """docker's isDangling: no tags and no digests (Engines before 25 report them as `<none>`)."""
    if not img.repo_tags and not img.repo_digests:
        return True
    return img.repo_tags == ("<none>:<none>",) and img.repo_digests == ("<none>@<none>",)


def image_rows(img: Image, *, show_digests: bool = False, need_digest: bool = False) -> list[ImageRow]:
    """The rows docker prints for one image. show_digests is --digests; need_digest is true when the
    format shows digests at all (--digests or a template with {{.Digest}})."""
    if is_dangling(img):
        return [ImageRow(img, NONE, NONE, NONE)]
    repo_tags: dict[str, list[str]] = {}
    repo_digests: dict[str, list[str]] = {}
    for text in img.repo_tags:
        ref = parse_reference(text)
        if ref is not None and ref.tag:
            repo_tags.setdefault(ref.familiar_name, []).append(ref.tag)
    for text in img.repo_digests:
        ref = parse_reference(text)
        if ref is not None and ref.digest:
            repo_digests.setdefault(ref.familiar_name, []).append(ref.digest)
    rows: list[ImageRow] = []
    # docker walks Go maps here, so its order across repositories varies from run to run; dkr keeps the
    # Engine's order, which is stable.
    for repo, tags in repo_tags.items():
        digests = repo_digests.pop(repo, []) if need_digest else []
        repo_digests.pop(repo, None)  # digests of a tagged repository never get rows of their own
        for tag in tags:
            if not digests:
                rows.append(ImageRow(img, repo, tag, NONE))
            rows.extend(ImageRow(img, repo, tag, d) for d in digests)
    for repo, digests in repo_digests.items():
        if show_digests:
            rows.extend(ImageRow(img, repo, NONE, d) for d in digests)
        else:
            rows.append(ImageRow(img, repo, NONE, ""))
    return rows


def _created_at(created: int) -> str:
    if created == _GO_ZERO_TIME:
        return "0001-01-01 00:00:00 +0000 UTC"
    return go_time(created)


def _created_since(created: int, now: float) -> str:
    if created == _GO_ZERO_TIME:
        return ""
    return human_duration(now - created) + " ago"


def image_fields(row: ImageRow, trunc: bool = True, now: float | None = None) -> dict[str, str]:
    """All of docker's fields for one row, keyed as docker's JSON and templates name them."""
    now = time.time() if now is None else now
    img = row.image
    return {
        "Containers": "N/A" if img.containers == -1 else str(img.containers),
        "CreatedAt": _created_at(img.created),
        "CreatedSince": _created_since(img.created, now),
        "Digest": row.digest,
        "ID": truncate_id(img.id) if trunc else img.id,
        "Repository": row.repository,
        "SharedSize": "N/A" if img.shared_size == -1 else human_size(img.shared_size, 4),
        "Size": human_size(img.size),
        "Tag": row.tag,
        "UniqueSize": "N/A"
        if img.size == -1 or img.shared_size == -1
        else human_size(img.size - img.shared_size, 4),
        # deprecated in docker, equal to Size but printed with go-units HumanSize (4 significant digits)
        "VirtualSize": human_size(img.size, 4),
    }


#: `-f` keys the Engine's image list takes (moby daemon/images: 20.10 knows all but `until`, which newer
#: Engines added; an older Engine answers with its own error).
IMAGE_FILTERS = frozenset({"before", "dangling", "label", "reference", "since", "until"})
#: Every supported Engine reads these two; newer ones also take 1/0, 20.10 does not.
IMAGE_FILTER_VALUES = {"dangling": ("true", "false")}
