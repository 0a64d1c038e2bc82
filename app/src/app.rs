//! The app's frame and every route, declared in one place.

use crate::components::footer::Footer;
use crate::components::header::Header;
use crate::i18n::I18nContextProvider;
use crate::offline::offline_banner::OfflineBanner;
use crate::offline::outbox_list::OutboxList;
use crate::pages::deliveries::DeliveriesPage;
use crate::pages::duty_roster::DutyRosterPage;
use crate::pages::medicine_custody::MedicineCustodyPage;
use crate::pages::street_boards::StreetBoardsPage;
use crate::pages::street_dashboard::StreetDashboardPage;
use crate::pages::street_follow_up::StreetFollowUpPage;
use crate::pages::street_grants::StreetGrantsPage;
use crate::pages::street_notices::StreetNoticesPage;
use crate::pages::street_person::StreetPersonPage;
use crate::pages::supply_dashboard::SupplyDashboardPage;
use crate::pages::testing_rounds::TestingRoundsPage;
use crate::pages::wellbeing::WellbeingPage;
use crate::pages::zones::ZonesPage;
use crate::pages::{
    accounts::AccountsPage,
    audit_log::AuditLogPage,
    board::BoardPage,
    browse_shifts::BrowseShiftsPage,
    health_worklist::HealthWorklistPage,
    login::LoginPage,
    manage_notices::ManageNoticesPage,
    manage_shifts::ManageShiftsPage,
    manage_volunteers::ManageVolunteersPage,
    moderation::ModerationPage,
    moderation_log::ModerationLogPage,
    my_household::MyHouseholdPage,
    my_submissions::MySubmissionsPage,
    not_found::NotFoundPage,
    notice::NoticePage,
    notice_editor::{EditNoticePage, NewNoticePage},
    notifications::NotificationsPage,
    poster::{BoardPosterPage, NoticePosterPage},
    receipt_follow_up::ReceiptFollowUpPage,
    receipts::ReceiptsPage,
    register_household::RegisterHouseholdPage,
    residents_ledger::ResidentsLedgerPage,
    screen::ScreenPage,
    search::SearchPage,
    submit::SubmitPage,
    update::UpdatePage,
    volunteer_home::VolunteerHomePage,
    volunteer_sign_up::VolunteerSignUpPage,
};
use crate::pages::{care::CarePage, member_health::MemberHealthPage, runs::RunsPage};
use crate::pages::{deployment_admin::DeploymentAdminPage, deployment_login::DeploymentLoginPage};
use crate::prefs::provide_large_text;
use crate::session::provide_session;
use crate::takeover::RemovePrerenderedOnNavigation;
use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::format::load_community_calendar();
    view! {
        <I18nContextProvider>
            <Shell />
        </I18nContextProvider>
    }
}

#[component]
fn Shell() -> impl IntoView {
    provide_session();
    provide_large_text();
    crate::offline::start();
    view! {
        <Router base=crate::base::base()>
            <RemovePrerenderedOnNavigation />
            <Header />
            <main id="main" class="page" tabindex="-1">
                <OfflineBanner />
                <OutboxList />
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("/") view=BoardPage />
                    <Route path=path!("/notices/:id") view=NoticePage />
                    <Route path=path!("/login") view=LoginPage />
                    <Route path=path!("/staff/notices") view=ManageNoticesPage />
                    <Route path=path!("/staff/notices/new") view=NewNoticePage />
                    <Route path=path!("/staff/notices/:id/edit") view=EditNoticePage />
                    <Route path=path!("/admin/accounts") view=AccountsPage />
                    <Route path=path!("/admin/audit") view=AuditLogPage />
                    <Route path=path!("/notifications") view=NotificationsPage />
                    <Route path=path!("/register") view=RegisterHouseholdPage />
                    <Route path=path!("/my-household") view=MyHouseholdPage />
                    <Route path=path!("/staff/residents") view=ResidentsLedgerPage />
                    <Route path=path!("/volunteer/sign-up") view=VolunteerSignUpPage />
                    <Route path=path!("/volunteer") view=VolunteerHomePage />
                    <Route path=path!("/volunteer/shifts") view=BrowseShiftsPage />
                    <Route path=path!("/staff/volunteers") view=ManageVolunteersPage />
                    <Route path=path!("/staff/shifts") view=ManageShiftsPage />
                    <Route path=path!("/submit") view=SubmitPage />
                    <Route path=path!("/submissions/mine") view=MySubmissionsPage />
                    <Route path=path!("/staff/moderation") view=ModerationPage />
                    <Route path=path!("/search") view=SearchPage />
                    <Route path=path!("/updates/:id") view=UpdatePage />
                    <Route path=path!("/notices/:id/poster") view=NoticePosterPage />
                    <Route path=path!("/poster") view=BoardPosterPage />
                    <Route path=path!("/screen") view=ScreenPage />
                    <Route path=path!("/staff/receipts") view=ReceiptsPage />
                    <Route path=path!("/staff/receipts/:id") view=ReceiptFollowUpPage />
                    <Route path=path!("/staff/moderation/log") view=ModerationLogPage />
                    <Route path=path!("/staff/zones") view=ZonesPage />
                    <Route path=path!("/staff/supplies") view=SupplyDashboardPage />
                    <Route path=path!("/staff/medicine") view=MedicineCustodyPage />
                    <Route path=path!("/staff/roster") view=DutyRosterPage />
                    <Route path=path!("/wellbeing") view=WellbeingPage />
                    <Route path=path!("/volunteer/deliveries") view=DeliveriesPage />
                    <Route path=path!("/staff/health") view=HealthWorklistPage />
                    <Route path=path!("/staff/testing") view=TestingRoundsPage />
                    <Route path=path!("/staff/health/member/:id") view=MemberHealthPage />
                    <Route path=path!("/staff/care") view=CarePage />
                    <Route path=path!("/staff/runs") view=RunsPage />
                    <Route path=path!("/deployment/login") view=DeploymentLoginPage />
                    <Route path=path!("/deployment") view=DeploymentAdminPage />
                    <Route path=path!("/street/:id") view=StreetDashboardPage />
                    <Route path=path!("/street/:id/boards") view=StreetBoardsPage />
                    <Route path=path!("/street/:id/notices") view=StreetNoticesPage />
                    <Route path=path!("/street/:street/communities/:id/follow-up") view=StreetFollowUpPage />
                    <Route path=path!("/street/:street/communities/:id/follow-up/:member") view=StreetPersonPage />
                    <Route path=path!("/admin/street-access") view=StreetGrantsPage />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
