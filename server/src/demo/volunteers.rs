//! Demo volunteers and a week of shifts, some already taken, one with a waitlist.

use super::Community;
use crate::db::{self, Tx};
use crate::domain::shifts::{CommunityClock, occurrences};
use crate::domain::{passwords, sessions::random_password};
use anyhow::Context;
use chrono::{Duration, NaiveDate, NaiveTime};
use shouwang_api::auth::Role;
use shouwang_api::shifts::{PostType, Repeat, ShiftInput, SignupStatus};
use shouwang_api::volunteers::{
    AvailabilitySlot, DayPart, Training, TrainingRecord, VolunteerProfileInput, VolunteerStatus,
};

struct DemoVolunteer {
    phone: &'static str,
    name: &'static str,
    area: &'static str,
    skills: &'static [&'static str],
    trained: bool,
    approved: bool,
}

const fn volunteer(
    phone: &'static str,
    name: &'static str,
    area: &'static str,
    skills: &'static [&'static str],
    trained: bool,
    approved: bool,
) -> DemoVolunteer {
    DemoVolunteer {
        phone,
        name,
        area,
        skills,
        trained,
        approved,
    }
}

const VOLUNTEERS: [DemoVolunteer; 5] = [
    volunteer("13900000001", "陈静", "第一网格", &["medical"], true, true),
    volunteer(
        "13900000002",
        "刘洋",
        "第一网格",
        &["driving", "delivery"],
        true,
        true,
    ),
    volunteer(
        "13900000003",
        "孙悦",
        "第二网格",
        &["counselling"],
        true,
        true,
    ),
    volunteer(
        "13900000004",
        "周凯",
        "全社区",
        &["it", "language"],
        false,
        true,
    ),
    volunteer(
        "13900000005",
        "吴敏",
        "第三网格",
        &["delivery"],
        false,
        false,
    ),
];

pub async fn seed(tx: &mut Tx, community: &Community) -> anyhow::Result<()> {
    let staff = community
        .account("wangli")
        .context("the demo grid worker")?;
    let today = community.today;
    // Demo volunteers sign in only after a staff reset; their password is never shown.
    let hash = passwords::hash_blocking(&random_password())?;
    let mut ids = Vec::new();
    for DemoVolunteer {
        phone,
        name,
        area,
        skills,
        trained,
        approved,
    } in VOLUNTEERS
    {
        let profile = VolunteerProfileInput {
            name: name.into(),
            service_area: area.into(),
            skills: skills.iter().map(|s| (*s).to_owned()).collect(),
            availability: vec![
                AvailabilitySlot {
                    weekday: 6,
                    part: DayPart::Morning,
                },
                AvailabilitySlot {
                    weekday: 7,
                    part: DayPart::Afternoon,
                },
            ],
            trainings: if trained {
                vec![TrainingRecord {
                    training: Training::Prevention,
                    completed_on: NaiveDate::from_ymd_opt(2022, 4, 8).unwrap_or(today),
                }]
            } else {
                vec![]
            },
        }
        .validate()
        .map_err(|e| anyhow::anyhow!("demo volunteer: {e}"))?;
        let id = db::users::insert_in(tx, phone, name, Role::Volunteer, &hash, community.now)
            .await
            .context("creating demo volunteers")?;
        db::volunteers::insert(tx, id, phone, &profile, community.now).await?;
        if approved {
            db::volunteers::change_status(
                tx,
                id,
                VolunteerStatus::Pending,
                VolunteerStatus::Approved,
                community.now,
            )
            .await?;
            ids.push(id);
        }
    }

    let clock = CommunityClock::new(480);
    let tomorrow = clock.today(community.now) + Duration::days(1);
    let time = |h: u32| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN);
    let plans = [
        (PostType::Entrance, "东门", 7, 11, 2, None, None, 6),
        (
            PostType::Delivery,
            "物资集散点",
            14,
            17,
            2,
            Some("driving"),
            None,
            6,
        ),
        (
            PostType::TestingSite,
            "社区广场核酸采样点",
            8,
            12,
            3,
            None,
            Some(Training::Prevention),
            2,
        ),
        (
            PostType::CareVisit,
            "第二网格独居老人",
            15,
            17,
            1,
            None,
            None,
            0,
        ),
    ];
    let mut first_ids = Vec::new();
    for (post, place, start, end, capacity, skill, training, extra_days) in plans {
        let input = ShiftInput {
            post,
            post_custom: None,
            place: place.into(),
            date: tomorrow,
            start: time(start),
            end: time(end),
            capacity,
            required_skill: skill.map(str::to_owned),
            required_training: training,
            notes: Some("请提前十分钟到岗，佩戴口罩。".into()),
            repeat: if extra_days > 0 {
                Repeat::Daily
            } else {
                Repeat::Once
            },
            repeat_until: Some(tomorrow + Duration::days(extra_days)),
            // The testing site needs the most hands: open to the street's volunteer pool.
            open_to_street: post == PostType::TestingSite,
        };
        let shift = input
            .validate()
            .map_err(|e| anyhow::anyhow!("demo shift: {e}"))?;
        let mut created = Vec::new();
        for at in occurrences(&shift, clock) {
            created.push(db::shifts::insert(tx, &shift, at, None, staff, community.now).await?);
        }
        if created.len() > 1 {
            db::shifts::set_series(tx, &created, created[0]).await?;
        }
        first_ids.push(created[0]);
    }
    // Tomorrow's entrance shift is full with one in line; the care visit has one seat taken.
    if let [chen, liu, sun, ..] = ids[..] {
        let entrance = first_ids[0];
        db::shifts::insert_signup(tx, entrance, chen, SignupStatus::SignedUp, community.now)
            .await?;
        db::shifts::insert_signup(tx, entrance, liu, SignupStatus::SignedUp, community.now).await?;
        db::shifts::insert_signup(tx, entrance, sun, SignupStatus::Waitlisted, community.now)
            .await?;
        db::shifts::insert_signup(tx, first_ids[3], sun, SignupStatus::SignedUp, community.now)
            .await?;
    }
    Ok(())
}
