//! The benchmark generator (examples/gen) must write columns and phones the tool accepts, or the
//! benchmarks measure rejections instead of the normal path.

#[allow(dead_code)]
#[path = "../../examples/gen/data.rs"]
mod data;

use collectmaxx::rules::phone::{normalize_phone, Country};
use data::{GenPhone, PhoneKind, Rng};

#[test]
fn every_generated_phone_form_normalizes_to_its_e164_digits() {
    let mut rng = Rng::new(1);
    let mut checked = 0;
    for kind in PhoneKind::ALL {
        for _ in 0..400 {
            let phone = GenPhone::draw(&mut rng, kind);
            let e164 = phone.e164();
            let mut forms = phone.forms();
            forms.push(e164.clone());
            for form in forms {
                let out = normalize_phone(&form, Country::NL);
                let digits = out.value.as_ref().map(|p| p.digits().to_string());
                assert_eq!(
                    digits.as_deref(),
                    Some(e164.as_str()),
                    "{kind:?} written as '{form}': {:?}",
                    out.notes
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 10_000);
}

#[test]
fn clean_e164_digits_need_no_fix() {
    let mut rng = Rng::new(2);
    for kind in PhoneKind::ALL {
        for _ in 0..200 {
            let e164 = GenPhone::draw(&mut rng, kind).e164();
            let out = normalize_phone(&e164, Country::NL);
            assert!(out.notes.is_empty(), "{e164}: {:?}", out.notes);
        }
    }
}

#[test]
fn mobiles_are_mobiles() {
    let mut rng = Rng::new(3);
    for kind in [
        PhoneKind::NlMobile,
        PhoneKind::BeMobile,
        PhoneKind::DeMobile,
    ] {
        for _ in 0..200 {
            let e164 = GenPhone::draw(&mut rng, kind).e164();
            let phone = normalize_phone(&e164, Country::NL).value;
            assert_eq!(phone.and_then(|p| p.is_mobile()), Some(true), "{e164}");
        }
    }
}

#[test]
fn the_generator_is_deterministic_by_seed() {
    let draw = |seed| {
        let mut rng = Rng::new(seed);
        (0..50)
            .map(|_| GenPhone::draw(&mut rng, PhoneKind::DeMobile).e164())
            .collect::<Vec<_>>()
    };
    assert_eq!(draw(9), draw(9));
    assert_ne!(draw(9), draw(10));
}

#[test]
fn generated_columns_are_distinct_delivery_columns() {
    use collectmaxx::registry::Slot;
    let mut slots: Vec<Slot> = data::COLUMNS
        .iter()
        .map(|c| Slot::by_column(c).unwrap_or_else(|| panic!("{c} is not a delivery column")))
        .collect();
    slots.sort();
    slots.dedup();
    assert_eq!(slots.len(), data::COLUMNS.len());
}
