//! Medicine runs (代配药): a chronic patient in a sealed building asks for their regular
//! prescription; a volunteer takes the 医保卡 and 病历本 to the hospital, brings back the
//! medicine, photographs the bag at the pharmacy, and gives the cards back.
//!
//! A medicine run is a supply request of kind `prescription` (the same states, assignment,
//! pickup code and history) with what is needed, line by line, and the items in the
//! volunteer's custody. Each hand-over is confirmed by both sides: the volunteer in the
//! app, the resident in the app or by giving the volunteer their pickup code at the door.
//! The card's number is never asked for and never stored.

use crate::check::{Checks, all, first};
use crate::error::{ErrorCode, FieldError};
use crate::personal::Phone;
use crate::supplies::{PICKUP_CODE_LEN, RequestState, Urgency};
use crate::text::{optional_line, parse_mobile, required_line};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// At most this many medicines in one request.
pub const LINES_MAX: usize = 10;
pub const DRUG_MAX: usize = 60;
pub const DOSE_MAX: usize = 40;
pub const QUANTITY_MAX: usize = 20;
pub const HOSPITAL_MAX: usize = 60;
pub const NOTE_MAX: usize = 300;
/// A card or record book not back with the resident this long after it was handed over is
/// overdue, and the grid's staff are told.
pub const CUSTODY_LIMIT_HOURS: i64 = 48;
/// A run of this many digits in a medicine request looks like a card number: refused.
/// (Doses and quantities are short numbers; a 医保卡 number is 10 digits or more.)
pub const CARD_NUMBER_DIGITS: usize = 8;

/// What the volunteer carries for the resident (代为保管).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum CustodyItemKind {
    /// 医保卡 (medical insurance card).
    InsuranceCard,
    /// 病历本 (the patient's record book).
    RecordBook,
    /// 处方单 (a paper prescription).
    Prescription,
}

impl CustodyItemKind {
    pub const ALL: [CustodyItemKind; 3] = [
        CustodyItemKind::InsuranceCard,
        CustodyItemKind::RecordBook,
        CustodyItemKind::Prescription,
    ];
}

/// Where an item is, derived from the four confirmations (see [`CustodyMarks::state`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CustodyState {
    /// Still with the resident.
    WithResident,
    /// One side confirmed the hand-over to the volunteer; the other has not yet.
    HandingOver,
    /// Both confirmed: the volunteer holds it.
    Held,
    /// One side confirmed the return; the other has not yet.
    Returning,
    /// Both confirmed: back with the resident.
    Returned,
}

impl CustodyState {
    /// Out of the resident's hands (counts towards the time limit).
    pub fn is_out(self) -> bool {
        matches!(
            self,
            CustodyState::HandingOver | CustodyState::Held | CustodyState::Returning
        )
    }
}

/// A hand-over: the item goes to the volunteer (`take`) or back to the resident (`return`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CustodyStep {
    Take,
    Return,
}

/// Which side of a hand-over confirms: the volunteer carrying the run, or the resident
/// (in the app, or staff at the door on their behalf).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CustodySide {
    Volunteer,
    Resident,
}

/// The four confirmations of one item, when each was given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustodyMarks {
    pub volunteer_took_at: Option<DateTime<Utc>>,
    pub resident_gave_at: Option<DateTime<Utc>>,
    pub volunteer_returned_at: Option<DateTime<Utc>>,
    pub resident_got_back_at: Option<DateTime<Utc>>,
}

/// Why a confirmation is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustodyRefusal {
    /// This side already confirmed this step.
    AlreadyConfirmed,
    /// A return before both confirmed the hand-over.
    NotHeld,
}

impl CustodyMarks {
    pub fn state(&self) -> CustodyState {
        let took = self.volunteer_took_at.is_some() && self.resident_gave_at.is_some();
        let back = self.volunteer_returned_at.is_some() && self.resident_got_back_at.is_some();
        let returning = self.volunteer_returned_at.is_some() || self.resident_got_back_at.is_some();
        let taking = self.volunteer_took_at.is_some() || self.resident_gave_at.is_some();
        match (took, back, returning, taking) {
            (true, true, _, _) => CustodyState::Returned,
            (true, false, true, _) => CustodyState::Returning,
            (true, false, false, _) => CustodyState::Held,
            (false, _, _, true) => CustodyState::HandingOver,
            _ => CustodyState::WithResident,
        }
    }

