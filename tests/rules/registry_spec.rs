//! The field registry, row by row, against the specification's field table
//! (tests/data/spec-delivery-fields.csv, a copy of the checked table of the integration guide).

use collectmaxx::registry::{Service, FIELDS};

#[test]
fn registry_matches_the_specification_table() {
    let text = include_str!("../data/spec-delivery-fields.csv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(';').collect();
    assert_eq!(
        &header[..6],
        [
            "field",
            "category",
            "type",
            "max_chars",
            "occurrences",
            "api_name"
        ]
    );
    let services: Vec<Service> = header[6..]
        .iter()
        .map(|h| Service::parse(h).unwrap())
        .collect();
    let rows: Vec<Vec<&str>> = lines
        .filter(|l| !l.is_empty())
        .map(|l| l.split(';').collect())
        .collect();
    assert_eq!(
        rows.len(),
        FIELDS.len(),
        "the registry and the specification list a different number of fields"
    );
    for (row, field) in rows.iter().zip(FIELDS) {
        assert_eq!(row[0], field.name, "field order or name");
        assert_eq!(row[1], field.category, "{}: category", field.name);
        assert_eq!(row[2], field.kind.spec_name(), "{}: type", field.name);
        let max: Option<usize> = (!row[3].is_empty()).then(|| row[3].parse().unwrap());
        assert_eq!(max, field.max_chars, "{}: max_chars", field.name);
        assert_eq!(
            row[4].parse::<u8>().unwrap(),
            field.occurrences,
            "{}: occurrences",
            field.name
        );
        let api = (!row[5].is_empty()).then_some(row[5]);
        assert_eq!(api, field.api_name, "{}: api_name", field.name);
        for (svc, cell) in services.iter().zip(&row[6..]) {
            let required = match *cell {
                "yes" => true,
                "opt" => false,
                other => panic!("{}: unexpected matrix cell {other}", field.name),
            };
            assert_eq!(
                required,
                field.required_by.contains(*svc),
                "{}: required by {svc}",
                field.name
            );
        }
    }
}
