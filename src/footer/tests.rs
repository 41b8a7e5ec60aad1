use super::*;
use crate::source::Row;

fn text(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.into())
    }
}

fn row(n: u64, cells: &[&str]) -> Item {
    (
        RowResult::Row(Row {
            row: n,
            line: Some(n),
            cells: cells.iter().map(|c| text(c)).collect(),
        }),
        Vec::new(),
    )
}

/// ID;NAAM;TELEFOON;BEDRAG
fn roles() -> Roles {
    Roles {
        columns: 4,
        identifiers: vec![0],
        contacts: vec![2],
        amounts: vec![(3, "BEDRAG".into())],
    }
}

/// Runs rows through a footer recogniser; returns (row, codes of the notes) in output order.
fn verdicts(rows: Vec<Item>) -> Vec<(u64, Vec<&'static str>)> {
    let mut f = Footers::new(roles());
    let mut out = Vec::new();
    for r in rows {
        f.push(r, None, &mut out);
        assert!(f.held.len() <= MAX_HELD_ROWS, "held back at most the limit");
    }
    f.finish(&mut out);
    out.iter()
        .map(|(r, notes)| {
            let n = match r {
                RowResult::Row(r) => r.row,
                RowResult::Broken { row, .. } => *row,
            };
            (n, notes.iter().map(|n| n.code).collect())
        })
        .collect()
}

fn data(n: u64, amount: &str) -> Item {
    row(n, &[&format!("K-{n}"), "Jansen", "0612345678", amount])
}

#[test]
fn labels_in_four_languages_and_not_lookalikes() {
    for yes in [
        "Totaal",
        "TOTAAL:",
        "totaal openstaand",
        "Total (EUR)",
        "Grand total",
        "Eind totaal",
        "Subtotaal",
        "Sub-total",
        "Som",
        "Summe",
        "Gesamtsumme",
        "Gesamt",
        "Total général",
        "Sous-total",
        "Totaux",
        "  Totaal  ",
    ] {
        assert!(is_total_label(yes), "{yes}");
    }
    for no in [
        "",
        "TOTAL-17",
        "Totally",
        "Tom",
        "Jansen",
        "Somers",
        "Grand café",
        "K-1",
        &format!("Totaal {}", "x".repeat(MAX_LABEL_BYTES)),
    ] {
        assert!(!is_total_label(no), "{no}");
    }
}

#[test]
fn numbers_as_exports_write_them() {
    for (s, v) in [
        ("151300", Some(15_130_000)),
        ("1.513,00", Some(151_300)),
        ("€ 1,513.00", Some(151_300)),
        ("1 513", Some(151_300)),
        ("-12,5", Some(-1250)),
        ("12.50 EUR", Some(1250)),
        ("1.513", Some(151_300)),
        ("12a", None),
        ("2026-11-22", None),
        ("", None),
        ("-", None),
    ] {
        assert_eq!(parse_hundredths(s), v, "{s}");
    }
    assert_eq!(hundredths(&Cell::Int(15)), Some(1500));
    assert_eq!(hundredths(&Cell::Float(0.1 + 0.2)), Some(30));
    assert!(is_sum_formula("=SUM(D2:D20)") && is_sum_formula(" =som(D2:D20)"));
    assert!(!is_sum_formula("SUM(D2)") && !is_sum_formula("=D2+D3"));
}

#[test]
fn a_total_after_a_blank_row_at_the_end_is_a_footer() {
    let got = verdicts(vec![
        data(2, "1000"),
        data(3, "2000"),
        row(4, &["", "", "", ""]),
        row(5, &["Totaal", "", "", "3000"]),
    ]);
    assert_eq!(
        got,
        [(2, vec![]), (3, vec![]), (4, vec![]), (5, vec![FOOTER])]
    );
}

