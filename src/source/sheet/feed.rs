//! Row feeds: a sheet as a sequence of sparse rows, whatever the workbook format.
//!
//! XLSX and XLSB are streamed: calamine's cell reader walks the sheet's XML (or binary
//! records) in a worker thread and hands rows over a small bounded channel, so memory holds a
//! few rows, not the grid. ODS and XLS cannot be streamed by calamine: their sheet is read as a
//! whole range (after the dimension guard in `guard` has checked its size).

use std::thread::JoinHandle;

use calamine::{Data, Range};
use crossbeam_channel::{bounded, Receiver};

use super::cells;
use super::formats::FormatMap;
use crate::source::Cell;

/// One spreadsheet row that has at least one value: 0-based row index and the non-empty cells
/// as (0-based column, cell), in column order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SparseRow {
    pub row: u32,
    pub cells: Vec<(u32, Cell)>,
}

/// A failure while reading rows, with calamine's own wording.
pub(crate) type FeedError = String;

pub(crate) type Feed = Box<dyn Iterator<Item = Result<SparseRow, FeedError>> + Send>;

/// Rows kept in flight between the worker and the pipeline.
const CHANNEL_ROWS: usize = 256;

/// Streams rows from a worker thread. `walk` is given a sink for rows; it returns when the
/// sheet ends, on an error, or as soon as the sink refuses a row (the reader was dropped).
pub(crate) fn streamed<F>(walk: F) -> Feed
where
    F: FnOnce(&mut dyn FnMut(SparseRow) -> bool) -> Result<(), FeedError> + Send + 'static,
{
    let (tx, rx) = bounded::<Result<SparseRow, FeedError>>(CHANNEL_ROWS);
    let handle = std::thread::spawn(move || {
        let mut sink = |row: SparseRow| tx.send(Ok(row)).is_ok();
        if let Err(e) = walk(&mut sink) {
            let _ = tx.send(Err(e));
        }
    });
    Box::new(Streamed {
        rx,
        handle: Some(handle),
    })
}

struct Streamed {
    rx: Receiver<Result<SparseRow, FeedError>>,
    handle: Option<JoinHandle<()>>,
}

impl Iterator for Streamed {
    type Item = Result<SparseRow, FeedError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.rx.recv() {
            Ok(item) => Some(item),
            Err(_) => {
                // The worker is done. A worker that panicked must not pass for a sheet that
                // simply ended: that would silently drop the rest of the file.
                let handle = self.handle.take()?;
                match handle.join() {
                    Ok(()) => None,
                    Err(_) => Some(Err(
                        "the spreadsheet library failed inside this sheet (the file is probably \
                         damaged); open and save it again in a spreadsheet program"
                            .to_string(),
                    )),
                }
            }
        }
    }
}

/// Groups a stream of positioned cells into rows; empty cells are dropped.
pub(crate) struct RowGrouper {
    current: Option<SparseRow>,
}

impl RowGrouper {
    pub(crate) fn new() -> RowGrouper {
        RowGrouper { current: None }
    }

    /// Adds a cell; returns the previous row when this cell starts a new one.
    pub(crate) fn push(&mut self, row: u32, col: u32, cell: Cell) -> Option<SparseRow> {
        if cell == Cell::Empty {
            return None;
        }
        match &mut self.current {
            Some(cur) if cur.row == row => {
                cur.cells.push((col, cell));
                None
            }
            _ => self.current.replace(SparseRow {
                row,
                cells: vec![(col, cell)],
            }),
        }
    }

    pub(crate) fn finish(&mut self) -> Option<SparseRow> {
        self.current.take()
    }
}

impl Default for RowGrouper {
    fn default() -> Self {
        RowGrouper::new()
    }
}

/// Rows of a sheet that calamine has read as a whole range. `errors_as_text` is for ODS,
/// where calamine hands error cells over as their text (`#N/A`).
/// `formats` says which number cells show decimals or a currency (see [`super::formats`]).
pub(crate) fn from_range(
    range: Range<Data>,
    is_1904: bool,
    errors_as_text: bool,
    formats: Option<FormatMap>,
) -> Feed {
    Box::new(RangeRows {
        range,
        next: 0,
        is_1904,
        errors_as_text,
        formats,
    })
}

struct RangeRows {
    range: Range<Data>,
    next: usize,
    is_1904: bool,
    errors_as_text: bool,
    formats: Option<FormatMap>,
}

impl Iterator for RangeRows {
    type Item = Result<SparseRow, FeedError>;

    fn next(&mut self) -> Option<Self::Item> {
        let (row0, col0) = self.range.start()?;
        let (height, width) = self.range.get_size();
        while self.next < height {
            let r = self.next;
            self.next += 1;
            let mut row_cells = Vec::new();
            for c in 0..width {
                if let Some(data) = self.range.get((r, c)) {
                    let mut cell = cells::from_data(data, self.is_1904);
                    if self.errors_as_text {
                        cell = cells::error_text(cell);
                    }
                    let (row, col) = (row0.saturating_add(r as u32), col0.saturating_add(c as u32));
                    if let Some(formats) = &self.formats {
                        cell = cells::formatted(cell, formats.get(row, col));
                    }
                    if cell != Cell::Empty {
                        row_cells.push((col, cell));
                    }
                }
            }
            if !row_cells.is_empty() {
                return Some(Ok(SparseRow {
                    row: row0.saturating_add(r as u32),
                    cells: row_cells,
                }));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouper_splits_rows_and_drops_empty_cells() {
        let mut g = RowGrouper::new();
        assert_eq!(g.push(0, 0, Cell::Text("a".into())), None);
        assert_eq!(g.push(0, 1, Cell::Empty), None);
        let first = g.push(2, 3, Cell::Int(1)).unwrap();
        assert_eq!(first.row, 0);
        assert_eq!(first.cells, vec![(0, Cell::Text("a".into()))]);
        assert_eq!(g.finish().unwrap().cells, vec![(3, Cell::Int(1))]);
        assert_eq!(g.finish(), None);
    }

    #[test]
    fn range_rows_skip_empty_rows_and_keep_positions() {
        let mut range = Range::new((2, 1), (4, 2));
        range.set_value((2, 1), Data::String("h".into()));
        range.set_value((4, 2), Data::Float(2.0));
        let rows: Vec<_> = from_range(range, false, false, None)
            .map(Result::unwrap)
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].row, 2);
        assert_eq!(rows[1].row, 4);
        assert_eq!(rows[1].cells, vec![(2, Cell::Int(2))]);
    }

    #[test]
    fn a_panicking_worker_is_reported_not_taken_for_the_end() {
        let feed = streamed(|sink| {
            sink(SparseRow {
                row: 0,
                cells: vec![(0, Cell::Int(1))],
            });
            panic!("simulated library bug");
        });
        let items: Vec<_> = feed.collect();
        assert_eq!(items.len(), 2);
        assert!(items[1].as_ref().unwrap_err().contains("damaged"));
    }
}
