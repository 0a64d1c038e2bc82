//! Health check-ins for the demo: of the people under observation, one reported a fever
//! with a cough, one is well, the others have not checked in yet today.

use super::Community;
use crate::db::{self, Tx};
use anyhow::Context;
use shouwang_api::health::{CheckInInput, Symptom};

pub async fn seed(tx: &mut Tx, demo: &Community) -> anyhow::Result<()> {
    // Demo households have no accounts: their grid worker took these by phone.
    let worker = demo.account("wangli").context("the demo grid worker")?;
    let today = demo.today;
    let people = db::health::people_under_observation(tx, today).await?;
    let fever = CheckInInput {
        member_id: 0,
        all_well: false,
        temperature: Some(38.1),
        symptoms: vec![Symptom::Cough],
        note: Some("夜里咳嗽".into()),
    };
    for (person, input) in people.iter().zip([fever, CheckInInput::all_well(0)]) {
        let input = CheckInInput {
            member_id: person.member_id,
            ..input
        };
        let valid = input
            .validate()
            .map_err(|e| anyhow::anyhow!("demo check-in: {e}"))?;
        db::health::upsert_check_in(tx, person, &valid, today, worker, demo.now).await?;
    }
    Ok(())
}