#[test]
fn the_footer_note_says_the_sum_and_names_the_label() {
    let mut f = Footers::new(roles());
    let mut out = Vec::new();
    for r in [
        data(2, "1000"),
        data(3, "2000"),
        row(4, &["", "Totaal", "", "3000"]),
    ] {
        f.push(r, None, &mut out);
    }
    f.finish(&mut out);
    let note = &out[2].1[0];
    assert_eq!(note.severity, Severity::Warning);
    assert!(
        note.message.contains("'Totaal'") && note.message.contains("sum of column 'BEDRAG'"),
        "{}",
        note.message
    );
    assert_eq!(note.value.as_deref(), Some("Totaal"));
}

#[test]
fn several_footer_rows_and_a_label_less_sum() {
    let got = verdicts(vec![
        data(2, "10,00"),
        data(3, "20,50"),
        row(4, &["", "", "", "30,50"]),
        row(5, &["Subtotaal", "", "", "30,50"]),
        row(6, &["", "", "", "=SUM(D2:D3)"]),
    ]);
    assert_eq!(
        got,
        [
            (2, vec![]),
            (3, vec![]),
            (4, vec![FOOTER]),
            (5, vec![FOOTER]),
            (6, vec![FOOTER])
        ]
    );
}

#[test]
fn a_total_in_the_middle_is_a_rejected_subtotal() {
    let got = verdicts(vec![
        data(2, "1000"),
        row(3, &["Subtotaal", "", "", "1000"]),
        row(4, &["", "", "", ""]),
        data(5, "2000"),
        data(6, "500"),
        row(7, &["Totaal", "", "", "2500"]),
    ]);
    assert_eq!(
        got,
        [
            (2, vec![]),
            (3, vec![SUBTOTAL]),
            (4, vec![]),
            (5, vec![]),
            (6, vec![]),
            (7, vec![FOOTER])
        ]
    );
}

#[test]
fn a_label_less_number_row_that_is_no_sum_is_data() {
    // One row above is no evidence; a number that is not the sum is none either.
    assert_eq!(
        verdicts(vec![data(2, "1000"), row(3, &["", "", "", "1000"])]),
        [(2, vec![]), (3, vec![])]
    );
    assert_eq!(
        verdicts(vec![
            data(2, "1000"),
            data(3, "1000"),
            row(4, &["", "", "", "1999"])
        ]),
        [(2, vec![]), (3, vec![]), (4, vec![])]
    );
}

#[test]
fn debtors_are_never_footers() {
    // A label beside an identifier: a debtor named "Total".
    assert_eq!(
        verdicts(vec![data(2, "1"), row(3, &["K-3", "Total", "", "100"])]),
        [(2, vec![]), (3, vec![])]
    );
    // A label in the identifier column with a phone: delivered, with a warning.
    assert_eq!(
        verdicts(vec![
            data(2, "1"),
            row(3, &["Totaal", "", "0612345678", "100"])
        ]),
        [(2, vec![]), (3, vec![KEPT])]
    );
    // A full row whose name starts with a total word is no candidate at all.
    assert_eq!(
        verdicts(vec![row(
            2,
            &["K-2", "Total Energies", "0612345678", "100"]
        )]),
        [(2, vec![])]
    );
    // Two texts besides the label: not mostly empty.
    assert_eq!(
        verdicts(vec![
            data(2, "1"),
            row(3, &["", "Totaal", "Jansen", "Delft"])
        ]),
        [(2, vec![]), (3, vec![])]
    );
}

#[test]
fn broken_rows_end_a_run() {
    let broken = (
        RowResult::Broken {
            row: 4,
            line: Some(4),
            code: "row.ragged",
            message: "x".into(),
            value: None,
        },
        Vec::new(),
    );
    assert_eq!(
        verdicts(vec![data(2, "1"), row(3, &["Totaal", "", "", "1"]), broken]),
        [(2, vec![]), (3, vec![SUBTOTAL]), (4, vec![])]
    );
}

