//! Workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) through `calamine`, each cell as the
//! text a person sees.

use std::io::Cursor;

use calamine::{Data, ExcelDateTime, Reader, SheetType, SheetVisible, Sheets};

use super::{Collect, ReadError, ReadOptions, Table};

const ZIP: &[u8] = b"PK\x03\x04";
const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// The name of the stream an Office file encrypted with a password keeps its content in,
/// as UTF-16 in the compound file's directory.
const ENCRYPTED_PACKAGE: &str = "EncryptedPackage";

/// A zip (xlsx, ods) or an OLE2 compound file (xls, or an encrypted xlsx).
pub(super) fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP) || bytes.starts_with(OLE2)
}

pub(super) fn read(name: &str, bytes: &[u8], options: &ReadOptions) -> Result<Table, ReadError> {
    let mut workbook = open(name, bytes)?;
    let sheets = worksheets(&workbook);
    let Some(first) = sheets.first() else {
        return Err(ReadError::NoSheets);
    };
    let sheet = match &options.sheet {
        None => first.clone(),
        Some(wanted) => pick(&workbook, wanted).ok_or_else(|| ReadError::UnknownSheet {
            sheet: wanted.clone(),
            sheets: sheets.clone(),
        })?,
    };
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| ReadError::Spreadsheet {
            detail: e.to_string(),
        })?;
    let mut collect = Collect::new();
    for row in range.rows() {
        collect.push(row.iter().map(cell_text).collect())?;
    }
    let (headers, rows) = collect.finish()?;
    Ok(Table {
        headers,
        rows,
        encoding: None,
        delimiter: None,
        sheets,
        sheet: Some(sheet),
    })
}

fn open<'a>(name: &str, bytes: &'a [u8]) -> Result<Sheets<Cursor<&'a [u8]>>, ReadError> {
    calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        if matches!(&e, calamine::Error::Xls(calamine::XlsError::Password))
            || (bytes.starts_with(OLE2) && contains_utf16(bytes, ENCRYPTED_PACKAGE))
        {
            ReadError::Password
        } else if has_spreadsheet_extension(name) {
            ReadError::Spreadsheet {
                detail: e.to_string(),
            }
        } else {
            // A zip or a compound file that is no workbook: a Word file, an archive...
            ReadError::NotATable
        }
    })
}

fn has_spreadsheet_extension(name: &str) -> bool {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        extension.as_deref(),
        Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods" | "xlam" | "xla")
    )
}

fn contains_utf16(bytes: &[u8], text: &str) -> bool {
    let needle: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// The visible worksheets in tab order (all worksheets when every one is hidden).
fn worksheets(workbook: &Sheets<Cursor<&[u8]>>) -> Vec<String> {
    let all = workbook.sheets_metadata();
    let names = |visible_only: bool| -> Vec<String> {
        all.iter()
            .filter(|s| s.typ == SheetType::WorkSheet)
            .filter(|s| !visible_only || s.visible == SheetVisible::Visible)
            .map(|s| s.name.clone())
            .collect()
    };
    let visible = names(true);
    if visible.is_empty() {
        names(false)
    } else {
        visible
    }
}

/// The sheet called `wanted`: exactly, else trimmed and ignoring case. Hidden sheets count.
fn pick(workbook: &Sheets<Cursor<&[u8]>>, wanted: &str) -> Option<String> {
    let names = workbook.sheet_names();
    if let Some(exact) = names.iter().find(|n| *n == wanted) {
        return Some(exact.clone());
    }
    let folded = wanted.trim().to_lowercase();
    names
        .into_iter()
        .find(|n| n.trim().to_lowercase() == folded)
}

/// A cell as the person sees it: numbers without a needless `.0`, dates `YYYY-MM-DD`, times
/// `HH:MM` (`HH:MM:SS` when the seconds are not 0), both `YYYY-MM-DD HH:MM`, wall-clock as
/// stored (a workbook has no time zone), booleans `TRUE`/`FALSE`, errors as Excel writes them.
pub(super) fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(true) => "TRUE".into(),
        Data::Bool(false) => "FALSE".into(),
        Data::DateTime(dt) => excel_date_text(dt),
        Data::DateTimeIso(iso) => iso_date_text(iso),
        Data::DurationIso(iso) => iso_duration_text(iso),
        Data::Error(e) => e.to_string(),
    }
}

/// Whole numbers without decimals (a phone typed as a number, 447700900123, stays all its
/// digits); others with at most 15 significant digits, as Excel shows them.
fn number_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f.fract() == 0.0 {
        return format!("{:.0}", f + 0.0);
    }
    let magnitude = f.abs().log10().floor() as i32;
    let decimals = (14 - magnitude).clamp(0, 20) as usize;
    let text = format!("{f:.decimals$}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_owned()
}

fn clock(hour: u32, minute: u32, second: u32) -> String {
    if second == 0 {
        format!("{hour:02}:{minute:02}")
    } else {
        format!("{hour:02}:{minute:02}:{second:02}")
    }
}

