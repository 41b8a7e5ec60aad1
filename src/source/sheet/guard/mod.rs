//! The dimension guard for workbook formats that calamine can only read whole (ODS, XLS).
//!
//! calamine builds an ODS or XLS sheet as a dense grid (every cell between the first and the
//! last value), for every sheet of the file, as soon as the workbook is opened. One stray value
//! at the sheet's far corner would make that grid gigabytes. So before calamine sees such a
//! file, this module walks it once (ODS: `content.xml` as a stream; XLS: the BIFF records) and
//! measures each sheet's used area; the caller refuses files whose grid would be too large.
//!
//! For the zip-based formats (XLSX, XLSB, ODS), [`check_parts`] first refuses a zip bomb from
//! the zip's central directory, before anything is inflated. Before any of it,
//! [`refuse_encrypted`] tells a password-protected workbook from a damaged one.

mod encrypted;
pub(crate) mod ods;
mod parts;
pub(crate) mod xls;

pub(crate) use encrypted::refuse_encrypted;
pub(crate) use ods::ods_extents;
pub use parts::{check_parts, DEFAULT_MAX_PART_BYTES, MAX_RATIO};
pub(crate) use xls::{open_xls, xls_extents};

/// Default largest grid (rows x columns of the used area) read from a non-streamed format:
/// 10 million cells, about 0.5 GB in calamine's grid. Larger files are refused with a message
/// that names the sheet and its area.
pub const DEFAULT_MAX_CELLS: u64 = 10_000_000;

/// The limit that `--max-cells` cannot raise: past it calamine's grid would not fit in the
/// memory of any machine the tool runs on (200 million cells, about 6 GB).
pub(crate) const HARD_MAX_CELLS: u64 = 200_000_000;

/// The used area of one sheet, in 0-based rows and columns (inclusive bounds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Extent {
    pub sheet: String,
    pub first_row: u64,
    pub last_row: u64,
    pub first_col: u64,
    pub last_col: u64,
    /// False for a sheet without any value.
    pub used: bool,
    /// Rows that hold at least one value.
    pub rows_used: u64,
}

impl Extent {
    pub(crate) fn new(sheet: String) -> Extent {
        Extent {
            sheet,
            first_row: u64::MAX,
            last_row: 0,
            first_col: u64::MAX,
            last_col: 0,
            used: false,
            rows_used: 0,
        }
    }

    pub(crate) fn include(&mut self, rows: (u64, u64), cols: (u64, u64)) {
        self.used = true;
        self.first_row = self.first_row.min(rows.0);
        self.last_row = self.last_row.max(rows.1);
        self.first_col = self.first_col.min(cols.0);
        self.last_col = self.last_col.max(cols.1);
    }

    /// Cells in the used area's grid.
    pub(crate) fn cells(&self) -> u64 {
        if !self.used {
            return 0;
        }
        (self.last_row - self.first_row + 1).saturating_mul(self.last_col - self.first_col + 1)
    }

    /// The used area in spreadsheet notation, e.g. `A1:K21`.
    pub(crate) fn area(&self) -> String {
        if !self.used {
            return String::new();
        }
        format!(
            "{}{}:{}{}",
            super::cells::column_letters(self.first_col),
            self.first_row + 1,
            super::cells::column_letters(self.last_col),
            self.last_row + 1
        )
    }
}

/// Why a workbook is refused before it is parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuardError {
    /// The container says the workbook is encrypted; the message says which kind and what to do.
    #[error("{0}")]
    Encrypted(String),
    #[error(
        "sheet '{sheet}' spans {area} ({cells} cells), more than the {max_cells} cells this format \
         can be read with; a stray value far from the data often causes this: delete the rows \
         and columns past the data, save as .xlsx (which is read as a stream), or raise the \
         limit with --max-cells"
    )]
    TooManyCells {
        sheet: String,
        area: String,
        cells: u64,
        max_cells: u64,
    },
    #[error("not a valid workbook zip: {0}")]
    NotAZip(String),
    #[error("not a valid workbook zip (entry {entry}): {detail}")]
    BadEntry { entry: usize, detail: String },
    #[error(
        "part '{name}' inflates to {size} bytes, over the limit of {max} (a zip bomb, or a sheet \
         far larger than an export); nothing was inflated; raise the limit with \
         --max-sheet-size if the file is genuine"
    )]
    PartTooLarge { name: String, size: u64, max: u64 },
    #[error(
        "part '{name}' declares {size} bytes from {packed} compressed bytes, more than \
         compression can produce: the file is damaged or crafted; nothing was inflated"
    )]
    ImpossibleRatio {
        name: String,
        size: u64,
        packed: u64,
    },
}

/// Refuses an extent whose grid exceeds `max_cells`.
pub(crate) fn check(extent: &Extent, max_cells: u64) -> Result<(), GuardError> {
    let max_cells = max_cells.min(HARD_MAX_CELLS);
    let cells = extent.cells();
    if cells <= max_cells {
        return Ok(());
    }
    Err(GuardError::TooManyCells {
        sheet: extent.sheet.clone(),
        area: extent.area(),
        cells,
        max_cells,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_grid_above_the_limit_naming_the_sheet() {
        let mut e = Extent::new("Blad1".into());
        e.include((0, 1_048_575), (0, 16_383));
        let msg = check(&e, DEFAULT_MAX_CELLS).unwrap_err().to_string();
        assert!(
            msg.contains("'Blad1'") && msg.contains("A1:XFD1048576"),
            "{msg}"
        );
        assert!(check(&e, u64::MAX).is_err(), "the hard limit holds");
        let mut small = Extent::new("Blad1".into());
        small.include((0, 99), (0, 9));
        assert!(check(&small, 1_000).is_ok());
        assert!(check(&small, 999).is_err());
    }
}