#[test]
fn a_long_run_of_totals_is_not_held_and_is_no_footer() {
    // A file of total-looking rows must not be held in memory, and is not a footer.
    let mut rows = vec![data(2, "1")];
    rows.extend((3..2000).map(|n| row(n, &["Totaal", "", "", "1"])));
    let got = verdicts(rows);
    assert_eq!(got.len(), 1998);
    assert!(
        got[1..].iter().all(|(_, codes)| codes == &[SUBTOTAL]),
        "{:?}",
        &got[1990..]
    );
    // Bytes bound the run too: a few huge candidates.
    let big = "9".repeat(MAX_HELD_BYTES / 3);
    let mut rows = vec![data(2, "1")];
    rows.extend((3..8).map(|n| row(n, &["Totaal", "", "", &big])));
    let got = verdicts(rows);
    assert!(
        got[1..].iter().all(|(_, codes)| codes == &[SUBTOTAL]),
        "{got:?}"
    );
}

#[test]
fn a_sheet_with_only_a_total_has_it_as_footer() {
    // Nothing above: still a total below no data (a sheet with just the footer).
    assert_eq!(
        verdicts(vec![row(2, &["Totaal", "", "", "0"])]),
        [(2, vec![FOOTER])]
    );
}

#[test]
fn number_cells_sum_like_a_spreadsheet() {
    let num = |n: u64, id: &str, v: Cell| {
        (
            RowResult::Row(Row {
                row: n,
                line: None,
                cells: vec![text(id), Cell::Empty, Cell::Empty, v],
            }),
            Vec::new(),
        )
    };
    let got = verdicts(vec![
        num(2, "K-2", Cell::Int(1000)),
        num(3, "K-3", Cell::Float(20.5)),
        num(4, "", Cell::Float(1020.5)),
    ]);
    assert_eq!(got, [(2, vec![]), (3, vec![]), (4, vec![FOOTER])]);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn any_row() -> impl Strategy<Value = Vec<String>> {
        let cell = prop::sample::select(vec![
            "",
            "",
            "Totaal",
            "Som",
            "K-1",
            "Jansen",
            "0612345678",
            "1000",
            "=SUM(D2:D3)",
            "2000",
            "12,50",
        ]);
        prop::collection::vec(cell.prop_map(String::from), 4)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// Every row comes out once, in order, with at most one verdict; footers only in the
        /// trailing run, never on a row with an identifier and a phone.
        #[test]
        fn every_row_comes_out_once_in_order(rows in prop::collection::vec(any_row(), 0..200)) {
            let items: Vec<Item> = rows
                .iter()
                .enumerate()
                .map(|(i, cells)| {
                    let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
                    row(i as u64 + 2, &cells)
                })
                .collect();
            let mut f = Footers::new(roles());
            let mut out = Vec::new();
            for item in items.clone() {
                f.push(item, None, &mut out);
                prop_assert!(f.held.len() <= MAX_HELD_ROWS);
            }
            f.finish(&mut out);
            prop_assert_eq!(out.len(), items.len());
            let mut seen_footer = false;
            for ((got, notes), (want, _)) in out.iter().zip(&items) {
                prop_assert_eq!(got, want);
                prop_assert!(notes.len() <= 1);
                let footer = notes.iter().any(is_footer);
                let RowResult::Row(r) = got else { unreachable!() };
                if footer {
                    seen_footer = true;
                    prop_assert!(r.cells[0].is_blank() || r.cells[2].is_blank());
                } else if seen_footer {
                    // After the first footer row only blank rows and footer rows follow.
                    prop_assert!(r.is_blank(), "{:?}", r);
                }
            }
        }
    }
}

#[test]
fn a_label_less_sum_written_with_a_currency_code_is_a_footer() {
    // The code comes first, as a letter: the row is still a number row, not text.
    let got = verdicts(vec![
        data(2, "10,00"),
        data(3, "20,50"),
        row(4, &["", "", "", "EUR 30,50"]),
        row(5, &["", "", "", "USD 30,50"]),
    ]);
    assert_eq!(
        got,
        [
            (2, vec![]),
            (3, vec![]),
            (4, vec![FOOTER]),
            (5, vec![FOOTER])
        ]
    );
}

