"""The apps' gettext catalogs: complete where we promise it, placeholders intact, and actually used."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = sorted(
    path
    for path in ROOT.glob("*/locale/*/LC_MESSAGES/django.po")
    if not path.relative_to(ROOT).parts[0].startswith(".")
)
APPS = sorted({path.relative_to(ROOT).parts[0] for path in CATALOGS})

# Languages whose catalogs must be complete.
COMPLETE = ("uk", "ru", "ro")
# Languages where at least the reader's way through the site must be translated.
NAVIGATION = ("ka", "az", "hy", "kk", "ky")
NAVIGATION_APPS = ("home", "course", "lessons")
NAVIGATION_MSGIDS = ("Skip to content", "Search", "Language", "Glossary", "Courses", "Lectures")
NOTICE = "This page is not yet translated into %(language)s. You are reading the original in %(original)s."

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\{\s*\w+\s*\}\}")
FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$')


def _unquote(text):
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def parse_po(path):
    """[{msgid, msgid_plural, msgstr: [..], fuzzy, obsolete}] for every entry, header first."""
    entries, entry, field = [], None, None

    def start():
        return {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}, "fuzzy": False}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            field = None
            continue
        if line.startswith("#~"):
            raise AssertionError(f"{path}: obsolete entry left in the catalog: {line}")
        if line.startswith("#"):
            if entry is None or entry["msgid"] is not None:
                entry = start()
                entries.append(entry)
            if line.startswith("#,") and "fuzzy" in (flag.strip() for flag in line[2:].split(",")):
                entry["fuzzy"] = True
            continue
        if line.startswith('"'):
            assert field is not None, f"{path}: continuation line outside an entry: {raw}"
            value = _unquote(line[1:-1])
            if isinstance(field, int):
                entry["msgstr"][field] += value
            else:
                entry[field] += value
            continue
        match = FIELD.match(line)
        assert match, f"{path}: cannot read line: {raw}"
        name, index, value = match.group(1), match.group(2), _unquote(match.group(3))
        if name in ("msgctxt", "msgid") and (entry is None or entry["msgid"] is not None):
            entry = start()
            entries.append(entry)
        if name.startswith("msgstr"):
            field = int(index) if index is not None else 0
            entry["msgstr"][field] = value
        else:
            field = name
            entry[name] = value
    return [{**e, "msgstr": [e["msgstr"][k] for k in sorted(e["msgstr"])]} for e in entries]


def nplurals(header_entry):
    match = re.search(r"nplurals\s*=\s*(\d+)", header_entry["msgstr"][0])
    assert match, "the header has no Plural-Forms"
    return int(match.group(1))


def catalog(app, language):
    return ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po"


def messages(path):
    entries = parse_po(path)
    assert entries and entries[0]["msgid"] == "", f"{path}: the header entry must come first"
    return entries[0], entries[1:]


def translation_of(app, language, msgid):
    for entry in messages(catalog(app, language))[1]:
        if entry["msgid"] == msgid:
            return entry["msgstr"][0]
    raise LookupError(msgid)


def test_every_app_with_strings_has_a_catalog_per_language():
    assert {"home", "course", "lessons", "network"} <= set(APPS)
    for app in APPS:
        for language in COMPLETE + NAVIGATION:
            assert catalog(app, language).is_file(), f"missing {catalog(app, language).relative_to(ROOT)}"


def test_the_parser_reads_plurals_continuations_and_flags(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: uk\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#: a.html\n#, fuzzy, python-format\nmsgid ""\n"%(n)s long "\n"text"\nmsgstr "%(n)s \\"x\\""\n\n'
        '#, python-format\nmsgid "%(counter)s term."\nmsgid_plural "%(counter)s terms."\n'
        'msgstr[0] "a"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    header, (long, plural) = messages(po)
    assert nplurals(header) == 2
    assert (long["msgid"], long["msgstr"], long["fuzzy"]) == ("%(n)s long text", ['%(n)s "x"'], True)
    assert plural["msgid_plural"] == "%(counter)s terms." and plural["msgstr"] == ["a", ""]
    assert not plural["fuzzy"]


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("language", COMPLETE)
def test_catalog_is_complete_and_not_fuzzy(app, language):
    header, entries = messages(catalog(app, language))
    assert not header["fuzzy"], "the header is still marked fuzzy"
    assert f"Language: {language}\n" in header["msgstr"][0]
    forms = nplurals(header)
    assert entries, "the catalog is empty"
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if e["fuzzy"]]
    wrong_forms = [e["msgid"] for e in entries if e["msgid_plural"] is not None and len(e["msgstr"]) != forms]
    assert untranslated == []
    assert fuzzy == []
    assert wrong_forms == [], f"plural entries need {forms} forms"


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("language", COMPLETE + NAVIGATION)
def test_translations_keep_their_placeholders(app, language):
    header, entries = messages(catalog(app, language))
    assert not [e["msgid"] for e in entries if e["fuzzy"]], "fuzzy entries are not used at run time"
    for entry in entries:
        for index, msgstr in enumerate(entry["msgstr"]):
            if not msgstr:
                continue
            source = entry["msgid"] if index == 0 or entry["msgid_plural"] is None else entry["msgid_plural"]
            assert sorted(PLACEHOLDER.findall(msgstr)) == sorted(PLACEHOLDER.findall(source)), (entry["msgid"], msgstr)


@pytest.mark.parametrize("language", NAVIGATION)
def test_navigation_and_reader_strings_are_translated(language):
    checked = set()
    for app in NAVIGATION_APPS:
        for entry in messages(catalog(app, language))[1]:
            if entry["msgid"] in NAVIGATION_MSGIDS + (NOTICE,):
                assert all(entry["msgstr"]) and not entry["fuzzy"], f"{app}: {entry['msgid']!r} untranslated"
                assert entry["msgstr"][0] != entry["msgid"], f"{app}: {entry['msgid']!r} left in English"
                checked.add(entry["msgid"])
    assert checked == set(NAVIGATION_MSGIDS) | {NOTICE}


@pytest.mark.django_db
def test_search_page_is_rendered_in_ukrainian(client):
    search = translation_of("home", "uk", "Search")
    assert search and search != "Search"
    response = client.get("/uk/search/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="uk">' in html
    assert f"<h1>{search}</h1>" in html, "the catalogs are not compiled: run `make messages`"
    assert translation_of("home", "uk", "Skip to content") in html
