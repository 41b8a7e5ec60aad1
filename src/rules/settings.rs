//! What the rules need to know about the run, shared by the pipeline and the record checks.

use chrono::NaiveDate;

use crate::registry::{Services, Slot};
use crate::rules::amount::AmountUnit;
use crate::rules::date::DateOrder;
use crate::rules::phone::Country;
use crate::rules::units::ColumnUnits;

/// Everything the rules need to know about the run.
#[derive(Debug, Clone)]
pub struct RuleSettings {
    pub services: Services,
    pub default_country: Country,
    pub date_order: DateOrder,
    /// True when `--date-order` (or the config file) chose the order: date columns are then
    /// read in it whatever their values show; otherwise each is judged (see
    /// [`crate::rules::order`]).
    pub date_order_given: bool,
    /// The unit of amount columns without a unit of their own in `column_units`: the
    /// `--amounts` choice, else minor units.
    pub amounts: AmountUnit,
    /// True when `--amounts` (or the config file) chose the unit: it then holds for every
    /// column, whatever the cells show.
    pub amounts_given: bool,
    /// The unit the run decided for some amount columns of the input being checked (see
    /// [`crate::rules::units`]).
    pub column_units: ColumnUnits,
    /// The run date: due dates must lie after it.
    pub today: NaiveDate,
    /// Constant values for fields the export lacks (`--set FIELD=VALUE`), used where a row has
    /// no value of its own.
    pub constants: Vec<(Slot, String)>,
    /// List fixes as issues. When false (the CLI's default: a million-row export has millions
    /// of fixes) fixes are only counted, by code, in [`Checked::fixes`].
    pub list_fixes: bool,
    /// `--redact`: messages quote the values of personal fields masked (see [`shown`]).
    pub redact: bool,
}

impl RuleSettings {
    pub fn new(today: NaiveDate) -> RuleSettings {
        RuleSettings {
            services: Services::NONE,
            default_country: Country::NL,
            date_order: DateOrder::Dmy,
            date_order_given: false,
            amounts: AmountUnit::Minor,
            amounts_given: false,
            column_units: ColumnUnits::default(),
            today,
            constants: Vec::new(),
            list_fixes: true,
            redact: false,
        }
    }
}