/// An Excel serial: under 1 is a time of day, a whole number a date, else both.
fn excel_date_text(dt: &ExcelDateTime) -> String {
    let serial = dt.as_f64();
    if dt.is_duration() {
        let seconds = (serial * 86_400.0).round() as i64;
        let (sign, seconds) = if seconds < 0 {
            ("-", -seconds)
        } else {
            ("", seconds)
        };
        return format!("{sign}{}:{:02}", seconds / 3600, seconds / 60 % 60);
    }
    let (year, month, day, hour, minute, second, _milli) = dt.to_ymd_hms_milli();
    let time = clock(hour.into(), minute.into(), second.into());
    if (0.0..1.0).contains(&serial) {
        time
    } else if hour == 0 && minute == 0 && second == 0 {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02} {time}")
    }
}

/// An ISO 8601 date or date-time (OpenDocument's `date-value`): `2025-03-04`,
/// `2025-03-04T08:30:00` → `2025-03-04 08:30`. Anything else as it is.
fn iso_date_text(iso: &str) -> String {
    let Some((date, time)) = iso.split_once('T') else {
        return iso.to_owned();
    };
    let mut parts = time
        .split([':', '.', 'Z', '+'])
        .map(|p| p.parse::<u32>().ok());
    let (hour, minute) = (parts.next().flatten(), parts.next().flatten());
    let second = parts.next().flatten().unwrap_or(0);
    match (hour, minute) {
        (Some(0), Some(0)) if second == 0 => date.to_owned(),
        (Some(hour), Some(minute)) => format!("{date} {}", clock(hour, minute, second)),
        _ => iso.to_owned(),
    }
}

/// An ISO 8601 duration (OpenDocument's `time-value` for a time of day): `PT08H30M00S` →
/// `08:30`. Anything else as it is.
fn iso_duration_text(iso: &str) -> String {
    let Some(rest) = iso.strip_prefix("PT").or_else(|| iso.strip_prefix('P')) else {
        return iso.to_owned();
    };
    let (mut days, mut hours, mut minutes, mut seconds) = (0u32, 0u32, 0u32, 0f64);
    let mut number = String::new();
    for c in rest.chars() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let value = number.parse::<f64>().ok();
        number.clear();
        match (c, value) {
            ('T', None) => {}
            ('D', Some(v)) => days = v as u32,
            ('H', Some(v)) => hours = v as u32,
            ('M', Some(v)) => minutes = v as u32,
            ('S', Some(v)) => seconds = v,
            _ => return iso.to_owned(),
        }
    }
    if !number.is_empty() {
        return iso.to_owned();
    }
    clock(days * 24 + hours, minutes, seconds.round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTimeType};

    fn serial(value: f64) -> Data {
        Data::DateTime(ExcelDateTime::new(
            value,
            ExcelDateTimeType::DateTime,
            false,
        ))
    }

    #[test]
    fn cells_read_as_shown() {
        assert_eq!(cell_text(&Data::Float(447_700_900_123.0)), "447700900123");
        assert_eq!(cell_text(&Data::Float(-0.0)), "0");
        assert_eq!(cell_text(&Data::Float(12.5)), "12.5");
        assert_eq!(cell_text(&Data::Float(0.1 + 0.2)), "0.3");
        assert_eq!(cell_text(&Data::Int(42)), "42");
        assert_eq!(cell_text(&Data::Bool(true)), "TRUE");
        assert_eq!(cell_text(&Data::Error(CellErrorType::NA)), "#N/A");
        assert_eq!(cell_text(&serial(45_720.0)), "2025-03-04");
        assert_eq!(cell_text(&serial(0.354_166_666_666_666_7)), "08:30");
        assert_eq!(cell_text(&serial(0.604_166_666_666_666_7)), "14:30");
        assert_eq!(
            cell_text(&serial(45_720.354_166_666_664)),
            "2025-03-04 08:30"
        );
        let duration = ExcelDateTime::new(1.0625, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(cell_text(&Data::DateTime(duration)), "25:30");
    }

    #[test]
    fn iso_values_read_as_shown() {
        let iso = |s: &str| cell_text(&Data::DateTimeIso(s.into()));
        assert_eq!(iso("2025-03-04"), "2025-03-04");
        assert_eq!(iso("2025-03-04T00:00:00"), "2025-03-04");
        assert_eq!(iso("2025-03-04T00:00:30"), "2025-03-04 00:00:30");
        assert_eq!(iso("2025-03-04T08:30:00"), "2025-03-04 08:30");
        assert_eq!(iso("2025-03-04T08:30:15.5"), "2025-03-04 08:30:15");
        let duration = |s: &str| cell_text(&Data::DurationIso(s.into()));
        assert_eq!(duration("PT08H30M00S"), "08:30");
        assert_eq!(duration("PT14H30M"), "14:30");
        assert_eq!(duration("P1DT02H00M00S"), "26:00");
        assert_eq!(duration("nonsense"), "nonsense");
    }
}
