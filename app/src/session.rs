//! Who is signed in, shared by every page.

use crate::api;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shouwang_api::auth::Account;

#[derive(Clone, Copy)]
pub struct Session {
    pub account: RwSignal<Option<Account>>,
    /// False until the server said who we are (or that we are nobody).
    pub checked: RwSignal<bool>,
    /// Unread notifications, for the badge in the menu.
    pub unread: RwSignal<u64>,
}

impl Session {
    pub fn is_staff(&self) -> bool {
        self.account
            .with(|a| a.as_ref().is_some_and(|a| a.role.is_staff()))
    }

    pub fn is_admin(&self) -> bool {
        self.account
            .with(|a| a.as_ref().is_some_and(|a| a.role.is_admin()))
    }

    pub fn signed_in(&self, account: Account) {
        self.account.set(Some(account));
        self.checked.set(true);
        self.refresh_unread();
    }

    /// Asks the server how many notifications are unread.
    pub fn refresh_unread(&self) {
        let unread = self.unread;
        spawn_local(async move {
            if let Ok(count) = api::notifications::unread().await {
                unread.set(count.unread);
            }
        });
    }

    pub fn sign_out(&self) {
        let session = *self;
        // An unfinished registration on this phone is the household's personal data.
        crate::pages::register_household::forget_registration_draft();
        crate::offline::forget_personal_data();
        spawn_local(async move {
            // Signed out locally whatever the network says: the cookie expires anyway.
            let _ = api::auth::logout().await;
            session.account.set(None);
            session.unread.set(0);
        });
    }
}

pub fn provide_session() -> Session {
    let session = Session {
        account: RwSignal::new(None),
        checked: RwSignal::new(false),
        unread: RwSignal::new(0),
    };
    spawn_local(async move {
        if let Ok(account) = api::auth::me().await {
            session.account.set(Some(account));
            session.refresh_unread();
        }
        session.checked.set(true);
    });
    provide_context(session);
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