    /// When the item first left the resident's hands.
    pub fn out_since(&self) -> Option<DateTime<Utc>> {
        match (self.volunteer_took_at, self.resident_gave_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// When it is due back: the time limit after it left the resident's hands.
    pub fn due_back_at(&self) -> Option<DateTime<Utc>> {
        self.out_since()
            .map(|since| since + Duration::hours(CUSTODY_LIMIT_HOURS))
    }

    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.state().is_out() && self.due_back_at().is_some_and(|due| now > due)
    }

    /// The marks after `side` confirms `step` at `now`. With `both` (the volunteer gave the
    /// resident's pickup code) the resident's side is confirmed at the same time.
    pub fn confirm(
        &self,
        step: CustodyStep,
        side: CustodySide,
        both: bool,
        now: DateTime<Utc>,
    ) -> Result<CustodyMarks, CustodyRefusal> {
        let mut next = *self;
        let (volunteer, resident) = match step {
            CustodyStep::Take => (&mut next.volunteer_took_at, &mut next.resident_gave_at),
            CustodyStep::Return => {
                if !matches!(self.state(), CustodyState::Held | CustodyState::Returning) {
                    return Err(CustodyRefusal::NotHeld);
                }
                (
                    &mut next.volunteer_returned_at,
                    &mut next.resident_got_back_at,
                )
            }
        };
        let (own, other) = match side {
            CustodySide::Volunteer => (volunteer, resident),
            CustodySide::Resident => (resident, volunteer),
        };
        if own.is_some() {
            return Err(CustodyRefusal::AlreadyConfirmed);
        }
        *own = Some(now);
        if both && other.is_none() {
            *other = Some(now);
        }
        Ok(next)
    }
}

/// One medicine as the resident asks for it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MedicineLineInput {
    /// 药品名称, e.g. 硝苯地平缓释片.
    pub drug: String,
    /// 规格/用量, e.g. 30mg.
    #[serde(default)]
    pub dose: Option<String>,
    /// 数量, e.g. 2盒.
    pub quantity: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidLine {
    pub drug: String,
    pub dose: Option<String>,
    pub quantity: String,
}

/// `POST /api/medicine/requests`: a resident asks for their regular medicine.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MedicineRequestInput {
    pub lines: Vec<MedicineLineInput>,
    /// 常去医院: where the prescription is usually filled.
    pub hospital: String,
    /// What the resident will hand to the volunteer (医保卡, 病历本, 处方单).
    #[serde(default)]
    pub handed_over: Vec<CustodyItemKind>,
    #[serde(default)]
    pub urgency: Urgency,
    #[serde(default)]
    pub notes: Option<String>,
    /// Whom the volunteer calls; the account's phone when absent.
    #[serde(default)]
    pub contact_phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMedicineRequest {
    pub lines: Vec<ValidLine>,
    pub hospital: String,
    /// Without repeats, in a fixed order.
    pub handed_over: Vec<CustodyItemKind>,
    pub urgency: Urgency,
    pub notes: Option<String>,
    pub contact_phone: Option<Phone>,
}

impl ValidMedicineRequest {
    /// The request's one-line summary, kept as the supply request's `items` so the
    /// dashboard and the volunteer's list read it like any other request.
    pub fn summary(&self) -> String {
        let lines: Vec<String> = self
            .lines
            .iter()
            .map(|l| match &l.dose {
                Some(dose) => format!("{} {} ×{}", l.drug, dose, l.quantity),
                None => format!("{} ×{}", l.drug, l.quantity),
            })
            .collect();
        format!("{}（{}）", lines.join("；"), self.hospital)
    }
}

/// Refuses a text holding what looks like a card number.
fn no_card_number(field: &'static str, value: &str) -> Result<(), FieldError> {
    let mut run = 0;
    for c in value.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        if run >= CARD_NUMBER_DIGITS {
            return Err(FieldError::new(field, ErrorCode::CardNumberNotStored));
        }
    }
    Ok(())
}

fn line_of(field: &'static str, value: &str, max: usize) -> Result<String, FieldError> {
    let text = required_line(field, value, max)?;
    no_card_number(field, &text)?;
    Ok(text)
}

