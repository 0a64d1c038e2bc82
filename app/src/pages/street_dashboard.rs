use crate::api;
use crate::components::error_banner::ErrorBanner;
use crate::components::link::A;
use crate::components::loading::Loading;
use crate::format;
use crate::i18n::*;
use leptos::either::EitherOf4;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shouwang_api::deployment::CommunityKind;
use shouwang_api::street::{CommunityFigures, StreetDashboard, attention, by_attention, percent};
use shouwang_api::street_access::GrantScope;

/// The street's dashboard (街道看板): the street's totals, then a card per community with
/// the same figures in the same places, the community needing attention first; and the
/// report upward to download. Counts only.
#[component]
pub fn StreetDashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let dashboard = LocalResource::new(move || async move {
        match id.get() {
            Some(id) => api::street::dashboard(id).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <Title text=move || format!("{} · {}", t_string!(i18n, street.title), t_string!(i18n, app_name)) />
        {move || match dashboard.get() {
            None => EitherOf4::A(view! { <Loading /> }),
            Some(Err(error)) => EitherOf4::B(view! { <ErrorBanner error retry=move || dashboard.refetch() /> }),
            Some(Ok(None)) => EitherOf4::C(view! { <p class="empty">{t!(i18n, street.not_found)}</p> }),
            Some(Ok(Some(mut d))) => EitherOf4::D({
                by_attention(&mut d.rows);
                let as_of = taken_at(&d);
                view! {
                    <h1>{d.street_name.clone()} " · " {t!(i18n, street.title)}</h1>
                    <p class="meta">{move || t_string!(i18n, street.as_of, time = as_of.clone()).to_string()}</p>
                    <p class="actions">
                        <a class="button small" href=api::street::report_href(d.street_id, "xlsx") download>{t!(i18n, street.export_xlsx)}</a>
                        <a class="button small secondary" href=api::street::report_href(d.street_id, "csv") download>{t!(i18n, street.export_csv)}</a>
                    </p>
                    <section aria-labelledby="street-totals">
                        <h2 id="street-totals">{t!(i18n, street.totals)}</h2>
                        <FiguresCard label=d.street_name.clone() kind=None figures=d.totals />
                    </section>
                    <section aria-labelledby="street-communities">
                        <h2 id="street-communities">{t!(i18n, street.communities)}</h2>
                        <p class="hint">{t!(i18n, street.order_hint)}</p>
                        {d.rows.is_empty().then(|| view! { <p class="empty">{t!(i18n, street.empty)}</p> })}
                        <ul class="card-list street-cards">
                            {d.rows.into_iter().map(|row| {
                                let follow_up = row.granted.contains(&GrantScope::HealthFollowUp)
                                    .then(|| format!("/street/{}/communities/{}/follow-up", d.street_id, row.id));
                                view! {
                                    <li><FiguresCard label=row.name kind=Some(row.kind) figures=row.figures follow_up /></li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                }
            }),
        }}
    }
}

/// When the figures were taken, on the street's clock: `08:30` today, `12-06 23:59` on
/// an earlier day (the figures of a server that stopped, say).
fn taken_at(d: &StreetDashboard) -> String {
    let taken = d.as_of_local();
    let offset = chrono::Duration::minutes(i64::from(d.utc_offset_minutes));
    let today = (crate::clock::now().naive_utc() + offset).date();
    if taken.date() == today {
        taken.format("%H:%M").to_string()
    } else {
        taken.format("%m-%d %H:%M").to_string()
    }
}

fn kind_label(i18n: I18nContext<Locale>, kind: CommunityKind) -> &'static str {
    match kind {
        CommunityKind::Community => t_string!(i18n, street.kind_community),
        CommunityKind::Village => t_string!(i18n, street.kind_village),
    }
}

fn percent_text(ratio: Option<f64>) -> String {
    ratio.map_or_else(|| "—".to_owned(), |r| format!("{}%", percent(r)))
}

/// One community's figures (or the street's totals): the same eight figures in the same
/// order on every card, so a glance down the list compares them. Figures that call for
/// action (missed check-ins, fevers, requests over 72 hours) are marked when not zero.
#[component]
fn FiguresCard(
    label: String,
    kind: Option<CommunityKind>,
    figures: CommunityFigures,
    /// Where the community's follow-up list opens, while it grants it to the street.
    #[prop(default = None)]
    follow_up: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let f = figures;
    let needs_attention = attention(&f) != (0, 0, 0, 0);
    let coverage = percent_text(f.coverage());
    let testing = f.testing.map(|t| {
        (
            percent_text(f.testing_ratio()),
            t.tested,
            t.expected,
            format::date(t.day),
        )
    });
    let requests = f.open_requests;
    let aria_label = label.clone();
    view! {
        <article class="card street-card" class:attention=needs_attention aria-label=aria_label>
            <h3 class="card-title">
                {label}
                {kind.map(|k| view! { " " <span class="tag">{move || kind_label(i18n, k)}</span> })}
                {needs_attention.then(|| view! { " " <span class="tag status-expired">{t!(i18n, street.needs_attention)}</span> })}
            </h3>
            <dl class="street-figures">
                <div>
                    <dt>{t!(i18n, street.coverage)}</dt>
                    <dd>{coverage.clone()}
                        <small>{move || t_string!(i18n, street.coverage_detail, households = f.households, rooms = f.rooms).to_string()}</small>
                    </dd>
                </div>
                <div>
                    <dt>{t!(i18n, street.observation)}</dt>
                    <dd>{f.under_observation}
                        <small>{move || t_string!(i18n, street.observation_detail, ending = f.observation_ending).to_string()}</small>
                    </dd>
                </div>
                <div class:alert={f.fevers > 0}>
                    <dt>{t!(i18n, street.fevers)}</dt>
                    <dd>{f.fevers}
                        <small>{move || t_string!(i18n, street.fevers_detail, flagged = f.flagged).to_string()}</small>
                    </dd>
                </div>
                <div class:alert={f.missed_check_ins > 0}>
                    <dt>{t!(i18n, street.missed)}</dt>
                    <dd>{f.missed_check_ins}
                        <small>{move || t_string!(i18n, street.missed_detail, due = f.due_check_ins).to_string()}</small>
                    </dd>
                </div>
                <div class:alert={requests.over_72h > 0}>
                    <dt>{t!(i18n, street.requests)}</dt>
                    <dd>{requests.total()}
                        <small>{move || t_string!(i18n, street.requests_detail, over = requests.over_72h, urgent = requests.urgent).to_string()}</small>
                    </dd>
                </div>
                <div>
                    <dt>{t!(i18n, street.zones)}</dt>
                    <dd>{f.zones.total()}
                        <small>{move || t_string!(i18n, street.zones_detail, sealed = f.zones.sealed, controlled = f.zones.controlled, precaution = f.zones.precaution).to_string()}</small>
                    </dd>
                </div>
                <div>
                    <dt>{t!(i18n, street.testing)}</dt>
                    {match testing {
                        Some((ratio, tested, expected, day)) => view! {
                            <dd>{ratio}
                                <small>{move || t_string!(i18n, street.testing_detail, tested = tested, expected = expected, day = day.clone()).to_string()}</small>
                            </dd>
                        }.into_any(),
                        None => view! { <dd><small>{t!(i18n, street.testing_none)}</small></dd> }.into_any(),
                    }}
                </div>
                <div>
                    <dt>{t!(i18n, street.volunteers)}</dt>
                    <dd>{f.volunteers_on_duty}
                        <small>{move || t_string!(i18n, street.volunteers_detail, checked_in = f.volunteers_checked_in).to_string()}</small>
                    </dd>
                </div>
            </dl>
            {follow_up.map(|href| view! {
                <p class="actions"><A href=href attr:class="button small secondary">{t!(i18n, street_access.street_link)}</A></p>
            })}
        </article>
    }
}
