"""Spreadsheets of records: CSV (the csv module) and XLSX (openpyxl), from a header and rows.

A table is a list of ``Column``s over a queryset: each column is a label and a lookup that
``values_list`` reads, so an export is one query however many rows it has. The admin's
"Export" actions and the monitoring dashboard's downloads share the columns of each kind of
record. Names of participants never appear: the records have none.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from openpyxl import Workbook

from .admin_helpers import recorded_action

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    label: str
    lookup: str
    show: Callable | None = None  # turns the stored value into what the cell shows


def table(queryset, columns: Sequence[Column]) -> tuple[list[str], Iterable[list]]:
    """The header and the rows of ``queryset`` in these columns: one query."""
    header = [str(column.label) for column in columns]
    values = queryset.values_list(*[column.lookup for column in columns])

    def rows():
        for row in values.iterator(chunk_size=2000):
            yield [
                column.show(value) if column.show and value is not None else value
                for column, value in zip(columns, row, strict=True)
            ]

    return header, rows()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    return value


def csv_response(filename: str, header, rows) -> HttpResponse:
    response = HttpResponse(content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    # The byte order mark makes spreadsheet programs read the file as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return response


def xlsx_response(filename: str, header, rows, *, title: str = "Sheet") -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def respond(fmt: str, filename: str, queryset, columns, *, title="Sheet") -> HttpResponse:
    header, rows = table(queryset, columns)
    if fmt == "xlsx":
        return xlsx_response(filename, header, rows, title=title)
    return csv_response(filename, header, rows)


def export_actions(filename: str, columns: Callable[[], Sequence[Column]]):
    """The two admin actions "Export the selected … as CSV / XLSX" of a model admin."""

    @recorded_action(description=_("Export the selected rows as CSV"), permissions=["view"])
    def export_csv(modeladmin, request, queryset):
        return respond("csv", filename, queryset.order_by("pk"), columns())

    @recorded_action(description=_("Export the selected rows as XLSX"), permissions=["view"])
    def export_xlsx(modeladmin, request, queryset):
        return respond("xlsx", filename, queryset.order_by("pk"), columns(), title=filename)

    return [export_csv, export_xlsx]


def organisation_columns() -> list[Column]:
    return [
        Column(_("id"), "pk"),
        Column(_("name"), "name"),
        Column(_("type"), "kind"),
        Column(_("country"), "country", lambda code: countries.name(code)),
        Column(_("country code"), "country"),
        Column(_("region"), "region_name"),
        Column(_("NUTS code"), "nuts_code"),
        Column(_("city"), "city"),
        Column(_("member of the partnership since"), "rsp_member_since"),
        Column(_("suspended"), "is_suspended"),
        Column(_("created at"), "created_at"),
    ]