impl MedicineLineInput {
    fn check(&self, c: &mut Checks) -> Option<ValidLine> {
        let drug = c.check(line_of("drug", &self.drug, DRUG_MAX));
        let dose = c.check(
            optional_line("dose", self.dose.as_deref(), DOSE_MAX).and_then(|dose| {
                if let Some(d) = &dose {
                    no_card_number("dose", d)?;
                }
                Ok(dose)
            }),
        );
        let quantity = c.check(line_of("quantity", &self.quantity, QUANTITY_MAX));
        Some(ValidLine {
            drug: drug?,
            dose: dose?,
            quantity: quantity?,
        })
    }
}

impl MedicineRequestInput {
    pub fn validate(&self) -> Result<ValidMedicineRequest, FieldError> {
        first(self.check())
    }

    /// Every refused field, for the form.
    pub fn errors(&self) -> Vec<FieldError> {
        all(self.check())
    }

    fn check(&self) -> Result<ValidMedicineRequest, Vec<FieldError>> {
        let mut c = Checks::default();
        if self.lines.is_empty() {
            c.refuse("lines", ErrorCode::Required);
        } else if self.lines.len() > LINES_MAX {
            c.check::<()>(Err(FieldError::with_limit(
                "lines",
                ErrorCode::TooLong,
                LINES_MAX,
            )));
        }
        let lines: Vec<Option<ValidLine>> = self
            .lines
            .iter()
            .take(LINES_MAX)
            .map(|l| l.check(&mut c))
            .collect();
        let hospital = c.check(line_of("hospital", &self.hospital, HOSPITAL_MAX));
        let notes = c.check(
            optional_line("notes", self.notes.as_deref(), NOTE_MAX).and_then(|notes| {
                if let Some(n) = &notes {
                    no_card_number("notes", n)?;
                }
                Ok(notes)
            }),
        );
        let contact_phone = c.check(match self.contact_phone.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(phone) => parse_mobile("contact_phone", phone).map(Some),
        });
        let mut handed_over = self.handed_over.clone();
        handed_over.sort_unstable();
        handed_over.dedup();
        c.finish(|| {
            Some(ValidMedicineRequest {
                lines: lines.into_iter().collect::<Option<Vec<_>>>()?,
                hospital: hospital?,
                handed_over,
                urgency: self.urgency,
                notes: notes?,
                contact_phone: contact_phone?,
            })
        })
    }
}

/// `POST /api/medicine/requests/{id}/custody`: one side confirms a hand-over of one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustodyInput {
    pub item_id: i64,
    pub step: CustodyStep,
    /// The volunteer at the door: the resident's pickup code, which confirms the
    /// resident's side too (for a resident without the app).
    #[serde(default)]
    pub pickup_code: Option<String>,
}

impl CustodyInput {
    /// The pickup code, trimmed, when one was given; refused when malformed.
    pub fn validate(&self) -> Result<Option<String>, FieldError> {
        match self.pickup_code.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(code)
                if code.len() == PICKUP_CODE_LEN && code.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Ok(Some(code.to_owned()))
            }
            Some(_) => Err(FieldError::new("pickup_code", ErrorCode::InvalidValue)),
        }
    }
}

/// What arrived of one medicine, as the resident checks it against the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sqlx",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "snake_case")
)]
pub enum Arrival {
    /// 齐全.
    Complete,
    /// 不全 (fewer, or a different strength).
    Partial,
    /// 没有.
    Missing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineCheck {
    pub line_id: i64,
    pub arrival: Arrival,
}

/// `POST /api/medicine/requests/{id}/arrival`: the resident checks what arrived, every
/// line, and so confirms the delivery. A line short or missing tells the grid's staff.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArrivalInput {
    pub lines: Vec<LineCheck>,
    /// What is wrong, in the resident's words; required when a line is not complete.
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidArrival {
    pub lines: Vec<LineCheck>,
    pub note: Option<String>,
}

impl ValidArrival {
    pub fn all_complete(&self) -> bool {
        self.lines.iter().all(|l| l.arrival == Arrival::Complete)
    }
}

impl ArrivalInput {
    /// `line_ids` are the request's lines: each must be checked exactly once.
    pub fn validate(&self, line_ids: &[i64]) -> Result<ValidArrival, FieldError> {
        let note = optional_line("note", self.note.as_deref(), NOTE_MAX)?;
        let mut checked: Vec<i64> = self.lines.iter().map(|l| l.line_id).collect();
        checked.sort_unstable();
        let mut expected = line_ids.to_vec();
        expected.sort_unstable();
        if checked != expected {
            return Err(FieldError::new("lines", ErrorCode::InvalidValue));
        }
        let valid = ValidArrival {
            lines: self.lines.clone(),
            note,
        };
        if !valid.all_complete() && valid.note.is_none() {
            return Err(FieldError::new("note", ErrorCode::Required));
        }
        Ok(valid)
    }
}

/// One medicine of a run, with what arrived once the resident checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MedicineLine {
    pub id: i64,
    pub drug: String,
    pub dose: Option<String>,
    pub quantity: String,
    pub arrival: Option<Arrival>,
}

