"""Reading a file of people to invite: columns name, email, institution, role (a header line names
them, in any order), UTF-8 with or without a byte-order mark, separated by commas or semicolons
(spreadsheets in many of the partner countries save with semicolons).

Every row is checked before anything is made; a file with a single bad row is refused whole, each
problem reported with its line number, so nothing from it is half-imported.
"""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .invitations import Invitee, pending_emails
from .models import Institution

COLUMNS = ("name", "email", "institution", "role")
MAX_ROWS = 500
MAX_BYTES = 512 * 1024
MAX_EMAIL_LENGTH = 254  # the column's length (RFC 5321's limit on a path)


@dataclass
class RowError:
    line: int
    message: str


class FileRefused(Exception):
    """The file cannot be imported; ``errors`` lists what is wrong, line by line."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{error.line}: {error.message}" for error in errors))
        self.errors = errors


def read(upload, handler, target, by):
    """The invitees of ``upload`` (a file or bytes), every row checked, or ``FileRefused``."""
    text = _text(upload)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header, header_line = None, 0
    for row in reader:
        if any(cell.strip() for cell in row):
            header, header_line = [cell.strip().lower() for cell in row], reader.line_num
            break
    if header is None:
        raise FileRefused([RowError(1, _("The file is empty: it needs a header line and one row per person."))])
    _check_header(header, header_line)
    position = {name: header.index(name) for name in COLUMNS if name in header}

    rows = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        rows.append((reader.line_num, {name: _cell(row, index) for name, index in position.items()}))
    if not rows:
        raise FileRefused([RowError(header_line, _("The file has a header line but nobody to invite."))])
    if len(rows) > MAX_ROWS:
        raise FileRefused([RowError(rows[MAX_ROWS][0], _(
            "The file has %(count)s people; at most %(limit)s may be invited at a time. Split it into smaller files."
        ) % {"count": len(rows), "limit": MAX_ROWS})])
    return _checked(rows, handler, target, by)


def _text(upload):
    if hasattr(upload, "size") and upload.size > MAX_BYTES:
        raise FileRefused([RowError(0, _too_large())])
    data = upload if isinstance(upload, bytes) else upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise FileRefused([RowError(0, _too_large())])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileRefused([RowError(line, _(
            "The file is not in UTF-8. Save it from your spreadsheet as “CSV UTF-8” and upload it again."
        ))]) from None


def _too_large():
    return _("The file is larger than %(size)s KB. Split it into smaller files.") % {"size": MAX_BYTES // 1024}


def _check_header(header, line):
    unknown = [name for name in header if name and name not in COLUMNS]
    errors = []
    if unknown:
        errors.append(RowError(line, _(
            "Unknown columns: %(columns)s. The columns are name, email, institution and role."
        ) % {"columns": ", ".join(unknown)}))
    if "email" not in header:
        errors.append(RowError(line, _(
            "The first line must name the columns, with at least “email” (for example: name,email,institution,role)."
        )))
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        errors.append(RowError(line, _("Columns named twice: %(columns)s.") % {"columns": ", ".join(repeated)}))
    if errors:
        raise FileRefused(errors)


def _cell(row, index):
    return row[index].strip() if index < len(row) else ""


def _role_lookup(handler, target, by):
    allowed = handler.roles_for(by, target)
    lookup = {}
    for value, label in allowed:
        lookup[value.lower()] = value
        lookup[str(label).strip().lower()] = value
    return lookup


def _institutions(names):
    lowered = {name.lower() for name in names if name}
    if not lowered:
        return {}
    found = {}
    matches = Institution.objects.annotate(lname=Lower("name"), lshort=Lower("short_name")).filter(
        Q(lname__in=lowered) | Q(lshort__in=lowered)
    )
    for institution in matches:
        # A short name is exact; a full name may be shared, and then the first one wins.
        found.setdefault(institution.lshort, institution)
    for institution in matches:
        found.setdefault(institution.lname, institution)
    return found


def _checked(rows, handler, target, by):
    roles = _role_lookup(handler, target, by)
    institutions = _institutions(values["institution"] for _line, values in rows if values.get("institution"))
    pending = pending_emails(target, [values.get("email", "") for _line, values in rows])
    seen, errors, invitees = {}, [], []
    for line, values in rows:
        problems = []
        email = values.get("email", "").lower()
        if not email:
            problems.append(_("the email address is missing"))
        elif len(email) > MAX_EMAIL_LENGTH:
            problems.append(_("the email address is longer than %(length)s characters") % {"length": MAX_EMAIL_LENGTH})
        else:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("“%(email)s” is not an email address") % {"email": values.get("email")})
            else:
                if email in seen:
                    problems.append(
                        _("“%(email)s” is already on line %(line)s") % {"email": email, "line": seen[email]}
                    )
                elif email in pending:
                    problems.append(_("“%(email)s” already has an invitation here that has not been used yet") % {
                        "email": email
                    })
                seen.setdefault(email, line)
        role_text = values.get("role", "")
        role = roles.get(role_text.lower()) if role_text else handler.default_role
        if role is None:
            problems.append(_("“%(role)s” is not a role you can invite people as here (%(roles)s)") % {
                "role": role_text, "roles": ", ".join(value for value, _label in handler.roles_for(by, target)),
            })
        name = values.get("name", "")
        if len(name) > 150:
            problems.append(_("the name is longer than 150 characters"))
        institution_text = values.get("institution", "")
        if len(institution_text) > 255:
            problems.append(_("the institution is longer than 255 characters"))
        if problems:
            errors.extend(RowError(line, _capitalised(problem)) for problem in problems)
            continue
        institution = institutions.get(institution_text.lower()) if institution_text else None
        invitees.append(Invitee(
            email=email, name=name, institution=institution,
            institution_name="" if institution else institution_text, role=role,
        ))
    if errors:
        raise FileRefused(errors)
    return invitees


def _capitalised(text):
    text = str(text)
    return text[:1].upper() + text[1:] + "."
