"""Image references: upstream's tables as they are, and hypothesis properties. Read for the facts:
distribution/reference v0.6.0 (ff14fafe22) reference_test.go and normalize_test.go, go-digest v1.0.0 (ea51bea511,
the version reference v0.6.0 requires) digest_test.go. Where upstream compares errors the case pins the same
`.reason`; where it only checks that parsing fails, the case only expects `InvalidReference`."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dkr.grammars import reference as r
from dkr.grammars.reference import InvalidReference, parse, parse_normalized

F64 = "f" * 64
D256 = f"sha256:{F64}"
D512 = f"sha512:{'f' * 128}"
REDIS = "sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c"
BUSYBOX = "sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582"
HEX384 = "d3fc7881460b7e22e3d172954463dddd7866d17597e7248453c48b3e9d26d9596bf9c4a9cf8072c9d5bad76e19af801d"
E58 = "e58fcf7418d4390dec8e8fb69d88c06ec07039d651fedd3aa72af9972e7d046b"


def _p(*values: object, id: str | None = None) -> object:  # id: upstream's subtest name, the input
    text = str(values[0])
    return pytest.param(*values, id=id or (text if len(text) <= 60 else f"{text[:40]}...") or "<empty>")


# --- reference_test.go: TestReferenceParse -------------------------------------------------------------
# (input, repository, domain, tag, digest) for the inputs Parse accepts; (input, error) for the rest.

PARSE_OK = [
    _p("test_com", "test_com", "", "", ""),
    _p("test.com:tag", "test.com", "", "tag", ""),
    _p("test.com:5000", "test.com", "", "5000", ""),
    _p("test.com/repo:tag", "test.com/repo", "test.com", "tag", ""),
    _p("test:5000/repo", "test:5000/repo", "test:5000", "", ""),
    _p("test:5000/repo:tag", "test:5000/repo", "test:5000", "tag", ""),
    _p(f"test:5000/repo@{D256}", "test:5000/repo", "test:5000", "", D256),
    _p(f"test:5000/repo:tag@{D256}", "test:5000/repo", "test:5000", "tag", D256),
    _p("test:5000/repo", "test:5000/repo", "test:5000", "", "", id="test:5000/repo (listed twice upstream)"),
    _p("lowercase:Uppercase", "lowercase", "", "Uppercase", ""),
    _p("a/" * 127 + "a:tag-puts-this-over-max", "a/" * 127 + "a", "a", "tag-puts-this-over-max", "", id="127 components, tag puts it over 255"),
    _p("sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com", "", ""),
    _p("sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com", "some-long-tag", ""),
    _p("b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io/test.example.com/my-app", "b.gcr.io", "test.example.com", ""),
    _p("xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com/myimage", "xn--n3h.com", "xn--n3h.com", ""),
    _p(f"xn--7o8h.com/myimage:xn--7o8h.com@{D512}", "xn--7o8h.com/myimage", "xn--7o8h.com", "xn--7o8h.com", D512, id="xn--7o8h.com/myimage:xn--7o8h.com@sha512"),
    _p("foo_bar.com:8080", "foo_bar.com", "", "8080", ""),
    _p("foo/foo_bar.com:8080", "foo/foo_bar.com", "foo", "8080", ""),
    _p("192.168.1.1", "192.168.1.1", "", "", ""),
    _p("192.168.1.1:tag", "192.168.1.1", "", "tag", ""),
    _p("192.168.1.1:5000", "192.168.1.1", "", "5000", ""),
    _p("192.168.1.1/repo", "192.168.1.1/repo", "192.168.1.1", "", ""),
    _p("192.168.1.1:5000/repo", "192.168.1.1:5000/repo", "192.168.1.1:5000", "", ""),
    _p("192.168.1.1:5000/repo:5050", "192.168.1.1:5000/repo", "192.168.1.1:5000", "5050", ""),
    _p("[2001:db8::1]/repo", "[2001:db8::1]/repo", "[2001:db8::1]", "", ""),
    _p("[2001:db8:1:2:3:4:5:6]/repo:tag", "[2001:db8:1:2:3:4:5:6]/repo", "[2001:db8:1:2:3:4:5:6]", "tag", ""),
    _p("[2001:db8::1]:5000/repo", "[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "", ""),
    _p("[2001:db8::1]:5000/repo:tag", "[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "tag", ""),
    _p(f"[2001:db8::1]:5000/repo@{D256}", "[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "", D256),
    _p(f"[2001:db8::1]:5000/repo:tag@{D256}", "[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "tag", D256),
    _p("[2001:db8::]:5000/repo", "[2001:db8::]:5000/repo", "[2001:db8::]:5000", "", ""),
    _p("[::1]:5000/repo", "[::1]:5000/repo", "[::1]:5000", "", ""),
    _p("example.com/" + "a" * 255 + ":tag", "example.com/" + "a" * 255, "example.com", "tag", "", id="example.com/ + 255-character path"),
]  # fmt: skip

PARSE_ERR = [
    _p("", r.NAME_EMPTY),
    _p(":justtag", r.REFERENCE_INVALID_FORMAT),
    _p(f"@{D256}", r.REFERENCE_INVALID_FORMAT),
    _p("repo@sha256:" + "f" * 34, r.DIGEST_INVALID_LENGTH),
    _p(f"validname@invaliddigest:{F64}", r.DIGEST_UNSUPPORTED),
    _p("Uppercase:tag", r.NAME_CONTAINS_UPPERCASE),
    _p("test:5000/Uppercase/lowercase:tag", r.NAME_CONTAINS_UPPERCASE),
    _p("domain/" + "a" * 256 + ":tag", r.NAME_TOO_LONG, id="domain/ + 256-character path"),
    _p("aa/asdf$$^/aa", r.REFERENCE_INVALID_FORMAT),
    _p("[2001:db8::1]", r.REFERENCE_INVALID_FORMAT),
    _p("[2001:db8::1]:5000", r.REFERENCE_INVALID_FORMAT),
    _p("[2001:db8::1]:tag", r.REFERENCE_INVALID_FORMAT),
    _p("[fe80::1%eth0]:5000/repo", r.REFERENCE_INVALID_FORMAT),
    _p("[fe80::1%@invalidzone]:5000/repo", r.REFERENCE_INVALID_FORMAT),
]  # fmt: skip


@pytest.mark.parametrize(("text", "repository", "domain", "tag", "digest"), PARSE_OK)
def test_reference_parse(text: str, repository: str, domain: str, tag: str, digest: str) -> None:
    ref = parse(text)
    assert (str(ref), ref.name, ref.domain, ref.tag, ref.digest) == (text, repository, domain, tag, digest)


@pytest.mark.parametrize(("text", "reason"), PARSE_ERR)
def test_reference_parse_error(text: str, reason: str) -> None:
    with pytest.raises(InvalidReference) as caught:
        parse(text)
    assert caught.value.reason == reason


# --- reference_test.go: TestDomainAndPath (the table TestWithNameFailure calls "TestSplitHostname") -----


@pytest.mark.parametrize(
    ("text", "domain", "path"),
    [
        _p("test.com/foo", "test.com", "foo"),
        _p("test_com/foo", "", "test_com/foo"),
        _p("test:8080/foo", "test:8080", "foo"),
        _p("test.com:8080/foo", "test.com:8080", "foo"),
        _p("test-com:8080/foo", "test-com:8080", "foo"),
        _p("xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo"),
    ],
)
def test_domain_and_path(text: str, domain: str, path: str) -> None:
    ref = parse(text)
    assert (ref.domain, ref.path) == (domain, path)


# --- reference_test.go: TestWithTag and TestWithDigest (a Reference with its tag/digest replaced) ---------

SHORT = "sha256:1234567890098765432112345667890098765"  # WithDigest does not check the length


@pytest.mark.parametrize(
    ("name", "tag", "digest", "combined"),
    [
        _p("test.com/foo", "tag", "", "test.com/foo:tag", id="with tag: test.com/foo:tag"),
        _p("foo", "tag2", "", "foo:tag2", id="with tag: foo:tag2"),
        _p("test.com:8000/foo", "tag4", "", "test.com:8000/foo:tag4", id="with tag: test.com:8000/foo:tag4"),
        _p("test.com:8000/foo", "TAG5", "", "test.com:8000/foo:TAG5", id="with tag: test.com:8000/foo:TAG5"),
        _p("test.com:8000/foo", "TAG5", SHORT, f"test.com:8000/foo:TAG5@{SHORT}", id="with tag: TAG5@digest"),
        _p("test.com/foo", "", SHORT, f"test.com/foo@{SHORT}", id="with digest: test.com/foo"),
        _p("foo", "", SHORT, f"foo@{SHORT}", id="with digest: foo"),
        _p("test.com:8000/foo", "", SHORT, f"test.com:8000/foo@{SHORT}", id="with digest: test.com:8000/foo"),
        _p("test.com:8000/foo", "latest", SHORT, f"test.com:8000/foo:latest@{SHORT}", id="with digest: latest@digest"),
    ],
)  # fmt: skip
def test_with_tag_and_digest(name: str, tag: str, digest: str, combined: str) -> None:
    assert r.is_tag(tag) or not tag
    assert str(dataclasses.replace(parse(name), tag=tag, digest=digest)) == combined


# --- reference_test.go: TestParseNamed (ParseNormalizedNamed, refused unless already canonical) -----------


@pytest.mark.parametrize(
    ("text", "domain", "path"),
    [
        _p("test.com/foo", "test.com", "foo"),
        _p("test:8080/foo", "test:8080", "foo"),
        _p("test_com/foo", None, None),
        _p("test.com", None, None),
        _p("foo", None, None),
        _p("library/foo", None, None),
        _p("docker.io/library/foo", "docker.io", "library/foo"),
        _p("docker.io/foo", None, None, id="docker.io/foo (ambiguous: gets library/)"),
    ],
)
def test_parse_named(text: str, domain: str | None, path: str | None) -> None:
    ref = parse_normalized(text)
    if domain is None:  # ErrNameNotCanonical: normalizing changed the string
        assert str(ref) != text
    else:
        assert (str(ref), ref.domain, ref.path) == (text, domain, path)


# --- normalize_test.go: TestValidateReferenceName and TestValidateRemoteName -------------------------------

HEX64 = "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a"
SONG = "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev"
LONG_NAMESPACE = "_".join(["this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255"] * 4) + "/docker"  # fmt: skip

VALID_REFERENCE_NAMES = [
    "docker/docker", "library/debian", "debian", "localhost/library/debian", "localhost/debian",
    "LOCALDOMAIN/library/debian", "LOCALDOMAIN/debian", "docker.io/docker/docker", "docker.io/library/debian",
    "docker.io/debian", "index.docker.io/docker/docker", "index.docker.io/library/debian",
    "index.docker.io/debian", "127.0.0.1:5000/docker/docker", "127.0.0.1:5000/library/debian",
    "127.0.0.1:5000/debian", "192.168.0.1", "192.168.0.1:80", "192.168.0.1:8/debian",
    "192.168.0.2:25000/debian", SONG, "[fc00::1]:5000/docker", "[fc00::1]:5000/docker/docker",
    "[fc00:1:2:3:4:5:6:7]:5000/library/debian", f"docker.io/{HEX64}", "Docker/docker", "DOCKER/docker",
]  # fmt: skip
INVALID_REFERENCE_NAMES = [
    "https://github.com/docker/docker", "docker/Docker", "-docker", "-docker/docker", "-docker.io/docker/docker",
    "docker///docker", "docker.io/docker/Docker", "docker.io/docker///docker", "[fc00::1]", "[fc00::1]:5000",
    "fc00::1:5000/debian", "[fe80::1%eth0]:5000/debian", "[2001:db8:3:4::192.0.2.33]:5000/debian", HEX64,
]  # fmt: skip
VALID_REMOTE_NAMES = [
    "docker/docker", SONG, "docker-rules/docker", "docker---rules/docker", "doc/docker", "d/docker", "jess/t",
    "dock__er/docker",
]  # fmt: skip
INVALID_REMOTE_NAMES = [
    "docker/Docker", "docker///docker", HEX64, "-docker/docker", "docker-/docker", "-docker-/docker", "____/____",
    "_docker/_docker", "dock..er/docker", "dock_.er/docker", "dock-.er/docker", "docker/", LONG_NAMESPACE,
]  # fmt: skip


@pytest.mark.parametrize("text", [_p(t) for t in VALID_REFERENCE_NAMES + VALID_REMOTE_NAMES])
def test_validate_name_valid(text: str) -> None:
    parse_normalized(text)


@pytest.mark.parametrize("text", [_p(t) for t in INVALID_REFERENCE_NAMES + INVALID_REMOTE_NAMES])
def test_validate_name_invalid(text: str) -> None:
    with pytest.raises(InvalidReference):
        parse_normalized(text)


# --- normalize_test.go: TestParseRepositoryInfo -------------------------------------------------------------
# (remote name, familiar name, full name, ambiguous name, domain); each of the names must parse to all four.

REPOSITORY_INFO = [
    ("fooo", "localhost/fooo", "localhost/fooo", "localhost/fooo", "localhost"),
    ("fooo/bar", "localhost/fooo/bar", "localhost/fooo/bar", "localhost/fooo/bar", "localhost"),
    ("fooo", "LOCALDOMAIN/fooo", "LOCALDOMAIN/fooo", "LOCALDOMAIN/fooo", "LOCALDOMAIN"),
    ("fooo/bar", "LOCALDOMAIN/fooo/bar", "LOCALDOMAIN/fooo/bar", "LOCALDOMAIN/fooo/bar", "LOCALDOMAIN"),
    ("fooo/bar", "fooo/bar", "docker.io/fooo/bar", "index.docker.io/fooo/bar", "docker.io"),
    ("library/ubuntu", "ubuntu", "docker.io/library/ubuntu", "library/ubuntu", "docker.io"),
    ("nonlibrary/ubuntu", "nonlibrary/ubuntu", "docker.io/nonlibrary/ubuntu", "", "docker.io"),
    ("other/library", "other/library", "docker.io/other/library", "", "docker.io"),
    ("private/moonbase", "127.0.0.1:8000/private/moonbase", "127.0.0.1:8000/private/moonbase", "", "127.0.0.1:8000"),
    ("privatebase", "127.0.0.1:8000/privatebase", "127.0.0.1:8000/privatebase", "", "127.0.0.1:8000"),
    ("private/moonbase", "example.com/private/moonbase", "example.com/private/moonbase", "", "example.com"),
    ("privatebase", "example.com/privatebase", "example.com/privatebase", "", "example.com"),
    ("private/moonbase", "example.com:8000/private/moonbase", "example.com:8000/private/moonbase", "", "example.com:8000"),
    ("privatebasee", "example.com:8000/privatebasee", "example.com:8000/privatebasee", "", "example.com:8000"),
    ("library/ubuntu-12.04-base", "ubuntu-12.04-base", "docker.io/library/ubuntu-12.04-base", "index.docker.io/library/ubuntu-12.04-base", "docker.io"),
    ("library/foo", "foo", "docker.io/library/foo", "docker.io/foo", "docker.io"),
    ("library/foo/bar", "library/foo/bar", "docker.io/library/foo/bar", "", "docker.io"),
    ("store/foo/bar", "store/foo/bar", "docker.io/store/foo/bar", "", "docker.io"),
    ("bar", "Foo/bar", "Foo/bar", "", "Foo"),
    ("bar", "FOO/bar", "FOO/bar", "", "FOO"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "case"),
    [
        pytest.param(text, case, id=f"{i}/{text}")
        for i, case in enumerate(REPOSITORY_INFO)
        for text in dict.fromkeys(case[1:4])  # familiar, full, ambiguous; a name listed twice runs once
        if text
    ],
)
def test_parse_repository_info(text: str, case: tuple[str, str, str, str, str]) -> None:
    remote, familiar, full, _, domain = case
    ref = parse_normalized(text)
    assert (ref.familiar_name, str(ref), ref.domain, ref.path) == (familiar, full, domain, remote)


# --- normalize_test.go: TestParseReferenceWithTagAndDigest, TestInvalidReferenceComponents -----------------


def test_parse_reference_with_tag_and_digest() -> None:
    short = "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa"
    ref = parse_normalized(short)
    assert str(ref) == f"docker.io/library/{short}"
    assert ref.tag == "latest" and ref.digest == short.partition("@")[2]
    assert ref.familiar_string == short


def test_invalid_reference_components() -> None:
    with pytest.raises(InvalidReference):
        parse_normalized("-foo")
    assert not r.is_tag("-foo")  # WithTag(ref, "-foo")
    for bad in ("busybox:-foo", "busybox@foo"):  # WithDigest(ref, "foo")
        with pytest.raises(InvalidReference):
            parse_normalized(bad)


# --- normalize_test.go: TestParseAnyReference (the two identifiers: is_image_id) ------------


@pytest.mark.parametrize(
    ("text", "equivalent"),
    [
        _p("redis", "docker.io/library/redis"),
        _p("redis:latest", "docker.io/library/redis:latest"),
        _p("docker.io/library/redis:latest", "docker.io/library/redis:latest"),
        _p(f"redis@{REDIS}", f"docker.io/library/redis@{REDIS}", id="redis@sha256"),
        _p(f"docker.io/library/redis@{REDIS}", f"docker.io/library/redis@{REDIS}", id="docker.io/library/redis@sha256"),
        _p("dmcgowan/myapp", "docker.io/dmcgowan/myapp"),
        _p("dmcgowan/myapp:latest", "docker.io/dmcgowan/myapp:latest"),
        _p("docker.io/mcgowan/myapp:latest", "docker.io/mcgowan/myapp:latest"),
        _p(f"dmcgowan/myapp@{REDIS}", f"docker.io/dmcgowan/myapp@{REDIS}", id="dmcgowan/myapp@sha256"),
        _p(f"docker.io/dmcgowan/myapp@{REDIS}", f"docker.io/dmcgowan/myapp@{REDIS}", id="docker.io/dmcgowan/myapp@sha256"),
        _p(REDIS[7:], None, id="64 hex: an identifier"),
        _p(REDIS, None, id="sha256:64 hex: an identifier"),
        _p(REDIS[7:-1], f"docker.io/library/{REDIS[7:-1]}", id="63 hex characters are a name"),
        _p("dbcc1", "docker.io/library/dbcc1"),
    ],
)  # fmt: skip
def test_parse_any_reference(text: str, equivalent: str | None) -> None:
    assert r.is_image_id(text) == (equivalent is None)
    if equivalent is not None:
        assert str(parse_normalized(text)) == equivalent
        assert parse_normalized(text) == parse(equivalent)


# --- normalize_test.go: TestNormalizedSplitHostname ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "domain", "path"),
    [
        _p("test.com/foo", "test.com", "foo"),
        _p("test_com/foo", "docker.io", "test_com/foo"),
        _p("docker/migrator", "docker.io", "docker/migrator"),
        _p("test.com:8080/foo", "test.com:8080", "foo"),
        _p("test-com:8080/foo", "test-com:8080", "foo"),
        _p("foo", "docker.io", "library/foo"),
        _p("xn--n3h.com/foo", "xn--n3h.com", "foo"),
        _p("xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo"),
        _p("docker.io/foo", "docker.io", "library/foo"),
        _p("docker.io/library/foo", "docker.io", "library/foo"),
        _p("docker.io/library/foo/bar", "docker.io", "library/foo/bar"),
    ],
)
def test_normalized_split_hostname(text: str, domain: str, path: str) -> None:
    ref = parse_normalized(text)
    assert (ref.domain, ref.path) == (domain, path)
    assert r.split_docker_domain(text) == (domain, path)


# --- normalize_test.go: TestParseDockerRef (ParseNormalizedNamed, a digest wins over a tag, TagNameOnly) ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        _p("busybox", "docker.io/library/busybox:latest", id="nothing"),
        _p("busybox:latest", "docker.io/library/busybox:latest", id="tag only"),
        _p(f"busybox@{BUSYBOX}", f"docker.io/library/busybox@{BUSYBOX}", id="digest only"),
        _p("library/busybox", "docker.io/library/busybox:latest", id="path only"),
        _p("docker.io/busybox", "docker.io/library/busybox:latest", id="hostname only"),
        _p("docker.io/library/busybox", "docker.io/library/busybox:latest", id="no tag"),
        _p("docker.io/busybox:latest", "docker.io/library/busybox:latest", id="no path"),
        _p("library/busybox:latest", "docker.io/library/busybox:latest", id="no hostname"),
        _p("docker.io/library/busybox:latest", "docker.io/library/busybox:latest", id="full reference with tag"),
        _p("gcr.io/library/busybox", "gcr.io/library/busybox:latest", id="gcr reference without tag"),
        _p(f"gcr.io/library/busybox:latest@{BUSYBOX}", f"gcr.io/library/busybox@{BUSYBOX}", id="both tag and digest"),
    ],
)  # fmt: skip
def test_parse_docker_ref(text: str, expected: str) -> None:
    ref = parse_normalized(text)
    ref = dataclasses.replace(ref, tag="") if ref.digest else ref.with_default_tag()
    assert str(ref) == expected
    assert str(parse(expected)) == expected


# --- go-digest digest_test.go: TestParseDigest, each digest behind "repo@" ---------------------------------
# Digests that fail distribution's digest pattern never reach digest.Parse: Parse says "invalid reference
# format" for them; the rest get go-digest's own error.

DIGESTS = [
    _p(f"sha256:{E58}", None, id="sha256"),
    _p(f"sha384:{HEX384}", None, id="sha384"),
    _p("sha256:", r.REFERENCE_INVALID_FORMAT, id="empty hex"),
    _p(":", r.REFERENCE_INVALID_FORMAT, id="empty algorithm and hex"),
    _p("d41d8cd98f00b204e9800998ecf8427e", r.REFERENCE_INVALID_FORMAT, id="just hex"),
    _p("sha256:d41d8cd98f00b204e9800m98ecf8427e", r.REFERENCE_INVALID_FORMAT, id="not hex"),
    _p("sha256:abcdef0123456789", r.REFERENCE_INVALID_FORMAT, id="too short"),
    _p(f"sha512:{'abcdef0123456789' * 4}", r.DIGEST_INVALID_LENGTH, id="too short for sha512"),
    _p("foo:d41d8cd98f00b204e9800998ecf8427e", r.DIGEST_UNSUPPORTED, id="unknown algorithm"),
    _p(f"sha384__foo+bar:{HEX384}", r.REFERENCE_INVALID_FORMAT, id="repeated separators"),
    _p(f"sha384.foo+bar:{HEX384}", r.DIGEST_UNSUPPORTED, id="sha384.foo+bar"),
    _p(f"sha384_foo+bar:{HEX384}", r.DIGEST_UNSUPPORTED, id="sha384_foo+bar"),
    _p("sha256+b64:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564", r.REFERENCE_INVALID_FORMAT, id="base64 encoding"),
    _p(f"sha256:{E58.upper()}", r.DIGEST_INVALID_FORMAT, id="upper-case hex"),
    # Not a digest_test.go row: digest.go's DigestRegexpAnchored takes a lower-case algorithm only, so an
    # unknown upper-case one is a format error, not an unsupported algorithm.
    _p(f"SHA256:{F64}", r.DIGEST_INVALID_FORMAT, id="derived: upper-case algorithm"),
]  # fmt: skip


@pytest.mark.parametrize(("digest", "reason"), DIGESTS)
def test_digest_through_parse(digest: str, reason: str | None) -> None:
    if reason is None:
        ref = parse(f"repo@{digest}")
        assert (ref.digest, str(parse(str(ref)))) == (digest, f"repo@{digest}")
        return
    with pytest.raises(InvalidReference) as caught:
        parse(f"repo@{digest}")
    assert caught.value.reason == reason


# --- properties -----------------------------------------------------------------------------------------------

COMPONENT = st.from_regex(r"[a-z0-9]{1,6}(?:(?:[._]|__|-{1,3})[a-z0-9]{1,6}){0,2}", fullmatch=True)
PATHS = st.lists(COMPONENT, min_size=1, max_size=4).map("/".join)
HOSTS = st.from_regex(r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,6}[a-zA-Z0-9])?(?:\.[a-z0-9]{1,6}){0,2}", fullmatch=True)
DOMAINS = st.one_of(st.just(""), st.tuples(HOSTS, st.sampled_from(["", ":5000", ":1"])).map("".join))
TAGS = st.one_of(st.just(""), st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}", fullmatch=True))
DIGESTS_ST = st.one_of(st.just(""), st.from_regex(r"[a-f0-9]{64}", fullmatch=True).map("sha256:".__add__))


def _text(domain: str, path: str, tag: str, digest: str) -> str:
    return f"{domain}/{path}".lstrip("/") + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")


@given(DOMAINS, PATHS, TAGS, DIGESTS_ST)
def test_grammar_pieces_parse_and_round_trip(domain: str, path: str, tag: str, digest: str) -> None:
    name, text = f"{domain}/{path}" if domain else path, _text(domain, path, tag, digest)
    ref = parse(text)
    assert (str(ref), ref.name, ref.tag, ref.digest) == (text, name, tag, digest)
    if domain:
        assert (ref.domain, ref.path) == (domain, path)
    assert parse(str(ref)) == ref


@given(DOMAINS, PATHS, TAGS, DIGESTS_ST)
def test_familiar_string_is_stable(domain: str, path: str, tag: str, digest: str) -> None:
    ref = parse_normalized(_text(domain, path, tag, digest))
    # ref.domain may be "": "a_b.c/d" splits at "a_b.c", which Parse then reads as part of the path
    assert parse(str(ref)) == ref
    assert parse_normalized(ref.familiar_string) == ref
    assert parse_normalized(str(ref)) == ref
    assert ref.with_default_tag().tag == (tag or ("" if digest else "latest"))