/// One item in custody and where it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustodyItem {
    pub id: i64,
    pub kind: CustodyItemKind,
    pub state: CustodyState,
    #[serde(flatten)]
    pub marks: CustodyMarks,
    /// The volunteer who took it (and has to give it back).
    pub holder_name: Option<String>,
    pub due_back_at: Option<DateTime<Utc>>,
    /// Out of the resident's hands past the time limit.
    pub overdue: bool,
}

/// The photo of the medicine bag the volunteer took at the pharmacy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BagPhoto {
    pub taken_at: DateTime<Utc>,
    pub width: u32,
    pub height: u32,
}

/// A medicine run: to the resident who asked, the assigned volunteer and the grid's staff
/// (404 to anyone else). The request itself (state, address, pickup code or masked phone)
/// is read as a supply request or a delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MedicineRun {
    pub request_id: i64,
    pub state: RequestState,
    pub hospital: String,
    pub lines: Vec<MedicineLine>,
    pub custody: Vec<CustodyItem>,
    pub bag_photo: Option<BagPhoto>,
    /// When the resident checked what arrived, and what they said was wrong.
    pub arrival_checked_at: Option<DateTime<Utc>>,
    pub arrival_note: Option<String>,
    /// What the caller may confirm now, so the app shows only the buttons that work.
    pub may_confirm_as: Option<CustodySide>,
}