#[test]
fn a_profiled_row_is_judged_as_the_export_wrote_it() {
    // The export: NR;NAAM;TELEFOON;BEDRAG. A profile delivers NAAM, TELEFOON, BEDRAG and an
    // identifier `{NR}-{date}`: its columns are made from the export's 1, 2, 3 and 0.
    let header: Vec<String> = ["NR", "NAAM", "TELEFOON", "BEDRAG"]
        .map(String::from)
        .to_vec();
    let origins = [vec![1], vec![2], vec![3], vec![0]];
    let profiled = Roles {
        columns: 4,
        identifiers: vec![3],
        contacts: vec![1],
        amounts: vec![(2, "INVOICE_AMOUNT".into())],
    };
    let roles = profiled.clone().through(&origins, &header);
    assert_eq!(roles.columns, 4);
    assert_eq!(roles.identifiers, [0]);
    assert_eq!(roles.contacts, [2]);
    assert_eq!(roles.amounts, [(3, "BEDRAG".to_string())]);

    // The total's label is in NR, so the template made `Totaal-20250314` of it.
    let written = |n: u64, cells: &[&str]| row(n, cells).0;
    let rows = [
        (
            row(2, &["Jansen", "0612345678", "1000", "K-2-20250314"]),
            written(2, &["K-2", "Jansen", "0612345678", "1000"]),
        ),
        (
            row(3, &["Smit", "0612345679", "2000", "K-3-20250314"]),
            written(3, &["K-3", "Smit", "0612345679", "2000"]),
        ),
        (
            row(4, &["", "", "3000", "Totaal-20250314"]),
            written(4, &["Totaal", "", "", "3000"]),
        ),
    ];
    let judge = |roles: Roles, with_written: bool| {
        let mut f = Footers::new(roles);
        let mut out = Vec::new();
        for (item, w) in rows.clone() {
            let RowResult::Row(w) = w else { unreachable!() };
            f.push(item, with_written.then_some(&w), &mut out);
        }
        f.finish(&mut out);
        out.into_iter()
            .map(|(_, notes)| notes.iter().map(|n| n.code).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    };
    // On the export's row: a footer, its 3000 the sum of BEDRAG above.
    let none: Vec<&str> = Vec::new();
    assert_eq!(
        judge(roles, true),
        [none.clone(), none.clone(), vec![FOOTER]]
    );
    // On the profile's cells the made identifier hid the label: read as a debtor.
    assert_eq!(judge(profiled, false), [none.clone(), none.clone(), none]);
}

#[test]
fn numbers_a_sheet_shows_with_decimals_are_numbers() {
    // QuickBooks: `TOTAL` and two amounts formatted `#,##0.00` (an invoice total beside the
    // open balance). Formatted numbers are no text, and their sum is recognised.
    let money = |n: f64| Cell::Formatted {
        number: n,
        format: "#,##0.00".into(),
    };
    let line = |n: u64, cells: Vec<Cell>| -> Item {
        (
            RowResult::Row(Row {
                row: n,
                line: None,
                cells,
            }),
            Vec::new(),
        )
    };
    let debtor = |n: u64, amount: f64| {
        line(
            n,
            vec![
                text(&format!("K-{n}")),
                text("Jansen"),
                text("0612345678"),
                money(amount),
            ],
        )
    };
    let total = line(4, vec![text(""), text("TOTAL"), money(31.5), money(30.25)]);
    let sum = line(4, vec![Cell::Empty, Cell::Empty, Cell::Empty, money(30.25)]);
    assert_eq!(
        verdicts(vec![debtor(2, 10.0), debtor(3, 20.25), total]),
        [(2, vec![]), (3, vec![]), (4, vec![FOOTER])]
    );
    assert_eq!(
        verdicts(vec![debtor(2, 10.0), debtor(3, 20.25), sum]),
        [(2, vec![]), (3, vec![]), (4, vec![FOOTER])]
    );
}