/// An item out of a resident's hands, for the grid's staff: overdue first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustodyOut {
    pub request_id: i64,
    /// 1号楼 2单元 301.
    pub address: String,
    pub item: CustodyItem,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, hour, 0, 0).unwrap()
    }

    fn line(drug: &str, quantity: &str) -> MedicineLineInput {
        MedicineLineInput {
            drug: drug.into(),
            dose: None,
            quantity: quantity.into(),
        }
    }

    fn request() -> MedicineRequestInput {
        MedicineRequestInput {
            lines: vec![line("硝苯地平缓释片", "2盒")],
            hospital: "区中心医院".into(),
            handed_over: vec![
                CustodyItemKind::RecordBook,
                CustodyItemKind::InsuranceCard,
                CustodyItemKind::RecordBook,
            ],
            ..MedicineRequestInput::default()
        }
    }

    #[test]
    fn a_card_goes_out_and_comes_back_only_when_both_sides_confirm() {
        use CustodySide::{Resident, Volunteer};
        use CustodyStep::{Return, Take};
        let marks = CustodyMarks::default();
        assert_eq!(marks.state(), CustodyState::WithResident);
        let marks = marks.confirm(Take, Volunteer, false, at(8)).unwrap();
        assert_eq!(marks.state(), CustodyState::HandingOver);
        assert_eq!(
            marks.confirm(Return, Volunteer, false, at(9)),
            Err(CustodyRefusal::NotHeld)
        );
        assert_eq!(
            marks.confirm(Take, Volunteer, false, at(9)),
            Err(CustodyRefusal::AlreadyConfirmed)
        );
        let marks = marks.confirm(Take, Resident, false, at(9)).unwrap();
        assert_eq!(marks.state(), CustodyState::Held);
        assert_eq!(marks.out_since(), Some(at(8)));
        let marks = marks.confirm(Return, Resident, false, at(10)).unwrap();
        assert_eq!(marks.state(), CustodyState::Returning);
        let marks = marks.confirm(Return, Volunteer, false, at(11)).unwrap();
        assert_eq!(marks.state(), CustodyState::Returned);
        assert!(!marks.is_overdue(at(8) + Duration::days(30)));
    }

    #[test]
    fn the_resident_s_code_confirms_both_sides_at_once() {
        let marks = CustodyMarks::default()
            .confirm(CustodyStep::Take, CustodySide::Volunteer, true, at(8))
            .unwrap();
        assert_eq!(marks.state(), CustodyState::Held);
        let marks = marks
            .confirm(CustodyStep::Return, CustodySide::Volunteer, true, at(9))
            .unwrap();
        assert_eq!(marks.state(), CustodyState::Returned);
    }

    #[test]
    fn an_item_out_past_the_limit_is_overdue() {
        let marks = CustodyMarks::default()
            .confirm(CustodyStep::Take, CustodySide::Resident, false, at(8))
            .unwrap();
        let due = at(8) + Duration::hours(CUSTODY_LIMIT_HOURS);
        assert_eq!(marks.due_back_at(), Some(due));
        assert!(!marks.is_overdue(due));
        assert!(marks.is_overdue(due + Duration::seconds(1)));
        assert!(!CustodyMarks::default().is_overdue(due + Duration::days(9)));
    }

    #[test]
    fn a_request_names_each_missing_field_and_keeps_items_once() {
        let valid = request().validate().unwrap();
        assert_eq!(
            valid.handed_over,
            vec![CustodyItemKind::InsuranceCard, CustodyItemKind::RecordBook]
        );
        assert_eq!(valid.summary(), "硝苯地平缓释片 ×2盒（区中心医院）");
        let mut r = request();
        r.lines.clear();
        assert_eq!(r.validate().unwrap_err().field, "lines");
        let mut r = request();
        r.lines.push(line(" ", ""));
        r.hospital = String::new();
        let fields: Vec<&str> = r.errors().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["drug", "quantity", "hospital"]);
        let mut r = request();
        r.lines = (0..=LINES_MAX).map(|_| line("药", "1盒")).collect();
        assert_eq!(r.validate().unwrap_err().code, ErrorCode::TooLong);
    }

    #[test]
    fn a_card_number_is_refused_wherever_it_is_typed() {
        let mut r = request();
        r.notes = Some("医保卡号 1234567890123".into());
        let e = r.validate().unwrap_err();
        assert_eq!((e.field, e.code), ("notes", ErrorCode::CardNumberNotStored));
        let mut r = request();
        r.lines[0].dose = Some("卡 12345678".into());
        assert_eq!(r.validate().unwrap_err().field, "dose");
        let mut r = request();
        r.lines[0].dose = Some("1000mg".into());
        r.notes = Some("电话找家属 1391234".into());
        assert!(r.validate().is_ok());
    }

    #[test]
    fn an_arrival_check_covers_every_line_once_and_explains_a_shortfall() {
        let complete = |id| LineCheck {
            line_id: id,
            arrival: Arrival::Complete,
        };
        let input = ArrivalInput {
            lines: vec![complete(2), complete(1)],
            note: None,
        };
        assert!(input.validate(&[1, 2]).unwrap().all_complete());
        assert_eq!(input.validate(&[1, 2, 3]).unwrap_err().field, "lines");
        let short = ArrivalInput {
            lines: vec![
                complete(1),
                LineCheck {
                    line_id: 2,
                    arrival: Arrival::Missing,
                },
            ],
            note: None,
        };
        assert_eq!(short.validate(&[1, 2]).unwrap_err().field, "note");
        let explained = ArrivalInput {
            note: Some("缺一盒".into()),
            ..short
        };
        assert!(!explained.validate(&[1, 2]).unwrap().all_complete());
    }

    #[test]
    fn a_custody_code_must_be_six_digits() {
        let mut input = CustodyInput {
            item_id: 1,
            step: CustodyStep::Take,
            pickup_code: None,
        };
        assert_eq!(input.validate(), Ok(None));
        input.pickup_code = Some(" 123456 ".into());
        assert_eq!(input.validate(), Ok(Some("123456".into())));
        input.pickup_code = Some("12345".into());
        assert_eq!(input.validate().unwrap_err().field, "pickup_code");
    }
}
